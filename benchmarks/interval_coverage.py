"""Coverage of share intervals when documents' rates differ (issue 16): cluster, bootstrap, binomial.

Each repetition draws ``n`` documents with Poisson(15)+1 sentences and a per-document rate from
Beta(mean * c, (1 - mean) * c); the true share is ``mean``. Prints one line per setting with the
share of repetitions whose 95 % interval covers it, for corpuslib's cluster-robust interval, its
document-level bootstrap, and a Wilson interval on sentences (what treating sentences as
independent gives). Quality figures only: no timing depends on the machine's load.

    .venv/bin/python benchmarks/interval_coverage.py [--reps 1000] [--boot-reps 200]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
from scipy import stats

from corpuslib.analysis.intervals import share_intervals

GRID_N = (5, 10, 20, 40, 100, 300)
GRID_MEAN = (0.005, 0.02, 0.05, 0.15, 0.4)
GRID_C = (0.5, 2.0, 5.0, 20.0)


def simulate(rng, reps, n, mean, c):
    frames = []
    for r in range(reps):
        x = rng.poisson(15, n) + 1
        y = rng.binomial(x, rng.beta(mean * c, (1 - mean) * c, n))
        frames.append(pd.DataFrame({"rep": r, "y": y, "x": x}))
    return pd.concat(frames, ignore_index=True)


def covered(out, mean):
    return float(((out["low"] <= mean) & (mean <= out["high"])).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=1000)
    ap.add_argument("--boot-reps", type=int, default=200, help="repetitions for the (slower) bootstrap")
    ap.add_argument("--jsonl", help="append one JSON record per setting")
    args = ap.parse_args()
    rng = np.random.default_rng(20261203)
    rows = []
    t0 = time.perf_counter()
    for n in GRID_N:
        for mean in GRID_MEAN:
            for c in GRID_C:
                table = simulate(rng, args.reps, n, mean, c)
                kw = dict(by=["rep"], numerator="y", denominator="x")
                cl = covered(share_intervals(table, **kw), mean)
                small = table[table["rep"] < args.boot_reps]
                bs = covered(share_intervals(small, method="bootstrap", n_boot=1000, random_state=0, **kw), mean)
                sums = table.groupby("rep")[["y", "x"]].sum().to_numpy()
                wil = np.mean([lo <= mean <= hi for lo, hi in
                               (stats.binomtest(int(k), int(N)).proportion_ci(method="wilson") for k, N in sums)])
                rows.append(dict(n=n, mean=mean, concentration=c, cluster=cl, bootstrap=bs, binomial=float(wil)))
                print(f"n={n:>3} mean={mean:<5} c={c:<4}  cluster {cl:.3f}  bootstrap {bs:.3f}  binomial {wil:.3f}",
                      flush=True)
    df = pd.DataFrame(rows)
    print(f"\nover {len(df)} settings ({args.reps} repetitions each, bootstrap {args.boot_reps}):")
    for m in ("cluster", "bootstrap", "binomial"):
        inside = df[m].between(0.90, 0.99).mean()
        print(f"  {m:<9} mean coverage {df[m].mean():.3f}, min {df[m].min():.3f}, settings within 90-99 %: {inside:.0%}")
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.jsonl:
        with open(args.jsonl, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"figure": "interval_coverage", **r}) + "\n")


if __name__ == "__main__":
    main()
