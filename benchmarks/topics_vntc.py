"""Benchmark corpuslib.analysis.topics on VNTC: dominant topics at k=10 against the 10 gold sections.

Reads ../shared/corpora/vntc/vntc_10topics_test_sample1500.jsonl (150 articles per section),
tokenizes with corpuslib.text.tokens, fits TopicModel(n_topics=10) for each method, and reports the
normalized mutual information (scikit-learn) of the dominant topics with the gold labels, the fit
time, whether a second fit with the same random_state gives identical tables, and the spread over
other random states. The gold labels are only read here, never by the library.

    .venv/bin/python benchmarks/topics_vntc.py                       # all methods, random_state 0
    .venv/bin/python benchmarks/topics_vntc.py --methods kmeans --states 0 1 2 3 4
    .venv/bin/python benchmarks/topics_vntc.py --check kmeans        # exit 1 if NMI < 0.65 or not reproducible
    .venv/bin/python benchmarks/topics_vntc.py --auto --methods kmeans  # the defaults: k chosen, NMI, CPU time
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the shared corpora: $CORPUSLIB_SHARED, else ../shared beside the project
SHARED = Path(os.environ.get("CORPUSLIB_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score  # noqa: E402

from corpuslib.analysis import topics as T  # noqa: E402
from corpuslib.text.tokens import tokenize  # noqa: E402

TARGET = 0.65


def _cpu(fn):
    """Return (result, CPU seconds of this process): the machine is shared, wall time says little."""
    t = time.process_time()
    out = fn()
    return out, time.process_time() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(SHARED / "corpora/vntc/vntc_10topics_test_sample1500.jsonl"))
    ap.add_argument("--methods", nargs="+", default=list(T.METHODS), choices=T.METHODS)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--random-state", type=int, default=0)
    ap.add_argument("--states", type=int, nargs="*", default=[1, 2], help="other random states for the spread")
    ap.add_argument("--auto", action="store_true", help="also choose k with the defaults (resolve_n_topics) and score it")
    ap.add_argument("--check", choices=T.METHODS, help="exit 1 unless this method reaches the target and is reproducible")
    args = ap.parse_args(argv)

    raw = pd.read_json(args.corpus, lines=True)
    docs = pd.DataFrame({"doc_id": raw["id"], "text": raw["text"], "lang": "vi", "outlet": raw["outlet"]})
    gold = dict(zip(raw["id"], raw["label"]))
    t = time.perf_counter()
    tokens = tokenize(docs)
    print(f"corpus: {len(docs)} documents, {raw['label'].nunique()} sections, {len(tokens):,} tokens "
          f"(tokenized in {time.perf_counter() - t:.1f} s, cached afterwards); times are CPU seconds of this process")

    def nmi(model) -> float:
        dom = model.dominant_topics()
        return normalized_mutual_info_score([gold[d] for d in dom["doc_id"]], dom["topic"].astype(str))

    def coherence(model) -> float:
        return float(model.coherence()["coherence"].mean())

    if args.auto:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", T.TopicModelWarning)
            (k, scores), sel = _cpu(lambda: T.resolve_n_topics(tokens, docs))
            model, fit = _cpu(lambda: T.TopicModel(n_topics=k).fit(tokens, docs))
        print(T.k_selection_table(scores, chosen=k).drop(columns="reason").round(3).to_string(index=False))
        print(f"defaults: k={k} chosen in {sel:.1f} s + fit {fit:.1f} s = {sel + fit:.1f} s CPU; "
              f"NMI {nmi(model):.3f}, coherence (NPMI) {coherence(model):.3f}")
        from sklearn.decomposition import NMF

        from corpuslib.analysis.dtm import count_matrix
        from corpuslib.analysis.topic_backends.base import weigh

        X, _ = weigh(count_matrix(tokens, min_df=2, max_df=0.5).matrix, "tfidf")
        ids = sorted(docs["doc_id"].astype(str))
        W, peer = _cpu(lambda: NMF(n_components=args.k, init="nndsvd", max_iter=400, random_state=0).fit_transform(X))
        score = normalized_mutual_info_score([gold[d] for d in ids], W.argmax(axis=1))
        print(f"peer: sklearn NMF(k={args.k}) on the same tf-idf: NMI {score:.3f} in {peer:.1f} s CPU")

    ok = True
    print(f"{'method':8s} {'NMI':>6s} {'NPMI':>6s} {'fit s':>6s} {'same again':>10s}  NMI at other random states")
    for method in args.methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", T.TopicModelWarning)
            a, fit_s = _cpu(lambda: T.TopicModel(n_topics=args.k, method=method,
                                                 random_state=args.random_state).fit(tokens, docs))
            b = T.TopicModel(n_topics=args.k, method=method, random_state=args.random_state).fit(tokens, docs)
            same = a.doc_topics().equals(b.doc_topics()) and a.topic_terms().equals(b.topic_terms())
            others = [nmi(T.TopicModel(n_topics=args.k, method=method, random_state=s).fit(tokens, docs))
                      for s in args.states]
        score = nmi(a)
        spread = " ".join(f"{x:.3f}" for x in others)
        print(f"{method:8s} {score:6.3f} {coherence(a):6.3f} {fit_s:6.1f} {str(same):>10s}  {spread}")
        if method == args.check:
            ok = score >= TARGET and same
            for tid, label in zip(a.topic_ids_, a.labels_):
                print(f"    {tid}  {label}")
    if args.check:
        print(f"check {args.check}: NMI >= {TARGET} and reproducible: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
