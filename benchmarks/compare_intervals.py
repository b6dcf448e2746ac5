"""CPU cost of the intervals, differences and tests of notebook 03 on the RSS year (issue 16).

Times, in CPU seconds of this process (``time.process_time``: not the wall clock, which a loaded
machine inflates), what notebook 03 adds for its intervals on the shared RSS corpus (2,824 items,
42 concepts, 3 outlets, monthly): ``concept_counts`` by outlet and ``concept_rates_over_time`` by
outlet and month without intervals, with the analytic cluster interval (the default) and with the
document bootstrap (one multinomial weight matrix per outlet-month applied to all 42 concepts at once:
no Python loop over resamples x concepts), plus ``concept_differences`` and the keyness tests. The
concept matches are found once beforehand, as the notebook does. Prints one JSON line per figure.

    .venv/bin/python benchmarks/compare_intervals.py [--repeat 3] [--n-boot 1000]
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

SHARED = Path(os.environ.get("CORPUSLIB_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
RSS = SHARED / "corpora/rss_political_vi/rss_political_keyword_subset.jsonl"


def cpu(fn, repeat: int) -> float:
    """Best CPU time of ``repeat`` calls (the best is the least disturbed by the machine's load)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--n-boot", type=int, default=1000)
    args = ap.parse_args()

    import corpuslib as cl
    from corpuslib.analysis import compare
    from corpuslib.text.lexicon import find_concepts

    docs = cl.read_corpus(RSS)
    lex = compare.select_lexicon("")
    hits = find_concepts(docs, lex)
    tokens = cl.tokenize(compare.title_and_text(docs))
    counts = compare.concept_counts(docs, lex, by="outlet", hits=hits)
    runs = {
        "concept_counts, no interval": lambda: compare.concept_counts(docs, lex, by="outlet", hits=hits, interval=None),
        "concept_counts, cluster": lambda: compare.concept_counts(docs, lex, by="outlet", hits=hits),
        "concept_counts, bootstrap": lambda: compare.concept_counts(docs, lex, by="outlet", hits=hits,
                                                                    interval="bootstrap", n_boot=args.n_boot),
        "rates monthly, no interval": lambda: compare.concept_rates_over_time(docs, lex, hits=hits, interval=None),
        "rates monthly, cluster": lambda: compare.concept_rates_over_time(docs, lex, hits=hits),
        "rates monthly, bootstrap": lambda: compare.concept_rates_over_time(docs, lex, hits=hits,
                                                                           interval="bootstrap", n_boot=args.n_boot),
        "concept_differences": lambda: compare.concept_differences(docs, lex, by="outlet", hits=hits),
        "keyness concepts": lambda: compare.keyness(counts, "outlet"),
        "keyness terms (DTM)": lambda: compare.keyness(tokens, "outlet", documents=docs),
    }
    base = {}
    for name, fn in runs.items():
        seconds = cpu(fn, args.repeat)
        kind = name.split(",")[0]
        base.setdefault(kind, seconds)
        print(json.dumps({"figure": name, "cpu_s": round(seconds, 3), "added_cpu_s": round(seconds - base[kind], 3),
                          "documents": len(docs), "concepts": len(lex.concepts), "n_boot": args.n_boot,
                          "repeat": args.repeat}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
