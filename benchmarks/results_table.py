"""Render the JSON lines of ``scale_figures.py --jsonl FILE`` as the markdown tables of RESULTS.md.

Usage: .venv/bin/python benchmarks/results_table.py FILE
"""
from __future__ import annotations

import json
import sys

# figure -> columns shown (in order); the rest of a record is left out
COLUMNS = {
    "ingest": ["corpus", "n_jobs", "docs", "MB", "s", "docs_per_s", "MB_per_s", "main_cpu_s", "load", "others"],
    "speedup": ["corpus", "workers", "speedup", "target"],
    "tokenizers": ["corpus", "baseline", "langs", "text_MB", "bare_s", "bare_MB_per_s", "memoized_bare_MB_per_s", "corpuslib_tokenize_s",
                   "tokenize_overhead", "ingest_s", "ingest_plus_tokenize_overhead", "target", "others"],
    "cache": ["stage", "n_jobs", "run", "docs", "MB", "s", "warm_speedup", "target", "others"],
    "memory": ["articles", "MB", "docs", "s", "docs_per_s", "MB_per_s", "peak_rss_tree_MB", "peak_pss_tree_MB",
               "target", "others"],
    "dask": ["engine", "docs", "tokens", "s", "byte_identical", "target", "others"],
    "topics": ["mode", "docs", "tokens", "fit_s", "peak_rss_MB", "others"],
}


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def main(path: str) -> None:
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    for figure, cols in COLUMNS.items():
        rows = [r for r in records if r["figure"] == figure]
        if not rows:
            continue
        cols = [c for c in cols if any(c in r for r in rows)]
        print(f"\n**{figure}**\n")
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in rows:
            print("| " + " | ".join(_fmt(r.get(c)) for c in cols) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
