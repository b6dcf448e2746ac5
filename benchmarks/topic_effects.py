"""Cost and coverage of the topic-prevalence intervals and of ``topic_effects`` (issue 16, points 1 and 4).

``cost``: on a documents table (default: the RSS year), fits the topic model of notebook 02 (NMF,
``--k`` topics), then reports the CPU time (``time.process_time``, so it holds on a loaded machine)
of both prevalence tables with intervals, of ``topic_effects`` with refits and of the regression
alone (no refit). ``coverage``: simulated corpora with a known outlet effect and a seasonal wave
(``tests/analysis/test_prevalence.py``'s design) give the share of repetitions whose interval of
the outlet differences covers the truth.

    .venv/bin/python benchmarks/topic_effects.py cost --documents outputs/data/documents.parquet
    .venv/bin/python benchmarks/topic_effects.py coverage --reps 200
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd


def cost(args) -> dict:
    import corpuslib as cl
    from corpuslib.analysis import compare, topics

    docs = cl.read_documents(args.documents)
    tokens = cl.tokenize(compare.title_and_text(docs))
    t = time.process_time()
    model = topics.TopicModel(n_topics=args.k, random_state=0).fit(tokens, docs)
    fit = time.process_time() - t
    dt = topics.mark_dominant(model.doc_topics())
    t = time.process_time()
    cl.topic_prevalence(dt, docs, "outlet")
    cl.topic_prevalence(dt, docs, "published", period="M")
    prevalence = time.process_time() - t
    t = time.process_time()
    eff = cl.topic_effects(model, docs, tokens, n_refits=1, n_resamples=args.n_resamples)
    regression = time.process_time() - t
    t = time.process_time()
    cl.topic_effects(model, docs, tokens, n_refits=args.n_refits, n_resamples=args.n_resamples)
    with_refits = time.process_time() - t
    return {"figure": "cost", "documents": len(docs), "k": args.k, "cpu_fit_s": round(fit, 2),
            "cpu_prevalence_both_tables_s": round(prevalence, 2), "cpu_effects_no_refit_s": round(regression, 2),
            f"cpu_effects_{args.n_refits}_fits_s": round(with_refits, 2), "rows": len(eff),
            "n_resamples": args.n_resamples}


def coverage(args) -> dict:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.analysis.test_prevalence import _Fit, _simulated

    from corpuslib.analysis.prevalence import topic_effects

    hits, widths = [], []
    for seed in range(args.reps):
        docs, W, ids, comps = _simulated(seed=1000 + seed)
        eff = topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=args.n_resamples, reference="A",
                            random_state=seed)
        d = eff[(eff["topic"] == "t00") & (eff["covariate"] == "outlet_difference")].set_index("level")
        for lv, truth in {"B": 0.12, "C": -0.06}.items():
            hits.append(d.loc[lv, "low"] <= truth <= d.loc[lv, "high"])
            widths.append(d.loc[lv, "high"] - d.loc[lv, "low"])
    return {"figure": "coverage", "reps": args.reps, "n_resamples": args.n_resamples,
            "coverage_outlet_difference": round(float(np.mean(hits)), 3), "mean_width": round(float(np.mean(widths)), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("figure", choices=("cost", "coverage"))
    ap.add_argument("--documents", default="outputs/data/documents.parquet")
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--n-refits", type=int, default=3)
    ap.add_argument("--n-resamples", type=int, default=200)
    ap.add_argument("--reps", type=int, default=200)
    args = ap.parse_args()
    print(json.dumps(cost(args) if args.figure == "cost" else coverage(args)))


if __name__ == "__main__":
    main()
