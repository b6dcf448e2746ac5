"""Paired runs of `corpuslib build` / `corpuslib ingest` with -j 1 and -j 2 on the real corpora (issue 19.1/19.6).

Usage (one command; prints the RESULTS.md rows at the end):
    .venv/bin/python benchmarks/paired_runs.py [--corpora vntc1500,rss,crawl] [--stages build,ingest]
        [--pairs 3] [--jsonl FILE] [--remainder]

Each run is the command line in a fresh process, caches off (``--no-cache`` and an empty
``CORPUSLIB_CACHE``), its output in a new folder. A pair is one ``-j 1`` and one ``-j 2`` run back to
back, in alternating order (1,2 then 2,1, ...), so slow drift of the machine's load hits both
sides alike; the speed-up is the median over pairs of (time -j 1) / (time -j 2).

Measured per run: wall seconds; CPU seconds of the command's own process (``parent_cpu_s``: the
serial remainder, what the parent still does while workers run) and of its workers; and
``others``, the share of the machine's CPU capacity (wall x CPUs) that other processes used
meanwhile (from /proc/stat, minus this run's own CPU). On a machine shared with other jobs the
timings are "measured under load": ``others`` says how much.

``--remainder`` profiles the parent of one ``-j 2`` build per corpus (cProfile, parent only) and
prints where its CPU time goes, by module: that names the serial remainder.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CORPUSLIB_SHARED", "/work/shared" if Path("/work/shared").is_dir() else ROOT.parent / "shared")) / "corpora"
CORPORA = {
    "vntc1500": (SHARED / "vntc" / "vntc_10topics_test_sample1500.jsonl", ["--column", "id=id", "--column", "text=text"]),
    "rss": (SHARED / "rss_political_vi" / "rss_political_keyword_subset.jsonl", []),
    "crawl": (SHARED / "crawl_news_vi" / "rss_feed_articles_backup.csv", []),
}

# Runs corpuslib's command line, then prints this process's and its children's CPU seconds.
_WRAPPER = r"""
import json, resource, sys
from corpuslib.run.cli import main
rc = 1
try:
    rc = main(sys.argv[1:])
finally:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print("CPU " + json.dumps({"parent_cpu_s": s.ru_utime + s.ru_stime, "workers_cpu_s": c.ru_utime + c.ru_stime,
                               "parent_maxrss_MB": s.ru_maxrss / 1024, "rc": rc}), file=sys.stderr, flush=True)
sys.exit(rc)
"""

# The same, with the parent under cProfile: prints its CPU time by module.
_PROFILER = r"""
import cProfile, collections, pstats, sys, time
from corpuslib.run.cli import main
prof = cProfile.Profile(time.process_time)
prof.enable()
try:
    main(sys.argv[1:])
finally:
    prof.disable()
    st = pstats.Stats(prof)
    by = collections.Counter()
    for (file, line, fn), (cc, nc, tt, ct, callers) in st.stats.items():
        key = file.split("site-packages/")[-1].split("corpuslib/")[-1] if "/" in file else fn
        by[key] += tt
    total = sum(by.values())
    print(f"REMAINDER total={total:.2f}", file=sys.stderr)
    for key, tt in by.most_common(14):
        print(f"REMAINDER {tt:7.2f} s {tt / total:5.1%}  {key}", file=sys.stderr)
"""


def _busy_ticks() -> float:
    with open("/proc/stat", encoding="ascii") as fh:
        f = fh.readline().split()
    ticks = [float(x) for x in f[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def run_once(corpus: str, stage: str, jobs: int, work: Path, script: str = _WRAPPER) -> dict:
    path, extra = CORPORA[corpus]
    out = Path(tempfile.mkdtemp(prefix=f"{corpus}-{stage}-j{jobs}-", dir=work))
    target = ["--out", str(out / "t")] if stage == "build" else ["--out", str(out / "documents.parquet")]
    argv = [stage, str(path), *extra, *target, "--no-cache", "-q", "-j", str(jobs)]
    env = {**os.environ, "CORPUSLIB_CACHE": tempfile.mkdtemp(prefix="cache-", dir=work),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    busy0, t0 = _busy_ticks(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *argv], env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    busy = _busy_ticks() - busy0
    cpu = {}
    for line in proc.stderr.splitlines():
        if line.startswith("CPU "):
            cpu = json.loads(line[4:])
    if proc.returncode != 0:
        raise SystemExit(f"{corpus} {stage} -j {jobs} failed (rc={proc.returncode}):\n{proc.stderr[-2000:]}")
    own = cpu.get("parent_cpu_s", 0.0) + cpu.get("workers_cpu_s", 0.0)
    others = max(0.0, busy - own) / (wall * _cpus())
    return {"corpus": corpus, "stage": stage, "jobs": jobs, "wall_s": round(wall, 3),
            "parent_cpu_s": round(cpu.get("parent_cpu_s", 0.0), 3), "workers_cpu_s": round(cpu.get("workers_cpu_s", 0.0), 3),
            "others": round(others, 3), "load1": round(os.getloadavg()[0], 2), "remainder": proc.stderr if script is _PROFILER else None}


def _commit() -> str:
    if os.environ.get("BENCH_COMMIT"):  # run from a snapshot of the tree (git archive), not a checkout
        return os.environ["BENCH_COMMIT"]
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except OSError:
        return "?"


def _machine() -> str:
    model = ""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{_cpus()} CPUs ({model or platform.machine()}), Python {platform.python_version()}"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default="vntc1500,rss,crawl")
    ap.add_argument("--stages", default="build,ingest")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--jsonl", help="append one JSON line per run to this file")
    ap.add_argument("--work", default=None, help="folder for outputs and caches (default: a temporary one)")
    ap.add_argument("--remainder", action="store_true", help="profile the parent of one -j 2 build per corpus")
    args = ap.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="corpuslib-paired-"))
    work.mkdir(parents=True, exist_ok=True)
    date, commit, machine = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), _commit(), _machine()
    print(f"# {machine}; commit {commit}; {date}", flush=True)
    rows = []
    for corpus in args.corpora.split(","):
        for stage in args.stages.split(","):
            runs = []
            for k in range(args.pairs):
                order = (1, 2) if k % 2 == 0 else (2, 1)
                pair = {j: run_once(corpus, stage, j, work) for j in order}
                for j in order:
                    print(json.dumps({k: v for k, v in pair[j].items() if k != "remainder"}), flush=True)
                    if args.jsonl:
                        with open(args.jsonl, "a", encoding="utf-8") as fh:
                            fh.write(json.dumps({**pair[j], "pair": k, "commit": commit, "date": date}) + "\n")
                runs.append(pair)
            one = [p[1] for p in runs]
            two = [p[2] for p in runs]
            rows.append({
                "corpus": corpus, "stage": stage, "pairs": len(runs),
                "j1_s": statistics.median(r["wall_s"] for r in one), "j2_s": statistics.median(r["wall_s"] for r in two),
                "speedup": statistics.median(p[1]["wall_s"] / p[2]["wall_s"] for p in runs),
                "j2_parent_cpu_s": statistics.median(r["parent_cpu_s"] for r in two),
                "j1_cpu_s": statistics.median(r["parent_cpu_s"] for r in one),
                "others": statistics.median(r["others"] for p in runs for r in p.values()),
                "others_max": max(r["others"] for p in runs for r in p.values()),
            })
        if args.remainder and "build" in args.stages:
            prof = run_once(corpus, "build", 2, work, script=_PROFILER)
            print(f"# serial remainder of `build -j 2` on {corpus} (parent's CPU by module, cProfile):")
            for line in prof["remainder"].splitlines():
                if line.startswith("REMAINDER"):
                    print("#   " + line[10:])
    print()
    print(f"Machine: {machine}. Commit `{commit}`, {date}. Caches off; median of {args.pairs} alternating pairs.")
    print()
    print("| corpus | stage | pairs | -j 1 s | -j 2 s | speed-up (median of pair ratios) | -j 1 CPU s | "
          "-j 2 parent CPU s (serial remainder) | others (median / max) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['corpus']} | {r['stage']} | {r['pairs']} | {r['j1_s']:.1f} | {r['j2_s']:.1f} | "
              f"{r['speedup']:.2f}x | {r['j1_cpu_s']:.1f} | {r['j2_parent_cpu_s']:.1f} "
              f"({r['j2_parent_cpu_s'] / r['j1_cpu_s']:.0%} of -j 1) | {r['others']:.0%} / {r['others_max']:.0%} |")


if __name__ == "__main__":
    main()
