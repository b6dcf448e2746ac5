"""A seeded generator of large test corpora made of real paragraphs in Chinese, Russian and Vietnamese.

Benchmarks need corpora of 10^4 to 10^6 articles that look like the bundled ones: the same
languages, the same page furniture (headlines, datelines in each outlet's format, photo files and
captions, site footers), the same text. :func:`generate_articles` draws each article's body from
**real paragraphs** and dresses it like one of the seed pages, so every stage of the pipeline runs
as on the real thing: decoding (a few files in UTF-16, GB18030 or cp1251), boilerplate removal,
headline, byline and dateline parsing, language identification, duplicate removal.

Where the text comes from
-------------------------
* ``zh`` and ``ru``: the body paragraphs of the seed articles in ``data/raw`` (the documents
  table's ``text``, split into lines); captions, photo-file lines and footers are the lines the
  documents table *removed* from the seeds (its ``removed`` audit trail).
* ``vi``: the same from the Vietnamese seeds, plus the paragraphs of the VNTC news corpus
  (``../shared/corpora/vntc/*.jsonl``, see its SOURCES.md) when that folder exists.

An article is the headline, a dateline, 3-12 distinct paragraphs in random order (no two articles
share the same paragraph sequence), captions between them and the footer. The same ``seed`` gives
the same articles, byte for byte, on any machine with the same seeds and shared corpora.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, NamedTuple

from .boilerplate import _TERMINAL  # a body paragraph ends like this (a caption does not)

__all__ = ["Article", "ParagraphPool", "paragraph_pools", "generate_articles", "write_corpus", "LANGS"]

LANGS = ("zh", "ru", "vi")
#: Paragraphs per article (inclusive range).
PARAGRAPHS = (3, 12)
#: Publication dates are drawn uniformly from this range.
DATE_RANGE = (dt.date(2015, 1, 1), dt.date(2025, 12, 31))

_ZH_MONTHS = "一月 二月 三月 四月 五月 六月 七月 八月 九月 十月 十一月 十二月".split()
_VI_WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
_RU_MONTHS = ("января февраля марта апреля мая июня июля августа сентября октября ноября декабря").split()
# Reporters named in the seeds' bylines and photo credits (000, 002, 003, 004).
_ZH_REPORTERS = ("青乐", "清维")
_VI_REPORTERS = ("PHÙNG KHIÊM", "THÀNH DUY", "THANH LÊ", "ĐÌNH TUYẾN")


@dataclass(frozen=True)
class ParagraphPool:
    """The real material of one language: body paragraphs, captions (photo lines) and footers."""

    lang: str
    paragraphs: tuple[str, ...]
    captions: tuple[tuple[str, ...], ...]
    footers: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]


class Article(NamedTuple):
    """One generated article."""

    doc_id: str
    lang: str
    title: str
    published: dt.datetime
    page: str  # the whole page as a .txt file holds it: headline, dateline, body, captions, footer
    body: str  # the same page without headline and dateline (what a table's text column holds)
    outlet: str
    encoding: str  # how write_corpus encodes the .txt file


def _is_paragraph(line: str, lang: str) -> bool:
    line = line.strip()
    low = 40 if lang == "zh" else 80
    return low <= len(line) <= 2000 and line.endswith(_TERMINAL)


def _seed_material(seeds: Path) -> dict[str, dict[str, list]]:
    """Return paragraphs, captions and footers of the seed articles, per language."""
    from .table import ingest

    docs = ingest(seeds, n_jobs=1, cache=False).documents
    out: dict[str, dict[str, list]] = {lang: {"paragraphs": [], "captions": [], "footers": []} for lang in LANGS}
    for row in docs.itertuples():
        if row.lang not in out:
            continue
        mat = out[row.lang]
        mat["paragraphs"] += [ln for ln in row.text.split("\n") if _is_paragraph(ln, row.lang)]
        removed = json.loads(row.removed or "[]")
        caption: list[str] = []
        for item in removed:
            if item["reason"] in ("image_file", "image_alt"):
                if caption:
                    mat["captions"].append(tuple(caption))
                caption = [item["line"]]
            elif item["reason"] in ("caption", "credit"):
                caption.append(item["line"])
                mat["captions"].append(tuple(caption))
                caption = []
        if caption:
            mat["captions"].append(tuple(caption))
        footer = tuple(item["line"] for item in removed if item["reason"] == "footer")
        if footer:
            mat["footers"].append(footer)
    # The Russian seed has no photos: a caption line ending without a full stop, as Vietnam+ prints them.
    return out


def _vntc_paragraphs(shared: Path) -> tuple[list[str], list[str]]:
    files = sorted((shared / "corpora" / "vntc").glob("*.jsonl"))
    paragraphs: list[str] = []
    seen: set[str] = set()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                # the first line of a VNTC text is its headline
                for para in str(row.get("text", "")).replace("\r", "").split("\n")[1:]:
                    para = para.strip()
                    if _is_paragraph(para, "vi") and para not in seen:
                        seen.add(para)
                        paragraphs.append(para)
    return paragraphs, [str(f) for f in files]


def paragraph_pools(*, seeds=None, shared="auto") -> dict[str, ParagraphPool]:
    """Return the real material the generator samples from, per language.

    Parameters
    ----------
    seeds : path, optional
        Folder of seed articles (default: the bundled ``data/raw``).
    shared : path, "auto" or None
        The ``shared`` folder holding ``corpora/vntc``: ``"auto"`` looks beside the project
        (``../shared``, or ``CORPUSLIB_SHARED``); None uses the seeds only.

    Returns
    -------
    dict
        ``{"zh": ParagraphPool, "ru": ..., "vi": ...}``; paragraphs deduplicated, in source order.
    """
    import os

    from ..core import paths

    seeds = Path(seeds) if seeds is not None else paths.bundled_corpus()
    material = _seed_material(seeds)
    sources = {lang: [str(seeds)] for lang in LANGS}
    if shared == "auto":
        env = os.environ.get("CORPUSLIB_SHARED")
        shared = Path(env) if env else paths.project_root().parent / "shared"
        if not (shared / "corpora" / "vntc").is_dir():
            shared = None
    if shared is not None:
        extra, files = _vntc_paragraphs(Path(shared))
        material["vi"]["paragraphs"] += extra
        sources["vi"] += files
    pools = {}
    for lang in LANGS:
        mat = material[lang]
        pools[lang] = ParagraphPool(
            lang,
            tuple(dict.fromkeys(mat["paragraphs"])),
            tuple(dict.fromkeys(mat["captions"])),
            tuple(dict.fromkeys(mat["footers"])),
            tuple(sources[lang]),
        )
    return pools


def _when(rng: random.Random) -> dt.datetime:
    lo, hi = DATE_RANGE
    day = lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))
    return dt.datetime(day.year, day.month, day.day, rng.randrange(6, 23), rng.randrange(60))


def _dnum(day: dt.datetime) -> str:
    """Báo Nghệ An's obfuscated date field (seed 002): digits as letters A-J, '/' as Z."""
    return "DNUM_" + "".join("Z" if c == "/" else "ABCDEFGHIJ"[int(c)] for c in f"{day:%d/%m/%Y}")


def _title(paragraph: str, lang: str) -> str:
    """A headline: the first clause of a real paragraph."""
    if lang == "zh":
        head = re.split("[,，。;；:：!?！？]", paragraph, maxsplit=1)[0]
        return head[:40]
    head = re.split(r"(?<=[^\d])[,.;:!?](?=\s)", paragraph, maxsplit=1)[0]
    words = head.split()
    return " ".join(words[:14])


def _header(lang: str, style: int, title: str, when: dt.datetime, rng: random.Random) -> tuple[list[str], str]:
    """Return the page's header lines (before the body) and the outlet the page belongs to."""
    if lang == "zh":
        reporter = rng.choice(_ZH_REPORTERS)
        if style == 0:  # seed 000
            dateline = f"{reporter} - {_ZH_MONTHS[when.month - 1]} {when.day}, {when.year} {when:%H:%M}"
        else:  # seed 002
            dateline = f"{reporter} {_dnum(when)} {when:%H:%M}"
        return [title, "", dateline], "Báo Nghệ An"
    if lang == "ru":
        if style == 0:  # seed 001 has no headline; its date is in the lead
            return [f"{when:%d.%m.%Y %H:%M}", ""], ""
        return [title, "", f"{when.day} {_RU_MONTHS[when.month - 1]} {when.year} г., {when:%H:%M}", ""], ""
    if style == 0:  # seed 003
        return ["mask", "", title, "", f"{_VI_WEEKDAYS[when.weekday()]}, {when:%d/%m/%Y} - {when:%H:%M} (GMT+7)", ""], "Báo Nghệ An"
    # seed 004: the page date above the headline
    return [f"{_VI_WEEKDAYS[when.weekday()]}, {when:%d/%m/%Y}", "", title, ""], "Báo Lạng Sơn"


_LEAD_MARKERS = {"zh": ("(Baonghean.vn)-", "(Baonghean.vn)-"), "vi": ("(Baonghean.vn) - ", "LSO-"), "ru": ("", "")}


def _page(pool: ParagraphPool, paragraphs: list[str], title: str, when: dt.datetime, style: int,
          rng: random.Random) -> tuple[str, str, str]:
    """Return (page text, body text, outlet) of an article made of ``paragraphs``."""
    lang = pool.lang
    header, outlet = _header(lang, style, title, when, rng)
    body: list[str] = []
    lead = _LEAD_MARKERS[lang][style]
    for i, para in enumerate(paragraphs):
        body.append(lead + para if i == 0 and lead else para)
        body.append("")
        if pool.captions and i < len(paragraphs) - 1 and rng.random() < 0.25:
            body.extend(rng.choice(pool.captions))
            body.append("")
    if lang == "vi" and style == 1:
        body.append(rng.choice(_VI_REPORTERS))
    elif pool.footers:
        body.extend(rng.choice(pool.footers))
    body_text = "\n".join(body).strip() + "\n"
    return "\n".join(header) + "\n" + body_text, body_text, outlet


_ENCODINGS = {"zh": "gb18030", "ru": "cp1251", "vi": "utf-16"}


def generate_articles(n: int, *, seed: int = 0, langs=LANGS, weights=None, pools=None, shared="auto",
                      duplicate_rate: float = 0.01, encoded_rate: float = 0.02) -> Iterator[Article]:
    """Yield ``n`` articles made of real paragraphs, deterministically for a ``seed``.

    Parameters
    ----------
    n : int
        Number of articles.
    seed : int
        Random seed: the same seed gives the same articles.
    langs : sequence of str
        Languages to draw from (``zh``, ``ru``, ``vi``).
    weights : sequence of float, optional
        Relative frequency of each language (default: equal).
    pools : dict, optional
        :func:`paragraph_pools` output (default: built here with ``shared``).
    shared : path, "auto" or None
        Passed to :func:`paragraph_pools`.
    duplicate_rate : float
        Share of articles that republish an earlier article's body under a new page (the
        pipeline must drop them as duplicates).
    encoded_rate : float
        Share of ``.txt`` files written in a legacy or UTF-16 encoding (GB18030, cp1251, UTF-16).

    Yields
    ------
    Article
        ``doc_id`` is ``<lang>/<block>/<number>``: 1,000 articles a folder.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    langs = tuple(langs)
    unknown = set(langs) - set(LANGS)
    if unknown or not langs:
        raise ValueError(f"langs must be among {LANGS}, not {langs!r}")
    pools = pools or paragraph_pools(shared=shared)
    for lang in langs:
        if len(pools[lang].paragraphs) < PARAGRAPHS[0]:
            raise ValueError(f"too few {lang} paragraphs to draw articles from ({len(pools[lang].paragraphs)})")
    rng = random.Random(seed)
    used: set[tuple] = set()
    recent: list[tuple[str, list[str]]] = []
    for i in range(n):
        lang = rng.choices(langs, weights=weights)[0] if weights else langs[rng.randrange(len(langs))]
        pool = pools[lang]
        if recent and rng.random() < duplicate_rate:
            lang, chosen = rng.choice(recent)
            pool = pools[lang]
        else:
            hi = min(PARAGRAPHS[1], len(pool.paragraphs))
            for _ in range(20):  # a paragraph sequence no other article has
                k = rng.randint(PARAGRAPHS[0], hi)
                picks = tuple(rng.sample(range(len(pool.paragraphs)), k))
                if (lang, picks) not in used:
                    break
            used.add((lang, picks))
            chosen = [pool.paragraphs[j] for j in picks]
            recent.append((lang, chosen))
            if len(recent) > 1000:
                recent.pop(rng.randrange(len(recent)))
        when = _when(rng)
        style = rng.randrange(2)
        title = _title(rng.choice(chosen), lang)
        page, body, outlet = _page(pool, chosen, title, when, style, rng)
        encoding = _ENCODINGS[lang] if rng.random() < encoded_rate else "utf-8"
        yield Article(f"{lang}/{i // 1000:04d}/{i:07d}", lang, title, when, page, body, outlet, encoding)


class CorpusSummary(NamedTuple):
    """What :func:`write_corpus` wrote."""

    path: Path
    files: int
    articles: int
    bytes: int
    langs: dict


def write_corpus(out, n: int, *, fmt: str = "txt", seed: int = 0, shard_size: int = 10_000, **kwargs) -> CorpusSummary:
    """Write ``n`` generated articles under ``out`` as ``.txt`` files or ``.jsonl`` shards.

    Parameters
    ----------
    out : path
        Folder to write (created). ``txt``: ``<lang>/<block>/<number>.txt`` (the whole page);
        ``jsonl``: ``articles-00000.jsonl`` ... with ``shard_size`` rows each (``id, lang, title,
        published, outlet, text``; ``text`` is the page without headline and dateline).
    n, seed, **kwargs
        As for :func:`generate_articles`.
    fmt : {"txt", "jsonl"}
    shard_size : int
        Rows per ``.jsonl`` file.

    Returns
    -------
    CorpusSummary
    """
    if fmt not in ("txt", "jsonl"):
        raise ValueError(f"fmt must be 'txt' or 'jsonl', not {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = size = 0
    langs: dict[str, int] = {}
    shard = None
    try:
        for i, art in enumerate(generate_articles(n, seed=seed, **kwargs)):
            langs[art.lang] = langs.get(art.lang, 0) + 1
            if fmt == "txt":
                path = out / f"{art.doc_id}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                data = art.page.encode(art.encoding, errors="replace")
                path.write_bytes(data)
                files += 1
                size += len(data)
                continue
            if i % shard_size == 0:
                if shard is not None:
                    shard.close()
                shard = open(out / f"articles-{i // shard_size:05d}.jsonl", "w", encoding="utf-8", newline="\n")
                files += 1
            line = json.dumps({"id": art.doc_id, "lang": art.lang, "title": art.title,
                               "published": art.published.isoformat(), "outlet": art.outlet or None,
                               "text": art.body}, ensure_ascii=False) + "\n"
            shard.write(line)
            size += len(line.encode("utf-8"))
    finally:
        if shard is not None:
            shard.close()
    return CorpusSummary(out, files, n, size, dict(sorted(langs.items())))
