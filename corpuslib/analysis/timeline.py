"""The timeline the corpus tells: dated events, the Party documents cited, and their evidence.

Data flow (each step returns a new table)::

    documents ──► collect_references ──► party_documents      one row per cited document
        │                  │
        └──────────────────┴──► extract_events ──► build_timeline ──► filter_timeline
                                 one row per dated     one row per event,    date window, kinds
                                 event sentence        sources merged            │
                                                                                 └─► to_timelinejs

An *event* is a sentence that carries a resolved date (:func:`corpuslib.text.dates.extract_dates`) and an event
keyword (``corpuslib/data/event_keywords.csv``: hội nghị, 研讨会, конференция, пленум, ban hành, 发出 ...),
or a date stated as the issue date of a cited Party document (``Nghị quyết số 71-NQ/TU, ngày 30/10/2013``).
Day-month expressions (``chiều 1/10``, ``12月12日上午``, ``16 декабря``) are anchored on the article's
``published`` date.

Articles without a publication date
-----------------------------------
A page header such as ``Thứ ba, 23/04/2019`` (``page_date``) is the day the page was shown, not the day the
article appeared, so it is used only as an *upper bound*. The *lower bound* is the latest issue date of a
document the article cites (an article cannot cite what was not yet issued). A day-month expression takes
every year that fits between the bounds; when several fit and the sentence reviews a dated document
(``tổng kết``, ``sơ kết``, ``总结``, ``итоги``), the year that makes a round anniversary (a multiple of 5
years) of that document wins, since Party reviews are held on 5/10/15/20-year anniversaries; otherwise the
most recent year wins. Such dates get ``confidence="low"`` and a ``date_note`` listing the candidate years.
Seed 004 (page 2019-04-23, cites Resolution 18-NQ/TW of 2017-10-25, reviews Resolution TW3 khóa VIII of
1997-06) resolves "Chiều nay (17/11)" to 2017-11-17 out of {2017, 2018}.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import html
import json
import os
import re
from pathlib import Path

import pandas as pd

from ..core.values import iso_bounds as _partial_bounds
from ..core.values import none_if_missing as _val
from ..core.values import to_date as _to_date
from ..text.language import base_language
from ..text.numerals import int_to_roman, roman_to_int
from ..text.sentences import sentence_at as _sentence_at
from ..text.sentences import sentence_spans

__all__ = [
    "KINDS",
    "EVENT_COLUMNS",
    "TIMELINE_COLUMNS",
    "PARTY_DOCUMENT_COLUMNS",
    "load_event_keywords",
    "load_event_bodies",
    "load_event_cues",
    "document_anchors",
    "collect_references",
    "extract_events",
    "build_timeline",
    "filter_timeline",
    "top_events",
    "party_documents",
    "to_timelinejs",
    "write_timelinejs",
]

#: Event kinds, most specific first (a merged row takes the most specific kind of its sources).
KINDS = ("plenum", "congress", "seminar", "dialogue", "conference", "meeting", "appointment", "decision",
         "document")
_MEETING_LIKE = {"plenum", "congress", "seminar", "dialogue", "conference", "meeting"}
# "hội nghị" is machine-translated as 会议 (meeting): the two generic kinds match any meeting-like kind.
_GENERIC = {"conference", "meeting"}
_CONFIDENCE = {"high": 3, "medium": 2, "low": 1}
_GRAN_ORDER = {"day": 0, "range": 1, "month": 2, "quarter": 3, "year": 4}

#: Columns of :func:`extract_events` (one row per dated event sentence).
EVENT_COLUMNS = [
    "event_id", "doc_id", "outlet", "lang", "published", "date", "granularity", "date_start", "date_end",
    "kind", "keyword", "body", "ordinal", "term", "phase", "place", "label", "documents", "participants", "evidence",
    "date_text", "resolved_by", "confidence", "date_note", "planned", "start", "end",
]
#: Columns of :func:`build_timeline` (contract columns first).
TIMELINE_COLUMNS = [
    "date", "granularity", "kind", "body", "label", "documents", "doc_ids", "outlets", "langs", "evidence",
    "n_sources", "planned", "salience", "held_as", "n_outlets", "ordinal", "term", "phase", "confidence",
    "participants", "date_start", "date_end", "date_note", "event_id",
]
#: Salience weight of each kind (see :func:`build_timeline`): a congress or plenum outweighs a talk.
KIND_WEIGHTS = {"plenum": 2.0, "congress": 2.0, "conference": 1.0, "seminar": 1.0, "dialogue": 1.0,
                "meeting": 0.5, "appointment": 1.0, "decision": 1.0, "document": 1.0}
#: Columns of :func:`party_documents` (contract columns first).
PARTY_DOCUMENT_COLUMNS = [
    "doc_code", "issuer", "issued", "date_method", "cited_by", "title", "term", "ambiguous", "note",
    "doc_ref", "plenum", "candidates", "n_mentions",
]


# --------------------------------------------------------------------------------------------------
# Keyword table
# --------------------------------------------------------------------------------------------------
def load_event_keywords(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the event keyword table (``lang, pattern, kind, weight, note``), shipped one by default.

    Lines starting with ``#`` are comments. Raises ``ValueError`` naming the line of a row with an unknown
    kind, a weight other than 1 or 2, or a pattern that does not compile.
    """
    if path is None:
        from ..core.paths import package_data

        path = package_data("analysis/event_keywords.csv")
    return _load_keywords(str(Path(path).resolve())).copy()


@functools.lru_cache(maxsize=4)
def _load_keywords(path: str) -> pd.DataFrame:
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(i, ln) for i, ln in enumerate(fh.read().splitlines(), 1) if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader([ln for _, ln in lines])
    rows = []
    for (lineno, _), r in zip(lines[1:], reader):
        if r["kind"] not in KINDS:
            raise ValueError(f"{path}, line {lineno}: unknown kind {r['kind']!r}")
        if r["weight"] not in ("1", "2"):
            raise ValueError(f"{path}, line {lineno}: weight must be 1 or 2")
        try:
            re.compile(r["pattern"])
        except re.error as exc:
            raise ValueError(f"{path}, line {lineno}: bad pattern ({exc})") from exc
        rows.append({"lang": r["lang"], "pattern": r["pattern"], "kind": r["kind"], "weight": int(r["weight"]),
                     "note": r.get("note", "")})
    return pd.DataFrame(rows, columns=["lang", "pattern", "kind", "weight", "note"])


@functools.lru_cache(maxsize=16)
def _compiled(lang: str, path: str | None = None) -> list[tuple[re.Pattern, str, int]]:
    tab = load_event_keywords(path)
    sel = tab[tab["lang"] == lang] if lang in set(tab["lang"]) else tab
    return [(re.compile(p, re.IGNORECASE), k, w) for p, k, w in zip(sel["pattern"], sel["kind"], sel["weight"])]


def _keyword_hits(text: str, lang: str, masked: list[tuple[int, int]]) -> list[tuple[int, int, str, int]]:
    """(start, end, kind, weight) of keyword matches outside ``masked`` spans; overlaps keep the longest."""
    found = []
    for rx, kind, weight in _compiled(lang):
        for m in rx.finditer(text):
            if m.end() == m.start() or any(s <= m.start() < e or s < m.end() <= e for s, e in masked):
                continue
            found.append((m.start(), m.end(), kind, weight))
    # longest first, then the more specific kind: a shorter match inside a kept one is dropped
    found.sort(key=lambda h: (-(h[1] - h[0]), KINDS.index(h[2]), h[0]))
    kept: list[tuple[int, int, str, int]] = []
    for h in found:
        if not any(h[0] < k[1] and k[0] < h[1] for k in kept):
            kept.append(h)
    return sorted(kept)


# --------------------------------------------------------------------------------------------------
# Bodies and cues (what kind of event, whose, planned or held): data beside the stage
# --------------------------------------------------------------------------------------------------
_BODY_COLUMNS = ["lang", "body", "scope", "weight", "kind", "pattern", "note"]
_CUE_COLUMNS = ["lang", "cue", "pattern", "note"]
_CUES = ("relation", "teaser", "planned", "opening", "closing", "preparatory")


def _read_data_rows(path: str, columns: list[str]) -> list[tuple[int, dict]]:
    """(line number, row) of a shipped CSV whose ``#`` lines are comments."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(i, ln) for i, ln in enumerate(fh.read().splitlines(), 1) if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader([ln for _, ln in lines])
    missing = set(columns) - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
    return [(lineno, r) for (lineno, _), r in zip(lines[1:], reader)]


def _compile_or_raise(pattern: str, where: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"{where}: bad pattern ({exc})") from exc


def load_event_bodies(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the body vocabulary (``lang, body, scope, weight, kind, pattern, note``), the shipped one by default.

    A body says whose meeting an event is (Party Central Committee, National Assembly, provincial Party
    committee, Youth Union ...). Raises ``ValueError`` naming the line of a row with an unknown scope or
    kind, a weight that is not a number from 0 to 3, or a pattern that does not compile.
    """
    if path is None:
        from ..core.paths import package_data

        path = package_data("analysis/event_bodies.csv")
    return _load_bodies(str(Path(path).resolve())).copy()


@functools.lru_cache(maxsize=4)
def _load_bodies(path: str) -> pd.DataFrame:
    rows = []
    for lineno, r in _read_data_rows(path, _BODY_COLUMNS):
        where = f"{path}, line {lineno}"
        if r["scope"] not in ("national", "local"):
            raise ValueError(f"{where}: scope must be national or local")
        if r["kind"] and r["kind"] not in KINDS:
            raise ValueError(f"{where}: unknown kind {r['kind']!r}")
        try:
            weight = float(r["weight"])
        except ValueError:
            weight = -1.0
        if not 0 <= weight <= 3:
            raise ValueError(f"{where}: weight must be a number from 0 to 3")
        _compile_or_raise(r["pattern"], where)
        rows.append({**{c: r[c] for c in _BODY_COLUMNS}, "weight": weight})
    return pd.DataFrame(rows, columns=_BODY_COLUMNS)


def load_event_cues(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the cue vocabulary (``lang, cue, pattern, note``), the shipped one by default.

    Cues: ``relation`` (the meeting is what something greets or serves: not an event), ``teaser`` (a
    bulletin or print digest), ``planned`` (announced, not yet held) and the phases ``opening``,
    ``closing``, ``preparatory``. Raises ``ValueError`` naming the line of an unknown cue or a bad pattern.
    """
    if path is None:
        from ..core.paths import package_data

        path = package_data("analysis/event_cues.csv")
    return _load_cues(str(Path(path).resolve())).copy()


@functools.lru_cache(maxsize=4)
def _load_cues(path: str) -> pd.DataFrame:
    rows = []
    for lineno, r in _read_data_rows(path, _CUE_COLUMNS):
        if r["cue"] not in _CUES:
            raise ValueError(f"{path}, line {lineno}: unknown cue {r['cue']!r}; cues are {list(_CUES)}")
        _compile_or_raise(r["pattern"], f"{path}, line {lineno}", re.IGNORECASE)
        rows.append({c: r[c] for c in _CUE_COLUMNS})
    return pd.DataFrame(rows, columns=_CUE_COLUMNS)


@functools.lru_cache(maxsize=8)
def _label_templates(lang: str) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """((body, kind, template) rows in order, {phase: word}) of the shipped label table."""
    from ..core.paths import package_data

    path = str(package_data("analysis/event_labels.csv"))
    rows, phases = [], {}
    for _, r in _read_data_rows(path, ["lang", "body", "kind", "template", "note"]):
        if r["lang"] != lang:
            continue
        if r["body"] == "phase":
            phases[r["kind"]] = r["template"]
        else:
            rows.append((r["body"], r["kind"], r["template"]))
    return rows, phases


@functools.lru_cache(maxsize=16)
def _bodies(lang: str) -> list[tuple[re.Pattern, str, str, float, str]]:
    tab = _load_bodies(str(_data_path("event_bodies.csv")))
    sel = tab[tab["lang"] == lang]
    return [(re.compile(p), b, s, float(w), k)
            for p, b, s, w, k in zip(sel["pattern"], sel["body"], sel["scope"], sel["weight"], sel["kind"])]


@functools.lru_cache(maxsize=1)
def _body_info() -> dict[str, tuple[str, float, str]]:
    """body -> (scope, salience weight, kind of its generic meetings), over every language."""
    tab = _load_bodies(str(_data_path("event_bodies.csv")))
    return {b: (s, float(w), k) for b, s, w, k in zip(tab["body"], tab["scope"], tab["weight"], tab["kind"])}


@functools.lru_cache(maxsize=32)
def _cue(lang: str, cue: str, anchored: bool = False) -> re.Pattern | None:
    tab = _load_cues(str(_data_path("event_cues.csv")))
    pats = tab[(tab["lang"] == lang) & (tab["cue"] == cue)]["pattern"].tolist()
    if not pats:
        return None
    alt = "|".join(f"(?:{p})" for p in pats)
    return re.compile(f"(?:{alt})\\s*\\Z" if anchored else alt, re.IGNORECASE)


def _data_path(name: str) -> Path:
    from ..core.paths import package_data

    return Path(package_data(f"analysis/{name}")).resolve()


# Words that may stand between a Vietnamese event noun and the body it belongs to
# ("Đại hội đại biểu [Đảng bộ tỉnh]", "Hội nghị lần thứ 13 [Ban Chấp hành Trung ương]", "kỳ họp thứ nhất, [Quốc hội]").
_ATTACH_VI = re.compile(
    r"(?:\s|,|đại biểu|toàn quốc|toàn thể|lần thứ \w+|thứ \w+|lần \w+|[IVXLC]+\b|\d+\b|của|khóa \w+|khoá \w+|"
    r"bất thường|thường kỳ|chuyên đề|trực tuyến|mở rộng|thường niên|nhiệm kỳ [\d\s–-]+)*", re.IGNORECASE)
_VI_ORDINAL_WORDS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
                     "tám": 8, "chín": 9, "mười": 10}
_ORD_VI = re.compile(
    r"(?<!việc )(?<!ngày )(?<!lần )\b(?:lần thứ|thứ)\s+(\w+)"
    r"|(?<=ại hội )(?:đại biểu )?(?:toàn quốc )?(?:Đảng )?(?:toàn quốc )?([IVXLC]+|\d{1,2})\b(?![.,/-]\d)"
    r"|(?<=ội nghị )(?:Trung ương |T\.Ư |TƯ |TW )?(\d{1,2})\b(?![.,/-]\d)"
    r"|(?<=ội nghị Ban Chấp hành Trung ương )(\d{1,2})\b(?![.,/-]\d)", re.IGNORECASE)
_TERM_VI = re.compile(r"\bkh(?:óa|oá|oa)\s+([IVXLC]+|\d{1,2})\b")
_ORD_ZH = re.compile(r"第([一二三四五六七八九十\d]+)次|([一二三四五六七八九十]+)大")
_TERM_ZH = re.compile(r"第([一二三四五六七八九十\d]+)届")
_ORD_RU = re.compile(r"\b(\d{1,2})-(?:[а-я]{1,3})\s+(?:пленум|съезд|сесси|заседани)|\b([IVXLC]+)\s+(?:пленум|съезд)")


def _ordinal_value(tok: str | None) -> int | None:
    if not tok:
        return None
    from ..text.numerals import parse_small_number

    t = tok.strip()
    if t.lower() in _VI_ORDINAL_WORDS:
        return _VI_ORDINAL_WORDS[t.lower()]
    n = int(t) if t.isdigit() else parse_small_number(t)
    return n if n is not None and 0 < n < 200 else None


def _clause(text: str, s0: int, s1: int, k0: int, k1: int, masked: list[tuple[int, int]]) -> tuple[int, int]:
    """The clause of ``text[s0:s1]`` that holds ``text[k0:k1]`` (cut at , ; : brackets quotes and dashes)."""
    a, b = s0, s1
    for m in _CLAUSE_CUT.finditer(text, s0, s1):
        if any(s <= m.start() < e for s, e in masked):
            continue
        if m.end() <= k0:
            a = m.end()
        elif m.start() >= k1:
            b = m.start()
            break
    return a, b


_PLACE_HEAD = re.compile(r"\s*(?:TNCS\s+)?(?:Hồ Chí Minh\s+)?(?:tỉnh|thành phố|Thành phố|TP\.?|Tp\.?|xã|phường|huyện)?\s*")
_PLACE_WORD = re.compile(r"[^\W\d_][\w]*")
_PLACE_ALIASES = {"hồ chí minh": "hcm", "tphcm": "hcm", "hà nội": "hà nội"}


def _place_after(text: str, pos: int, stop: int) -> str | None:
    """The place a local body's name ends with ("Đảng bộ tỉnh An Giang" -> "an giang", "TP.HCM" -> "hcm")."""
    m = _PLACE_HEAD.match(text, pos, stop)
    pos = m.end() if m else pos
    words = []
    while len(words) < 4:
        w = _PLACE_WORD.match(text, pos, stop)
        if not w or not w.group(0)[0].isupper():
            break
        words.append(w.group(0))
        pos = w.end()
        if pos < stop and text[pos] == " ":
            pos += 1
        else:
            break
    if not words:
        return None
    place = " ".join(words).lower()
    return _PLACE_ALIASES.get(place, place)


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[.!?;\n](?:\s|\Z)").search(text, pos)
    return m.start() if m else len(text)


def _body_at(text: str, lang: str, k0: int, k1: int, a: int, b: int) -> str | None:
    """Whose meeting the keyword at ``text[k0:k1]`` names (see ``event_bodies.csv``), or None."""
    return _body_place(text, lang, k0, k1, a, b)[0]


def _body_place(text: str, lang: str, k0: int, k1: int, a: int, b: int) -> tuple[str | None, str | None]:
    """(body, place of a local body named after the keyword, or None)."""
    rows = _bodies(lang)
    if not rows:
        return None, None
    if lang == "vi":
        best = None
        # past a comma too: "kỳ họp thứ nhất, Quốc hội khóa XVI" (only attachment words may stand between)
        stop = min(max(b, _sentence_end(text, k1)), k1 + 90)
        for order, (rx, body, *_rest) in enumerate(rows):
            # inside the keyword ("hội nghị lần thứ nhất Ban Chấp hành Trung ương"), or after it with only
            # attachment words in between; only the first match can be attached
            m = rx.search(text, k0, stop)
            if m and m.start() >= k1 and not _ATTACH_VI.fullmatch(text, k1, m.start()):
                m = None
            if m and (best is None or (m.start(), order) < best[:2]):
                best = (m.start(), order, body, m.end())
        if best:
            scope = _body_info().get(best[2], ("local",))[0]
            return best[2], (_place_after(text, best[3], min(b, best[3] + 40)) if scope == "local" else None)
        for order, (rx, body, *_rest) in enumerate(rows):
            ends = [m for m in rx.finditer(text, a, k0)]
            if ends and (best is None or (k0 - ends[-1].end(), order) < best[:2]):
                best = (k0 - ends[-1].end(), order, body)
        return (best[2] if best else None), None
    best = None
    for order, (rx, body, *_rest) in enumerate(rows):
        for m in rx.finditer(text, a, b):
            dist = k0 - m.end() if m.end() <= k0 else max(m.start() - k1, 0)
            if best is None or (dist, order) < best[:2]:
                best = (dist, order, body)
    return (best[2] if best else None), None


def _ordinal_term(text: str, lang: str, k0: int, k1: int, a: int, b: int) -> tuple[int | None, int | None]:
    """The meeting's ordinal (``lần thứ XIV``, ``Hội nghị Trung ương 15``, ``第八次``) and the term (``khóa XIII``)."""
    if lang == "vi":
        stop = min(b, k1 + 90)
        m = _ORD_VI.search(text, k0, stop)
        # "kỳ họp thứ nhất, Quốc hội khóa XVI": the term may follow the body past a comma
        tail = re.match(r",\s*(?:Quốc hội|Ban Chấp hành Trung ương(?: Đảng)?)\s+", text[stop:stop + 40])
        if tail:
            stop += tail.end() + 12
        ordinal = _ordinal_value(next((g for g in m.groups() if g), None)) if m else None
        t = _TERM_VI.search(text, k0, stop)
        if t is None:   # "Ban Chấp hành Trung ương khóa XIV tổ chức Hội nghị lần thứ nhất"
            before = list(_TERM_VI.finditer(text, a, k0))
            t = before[-1] if before else None
        return ordinal, _ordinal_value(t.group(1)) if t else None
    if lang == "zh":
        ords = list(_ORD_ZH.finditer(text, a, k1))
        terms = list(_TERM_ZH.finditer(text, a, k1))
        ordinal = _ordinal_value(next((g for g in ords[-1].groups() if g), None)) if ords else None
        return ordinal, _ordinal_value(terms[-1].group(1)) if terms else None
    if lang == "ru":
        m = _ORD_RU.search(text, a, b)
        return (_ordinal_value(next((g for g in m.groups() if g), None)) if m else None), None
    return None, None


def _phase_at(text: str, lang: str, k0: int, a: int, b: int) -> str:
    """``opening``, ``closing`` or ``preparatory`` when the clause says so (nearest cue to the keyword), else ""."""
    best = None
    for phase in ("opening", "closing", "preparatory"):
        rx = _cue(lang, phase)
        if rx is None:
            continue
        for m in rx.finditer(text, a, b):
            d = abs(m.start() - k0)
            if best is None or d < best[0]:
                best = (d, phase)
    return best[1] if best else ""


def _canonical_label(lang: str, body: str | None, kind: str, ordinal, term, phase: str) -> str | None:
    """The short name of one meeting of a national body ("Đại hội XIV của Đảng bế mạc"), when the table has one."""
    if not body or _val(ordinal) is None:
        return None
    rows, phases = _label_templates(lang)
    fields = {"ord": int_to_roman(int(ordinal)), "ord_n": str(int(ordinal)),
              "phase": phases.get(phase, "") if phase else ""}
    if _val(term) is not None:
        fields["term"] = int_to_roman(int(term))
    for b, k, template in rows:
        if b != body or k != kind:
            continue
        names = set(re.findall(r"\{(\w+)\}", template))
        if names <= set(fields):
            return " ".join(template.format(**fields).split())
    return None


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------
def _roman(n) -> str:
    n = _val(n)
    return "?" if n is None else int_to_roman(int(n))


def _ref_key(r) -> str:
    """One id per referenced document: the reference-table id, else the code, else a readable name."""
    if _val(r.get("ref_id")):
        return str(r["ref_id"])
    if _val(r.get("doc_code")):
        return str(r["doc_code"])
    kind = r.get("kind")
    if kind == "plenum":
        return f"Nghị quyết Trung ương {_val(r.get('plenum')) or '?'} (khóa {_roman(r.get('term'))})"
    if kind == "congress":
        return f"Nghị quyết Đại hội {_roman(r.get('term'))}"
    if kind == "number" and _val(r.get("number")) is not None:
        return f"{_val(r.get('doc_type')) or 'NQ'} số {int(r['number'])}"
    return str(r.get("matched") or "?")


def _stable_id(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def _is_cjk(lang) -> bool:
    return base_language(lang) in ("zh", "ja")


# --------------------------------------------------------------------------------------------------
# References across the corpus
# --------------------------------------------------------------------------------------------------
def collect_references(documents: pd.DataFrame) -> pd.DataFrame:
    """Return every Party/state document mention in the corpus, one row per mention.

    Runs :func:`corpuslib.analysis.references.extract_references` on each article with its publication date (or, for
    an undated article, its ``page_date`` as an upper bound). The mention table's ``doc_id`` (reference-table
    row) is renamed ``ref_id``; ``doc_id``, ``outlet`` and ``doc_lang`` name the citing article, and
    ``doc_ref`` is the key :func:`party_documents` groups by.
    """
    from .references import MENTION_COLUMNS, extract_references

    cols = ["doc_id", "outlet", "doc_lang", "doc_ref"] + [
        "ref_id" if c == "doc_id" else c for c in MENTION_COLUMNS]
    frames = []
    for row in documents.itertuples(index=False):
        text = getattr(row, "text", None)
        if not isinstance(text, str) or not text:
            continue
        lang = _val(getattr(row, "lang", None)) or ""
        pub = _to_date(getattr(row, "published", None)) or _to_date(getattr(row, "page_date", None))
        refs = extract_references(text, lang=lang, published=pub)
        if not len(refs):
            continue
        refs = refs.rename(columns={"doc_id": "ref_id"})
        refs.insert(0, "doc_lang", lang)
        refs.insert(0, "outlet", _val(getattr(row, "outlet", None)))
        refs.insert(0, "doc_id", row.doc_id)
        refs["doc_ref"] = [_ref_key(r) for r in refs.to_dict("records")]
        frames.append(refs)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.concat(frames, ignore_index=True)[cols]


def _refs_by_doc(references: pd.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in references.to_dict("records"):
        out.setdefault(r["doc_id"], []).append(r)
    return out


# --------------------------------------------------------------------------------------------------
# Anchors: the date day-month expressions resolve against
# --------------------------------------------------------------------------------------------------
def document_anchors(documents: pd.DataFrame, references: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return how each article's undated expressions are anchored.

    Columns: ``doc_id``, ``anchor`` (the publication date, or None), ``not_before`` (the latest issue date of
    a document the article cites: it cannot be older), ``not_after`` (``published``, else ``page_date``),
    ``anchor_method`` (``published``; ``bounds`` when only page date / cited documents bound it; ``none``)
    and ``anchor_note``.
    """
    refs = collect_references(documents) if references is None else references
    by_doc = _refs_by_doc(refs)
    rows = []
    for row in documents.itertuples(index=False):
        pub = _to_date(getattr(row, "published", None))
        page = _to_date(getattr(row, "page_date", None))
        cited = []
        for r in by_doc.get(row.doc_id, []):
            b = _partial_bounds(r.get("issued"))
            if b is not None:
                cited.append((b[0], _ref_key(r)))
        limit = pub or page
        if limit is not None:
            cited = [c for c in cited if c[0] <= limit]
        lower = max(cited) if cited else None
        if pub is not None:
            method, note = "published", f"published {pub.isoformat()}"
        elif page is not None or lower is not None:
            method = "bounds"
            parts = []
            if page is not None:
                parts.append(f"page date {page.isoformat()} is an upper bound, not the article's date")
            if lower is not None:
                parts.append(f"cites {lower[1]} issued {lower[0].isoformat()}: not before that")
            note = "; ".join(parts)
        else:
            method, note = "none", "no publication date, page date or dated citation"
        rows.append({"doc_id": row.doc_id, "anchor": pub, "not_before": lower[0] if lower else None,
                     "not_after": pub or page, "anchor_method": method, "anchor_note": note})
    return pd.DataFrame(rows, columns=["doc_id", "anchor", "not_before", "not_after", "anchor_method",
                                       "anchor_note"])


_ANNIVERSARY = re.compile(r"kỷ\s+niệm|năm\s+ngày|ngày\s+truyền\s+thống|周年|纪念|годовщин|юбиле|anniversar",
                          re.IGNORECASE)
_REVIEW = re.compile(r"tổng\s+kết|sơ\s+kết|nhìn\s+lại|kỷ\s+niệm|总结|回顾|周年|итог|обзор|годовщин|review|anniversar",
                     re.IGNORECASE)


def _resolve_undated(month: int, day: int | None, sentence: str, sentence_refs: list[dict],
                     lower: dt.date | None, upper: dt.date | None) -> tuple[int | None, str]:
    """Year for a day-month expression in an undated article, and a note saying how sure it is."""
    if upper is None:
        return None, "no publication or page date to bound the year"
    day = day or 1
    if lower is None:   # the most recent such day not after the upper bound, as for a publication date
        for y in (upper.year, upper.year - 1, upper.year - 2, upper.year - 3, upper.year - 4):
            try:
                if dt.date(y, month, day) <= upper:
                    return y, f"most recent {day}/{month} not after {upper.isoformat()}; no lower bound"
            except ValueError:
                continue
        return None, f"no year puts {day}/{month} before {upper.isoformat()}"
    years = []
    for y in range(lower.year, upper.year + 1):
        try:
            d = dt.date(y, month, day)
        except ValueError:
            continue
        if (lower is None or d >= lower) and d <= upper:
            years.append(y)
    if not years:
        return None, f"no year puts {day}/{month} between {lower} and {upper}"
    bounds = f"between {lower.isoformat()} and {upper.isoformat()}"
    if len(years) == 1:
        return years[0], f"only {years[0]} fits {bounds}"
    if _REVIEW.search(sentence):
        for r in sentence_refs:
            b = _partial_bounds(r.get("issued"))
            if b is None:
                continue
            fit = [y for y in years if (y - b[0].year) > 0 and (y - b[0].year) % 5 == 0]
            if len(fit) == 1:
                y = fit[0]
                return y, (f"year {y} of {years} ({bounds}): {y - b[0].year}-year review of "
                           f"{_ref_key(r)} issued {r['issued']}")
    return years[-1], f"most recent of {years} ({bounds}); the text does not decide"


# --------------------------------------------------------------------------------------------------
# Participants and labels
# --------------------------------------------------------------------------------------------------
_VI_SURNAMES = set(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Tô Trịnh Đinh Lâm Mai Đào Cao Hà "
    "Lương Lưu Trương Đoàn Vương Thái Tạ Phùng Chu Kiều Quách Triệu Đồng Lại Từ Hứa Tăng La Lục Nông Châu "
    "Thân Giang Khổng Mạc Doãn Hầu Khúc Lò Quàng Hoàng Âu Tôn Ninh Nghiêm Văn Y".split())
_VI_CUES = re.compile(
    r"(?:đồng\s+chí|Tổng\s+Bí\s+thư|Chủ\s+tịch\s+nước|Chủ\s+tịch|Thủ\s+tướng|Phó\s+Thủ\s+tướng|Bí\s+thư|"
    r"Bộ\s+trưởng|Trưởng\s+ban|Chủ\s+nhiệm|ông|bà)\s*:?\s+", re.IGNORECASE)
_RU_CUES = re.compile(
    r"(?:товарищ[иа]?|генеральный\s+секретарь|генсек|председатель|премьер-министр|секретарь|министр|"
    r"господин|г-н)\s+", re.IGNORECASE)
_EN_CUES = re.compile(r"(?:comrade|general\s+secretary|president|prime\s+minister|secretary|minister|mr\.?|"
                      r"ms\.?|mrs\.?)\s+", re.IGNORECASE)
_ZH_SURNAMES = set("阮陈黎范黄潘武胡吴杜裴邓丁何王杨梁刘张段林苏高郑谢周冯丘徐陶梅李朱蔡曹麦赵江宋孙马罗韦农钟姜郭许"
                   "阮陳黃鄧楊劉張鄭謝馮陶孫馬羅韋農鍾薑郭許")
_ZH_COMRADE = re.compile(r"([\u4e00-\u9fff]{2,3})同志(?!们)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _names_after(text: str, cue_rx: re.Pattern, *, surnames: set | None, max_words: int = 4) -> list[str]:
    names = []
    for m in cue_rx.finditer(text):
        pos, words = m.end(), []
        while len(words) < max_words:
            w = _WORD.match(text, pos)
            if not w or not w.group(0)[0].isupper():
                break
            words.append(w.group(0))
            pos = w.end()
            if pos < len(text) and text[pos] == " ":
                pos += 1
            else:
                break
        if len(words) >= 2 and (surnames is None or words[0] in surnames):
            names.append(" ".join(words))
    return names


def _participants(text: str, lang: str) -> list[str]:
    """Named people when easy: ``đồng chí X``, ``Tổng Bí thư X``, ``товарищ X``, ``X同志``."""
    lang = base_language(lang)
    names: list[str] = []
    if lang == "zh":
        for m in _ZH_COMRADE.finditer(text):
            cand = m.group(1)
            if len(cand) == 3 and cand[0] not in _ZH_SURNAMES and cand[1] in _ZH_SURNAMES:
                cand = cand[1:]
            if cand[0] in _ZH_SURNAMES:
                names.append(cand)
    elif lang == "ru":
        names += _names_after(text, _RU_CUES, surnames=None)
    elif lang == "en":
        names += _names_after(text, _EN_CUES, surnames=None, max_words=3)
    else:
        names += _names_after(text, _VI_CUES, surnames=_VI_SURNAMES)
    return list(dict.fromkeys(names))


_PREP_BEFORE = re.compile(r"\s(?:tại|ở|trong|на|во?|at|in|during)\s+\Z", re.IGNORECASE)
_LEAD_WORDS = re.compile(r"(?:và|để|nhằm|cùng|còn|и|а|and)\s+", re.IGNORECASE)
_CLAUSE_CUT = re.compile(r"[,;:，；：。!?！？()（）\[\]“”\"«»]|\s[-–—]\s")


def _label(text: str, s0: int, s1: int, k0: int, k1: int, masked: list[tuple[int, int]],
           dates_in: list[tuple[int, int]], lang: str) -> str:
    """A short label: the clause of the sentence that holds the keyword, without leading dates."""
    a, b = s0, s1
    for m in _CLAUSE_CUT.finditer(text, s0, s1):
        if any(s <= m.start() < e for s, e in masked):
            continue
        if m.end() <= k0:
            a = m.end()
        elif m.start() >= k1:
            b = m.start()
            break
    # drop a date at the head or the tail of the clause: "16 декабря в Ханое ..." -> "в Ханое ..."
    for ds, de in sorted(dates_in):
        if a <= ds <= a + 3 and de <= k0:
            a = de
        elif ds >= k1 and de >= b - 2:
            b = ds
    # "... Trưởng ban Tổ chức Trung ương tại Hội nghị giao ban ...": start at the event noun
    if _PREP_BEFORE.search(text, a, k0):
        a = k0
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and text[b - 1] in " .,;:-–—(（[":
        b -= 1
    lead = _LEAD_WORDS.match(text, a, b)
    if lead and lead.end() < k0:
        a = lead.end()
    limit = 40 if _is_cjk(lang) else 90
    if b - a <= limit:
        return text[a:b]
    if _is_cjk(lang):   # head-final: keep the part that ends with the keyword
        start = max(a, k1 - limit)
        return ("…" if start > a else "") + text[start:min(b, start + limit)]
    if k1 - a > limit:  # the keyword is far in: start a few words before it
        start = max(a, k0 - 25)
        sp = text.find(" ", start, k0)
        start = sp + 1 if sp >= 0 and start > a else start
        return "…" + text[start:start + limit].rstrip() + "…"
    cut = text.rfind(" ", a, a + limit)
    cut = cut if cut > k1 else a + limit
    return text[a:cut].rstrip(" ,;:") + "…"


def _doc_label(r: dict) -> str:
    code = _val(r.get("doc_code")) or _ref_key(r)
    issuer = _val(r.get("issuer"))
    return f"{code} · {issuer}" if issuer else str(code)


# --------------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------------
def extract_events(documents: pd.DataFrame, *, references: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the dated events the articles report, one row per (sentence, date, kind).

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (``doc_id``, ``lang``, ``text``, ``published``; ``outlet`` and ``page_date`` used
        when present).
    references : pandas.DataFrame, optional
        :func:`collect_references` of the same documents (computed when not given).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVENT_COLUMNS`. ``date`` is ISO at the expression's precision (``2023-12-12``,
        ``2023-05``, ``2023``); ``documents`` lists the Party documents named in the sentence (reference-table
        ids such as ``39-NQ/TW@2023``, else codes); ``confidence`` is ``high`` (year stated, or anchored on a
        publication date), ``medium`` (year from nearby text) or ``low`` (article undated; see the module
        notes); ``planned`` marks future events (``sẽ``, ``sắp diễn ra``, ``будет``).

    Notes
    -----
    Meeting-like kinds and appointments/decisions need day or month precision (or a multi-day range).
    Issuing a document may be dated to a year, but only when the sentence names the document. A date stated
    as a cited document's issue date gives a ``document`` event for that document.
    """
    from ..text.dates import extract_dates

    refs = collect_references(documents) if references is None else references
    by_doc = _refs_by_doc(refs)
    anchors = document_anchors(documents, refs).set_index("doc_id")
    rows = []
    for row in documents.itertuples(index=False):
        text = getattr(row, "text", None)
        if not isinstance(text, str) or not text:
            continue
        lang = base_language(_val(getattr(row, "lang", None)) or "vi")
        anc = anchors.loc[row.doc_id]
        if isinstance(anc, pd.DataFrame):   # duplicated doc_id: take the first
            anc = anc.iloc[0]
        dates = extract_dates(text, lang=lang, anchor=anc["anchor"])
        if not len(dates):
            continue
        doc_refs = by_doc.get(row.doc_id, [])
        masked = [(int(r["start"]), int(r["end"])) for r in doc_refs]
        kw = _keyword_hits(text, lang, masked)
        spans = sentence_spans(text, lang)
        date_spans = list(zip(dates["start"].astype(int), dates["end"].astype(int)))
        seen = set()
        for d in dates.to_dict("records"):
            ev = _event_from_date(text, lang, d, spans, date_spans, doc_refs, masked, kw, anc)
            if ev is None:
                continue
            key = (ev["start"], ev["date"], ev["kind"], tuple(ev["documents"]))
            if key in seen:
                continue
            seen.add(key)
            ev.update({"doc_id": row.doc_id, "outlet": _val(getattr(row, "outlet", None)), "lang": lang,
                       "published": _to_date(getattr(row, "published", None))})
            ev["event_id"] = _stable_id(row.doc_id, ev["start"], ev["date"], ev["kind"])
            rows.append(ev)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})
    out = pd.DataFrame(rows)[EVENT_COLUMNS]
    return out.sort_values(["date_start", "doc_id", "start"], kind="stable").reset_index(drop=True)


_ALLOWED = {"day", "month"}


def _event_from_date(text, lang, d, spans, date_spans, doc_refs, masked, kw, anc) -> dict | None:
    role = d["role"] or ""
    if role == "target":
        return None
    sent = _sentence_at(spans, int(d["start"]))
    if sent is None:
        return None
    s0, s1 = sent
    sentence = text[s0:s1]
    sref = [r for r in doc_refs if s0 <= int(r["start"]) < s1]
    value, gran = d["value"], d["granularity"]
    dstart, dend = d["date_start"], d["date_end"]
    how, note, confidence = d["resolved_by"], "", "high"
    if how in ("text", "story-year", "range-partner"):
        confidence, note = "medium", f"year from the text ({how})"
    if isinstance(value, str) and value.startswith("XXXX") and gran == "day":
        m = re.fullmatch(r"XXXX-(\d\d)-(\d\d)", value)
        if not m:
            return None
        y, note = _resolve_undated(int(m.group(1)), int(m.group(2)), sentence, sref,
                                   anc["not_before"], anc["not_after"])
        if y is None:
            return None
        try:
            dstart = dend = dt.date(y, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        value, how, confidence = dstart.isoformat(), "bounds", "low"
        note = f"{anc['anchor_note']}; {note}"
    if dstart is None or not value:
        return None
    # "kỷ niệm 96 năm Ngày thành lập Đảng (3/2/1930 - 3/2/2026)": a founding date, not this event's date
    if _ANNIVERSARY.search(sentence):
        pub = anc["anchor"] or anc["not_after"]
        head = text[s0:int(d["start"])]
        in_brackets = head.rfind("(") > head.rfind(")")
        if in_brackets or (pub is not None and (pub - dend).days > 366):
            return None
    if how in ("anchor", "anchor-future") and anc["anchor_method"] != "published":
        confidence = "low"
    planned = how == "anchor-future"
    base = {"date": value, "granularity": gran, "date_start": dstart, "date_end": dend,
            "evidence": sentence, "date_text": d["text"], "resolved_by": how, "confidence": confidence,
            "date_note": note, "planned": planned, "start": s0, "end": s1,
            "participants": [], "body": None, "ordinal": None, "term": None, "phase": "", "place": None}
    if role == "document":
        best = _issued_ref(sref, value, int(d["start"]))
        if best is not None:
            return {**base, "kind": "document", "keyword": "", "label": _doc_label(best),
                    "documents": [_ref_key(best)]}
        # dates guessed the role from a nearby code, but no mention states this date: an ordinary date,
        # unless it directly follows a mention ("Nghị quyết 18 ngày 25/10/2017" when the issue date was missed)
        if any(0 <= int(d["start"]) - int(r["end"]) <= 12 for r in sref):
            return None
    span_days = (dend - dstart).days if dstart and dend else 0
    docs = list(dict.fromkeys(_ref_key(r) for r in sref))
    if gran in _ALLOWED or (gran == "range" and span_days <= 31):
        allowed = set(KINDS)
    elif gran in ("year", "quarter") and docs:   # "在2023年...发出了第920-TB/TU号通知"
        allowed = {"document"}
    else:
        return None
    teaser = _cue(lang, "teaser")
    if teaser is not None and teaser.search(sentence):   # "Xem nhanh 12h ...", "Tin tức ... báo in": not a report
        return None
    relation = _cue(lang, "relation", anchored=True)
    # "chào mừng Đại hội", "phục vụ Đại hội XIV": the meeting is what something else greets or serves
    cands = [h for h in kw if s0 <= h[0] < s1 and h[2] in allowed]
    in_sent = [h for h in cands if not (relation is not None and relation.search(text, max(s0, h[0] - 45), h[0]))]
    # "Chương trình nghệ thuật mừng thành công Đại hội ... sẽ diễn ra": only a bare verb is left, and it is
    # the greeting's
    if not in_sent or (len(in_sent) < len(cands) and max(h[3] for h in in_sent) < 2):
        return None
    top = max(h[3] for h in in_sent)
    pos = int(d["start"])
    hit = min((h for h in in_sent if h[3] == top),
              key=lambda h: (min(abs(h[0] - pos), abs(h[1] - pos)), KINDS.index(h[2])))
    kind = hit[2]
    a, b = _clause(text, s0, s1, hit[0], hit[1], masked)
    body, place = _body_place(text, lang, hit[0], hit[1], a, b) if kind in _MEETING_LIKE else (None, None)
    ordinal, term = _ordinal_term(text, lang, hit[0], hit[1], a, b) if kind in _MEETING_LIKE else (None, None)
    if body is None and hit[3] == 1 and kind in _MEETING_LIKE:
        # "Dự kiến bế mạc vào ngày 23-1.": a bare "opens/closes" refers to the meeting of the sentences before
        body, ordinal, term, kind = _antecedent(text, lang, spans, sent, kw, masked, relation, kind)
    info = _body_info().get(body)
    if info and info[2] and kind in _GENERIC:   # "Ban Chấp hành Trung ương ... tổ chức Hội nghị lần thứ nhất"
        kind = info[2]
    phase = ""
    if kind in _MEETING_LIKE and gran == "day":   # "Chiều 23.1, tại phiên bế mạc, Đại hội XIV ...": the sentence
        phase = _phase_at(text, lang, hit[0], a, b) or _phase_at(text, lang, hit[0], s0, s1)
    pub = _to_date(anc["anchor"])
    pcue = _cue(lang, "planned")
    clause_end = next((m.start() for m in _CLAUSE_CUT.finditer(text, int(d["end"]), s1)), s1)
    cued = pcue is not None and bool(pcue.search(text, s0, clause_end))
    if pub is not None:
        # dated after the article, or announced ("dự kiến", "sẽ") before the date or in its clause and not past.
        # A day's grace: publication times are UTC, and "Sáng 19/1" in an article of 18 Jan 23:30 UTC is that morning.
        planned = dstart > pub + dt.timedelta(days=1) or (cued and dend >= pub)
    else:
        planned = planned or cued
    base["planned"] = planned
    nxt = _next_sentence(text, spans, sent, date_spans)
    people = _participants(sentence + ("\n" + nxt if nxt else ""), lang)
    dates_in = [(x, y) for x, y in date_spans if s0 <= x < s1]
    if kind == "document" and sref:   # name the document issued, as document-date events do
        label = _doc_label(min(sref, key=lambda r: abs(int(r["start"]) - hit[0])))
    else:
        label = (_canonical_label(lang, body, kind, ordinal, term, phase)
                 or _label(text, s0, s1, hit[0], hit[1], masked, dates_in, lang))
    return {**base, "kind": kind, "keyword": text[hit[0]:hit[1]], "label": label, "documents": docs,
            "participants": people, "body": body, "ordinal": ordinal, "term": term, "phase": phase,
            "place": place}


def _antecedent(text, lang, spans, sent, kw, masked, relation, kind):
    """(body, ordinal, term, kind) of the named meeting in the two sentences before ``sent``, else of none."""
    try:
        i = spans.index(sent)
    except ValueError:
        return None, None, None, kind
    for j in range(i - 1, max(i - 3, -1), -1):
        p0, p1 = spans[j]
        hits = [h for h in kw if p0 <= h[0] < p1 and h[3] == 2 and h[2] in _MEETING_LIKE
                and not (relation is not None and relation.search(text, max(p0, h[0] - 45), h[0]))]
        for h in reversed(hits):
            a, b = _clause(text, p0, p1, h[0], h[1], masked)
            body = _body_at(text, lang, h[0], h[1], a, b)
            if body is not None:
                ordinal, term = _ordinal_term(text, lang, h[0], h[1], a, b)
                return body, ordinal, term, h[2] if kind in _GENERIC else kind
    return None, None, None, kind


def _issued_ref(sref: list[dict], value: str, pos: int) -> dict | None:
    """The mention in the sentence whose stated issue date is ``value`` (closest to the date)."""
    stated = [r for r in sref if r.get("issued_method") == "text" and _val(r.get("issued")) == value]
    if not stated:
        return None
    return min(stated, key=lambda r: abs(int(r["start"]) - pos))


def _next_sentence(text, spans, sent, date_spans) -> str:
    """The sentence after ``sent`` in the same paragraph, when it has no date of its own (who attended)."""
    try:
        i = spans.index(sent)
    except ValueError:
        return ""
    if i + 1 >= len(spans):
        return ""
    a, b = spans[i + 1]
    if "\n" in text[sent[1]:a] or any(a <= s < b for s, _ in date_spans):
        return ""
    return text[a:b]


# --------------------------------------------------------------------------------------------------
# Merging reports into one timeline
# --------------------------------------------------------------------------------------------------
def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    return a in _MEETING_LIKE and b in _MEETING_LIKE and (a in _GENERIC or b in _GENERIC)


def _grams(s: str) -> set[str]:
    s = re.sub(r"\W+", " ", str(s).lower()).strip()
    return {s[i:i + 3] for i in range(max(len(s) - 2, 1))}


def _similar(a: str, b: str, threshold: float = 0.5) -> bool:
    ga, gb = _grams(a), _grams(b)
    return bool(ga and gb) and len(ga & gb) / len(ga | gb) >= threshold


# Capitalized words that are titles or organs, not names: they do not tell two events apart.
_NAME_STOP = set("""tổng bí thư chủ tịch nước thủ tướng phó đảng đại hội nghị trung ương ban chấp hành bộ chính trị
quốc ủy tỉnh thành nhà việt nam tp chính phủ cộng sản lần thứ khóa khoá kỳ nhiệm tại ngày sáng chiều tối the of
и в на""".split())


_ORG_NAMES = re.compile(r"Hồ\s+Chí\s+Minh|TNCS|Đoàn\s+Thanh\s+niên", re.IGNORECASE)
_NUMERAL = re.compile(r"\d+|[ivxlc]+")
_ROMAN_WORD = re.compile(r"(?=[IVXLC])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def _name_tokens(r: dict) -> set[str]:
    """Proper-name words, numbers and Roman numerals of a report's label and participants."""
    text = _ORG_NAMES.sub(" ", f"{r['label']} {' '.join(r['participants'])}")
    words = re.findall(r"[^\W_][\w.]*", text)
    out = set()
    for w in words:
        if not (w[0].isupper() or w[0].isdigit()) or w.lower() in _NAME_STOP:
            continue
        w = w.rstrip(".")
        # "XIV" and "14" name the same congress
        out.add(str(roman_to_int(w)) if _ROMAN_WORD.fullmatch(w) else w.lower())
    return out


def _same_wording(x: dict, y: dict) -> bool:
    """Same-language reports: similar labels whose names do not clash, or mostly the same names."""
    a, b = _name_tokens(x), _name_tokens(y)
    shared = a & b
    names_jaccard = len(shared) / len(a | b) if a | b else 0.0
    if a and a == b:
        return True
    if _similar(x["label"], y["label"]) and (not a or not b or names_jaccard >= 0.34):
        return True
    words = [w for w in shared if not _NUMERAL.fullmatch(w)]
    return len(words) >= 2 and names_jaccard >= 0.5


def _same_event(x: dict, y: dict) -> bool:
    """Whether two reports of the same date describe one event (see :func:`build_timeline`)."""
    if not _compatible(x["kind"], y["kind"]):
        return False
    dx, dy = set(x["documents"]), set(y["documents"])
    if x["kind"] == "document" or y["kind"] == "document":
        if not dx and not dy and x["kind"] == y["kind"] and x["lang"] == y["lang"]:
            return _same_wording(x, y)   # "ban bố tình trạng khẩn cấp" twice: one act, no document named
        return bool(dx & dy)
    bx, by = _val(x.get("body")), _val(y.get("body"))
    if bx and by and bx != by:   # a Youth Union congress is not a Party congress
        return False
    if bx and bx == by:
        scope, _, body_kind = _body_info().get(bx, ("local", 0.0, ""))
        ox, oy = _val(x.get("ordinal")), _val(y.get("ordinal"))
        tx, ty = _val(x.get("term")), _val(y.get("term"))
        if ox is not None and oy is not None and ox != oy:
            return False
        # one meeting of a national body a day: the Congress's closing session, a plenum, a session of the
        # Assembly (its ordinal names it; a stray "khóa XIV" of the personnel it discusses does not clash)
        if scope == "national" and ((body_kind and x["kind"] == y["kind"] == body_kind)
                                    or (ox is not None and ox == oy)):
            return True
        if tx is not None and ty is not None and tx != ty:
            return False
        # a local body's meeting: the same place ("Đại hội Đảng bộ TP.HCM" = "Đại hội đại biểu Đảng bộ TP HCM")
        px, py = _val(x.get("place")), _val(y.get("place"))
        if px and px == py and x["kind"] == y["kind"]:
            return True
    if dx & dy:
        return True
    if x["doc_id"] == y["doc_id"]:
        return True
    if dx and dy:   # both name documents, none in common: different events
        return False
    if x["kind"] == y["kind"] == "plenum":   # one Central Committee plenum a day
        return True
    if x["lang"] == y["lang"]:
        return _same_wording(x, y)
    # translations of one article: same outlet, another language, one such event each
    return bool(x["outlet"]) and x["outlet"] == y["outlet"] and x["_unique"] and y["_unique"]


def build_timeline(events: pd.DataFrame) -> pd.DataFrame:
    """Merge the reports of one event (several articles, outlets, languages) into one row, sorted by date.

    Two reports merge when they have the same ``date`` (value and precision) and compatible kinds (equal,
    or one is the generic ``meeting``/``conference``), their bodies do not clash (a Youth Union congress
    never merges with a Party congress), their ordinals and terms do not clash, and one of: both are the
    meeting of one *national* body (``event_bodies.csv``: the Party Congress, a Central Committee plenum,
    a session of the National Assembly) of that body's kind, or with the same ordinal; they name a Party
    document in common;
    they come from the same article; both are plenums (one Central Committee plenum a day); in the same
    language, their labels are similar (character 3-gram Jaccard >= 0.5) and their proper names (names,
    numbers, Roman numerals of label and participants) do not clash (Jaccard >= 0.34 when both have
    some), or they name the same proper names (Roman and Arabic numerals equated: ``XIV`` = ``14``), or
    share at least two of them and most (Jaccard >= 0.5); in different
    languages, they come from the same outlet and each is the only meeting-like (or same-kind) event of
    its article on that date (a machine translation of one story). Reports that both name documents but
    none in common stay apart, and document events merge only on a common document (or, when neither
    names one, on their wording). Merging is
    transitive, but a merged event never holds two specific kinds (a plenum and a congress stay apart
    even when a generic "meeting" report resembles both).

    Parameters
    ----------
    events : pandas.DataFrame
        The events of :func:`extract_events` (not modified).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIMELINE_COLUMNS`: ``documents`` (Party documents), ``doc_ids`` (the articles),
        ``outlets``, ``langs``, ``evidence`` (``[doc_id] sentence`` per report, the best first: a report
        naming the body and ordinal, held rather than planned, of high confidence), ``participants`` and
        ``held_as`` are lists; ``kind`` is the most specific of the merged kinds, ``body`` the most
        reported body, ``label`` the canonical name of the meeting when its body and ordinal are known
        ("Đại hội XIV của Đảng bế mạc"), else the label of a report of that kind (from a Vietnamese article
        when there is one); ``confidence`` is the best of the reports, ``n_sources`` the number of articles,
        ``n_outlets`` of outlets; ``planned`` is true when every report announces the event (not yet held).
        ``held_as`` lists, for a planned meeting, the ``event_id`` of the held rows of the same body and
        ordinal (and place, for a local body) within a week of the planned dates. ``salience`` = ``n_sources`` +
        ``n_outlets`` + the kind's weight (:data:`KIND_WEIGHTS`) + the body's weight, halved for a planned
        row whose meeting is held in another row.
    """
    if events is None or not len(events):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in TIMELINE_COLUMNS})
    recs = events.to_dict("records")
    for r in recs:
        r["documents"] = list(r.get("documents") or [])
        r["participants"] = list(r.get("participants") or [])
    # uniqueness of an article's event of a kind-group on a date (for the translation rule)
    group_of = lambda k: "meeting" if k in _MEETING_LIKE else k  # noqa: E731
    counts: dict[tuple, int] = {}
    for r in recs:
        key = (r["doc_id"], r["date"], group_of(r["kind"]))
        counts[key] = counts.get(key, 0) + 1
    for r in recs:
        r["_unique"] = counts[(r["doc_id"], r["date"], group_of(r["kind"]))] == 1
    parent = list(range(len(recs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # specific kinds of each group: a congress and a plenum never merge through a generic "meeting"
    specific = [{r["kind"]} - _GENERIC for r in recs]
    buckets: dict[tuple, list[int]] = {}
    for i, r in enumerate(recs):
        buckets.setdefault((r["date"], r["granularity"]), []).append(i)
    for idx in buckets.values():
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                ri, rj = find(idx[a]), find(idx[b])
                if ri == rj or len(specific[ri] | specific[rj]) > 1:
                    continue
                if _same_event(recs[idx[a]], recs[idx[b]]):
                    parent[rj] = ri
                    specific[ri] |= specific[rj]
    groups: dict[int, list[dict]] = {}
    for i, r in enumerate(recs):
        groups.setdefault(find(i), []).append(r)
    rows = [_merge(g) for g in groups.values()]
    _link_held(rows)
    for r in rows:
        weight = _body_info().get(r["body"], ("local", 0.0, ""))[1] if r["body"] else 0.0
        sal = r["n_sources"] + r["n_outlets"] + KIND_WEIGHTS.get(r["kind"], 0.0) + weight
        r["salience"] = round(sal / 2 if r["held_as"] else sal, 2)
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    out["ordinal"] = out["ordinal"].astype("Int64")
    out["term"] = out["term"].astype("Int64")
    out["_g"] = out["granularity"].map(_GRAN_ORDER).fillna(9)
    out["_k"] = out["kind"].map(KINDS.index)
    out = out.sort_values(["date_start", "_g", "_k", "label"], kind="stable").drop(columns=["_g", "_k"])
    return out.reset_index(drop=True)


def _most_common(values, order=None):
    vals = [v for v in values if _val(v) is not None and v != ""]
    if not vals:
        return None
    counts = pd.Series(vals, dtype=object).value_counts(sort=False)
    return max(counts.index, key=lambda v: (counts[v], order(v) if order else 0, str(v)))


def _evidence_rank(r: dict) -> tuple:
    """Best evidence first: names body and ordinal, held, high confidence, a sentence of useful length."""
    n = len(str(r["evidence"]))
    return (_val(r.get("body")) is None, _val(r.get("ordinal")) is None, bool(r["planned"]),
            -_CONFIDENCE.get(r["confidence"], 0), abs(n - 160) if n > 60 else 200, str(r["doc_id"]), r["start"])


def _merge(g: list[dict]) -> dict:
    kind = min((r["kind"] for r in g), key=KINDS.index)
    # the label of a report of that kind, in Vietnamese (the originals) when there is one, not cut at its head
    g = sorted(g, key=lambda r: (r["kind"] != kind, r["lang"] != "vi", str(r["label"]).startswith("…"),
                                 str(r["doc_id"]), r["start"]))
    first = g[0]
    uniq = lambda xs: sorted({x for x in xs if _val(x) is not None})  # noqa: E731
    best = max(g, key=lambda r: _CONFIDENCE.get(r["confidence"], 0))
    notes = list(dict.fromkeys(r["date_note"] for r in g if r["date_note"]))
    doc_ids = uniq(r["doc_id"] for r in g)
    body = _most_common(r.get("body") for r in g)
    ordinal = _most_common(r.get("ordinal") for r in g if r.get("body") == body)
    term = _most_common(r.get("term") for r in g if r.get("body") == body)
    phase = _most_common((r.get("phase") for r in g if not r["planned"]),
                         order=lambda p: ("preparatory", "opening", "closing").index(p) if p in (
                             "preparatory", "opening", "closing") else -1) or ""
    lang = "vi" if any(r["lang"] == "vi" for r in g) else first["lang"]
    label = _canonical_label(lang, body, kind, ordinal, term, phase) if kind in _MEETING_LIKE else None
    evidence = sorted(g, key=_evidence_rank)
    outlets = uniq(r["outlet"] for r in g)
    return {
        "date": first["date"], "granularity": first["granularity"], "kind": kind, "body": body,
        "label": label or first["label"],
        "documents": uniq(d for r in g for d in r["documents"]), "doc_ids": doc_ids,
        "outlets": outlets, "langs": uniq(r["lang"] for r in g),
        "evidence": list(dict.fromkeys(f"[{r['doc_id']}] {r['evidence']}" for r in evidence)),
        "confidence": best["confidence"], "n_sources": len(doc_ids), "n_outlets": len(outlets),
        "ordinal": ordinal, "term": term, "phase": phase, "held_as": [], "salience": None,
        "_place": _most_common(r.get("place") for r in g if r.get("body") == body),
        "participants": list(dict.fromkeys(p for r in g for p in r["participants"])),
        "date_start": min(r["date_start"] for r in g), "date_end": max(r["date_end"] for r in g),
        "date_note": " | ".join(notes), "planned": all(bool(r["planned"]) for r in g),
        "event_id": _stable_id(first["date"], kind, *doc_ids, first["start"]),
    }


def _link_held(rows: list[dict], days: int = 7) -> None:
    """Point each planned meeting to the held rows of the same body and ordinal (and place, for a local body)."""
    held = [r for r in rows if not r["planned"] and r["body"] and r["kind"] in _MEETING_LIKE]
    for p in rows:
        if not p["planned"] or not p["body"] or p["kind"] not in _MEETING_LIKE:
            continue
        national = _body_info().get(p["body"], ("local",))[0] == "national"
        if p["ordinal"] is None or not (national or p.get("_place")):
            continue   # a local body's meeting is known by its place ("Đại hội Đảng bộ TP.HCM lần thứ I")
        lo = _to_date(p["date_start"]) - dt.timedelta(days=days)
        hi = _to_date(p["date_end"]) + dt.timedelta(days=days)
        match = [h for h in held if h["body"] == p["body"] and h["kind"] == p["kind"] and h["ordinal"] == p["ordinal"]
                 and (p["term"] is None or h["term"] is None or h["term"] == p["term"])
                 and (national or h.get("_place") == p["_place"])
                 and lo <= _to_date(h["date_start"]) <= hi and h is not p]
        p["held_as"] = [h["event_id"] for h in sorted(match, key=lambda h: (h["date_start"], h["event_id"]))]


def top_events(timeline: pd.DataFrame, n: int) -> pd.DataFrame:
    """Return the ``n`` most salient events of a timeline, in date order (all of them when ``n`` is 0).

    Parameters
    ----------
    timeline : pandas.DataFrame
        A table of :func:`build_timeline` (not modified); without a ``salience`` column events rank by
        ``n_sources``.
    n : int
        How many events to keep; 0 keeps every event.

    Returns
    -------
    pandas.DataFrame
        The kept rows, ranked by salience (then more sources, earlier date, label) and returned sorted by
        ``date_start``, ``date``, ``kind``, ``label``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, not {n!r}")
    if n == 0 or len(timeline) <= n:
        n = len(timeline)
    score = timeline["salience"] if "salience" in timeline else timeline["n_sources"]
    ranked = timeline.assign(_s=-pd.to_numeric(score, errors="coerce").fillna(0),
                             _n=-pd.to_numeric(timeline["n_sources"], errors="coerce").fillna(0),
                             _d=timeline["date_start"].astype(str), _l=timeline["label"].astype(str))
    kept = ranked.sort_values(["_s", "_n", "_d", "_l"], kind="stable").head(n)
    kept = kept.sort_values(["_d", "_l"], kind="stable").drop(columns=["_s", "_n", "_d", "_l"])
    return kept.reset_index(drop=True)


def filter_timeline(timeline: pd.DataFrame, *, date_from=None, date_to=None, kinds=None) -> pd.DataFrame:
    """Return the rows whose dates overlap ``[date_from, date_to]`` and whose kind is in ``kinds``.

    ``date_from``/``date_to`` accept ISO strings (``"2023"``, ``"2023-05"``, ``"2023-05-11"``; a partial date
    means its whole period), a year as an int, dates, or ``""``/None for no bound. An empty ``kinds`` keeps every kind.
    """
    out = timeline
    lo = _bound(date_from, first=True)
    hi = _bound(date_to, first=False)
    if lo is not None:
        out = out[out["date_end"].map(_to_date) >= lo]
    if hi is not None:
        out = out[out["date_start"].map(_to_date) <= hi]
    if kinds:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kind(s) {sorted(unknown)}; kinds are {list(KINDS)}")
        out = out[out["kind"].isin(list(kinds))]
    return out.reset_index(drop=True)


def _bound(v, *, first: bool) -> dt.date | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, int) and not isinstance(v, bool):   # a YAML parameter "2018" arrives as an int
        v = str(v)
    if isinstance(v, str):
        b = _partial_bounds(v)
        if b is None:
            raise ValueError(f"not an ISO date: {v!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        return b[0] if first else b[1]
    d = _to_date(v)
    if d is None:
        raise ValueError(f"not a date: {v!r}")
    return d


# --------------------------------------------------------------------------------------------------
# Party documents
# --------------------------------------------------------------------------------------------------
def party_documents(documents: pd.DataFrame, *, references: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per Party/state document cited in the corpus, with the articles that cite it.

    A document is a reference-table row when the mention resolves to one (so the two meanings of
    ``39-NQ/TW`` are two rows), else its code, else a readable name of an unresolved named reference.
    ``issued`` is the date an article states next to the mention (``date_method="text"``; the most precise,
    then most often stated, value; disagreements go to ``note``), else the reference table's
    (``"reference_table"``), else empty.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (``doc_id``, ``lang``, ``text``, ``published``).
    references : pandas.DataFrame, optional
        :func:`collect_references` of the same documents (computed when not given).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PARTY_DOCUMENT_COLUMNS`, sorted by ``issued`` then ``doc_ref``; ``cited_by`` lists
        article ``doc_id`` values.
    """
    from .references import load_reference_table

    refs = collect_references(documents) if references is None else references
    if not len(refs):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PARTY_DOCUMENT_COLUMNS})
    table = load_reference_table().set_index("doc_id")
    rows = []
    for key, g in refs.groupby("doc_ref", sort=True):
        recs = g.to_dict("records")
        ref_id = next((r["ref_id"] for r in recs if _val(r["ref_id"])), None)
        trow = table.loc[ref_id] if ref_id is not None and ref_id in table.index else None
        notes = []
        stated = [str(r["issued"]) for r in recs if r.get("issued_method") == "text" and _val(r["issued"])]
        issued, method = None, ""
        if stated:
            counts = pd.Series(stated).value_counts()
            issued = max(counts.index, key=lambda v: (len(v), counts[v], v))
            method = "text"
            clash = sorted({s for s in stated if not issued.startswith(s)})
            if clash:
                notes.append(f"texts also state {', '.join(clash)}")
        else:
            tab_issued = [str(r["issued"]) for r in recs
                          if r.get("issued_method") == "reference_table" and _val(r["issued"])]
            if trow is not None and _val(trow["issued"]):
                issued, method = str(trow["issued"]), "reference_table"
            elif tab_issued:
                issued, method = tab_issued[0], "reference_table"
        issuer = _pick(recs, "issuer", "issuer_method", ("text", "reference_table", "code"))
        ambiguous = all(bool(r["ambiguous"]) for r in recs) and ref_id is None
        cands = sorted({c for r in recs for c in (r.get("candidates") or [])}) if ambiguous else []
        for r in recs:
            for n in str(r.get("note") or "").split("; "):
                if n and n not in notes:
                    notes.append(n)
        term = next((int(r["term"]) for r in recs if _val(r["term"]) is not None), None)
        plenum = next((int(r["plenum"]) for r in recs if _val(r["plenum"]) is not None), None)
        code = next((r["doc_code"] for r in recs if _val(r["doc_code"])), None)
        rows.append({
            "doc_code": code, "issuer": issuer, "issued": issued, "date_method": method,
            "cited_by": sorted(set(g["doc_id"])), "title": (trow["title_vi"] if trow is not None else None) or None,
            "term": term, "ambiguous": ambiguous, "note": "; ".join(notes), "doc_ref": key, "plenum": plenum,
            "candidates": cands, "n_mentions": len(recs),
        })
    out = pd.DataFrame(rows, columns=PARTY_DOCUMENT_COLUMNS)
    out["term"] = out["term"].astype("Int64")
    out["plenum"] = out["plenum"].astype("Int64")
    out["_issued"] = out["issued"].fillna("9999")
    return out.sort_values(["_issued", "doc_ref"], kind="stable").drop(columns="_issued").reset_index(drop=True)


def _pick(recs: list[dict], col: str, method_col: str, order: tuple[str, ...]):
    for method in order:
        vals = [r[col] for r in recs if r.get(method_col) == method and _val(r[col])]
        if vals:
            return pd.Series(vals).value_counts().index[0]
    vals = [r[col] for r in recs if _val(r[col])]
    return vals[0] if vals else None


# --------------------------------------------------------------------------------------------------
# TimelineJS3
# --------------------------------------------------------------------------------------------------
def _tl_date(d: dt.date, granularity: str) -> dict:
    out = {"year": str(d.year)}
    if granularity in ("day", "month", "quarter", "range"):
        out["month"] = str(d.month)
    if granularity in ("day", "range"):
        out["day"] = str(d.day)
    return out


def to_timelinejs(timeline: pd.DataFrame, *, title: str = "Timeline", subtitle: str = "",
                  group: str = "kind") -> dict:
    """Return the timeline as TimelineJS3 JSON (a dict for ``json.dump``).

    Every string taken from the corpus (labels, evidence, outlets, document ids, participants) is
    HTML-escaped, since TimelineJS renders ``headline`` and ``text`` as HTML. ``group`` (``kind`` or
    ``outlet``) names the TimelineJS group of each event.
    """
    e = html.escape
    events = []
    for r in timeline.to_dict("records"):
        start = _to_date(r["date_start"])
        if start is None:
            continue
        gran = r["granularity"]
        ev = {"start_date": _tl_date(start, gran)}
        end = _to_date(r.get("date_end"))
        if gran == "range" and end and end != start:
            ev["end_date"] = _tl_date(end, gran)
        if gran == "quarter":
            ev["start_date"]["display_date"] = e(str(r["date"]).replace("-Q", " Q"))
        outlets = list(r.get("outlets") or [])
        lanes = outlets if group == "outlet" else [r["kind"]]
        body = f" · {e(str(r['body']))}" if _val(r.get("body")) else ""
        planned = " · <i>planned (announced, not yet held)</i>" if str(r.get("planned")).lower() in ("true", "1") else ""
        parts = [f"<p><b>{e(str(r['kind']))}</b>{body} · {e(str(r['date']))}{planned} · confidence {e(str(r['confidence']))}"
                 f" · {int(r['n_sources'])} source(s): {e(', '.join(outlets) or 'outlet unknown')}"
                 f" ({e(', '.join(r.get('langs') or []))})</p>"]
        if r.get("documents"):
            parts.append(f"<p>Documents: {e(', '.join(r['documents']))}</p>")
        if r.get("participants"):
            parts.append(f"<p>Participants: {e(', '.join(r['participants']))}</p>")
        if _val(r.get("date_note")):
            parts.append(f"<p><i>Date: {e(str(r['date_note']))}</i></p>")
        parts.append("<ul>" + "".join(f"<li>{e(str(x))}</li>" for x in (r.get("evidence") or [])) + "</ul>")
        ev["text"] = {"headline": e(str(r["label"])), "text": "".join(parts)}
        ev["group"] = e(str(lanes[0] if lanes else "outlet unknown"))
        ev["unique_id"] = re.sub(r"[^A-Za-z0-9_-]", "-", f"ev-{r.get('event_id') or len(events)}")
        events.append(ev)
    return {"title": {"text": {"headline": e(title), "text": e(subtitle)}}, "events": events}


def write_timelinejs(timeline: pd.DataFrame, path: str | os.PathLike, **kwargs) -> Path:
    """Write :func:`to_timelinejs` as UTF-8 JSON via a temp file renamed into place; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(to_timelinejs(timeline, **kwargs), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path
