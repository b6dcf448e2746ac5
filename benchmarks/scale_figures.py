"""Scale and speed figures of corpuslib (issue 6): one printed line per figure.

Usage:
    .venv/bin/python benchmarks/scale_figures.py FIGURE [FIGURE ...] [--work DIR] [--jsonl FILE]

Figures:
    ingest      ingest throughput (docs/s, MB/s) per language and mixed, 1 and 2 workers, and the speed-up
    tokenizers  the same texts through the bare tokenizers (pyvi, jieba, pymorphy3) and through corpuslib:
                tokenize alone, and ingest + tokenize (the whole path from raw files)
    cache       cold and warm (cached) reruns of ingest, ingest_to_parquet, ingest + tokenize and
                build_tables (documents, tokens and counts), with 1 worker and all cores
    memory      peak memory (RSS and PSS summed over the process tree) of ingest_to_parquet on 10k, 50k
                and 200k generated articles (--sizes to change), each in a fresh process
    dask        build_tables on a local pool and on a Dask LocalCluster: time and byte identity
    topics      topic-model fit time and peak memory against corpus size, batch and minibatch/online
    all         everything above

Generated corpora (benchmarks/make_corpus.py, seed 0) are written once under --work
(default /tmp/corpuslib-bench) and reused. Before each measurement the script waits until the
machine is idle (other jobs distort timings), and after it reports the share of the CPUs other
processes used meanwhile (``others``); a measurement with others > --max-others is repeated.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("CORPUSLIB_SHARED", ROOT.parent / "shared"))
VNTC = SHARED / "corpora" / "vntc" / "vntc_10topics_test_sample1500.jsonl"
ARGS = None


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def wait_quiet() -> float:
    """Wait (up to --max-wait s) until the machine is idle; return the 1-minute load at that moment.

    Idle: over one second, every process together used less than --quiet-busy of the CPUs. (The
    load average lags by minutes after our own previous measurement, so it is printed, not waited on;
    whether other work overlapped a measurement is checked afterwards, see ``timed``.)
    """
    from corpuslib.core.parallel import available_cpus

    deadline = time.time() + ARGS.max_wait
    while True:
        b0 = _busy_jiffies()
        time.sleep(1.0)
        busy = (_busy_jiffies() - b0) / available_cpus()
        if busy < ARGS.quiet_busy or time.time() > deadline:
            return os.getloadavg()[0]


def _busy_jiffies() -> float:
    """CPU time (s) used by every process on the machine so far (/proc/stat; 0 elsewhere)."""
    try:
        with open("/proc/stat") as fh:
            f = [float(x) for x in fh.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = f[3] + (f[4] if len(f) > 4 else 0.0)
    return (sum(f[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


LAST: dict = {}


def timed(fn, *args, retries: int = 3, **kwargs):
    """Run ``fn`` on a quiet machine; return (result, wall seconds, load at start, others' CPU share).

    Others' share is the CPU time of every other process during the run over the machine's
    capacity (wall x CPUs); a run where it exceeds --max-others is repeated (up to ``retries``
    times) after waiting for quiet again, and the last one is reported either way.
    """
    from corpuslib.core.parallel import available_cpus

    for attempt in range(retries):
        load = wait_quiet()
        busy0, own0, t0, self0 = _busy_jiffies(), _own_cpu(), time.perf_counter(), time.process_time()
        result = fn(*args, **kwargs)
        wall = time.perf_counter() - t0
        LAST["self_cpu_s"] = round(time.process_time() - self0, 3)  # this process only (not its workers)
        others = max(0.0, (_busy_jiffies() - busy0) - (_own_cpu() - own0)) / (wall * available_cpus())
        if others <= ARGS.max_others:
            break
        print(f"# busy machine (others used {others:.0%} of the CPUs): measuring again", flush=True)
    return result, wall, load, round(others, 3)


def emit(figure: str, **fields) -> None:
    parts = [f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items()]
    print(f"{figure:<12} " + " ".join(parts), flush=True)
    if ARGS.jsonl:
        with open(ARGS.jsonl, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"figure": figure, **fields, "time": time.strftime("%Y-%m-%d %H:%M")}) + "\n")


def corpus(name: str, n: int, *, langs: str = "zh,ru,vi", fmt: str = "txt", seed: int = 0) -> Path:
    """Return a generated corpus under --work, writing it the first time."""
    path = Path(ARGS.work) / name
    if not (path / ".complete").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(path), "--n", str(n),
                        "--langs", langs, "--fmt", fmt, "--seed", str(seed)], check=True)
        (path / ".complete").write_text("ok")
    return path


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) / 1e6


class Sampler:
    """Peak RSS and PSS (bytes) of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every = pid, every
        self.rss = self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psutil

        n = 0
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = pss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                    if n % 5 == 0:  # smaps is slow to read: PSS every fifth sample
                        pss += p.memory_full_info().pss
                except psutil.Error:
                    pass
            self.rss = max(self.rss, rss)
            if n % 5 == 0:
                self.pss = max(self.pss, pss)
            n += 1
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def warm_up() -> None:
    """Load every model and table ingest and tokenize use, so one-time loading is not timed."""
    import corpuslib.text.tokens as T
    from corpuslib.documents.table import ingest

    docs = ingest(ROOT / "data" / "raw", n_jobs=1, cache=False).documents
    T.tokenize(docs, n_jobs=1, cache=False)


def fresh_cache() -> str:
    """Point CORPUSLIB_CACHE at an empty folder: no ingest or token entries (jieba's model cache kept,
    as on any machine that has run corpuslib once)."""
    import shutil

    old = os.environ.get("CORPUSLIB_CACHE")
    path = tempfile.mkdtemp(prefix="corpuslib-bench-cache-", dir=ARGS.work)
    if old and (Path(old) / "jieba.cache").exists():
        shutil.copy2(Path(old) / "jieba.cache", Path(path) / "jieba.cache")
    os.environ["CORPUSLIB_CACHE"] = path
    return path


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------

def _ingest_corpora():
    n = ARGS.n_lang
    out = [(lang, corpus(f"{lang}-{n}", n, langs=lang, seed=1), {}) for lang in ("zh", "ru", "vi")]
    out.append(("mixed", corpus(f"mixed-{3 * n}", 3 * n, seed=4), {}))
    if VNTC.exists():
        out.append(("vi-vntc-real", VNTC, {"columns": {"id": "id", "text": "text"}}))
    return out


def fig_ingest() -> None:
    from corpuslib.documents.table import ingest

    fresh_cache()
    warm_up()  # the serial runs are timed warm; the parallel ones include starting their workers
    for label, path, kw in _ingest_corpora():
        mb = size_mb(path)
        best = {}
        for n_jobs in (1, 2, 1, 2):  # alternated, best of two: the machine's speed drifts
            (docs, rejected), dt, load, others = timed(ingest, path, n_jobs=n_jobs, cache=False, **kw)
            if n_jobs not in best or dt < best[n_jobs][0]:
                best[n_jobs] = (dt, len(docs), len(rejected), LAST["self_cpu_s"], load, others)
        for n_jobs, (dt, n_docs, n_rej, cpu, load, others) in sorted(best.items()):
            emit("ingest", corpus=label, n_jobs=n_jobs, docs=n_docs, rejected=n_rej, MB=round(mb, 1), s=dt,
                 docs_per_s=n_docs / dt, MB_per_s=mb / dt, main_cpu_s=cpu, load=load, others=others)
        emit("speedup", corpus=label, workers="1->2", speedup=best[1][0] / best[2][0], target=">=1.6 (mixed)")


def _bare_tokenizers():
    """Return {lang: fn(text)} calling pyvi, jieba and pymorphy3 directly, as a user would."""
    import re
    from functools import lru_cache

    import jieba
    import pymorphy3
    from pyvi import ViTokenizer

    jieba.setLogLevel(60)
    jieba.initialize()
    morph = pymorphy3.MorphAnalyzer(lang="ru")
    word = re.compile(r"\w+")

    @lru_cache(maxsize=None)
    def lemma(w):
        return morph.parse(w)[0].normal_form

    return {
        "clear": lemma.cache_clear,
        "vi": lambda t: [ViTokenizer.tokenize(line) for line in t.splitlines() if line.strip()],
        "zh": lambda t: jieba.lcut(t),
        "ru": lambda t: [lemma(w) for w in word.findall(t.lower())],
        "ru-unmemoized": lambda t: [morph.parse(w)[0].normal_form for w in word.findall(t.lower())],
    }


def fig_tokenizers() -> None:
    bare = _bare_tokenizers()
    fresh_cache()
    warm_up()
    for label, path, kw in _ingest_corpora():
        r, _, load, others = timed(_tokenizer_times, path, kw, bare)
        emit("tokenizers", corpus=label, langs=r["langs"], docs=r["docs"], text_MB=round(r["mb"], 2),
             bare_s=r["bare"], bare_MB_per_s=r["mb"] / r["bare"], corpuslib_tokenize_s=r["tok"],
             tokenize_overhead=f"{r['tok'] / r['bare'] - 1:+.0%}", ingest_s=r["ingest"],
             ingest_plus_tokenize_overhead=f"{(r['ingest'] + r['tok']) / r['bare'] - 1:+.0%}", target="<=+25%",
             load=load, others=others)
        if r["ru_plain_MB_per_s"]:
            emit("tokenizers", corpus=label, baseline="pymorphy3 without memo (first 200 ru documents)",
                 bare_MB_per_s=r["ru_plain_MB_per_s"], memoized_bare_MB_per_s=r["ru_memo_MB_per_s"])


def _tokenizer_times(path, kw, bare) -> dict:
    """Time ingest, the bare tokenizers and corpuslib's tokenize on the same texts (one process).

    corpuslib's side is the public ``tokenize(documents, cache=False, n_jobs=1)``: segmentation, stop
    words, Party codes, and the tokens table. Bare and corpuslib runs alternate, twice, every memo
    emptied first; the faster of each is kept (as is the faster of two ingests).
    """
    import corpuslib.text.tokens as T
    from corpuslib.documents.table import ingest

    def clear():
        bare["clear"]()
        T._ru_lemma.cache_clear()
        for memo in (T._RU_TOKEN[True], T._VI_RAW, T._REGEX_WORD, *T._KEEP.values()):
            memo.clear()

    def run(fn, items):
        clear()
        t0 = time.perf_counter()
        for item in items:
            fn(item)
        return time.perf_counter() - t0

    ingest_s = []
    for _ in range(2):
        t0 = time.perf_counter()
        docs = ingest(path, n_jobs=1, cache=False, **kw).documents
        ingest_s.append(time.perf_counter() - t0)
    r = {"ingest": min(ingest_s), "docs": len(docs), "bare": 0.0, "tok": 0.0, "ru_plain_MB_per_s": 0.0}
    groups = {lang: g for lang, g in docs.groupby("lang") if lang in ("zh", "ru", "vi")}
    r["langs"] = "+".join(groups)
    r["mb"] = sum(len(t.encode("utf-8")) for g in groups.values() for t in g["text"]) / 1e6
    for lang, g in groups.items():
        texts = g["text"].tolist()
        for t in texts[:5]:  # libraries loaded before timing
            T.tokenize_text(t, lang)
            bare[lang](t)
        table = [g]
        b = run(bare[lang], texts)
        c = run(lambda d: T.tokenize(d, cache=False, n_jobs=1), table)
        b = min(b, run(bare[lang], texts))
        c = min(c, run(lambda d: T.tokenize(d, cache=False, n_jobs=1), table))
        r["bare"] += b
        r["tok"] += c
        if lang == "ru":
            few = texts[:200]
            mb = sum(len(t.encode("utf-8")) for t in few) / 1e6
            r["ru_plain_MB_per_s"] = mb / run(bare["ru-unmemoized"], few)
            r["ru_memo_MB_per_s"] = mb / run(bare["ru"], few)
    return r


def fig_cache() -> None:
    """Cold (empty caches) and warm (same inputs again) runs of each stage and of the whole path."""
    import shutil

    import corpuslib.text.tokens as T
    from corpuslib.run import build as scale
    from corpuslib.documents.table import ingest, ingest_to_parquet

    path = corpus(f"mixed-{ARGS.n_cache}", ARGS.n_cache, seed=4)
    mb = size_mb(path)
    warm_up()

    def pipeline(n_jobs):
        docs = ingest(path, n_jobs=n_jobs).documents
        return docs, T.tokenize(docs, n_jobs=n_jobs)

    with tempfile.TemporaryDirectory(dir=ARGS.work) as tmp:
        stages = {
            "ingest": lambda n_jobs: ingest(path, n_jobs=n_jobs).documents,
            "ingest_to_parquet": lambda n_jobs: ingest_to_parquet(path, Path(tmp) / "d.parquet", n_jobs=n_jobs),
            "ingest+tokenize": pipeline,
            "build_tables": lambda n_jobs: scale.build_tables(path, Path(tmp) / "tables", n_jobs=n_jobs),
            # the same, its build.json removed first: the tables rebuilt from the ingest and token caches
            "build_tables (no build.json)": lambda n_jobs: (
                (Path(tmp) / "tables2" / scale.BUILD_RECORD).unlink(missing_ok=True),
                scale.build_tables(path, Path(tmp) / "tables2", n_jobs=n_jobs)),
        }
        for stage, fn in stages.items():
            for n_jobs in (1, -1):
                res = {}
                fresh_cache()
                for folder in ("tables", "tables2"):  # a cold build starts with no build.json either
                    shutil.rmtree(Path(tmp) / folder, ignore_errors=True)
                for run in ("cold", "warm"):
                    _, res[run], load, others = timed(fn, n_jobs, retries=1)
                    emit("cache", stage=stage, n_jobs=n_jobs, run=run, docs=ARGS.n_cache, MB=round(mb, 1), s=res[run],
                         load=load, others=others)
                emit("cache", stage=stage, n_jobs=n_jobs, warm_speedup=res["cold"] / res["warm"], target=">=10")


def _memory_child(path: str, out: str, chunk_size: int) -> None:
    from corpuslib.documents.table import ingest_to_parquet

    t0 = time.perf_counter()
    res = ingest_to_parquet(path, out, n_jobs=-1, cache=False, chunk_size=chunk_size)
    print(json.dumps({"docs": res.n_documents, "rejected": len(res.rejected), "s": time.perf_counter() - t0}))


def _memory_run(path, out):
    proc = subprocess.Popen([sys.executable, __file__, "_memory_child", str(path), out, str(ARGS.chunk_size)],
                            stdout=subprocess.PIPE, text=True)
    with Sampler(proc.pid) as s:
        text, _ = proc.communicate()
    return json.loads(text.strip().splitlines()[-1]), s


def fig_memory() -> None:
    for n in ARGS.sizes:
        path = corpus(f"mixed-{n}", n, seed=4)
        mb = size_mb(path)
        with tempfile.TemporaryDirectory(dir=ARGS.work) as tmp:
            (info, s), _, load, others = timed(_memory_run, path, f"{tmp}/d.parquet", retries=1)
        emit("memory", articles=n, MB=round(mb, 1), docs=info["docs"], rejected=info["rejected"], s=info["s"],
             docs_per_s=info["docs"] / info["s"], MB_per_s=mb / info["s"], chunk_size=ARGS.chunk_size,
             peak_rss_tree_MB=round(s.rss / 2**20), peak_pss_tree_MB=round(s.pss / 2**20), target="<2048 MB at 200k",
             load=load, others=others)


def fig_dask() -> None:
    from corpuslib.run import build as scale

    path = corpus(f"mixed-{ARGS.n_dask}", ARGS.n_dask, seed=4)
    with tempfile.TemporaryDirectory(dir=ARGS.work) as tmp:
        times = {}
        for engine in ("local", "dask"):
            tables, times[engine], load, others = timed(scale.build_tables, path, Path(tmp) / engine, engine=engine,
                                                        n_workers=2, cache=False, retries=1)
            emit("dask", engine=engine, docs=tables.n_documents, tokens=tables.n_tokens, s=times[engine], load=load,
                 others=others)
        same = all((Path(tmp) / "local" / n).read_bytes() == (Path(tmp) / "dask" / n).read_bytes()
                   for n in ("documents.parquet", "rejected.csv", "tokens.parquet", "term_counts.parquet"))
        emit("dask", byte_identical=same, target="True")


def _topics_child(tokens_path: str, n_docs: int, mode: str) -> None:
    import pandas as pd
    import pyarrow.parquet as pq

    from corpuslib.analysis.topics import TopicModel

    pf = pq.ParquetFile(tokens_path)
    keep, parts = None, []
    for batch in pf.iter_batches(batch_size=200_000, columns=["doc_id", "token", "lang"]):
        df = batch.to_pandas()
        parts.append(df)
        ids = pd.unique(pd.concat(parts)["doc_id"])
        if len(ids) > n_docs:
            keep = set(ids[:n_docs])
            break
    tokens = pd.concat(parts)
    if keep is not None:
        tokens = tokens[tokens["doc_id"].isin(keep)]
    tokens = tokens[tokens["lang"] == "vi"]
    t0 = time.perf_counter()
    if mode == "batch":
        TopicModel(n_topics=10, method="nmf", n_init=1).fit(tokens)
    elif mode == "minibatch":
        TopicModel(n_topics=10, method="nmf", n_init=1, batch_size=2048).fit(tokens)
    elif mode == "lda-online":
        TopicModel(n_topics=10, method="lda", batch_size=2048).fit(tokens)
    else:
        TopicModel(n_topics=10, method="lda").fit(tokens)
    print(json.dumps({"docs": int(tokens["doc_id"].nunique()), "tokens": len(tokens), "s": time.perf_counter() - t0}))


def _topics_run(tokens_path, n, mode):
    proc = subprocess.Popen([sys.executable, __file__, "_topics_child", str(tokens_path), str(n), mode],
                            stdout=subprocess.PIPE, text=True)
    with Sampler(proc.pid, every=0.1) as s:
        text, _ = proc.communicate()
    return json.loads(text.strip().splitlines()[-1]), s


def fig_topics() -> None:
    from corpuslib.run import build as scale

    n_max = max(ARGS.topic_sizes)
    path = corpus(f"vi-{n_max}", n_max, langs="vi", seed=6)
    tables = Path(ARGS.work) / f"tables-vi-{n_max}"
    if not (tables / "tokens.parquet").exists():
        scale.build_tables(path, tables, engine="local")
    for n in ARGS.topic_sizes:
        for mode in ("batch", "minibatch", "lda-batch", "lda-online"):
            (info, s), _, load, others = timed(_topics_run, tables / "tokens.parquet", n, mode, retries=1)
            emit("topics", mode=mode, docs=info["docs"], tokens=info["tokens"], fit_s=info["s"],
                 peak_rss_MB=round(s.rss / 2**20), load=load, others=others)


FIGURES = {"ingest": fig_ingest, "tokenizers": fig_tokenizers, "cache": fig_cache, "memory": fig_memory,
           "dask": fig_dask, "topics": fig_topics}


def main(argv=None) -> None:
    global ARGS
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_memory_child":
        return _memory_child(argv[1], argv[2], int(argv[3]))
    if argv and argv[0] == "_topics_child":
        return _topics_child(argv[1], int(argv[2]), argv[3])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("figures", nargs="+", choices=[*FIGURES, "all"])
    ap.add_argument("--work", default="/tmp/corpuslib-bench", help="folder for generated corpora and caches")
    ap.add_argument("--quiet-busy", type=float, default=0.10,
                    help="wait until all processes use less than this share of the CPUs (over 1 s)")
    ap.add_argument("--max-wait", type=float, default=900, help="longest wait for a quiet machine (s)")
    ap.add_argument("--max-others", type=float, default=0.05,
                    help="repeat a measurement when other processes used more than this share of the CPUs")
    ap.add_argument("--n-lang", type=int, default=2000, help="articles per one-language corpus")
    ap.add_argument("--n-cache", type=int, default=10_000)
    ap.add_argument("--n-dask", type=int, default=2000)
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[10_000, 50_000, 200_000])
    ap.add_argument("--topic-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[2000, 10_000, 40_000])
    ap.add_argument("--chunk-size", type=int, default=5000)
    ap.add_argument("--jsonl", help="also append every figure as a JSON line to this file")
    ARGS = ap.parse_args(argv)
    Path(ARGS.work).mkdir(parents=True, exist_ok=True)
    from corpuslib.core.parallel import available_cpus

    print(f"# {platform.node()} {platform.machine()} {available_cpus()} CPUs python {platform.python_version()} "
          f"{time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    for name in (list(FIGURES) if "all" in ARGS.figures else ARGS.figures):
        FIGURES[name]()


if __name__ == "__main__":
    main()
