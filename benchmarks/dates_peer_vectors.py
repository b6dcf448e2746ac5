"""Run dateparser's own vi/zh/ru test vectors through corpuslib.text.dates and report the pass rate.

Usage::

    .venv/bin/python benchmarks/dates_peer_vectors.py [--shared ../shared] [--failures]

Vectors: ``../shared/testdata/dateparser/`` (see its SOURCES.md), extracted from
scrapinghub/dateparser's tests.

* ``dateparser_parse_cases.tsv`` — one value per row, with the test's reference "now".
  Run through :func:`parse_date_value` (``anchor`` = reference now); when that returns None
  (bare years: ``2000 год``) through :func:`extract_dates`, which must return one expression
  covering the whole input.  A row passes when the value equals the expected datetime to the
  minute, or at the granularity the test asserts (``period`` year/month: dateparser fills the
  missing day from "now", which we do not).
  Relative expressions ("2 дня назад", "вчера", "sau 5 năm nữa") are HANDLED (anchor =
  reference now, via dateparser).  Bare durations that dateparser reads as "ago" ("1 год 2
  месяца", "2 giờ", "991 год", "2000 лет") are COUNTED AS FAILED: in running text they are
  lengths of time, not dates, and we return None on purpose.
* ``dateparser_search_cases.tsv`` — a text and one expected match.  Run through
  :func:`extract_dates` (anchor = the test's relative base; 31 December of the current year for
  "(now)" rows, where dateparser assumes the current year; else none).
  Passes when an expression overlapping the expected match has ``date_start`` equal to the
  expected date; "whole string is found" rows pass when one expression covers the string.
* ``dateparser_translation_cases.tsv`` — dateparser's translation of a value into English.
  We check meaning, not the English: the row passes when ``parse_date_value(input,
  anchor=A)`` equals dateparser's parse of the expected English with the same anchor
  (A = 2014-09-01 10:30), to the minute.  Rows whose English dateparser itself cannot parse
  are left out (reported as n/a).
* ``dateparser_language_detection_cases.tsv`` is not a date-parsing file and is skipped.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpuslib.text.dates import extract_dates, parse_date_value  # noqa: E402

TRANSLATION_ANCHOR = dt.datetime(2014, 9, 1, 10, 30)


def _lang_group(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _same(got: dt.datetime, want: dt.datetime, period: str) -> bool:
    if period == "year":
        return got.year == want.year
    if period == "month":
        return (got.year, got.month) == (want.year, want.month)
    return got.replace(second=0, microsecond=0) == want.replace(second=0, microsecond=0)


def _whole(text: str, lang: str, anchor) -> "object | None":
    """The one expression extract_dates finds covering all of ``text``, or None."""
    df = extract_dates(text, lang=_lang_group(lang), anchor=anchor)
    stripped = text.strip(" .")
    for row in df.itertuples():
        if row.text.strip(" .") == stripped and row.date_start is not None:
            return row
    return None


def evaluate_parse(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        anchor = dt.datetime.fromisoformat(r["reference_now"]) if r["reference_now"] else None
        want = dt.datetime.fromisoformat(r["expected"])
        period = r["period"] or ""
        relative = "ago=" in r["settings"] or "in_future=" in r["settings"]
        p = parse_date_value(r["input"], anchor=anchor, lang=_lang_group(r["language"]))
        got, how = None, ""
        if p is not None:
            got, how = p.value, f"parse_date_value:{p.method}"
        else:
            row = _whole(r["input"], r["language"], anchor)
            if row is not None:
                got, how = dt.datetime.combine(row.date_start, dt.time()), f"extract_dates:{row.granularity}"
                period = period or row.granularity
        ok = got is not None and _same(got, want, period if how.startswith("extract") or period in ("year", "month") else "")
        out.append({"file": "parse", "language": r["language"], "input": r["input"], "expected": r["expected"],
                    "got": got.isoformat() if got else "", "how": how, "relative": relative, "passed": ok})
    return out


def evaluate_search(rows: list[dict]) -> list[dict]:
    out = []
    today = dt.date.today()
    for r in rows:
        text, match, exp = r["text"], r["matched_text"], r["expected"]
        base = r["relative_base"]
        anchor = None
        if base == "(now)":
            # dateparser puts these in the current year; 31 December of it keeps the run deterministic
            anchor = dt.date(today.year, 12, 31)
        elif base:
            anchor = dt.datetime.fromisoformat(base)
        df = extract_dates(text, lang=_lang_group(r["language"]), anchor=anchor)
        got, ok = "", False
        if exp.startswith("(whole string"):
            for row in df.itertuples():
                if row.start <= len(text) - len(text.lstrip()) and row.end >= len(text.rstrip()):
                    got, ok = row.text, True
                    break
            if not ok and len(df):
                got = "; ".join(df["text"])
        else:
            want = dt.date.fromisoformat(exp.replace("CURRENT_YEAR", str(today.year))[:10])
            pos = text.find(match)
            span = (pos, pos + len(match))
            for row in df.itertuples():
                if row.start < span[1] and row.end > span[0]:
                    got = f"{row.text} -> {row.value}"
                    if row.date_start == want:
                        ok = True
                        break
        out.append({"file": "search", "language": r["language"], "input": match if not exp.startswith("(") else text,
                    "expected": exp[:25], "got": got, "how": "extract_dates", "relative": False, "passed": ok})
    return out


def evaluate_translation(rows: list[dict]) -> list[dict]:
    import dateparser
    out = []
    # DMY: the English keeps the source's numeric order ("07/01/2015" in a vi dateline is 7 Jan)
    settings = {"RELATIVE_BASE": TRANSLATION_ANCHOR, "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY"}
    for r in rows:
        oracle = dateparser.parse(r["expected_translation"], languages=["en"], settings=settings)
        if oracle is None:
            out.append({"file": "translation", "language": r["language"], "input": r["input"],
                        "expected": r["expected_translation"], "got": "", "how": "n/a (oracle None)",
                        "relative": True, "passed": None})
            continue
        p = parse_date_value(r["input"], anchor=TRANSLATION_ANCHOR, lang=_lang_group(r["language"]))
        got = p.value if p else None
        ok = got is not None and _same(got, oracle, "")
        out.append({"file": "translation", "language": r["language"], "input": r["input"],
                    "expected": f"{r['expected_translation']} = {oracle.isoformat()}",
                    "got": got.isoformat() if got else "", "how": p.method if p else "",
                    "relative": not re.search(r"\d{4}", r["expected_translation"]), "passed": ok})
    return out


def evaluate(shared: Path):
    """All peer-vector rows with a ``passed`` column (None = not applicable)."""
    import pandas as pd
    base = Path(shared) / "testdata" / "dateparser"
    rows = (evaluate_parse(_read(base / "dateparser_parse_cases.tsv"))
            + evaluate_search(_read(base / "dateparser_search_cases.tsv"))
            + evaluate_translation(_read(base / "dateparser_translation_cases.tsv")))
    df = pd.DataFrame(rows)
    df["lang"] = df["language"].map(_lang_group)
    return df


def summarize(df):
    """Pass rate per file and language group (n/a rows excluded)."""
    scored = df[df["passed"].notna()].copy()
    scored["passed"] = scored["passed"].astype(bool)
    table = (scored.groupby(["file", "lang"])["passed"].agg(["sum", "count"])
             .rename(columns={"sum": "passed", "count": "cases"}))
    table["rate"] = (table["passed"] / table["cases"]).round(3)
    return table


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--failures", action="store_true", help="list every failed case")
    args = ap.parse_args(argv)
    df = evaluate(Path(args.shared))
    table = summarize(df)
    print(table.to_string())
    scored = df[df["passed"].notna()]
    print(f"\nall: {int(scored['passed'].sum())}/{len(scored)} = {scored['passed'].mean():.3f}"
          f"   (n/a: {int(df['passed'].isna().sum())})")
    by_lang = scored.groupby("lang")["passed"].agg(["sum", "count"])
    for lang, r in by_lang.iterrows():
        print(f"  {lang}: {int(r['sum'])}/{int(r['count'])} = {r['sum'] / r['count']:.3f}")
    rel = scored[(scored["file"] == "parse") & scored["relative"]]
    print(f"parse cases that are relative/duration expressions: {int(rel['passed'].sum())}/{len(rel)} passed")
    if args.failures:
        print("\nfailures:")
        for r in scored[~scored["passed"].astype(bool)].itertuples():
            print(f"  [{r.file}/{r.language}] {r.input!r}: expected {r.expected}, got {r.got or 'None'} {r.how}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
