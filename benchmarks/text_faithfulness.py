"""How faithful cleaning is to the words of the real corpora (issue 14 points 1 and 2).

``python benchmarks/text_faithfulness.py [--old-normalize FILE] [--corpora DIR]``

For every article of the shared corpora (crawl, VNTC party subset, VNTC sample, RSS year) it prints:

* ``tone``: articles whose tone normalisation changes a word otherwise than by moving the tone mark
  within an open oa/oe/uy syllable (``bad``), and among the articles containing "hoặc" those where
  "hoặc" does not survive (``hoac``);
* ``entities``: titles, bodies and outlets of the documents table still holding an HTML entity
  (``&amp;``, ``&gt;``, ``&#39;`` ...) after ingest.

``--old-normalize`` points to another ``normalize.py`` (e.g. ``git show main:corpuslib/text/normalize.py``)
to count the same for it. Counts, not timings: the machine may be loaded.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpuslib.documents import readers  # noqa: E402

CORPORA = {
    "crawl": "crawl_news_vi/rss_feed_articles_backup.csv",
    "vntc": "vntc/vntc_chinhtrixahoi_party_keyword_subset.jsonl",
    "vntc1500": "vntc/vntc_10topics_test_sample1500.jsonl",
    "rss": "rss_political_vi/rss_political_keyword_subset.jsonl",
}
_WORD = re.compile(r"[^\W\d_]+")
_TONES = set("\u0300\u0301\u0303\u0309\u0323")
_OPEN = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|[bcdđghklmnprstvx])?(?:o[ae]|uy)")
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def tone_move_only(before: str, after: str) -> bool:
    """True when ``after`` equals ``before`` or differs only by where one tone mark sits in an open oa/oe/uy syllable."""
    if before == after:
        return True
    a, b = unicodedata.normalize("NFD", before), unicodedata.normalize("NFD", after)
    base_a = "".join(c for c in a if c not in _TONES)
    base_b = "".join(c for c in b if c not in _TONES)
    tones_a = [c for c in a if c in _TONES]
    tones_b = [c for c in b if c in _TONES]
    return (base_a == base_b and tones_a == tones_b and len(tones_a) == 1
            and _OPEN.fullmatch(base_a.lower()) is not None)


def bad_words(before: str, after: str) -> list[tuple[str, str]]:
    """The word pairs of a text changed otherwise than by a tone move (texts split on non-letters)."""
    wa, wb = _WORD.findall(unicodedata.normalize("NFC", before)), _WORD.findall(after)
    if len(wa) != len(wb):
        return [(before[:60], after[:60])]
    return [(x, y) for x, y in zip(wa, wb) if not tone_move_only(x, y)]


def records(path: Path):
    for item in readers.read_records(path.parent, path):
        if isinstance(item, readers.RawRecord):
            yield item


def tone_counts(fn, path: Path) -> dict:
    n = bad = hoac = hoac_bad = 0
    examples: list = []
    for rec in records(path):
        n += 1
        text = unicodedata.normalize("NFC", (rec.title or "") + "\n" + rec.text)
        out = fn(text, "new")
        words = bad_words(text, out)
        bad += bool(words)
        if "hoặc" in text:
            hoac += 1
            hoac_bad += out.count("hoặc") != text.count("hoặc")
        if words and len(examples) < 5:
            examples.append(words[0])
    return {"articles": n, "bad": bad, "with_hoac": hoac, "hoac_changed": hoac_bad, "examples": examples}


def entity_counts(path: Path) -> dict:
    from corpuslib.documents.table import ingest

    docs = ingest(path, cache=False, n_jobs=1).documents
    out = {"documents": len(docs)}
    for col in ("title", "text", "outlet"):
        out[col] = int(docs[col].fillna("").map(lambda v: bool(_ENTITY.search(v))).sum())
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", default=os.path.join(os.environ.get("CORPUSLIB_SHARED", "/work/shared"), "corpora"))
    ap.add_argument("--old-normalize", help="another normalize.py to count the tone changes of")
    ap.add_argument("--only", choices=("tone", "entities"), help="one of the two measures")
    args = ap.parse_args(argv)
    from corpuslib.text.normalize import normalize_tone_marks

    fns = {"this": normalize_tone_marks}
    if args.old_normalize:
        spec = importlib.util.spec_from_file_location("corpuslib.text._old_normalize", args.old_normalize)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        fns["old"] = mod.normalize_tone_marks
    for name, rel in CORPORA.items():
        path = Path(args.corpora) / rel
        if not path.exists():
            print(f"{name}: missing {path}")
            continue
        if args.only in (None, "tone"):
            for label, fn in fns.items():
                print(f"tone {name} {label}: {tone_counts(fn, path)}", flush=True)
        if args.only in (None, "entities"):
            print(f"entities {name}: {entity_counts(path)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
