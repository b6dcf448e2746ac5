"""Benchmark notebook 02 on VNTC: NMI of the dominant topics in tables/doc_topics.csv with the gold sections.

Runs notebooks 01 and 02 through ``corpuslib run`` on
../shared/corpora/vntc/vntc_10topics_test_sample1500.jsonl (1,500 articles, 150 per section) with
the notebook's defaults (or ``--k K --method M``), then joins the dominant topic of each document
(``tables/doc_topics.csv``, rows with ``dominant`` true) to the gold ``label`` of the jsonl on
``doc_id = id`` and reports the normalized mutual information (scikit-learn). A second run into
another folder (``--force``, so nothing is reused) must give byte-identical ``doc_topics.csv`` and
``topic_terms.csv``. PASS when NMI >= 0.65 and both runs agree. The gold labels are only read here.

    .venv/bin/python benchmarks/topics_vntc_notebook.py                 # two runs, NMI, PASS/FAIL
    .venv/bin/python benchmarks/topics_vntc_notebook.py --runs 1        # one run, no reproducibility check
    .venv/bin/python benchmarks/topics_vntc_notebook.py --score DIR     # score an existing run folder only
"""
from __future__ import annotations

import argparse
import os
import filecmp
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the shared corpora: $CORPUSLIB_SHARED, else ../shared beside the project
SHARED = Path(os.environ.get("CORPUSLIB_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpora/vntc/vntc_10topics_test_sample1500.jsonl"
TARGET = 0.65
COMPARED = ("doc_topics.csv", "topic_terms.csv")


def run_notebooks(out: Path, corpus: Path, method: str, k: int, random_state: int) -> float:
    """Run notebooks 01 and 02 into ``out`` and return the wall time in seconds."""
    cmd = [sys.executable, "-m", "corpuslib", "run", "--force", "--only", "01", "02", "--out", str(out),
           "--corpus", str(corpus), "-p", "columns", "{id: id, text: text}", "-p", "random_state", str(random_state)]
    if k:  # k = 0: the notebook's defaults choose k (and the method)
        cmd += ["-p", "n_topics", str(k), "-p", "method", method]
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"corpuslib run failed ({done.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - t


def score(out: Path, corpus: Path) -> tuple[float, int, int]:
    """Return (NMI, documents scored, topics) of the dominant topics of a run folder against the gold labels."""
    import pandas as pd
    from sklearn.metrics import normalized_mutual_info_score

    dt = pd.read_csv(out / "tables" / "doc_topics.csv", dtype={"doc_id": str, "topic": str})
    gold = pd.read_json(corpus, lines=True)[["id", "label"]].astype({"id": str})
    dom = dt[dt["dominant"].astype(bool)].merge(gold, left_on="doc_id", right_on="id", how="inner")
    return normalized_mutual_info_score(dom["label"], dom["topic"]), len(dom), dom["topic"].nunique()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--method", default="kmeans", choices=["nmf", "lda", "kmeans"])
    ap.add_argument("--k", type=int, default=0, help="topics; 0 (default): the notebook's defaults, k chosen")
    ap.add_argument("--random-state", type=int, default=0)
    ap.add_argument("--runs", type=int, default=2, choices=[1, 2], help="2 also checks that a rerun is identical")
    ap.add_argument("--out", type=Path, help="folder for the run folders (default: a temporary folder)")
    ap.add_argument("--score", type=Path, metavar="DIR", help="only score an existing run folder")
    args = ap.parse_args(argv)

    if args.score:
        nmi, n, k = score(args.score, args.corpus)
        print(f"{args.score}: NMI {nmi:.4f} over {n} documents, {k} topics")
        return 0 if nmi >= TARGET else 1

    base = args.out or Path(tempfile.mkdtemp(prefix="topics_vntc_nb_"))
    outs = [base / f"run{i + 1}" for i in range(args.runs)]
    ok = True
    for out in outs:
        secs = run_notebooks(out, args.corpus, args.method, args.k, args.random_state)
        nmi, n, k = score(out, args.corpus)
        print(f"{out}: notebooks 01+02 in {secs:.0f} s; NMI {nmi:.4f} over {n} documents, {k} topics "
              f"(method {args.method}, k={args.k}, random_state {args.random_state})")
        ok = ok and nmi >= TARGET
    if len(outs) == 2:
        same = all(filecmp.cmp(outs[0] / "tables" / f, outs[1] / "tables" / f, shallow=False) for f in COMPARED)
        print(f"second run identical ({', '.join(COMPARED)}): {same}")
        ok = ok and same
    print(f"notebook 02 on VNTC: NMI >= {TARGET}{' and reproducible' if len(outs) == 2 else ''}: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
