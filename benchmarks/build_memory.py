"""Peak memory of the whole `corpuslib build` against corpus size (issue 19.5): is it flat?

Usage:
    .venv/bin/python benchmarks/build_memory.py [--sizes 100000,300000] [--fmt txt|jsonl] [-j -1]
        [--work /tmp/corpuslib-bench] [--jsonl FILE]

For each size a generated mixed corpus (``benchmarks/make_corpus.py``, seed 0, written once under
``--work`` and reused) goes through ``corpuslib build --no-cache`` in a fresh process. Every 0.25 s
the resident memory of the command and all its descendants (workers) is summed (psutil), and that
of the largest single process is kept; PSS (pages shared by forked workers split between them) is
read from ``/proc/<pid>/smaps_rollup`` every second. Printed per size: articles, MB on disk, wall and
CPU seconds, articles/s, peak RSS of the tree and of the largest process, peak PSS of the tree; then
the growth per article between consecutive sizes (target: < 0.5 KB an article from 10^5 up; peak
<= 2 GB at 10^6). The 10^6 point takes hours on 2 cores and about 5 GB of disk: ``--sizes 1000000``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler:
    """Peak memory of a process tree, sampled in a thread."""

    def __init__(self, pid: int):
        import psutil

        self.proc = psutil.Process(pid)
        self.peak_tree = self.peak_one = self.peak_pss = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        import psutil

        k = 0
        while not self.stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                break
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            if rss:
                self.peak_tree = max(self.peak_tree, sum(rss))
                self.peak_one = max(self.peak_one, max(rss))
            if k % 4 == 0:
                self.peak_pss = max(self.peak_pss, sum(_pss(p.pid) for p in procs))
            k += 1
            self.stop.wait(0.25)


def corpus(work: Path, n: int, fmt: str) -> Path:
    path = work / f"mixed-{n}-{fmt}"
    if not (path / ".complete").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(path), "--n", str(n),
                        "--fmt", fmt], check=True, cwd=ROOT)
        (path / ".complete").write_text("ok\n")
    return path


def measure(path: Path, jobs: int, work: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix="build-", dir=work))
    env = {**os.environ, "CORPUSLIB_CACHE": tempfile.mkdtemp(prefix="cache-", dir=work),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    code = ("import resource, sys; from corpuslib.run.cli import main; rc = main(sys.argv[1:]); "
            "s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print('CPU', s.ru_utime + s.ru_stime, c.ru_utime + c.ru_stime, file=sys.stderr); sys.exit(rc)")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, "build", str(path), "--out", str(out / "t"), "--no-cache",
                             "-q", "-j", str(jobs)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sampler = Sampler(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop.set()
    sampler.thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed (rc={proc.returncode}):\n{stderr[-2000:]}")
    cpu = [line.split()[1:] for line in stderr.splitlines() if line.startswith("CPU ")][-1]
    docs = next((int(line.split()[1]) for line in stdout.splitlines() if line.startswith("loaded")), 0)
    tokens = next((int(line.split()[1]) for line in stdout.splitlines() if line.startswith("tokens")), 0)
    return {"docs": docs, "tokens": tokens, "wall_s": round(wall, 1), "parent_cpu_s": round(float(cpu[0]), 1),
            "workers_cpu_s": round(float(cpu[1]), 1), "peak_rss_tree_MB": round(sampler.peak_tree / 2**20),
            "peak_rss_largest_MB": round(sampler.peak_one / 2**20), "peak_pss_tree_MB": round(sampler.peak_pss / 2**20)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,300000")
    ap.add_argument("--fmt", choices=("txt", "jsonl"), default="txt")
    ap.add_argument("-j", "--jobs", type=int, default=-1)
    ap.add_argument("--work", default="/tmp/corpuslib-bench")
    ap.add_argument("--jsonl", help="append one JSON line per size to this file")
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    prev = None
    for n in (int(s) for s in args.sizes.split(",")):
        path = corpus(work, n, args.fmt)
        mb = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6
        r = {"articles": n, "fmt": args.fmt, "MB": round(mb), "jobs": args.jobs, **measure(path, args.jobs, work),
             "load1": round(os.getloadavg()[0], 1), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        r["articles_per_s"] = round(n / r["wall_s"])
        if prev is not None:
            r["growth_KB_per_article"] = round((r["peak_rss_tree_MB"] - prev["peak_rss_tree_MB"]) * 1024 /
                                               (n - prev["articles"]), 3)
        print(json.dumps(r), flush=True)
        if args.jsonl:
            with open(args.jsonl, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(r) + "\n")
        prev = r


if __name__ == "__main__":
    main()
