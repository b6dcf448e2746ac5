"""Parallel, streamed and cached ingest and tokenize give exactly the tables of one process."""
import json
import os
import time

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import corpuslib.documents.table as D
import corpuslib.text.tokens as T
from corpuslib.documents import synthetic as generate
from corpuslib.core import parallel
from tests.conftest import count_calls


# --------------------------------------------------------------------------------------------
# Pools and ordered maps
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_jobs, expected", [
    (1, 1), (3, 3), (-1, parallel.available_cpus()), (-2, max(1, parallel.available_cpus() - 1)),
    (-1000, 1), (None, parallel.available_cpus()),
])
def test_resolve_jobs(n_jobs, expected):
    assert parallel.resolve_jobs(n_jobs) == expected


@pytest.mark.parametrize("bad", [0, 1.5, True, "2"])
def test_resolve_jobs_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="n_jobs"):
        parallel.resolve_jobs(bad)


# --------------------------------------------------------------------------------------------
# -j -1 is a choice: the work and the free CPUs (issue 19.2)
# --------------------------------------------------------------------------------------------

def _no_sampling():
    raise AssertionError("free CPUs measured when the choice did not need them")


@pytest.mark.parametrize("n_jobs", [1, 2, 3, -2])
def test_explicit_n_jobs_is_obeyed(n_jobs, monkeypatch):
    monkeypatch.setattr(parallel, "free_cpus", _no_sampling)
    assert parallel.plan_workers(n_jobs, 10**9, min_work=1) == parallel.resolve_jobs(n_jobs)


def test_small_work_stays_in_one_process_without_measuring(monkeypatch):
    monkeypatch.setattr(parallel, "free_cpus", _no_sampling)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 8)
    assert parallel.plan_workers(-1, 999, min_work=1000) == 1


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 16), st.floats(0, 16), st.integers(0, 10**8), st.integers(1, 10**6))
def test_workers_never_exceed_the_free_cpus_or_the_work(cpus, free, work, min_work):
    import unittest.mock

    free = min(free, cpus)
    with unittest.mock.patch.object(parallel, "available_cpus", lambda: cpus), \
            unittest.mock.patch.object(parallel, "free_cpus", lambda: free):
        n = parallel.plan_workers(-1, work, min_work=min_work)
    assert 1 <= n <= cpus
    if work < min_work or free < 2 - parallel.WORKER_SLACK:
        assert n == 1  # small work or a busy machine: one process, never a pool fighting for the cores
    else:
        assert n - 1 <= free + parallel.WORKER_SLACK - 1  # no worker beyond the free CPUs
        assert n * max(1, min_work // 2) <= max(work, max(1, min_work // 2))  # each worker has its share
    if work >= 2 * min_work and free >= cpus:
        assert n == min(cpus, max(1, work // max(1, min_work // 2)))  # an idle machine: every CPU


def test_free_cpus_is_a_share_of_this_process_cpus():
    free = parallel.free_cpus(0.05)
    assert 0.0 <= free <= parallel.available_cpus()


def test_free_cpus_sees_a_busy_process(tmp_path):
    # a process spinning on one CPU leaves at most (CPUs - 1) free, give or take the sampling
    import subprocess
    import sys

    spin = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert parallel.free_cpus(0.5) <= parallel.available_cpus() - 0.6
    finally:
        spin.kill()
        spin.wait()


def test_busy_machine_keeps_a_large_ingest_in_one_process(corpus, serial, monkeypatch):
    # -j -1 on a machine whose CPUs are taken: no pool (which would be slower than -j 1), same table
    def no_pool(*a, **k):
        raise AssertionError("a pool was started on a machine with no free CPU")

    monkeypatch.setattr(D, "PARALLEL_MIN_BYTES", 1024)  # the corpus is "large"
    monkeypatch.setattr(parallel, "free_cpus", lambda *a: 0.4)
    monkeypatch.setattr(parallel, "worker_pool", no_pool)
    pd.testing.assert_frame_equal(D.ingest(corpus, n_jobs=-1, cache=False).documents, serial.documents)


class _Spy(parallel.SerialExecutor):
    """Counts how many submitted tasks have not been read back yet."""

    def __init__(self):
        self.in_flight = self.most = 0

    def submit(self, fn, *args):
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        done = super().submit(fn, *args)
        spy = self

        class Future:
            def result(self):
                spy.in_flight -= 1
                return done.result()

        return Future()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-1000, 1000), max_size=60), st.integers(1, 7))
def test_map_ordered_is_map_with_bounded_pending(values, max_pending):
    spy = _Spy()
    assert list(parallel.map_ordered(abs, values, executor=spy, max_pending=max_pending)) == [abs(v) for v in values]
    assert spy.most <= max_pending and spy.in_flight == 0


def _sleepy(x):
    time.sleep(0.02 * (5 - x))  # early tasks finish last
    return x * x


def test_map_ordered_keeps_order_when_workers_finish_out_of_order():
    with parallel.worker_pool(2) as pool:
        assert list(parallel.map_ordered(_sleepy, range(6), executor=pool, max_pending=4)) == [x * x for x in range(6)]


def test_serial_executor_reraises():
    future = parallel.SerialExecutor().submit(int, "not a number")
    with pytest.raises(ValueError):
        future.result()


def test_rss_tree_counts_this_process():
    assert parallel.rss_tree() > 10 * 2**20


# --------------------------------------------------------------------------------------------
# A small corpus with every kind of input: generated articles (.txt in three languages and
# encodings, .jsonl), the seeds, and the hard cases (empty, binary, duplicate, bad row, id clash)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pools():
    return generate.paragraph_pools(shared=None)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, pools, seeds_dir):
    root = tmp_path_factory.mktemp("corpus")
    generate.write_corpus(root / "txt", 120, seed=11, pools=pools, duplicate_rate=0.05, encoded_rate=0.1)
    generate.write_corpus(root / "jsonl", 60, seed=12, pools=pools, fmt="jsonl", shard_size=25)
    odd = root / "odd"
    odd.mkdir()
    (odd / "empty.txt").write_bytes(b"")
    (odd / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    seed = sorted(seeds_dir.glob("003*.txt"))[0].read_text(encoding="utf-8")
    (odd / "x.txt").write_text(seed.replace("Nghệ An", "Quảng Bình"), encoding="utf-8")
    (odd / "x.md").write_text(seed.replace("Nghệ An", "Hà Tĩnh"), encoding="utf-8")  # same doc_id "odd/x"
    (odd / "zcopy.txt").write_text(seed.replace("Nghệ An", "Quảng Bình").replace("\n", "\n\n"), encoding="utf-8")
    with open(odd / "bad.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "b1", "text": seed[:400]}, ensure_ascii=False) + "\n{broken\n")
    return [root, seeds_dir]


@pytest.fixture(scope="module")
def serial(corpus):
    return D.ingest(corpus, n_jobs=1, cache=False)


def test_the_corpus_has_every_case(serial):
    docs, rejected = serial
    assert {"duplicate", "empty", "binary", "bad_row"} <= set(rejected["reason"])
    assert {"odd/x", "odd/x~2"} <= set(docs["doc_id"])
    assert "/odd/zcopy.txt" in " ".join(rejected.loc[rejected["reason"] == "duplicate", "source_path"])
    assert {"zh", "ru", "vi"} <= set(docs["lang"])
    assert {"gb18030", "cp1251", "utf-16-le"} & set(docs["encoding"])


def test_parallel_ingest_is_the_serial_table(corpus, serial, monkeypatch):
    # small tasks and split tables, so the 2 workers get many tasks and the jsonl is cut in batches
    monkeypatch.setattr(D, "TASK_BYTES", 20_000)
    monkeypatch.setattr(D, "SPLIT_TABLE_BYTES", 10_000)
    par = D.ingest(corpus, n_jobs=2, cache=False)
    pd.testing.assert_frame_equal(par.documents, serial.documents)
    pd.testing.assert_frame_equal(par.rejected, serial.rejected)


@pytest.mark.parametrize("chunk_size", [1, 7, 100_000])
def test_ingest_to_parquet_is_the_ingest_table(corpus, serial, tmp_path, chunk_size):
    out = tmp_path / "documents.parquet"
    res = D.ingest_to_parquet(corpus, out, chunk_size=chunk_size, n_jobs=1, cache=False, rejected=tmp_path / "r.csv")
    docs = pd.read_parquet(out)
    pd.testing.assert_frame_equal(docs, serial.documents)
    pd.testing.assert_frame_equal(res.rejected, serial.rejected)
    assert res.n_documents == len(docs) and sum(res.langs.values()) == len(docs)
    assert res.n_dated == int(docs["published"].notna().sum())
    assert len(pd.read_csv(tmp_path / "r.csv")) == len(serial.rejected)
    if chunk_size == 7:  # several row groups
        import pyarrow.parquet as pq

        assert pq.ParquetFile(out).num_row_groups == -(-len(docs) // 7)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".corpuslib-ingest")]  # runs removed


def test_ingest_to_parquet_in_parallel(corpus, serial, tmp_path):
    out = tmp_path / "documents.parquet"
    D.ingest_to_parquet(corpus, out, chunk_size=50, n_jobs=2, cache=False)
    pd.testing.assert_frame_equal(pd.read_parquet(out), serial.documents)


def test_ingest_to_parquet_of_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.txt").write_bytes(b"")
    res = D.ingest_to_parquet(tmp_path / "in", tmp_path / "d.parquet", n_jobs=1, cache=False)
    assert res.n_documents == 0 and list(res.rejected["reason"]) == ["empty"]
    assert list(pd.read_parquet(tmp_path / "d.parquet").columns) == list(D.DOCUMENT_COLUMNS)


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_chunk_size_must_be_positive(tmp_path, seeds_dir, bad):
    with pytest.raises(ValueError, match="chunk_size"):
        D.ingest_to_parquet(seeds_dir, tmp_path / "d.parquet", chunk_size=bad)


# --------------------------------------------------------------------------------------------
# Ingest cache
# --------------------------------------------------------------------------------------------

@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUSLIB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def build_counter(monkeypatch):
    return count_calls(monkeypatch, D, "build_document")


def test_warm_ingest_reads_from_the_cache(fresh_cache, build_counter, corpus, serial, monkeypatch):
    monkeypatch.setattr(D, "SPLIT_TABLE_BYTES", 10_000)  # big tables are cached per batch
    cold = D.ingest(corpus, n_jobs=1)
    n_built = build_counter["n"]
    assert n_built > len(serial.documents)
    warm = D.ingest(corpus, n_jobs=1)
    assert build_counter["n"] == n_built  # nothing normalized again
    for got in (cold, warm):
        pd.testing.assert_frame_equal(got.documents, serial.documents)
        pd.testing.assert_frame_equal(got.rejected, serial.rejected)
    assert (fresh_cache / "ingest.sqlite3").exists()


def test_cache_key_covers_bytes_options_and_code(fresh_cache, build_counter, tmp_path, seeds_dir, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(seeds_dir.glob("*.txt"))[:2]:
        (folder / p.name).write_bytes(p.read_bytes())
    D.ingest(folder, n_jobs=1)
    assert build_counter["n"] == 2
    D.ingest(folder, n_jobs=1)
    assert build_counter["n"] == 2
    D.ingest(folder, n_jobs=1, min_chars=100)  # other options
    assert build_counter["n"] == 4
    first = sorted(folder.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes() + "\nThêm một đoạn.".encode())  # one file changed
    D.ingest(folder, n_jobs=1)
    assert build_counter["n"] == 5
    monkeypatch.setattr(D, "INGEST_VERSION", D.INGEST_VERSION + "-test")
    D.ingest_fingerprint.cache_clear()
    try:
        D.ingest(folder, n_jobs=1)
    finally:
        D.ingest_fingerprint.cache_clear()
    assert build_counter["n"] == 7
    D.ingest(folder, n_jobs=1, cache=False)
    assert build_counter["n"] == 9


def test_corrupt_ingest_cache_is_rebuilt(fresh_cache, seeds_dir):
    fresh_cache.mkdir(parents=True)
    (fresh_cache / "ingest.sqlite3").write_bytes(b"this is not a database" * 50)
    with pytest.warns(RuntimeWarning, match="corrupt"):
        docs = D.ingest(seeds_dir, n_jobs=1).documents
    assert len(docs) == 5
    assert len(D.ingest(seeds_dir, n_jobs=1).documents) == 5


# --------------------------------------------------------------------------------------------
# Tokenize
# --------------------------------------------------------------------------------------------

def test_parallel_tokenize_is_the_serial_table(serial, monkeypatch):
    monkeypatch.setattr(T, "TASK_CHARS", 10_000)  # many small tasks for the two workers
    docs = serial.documents.groupby("lang").head(15)
    one = T.tokenize(docs, cache=False, n_jobs=1)
    two = T.tokenize(docs, cache=False, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert set(one["lang"]) >= {"zh", "ru", "vi"}


def test_small_inputs_stay_in_this_process(seeds_dir, monkeypatch):
    def no_pool(*a, **k):
        raise AssertionError("a pool was started for five articles")

    monkeypatch.setattr(parallel, "worker_pool", no_pool)
    docs = D.ingest(seeds_dir, cache=False).documents  # n_jobs=-1 by default
    assert len(T.tokenize(docs, cache=False)) > 1000
    assert os.getpid() == os.getpid()


# --------------------------------------------------------------------------------------------
# Speed-ups that must not change a token
# --------------------------------------------------------------------------------------------

VI_SYLLABLES = ["cán", "bộ", "Đảng", "tinh", "giản", "biên", "chế", "Nghệ", "An", "TP.", "KH&CN", "18-NQ/TW", "85.600",
                "5,61%", "\"", "(", ")", "...", "==>", "Ủy", "ban", "TỔ", "CHỨC", "hóa", "hoá", "Mr.", "2018", "-", ","]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VI_SYLLABLES), max_size=25), st.sampled_from([" ", "  ", "\t"]))
def test_fast_pyvi_is_pyvi(words, sep):
    from pyvi import ViTokenizer

    seg = T._vi_segmenter()
    assert isinstance(seg, T._FastPyvi)
    line = sep.join(words)
    assert seg.tokenize(line) == ViTokenizer.tokenize(line)


@pytest.mark.shared
def test_fast_pyvi_on_real_news(shared_dir):
    from pyvi import ViTokenizer

    path = shared_dir / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    lines = [ln for row in path.open(encoding="utf-8") for ln in json.loads(row)["text"].splitlines() if ln.strip()]
    seg = T._vi_segmenter()
    assert len(lines) > 2000
    assert [seg.tokenize(ln) for ln in lines[:600]] == [ViTokenizer.tokenize(ln) for ln in lines[:600]]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("干部队伍建设乂安省委常委会𠀀㐀鿿﨑 ，。abc12-")), max_size=40))
def test_han_runs_segment_as_jieba_does(run):
    import jieba

    tok = T._jieba()
    for piece in T._HAN_RUN_RE.findall(run):
        assert T._segment_han(piece) == [w for w in tok.lcut(piece) if w.strip()]
    assert jieba.re_han_default is T._jieba_block()


@pytest.mark.parametrize("text", [
    "Ban Tổ chức Trung ương, https://baonghean.vn/a-b.html và ban@tochuc.vn; Baonghean.vn - tin",
    "Постановление № 18-NQ/TW от 25 октября 2017 года; сайт www.vietnamplus.vn",
    "第39-NQ/TW号决议，１２月１２日，ＡＢＣ",
    "no url, no code, just words",
])
def test_cheap_prefilters_do_not_change_tokens(text, monkeypatch):
    fast = T.tokenize_text(text, "und")
    monkeypatch.setattr(T, "_may_hold_url", lambda text: True)  # always run the full URL pattern
    monkeypatch.setattr(T, "_FULLWIDTH_RE", __import__("re").compile(""))
    assert T.tokenize_text(text, "und") == fast


# --------------------------------------------------------------------------------------------
# The external sort against ingest's in-memory rule, on rows made to collide
# --------------------------------------------------------------------------------------------

def _row(doc_id, path, body, url):
    base = {c: None for c in D.DOCUMENT_COLUMNS}
    base.update(doc_id=doc_id, source_path=path, encoding="utf-8", lang="vi", lang_score=1.0, text=body, removed="[]",
                n_chars=len(body), content_hash=D.content_hash(body), published_has_time=False, date_note="", url=url)
    return base


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "a~2", "a~3", "a0", "b", "é", "a/b"]), st.sampled_from(["p1", "p2"]),
                          st.sampled_from(["x", "y", "z", "w"]), st.sampled_from([None, None, "u"])), max_size=30),
       st.integers(1, 6), st.lists(st.tuples(st.just(None), st.sampled_from(["r1", "r2"])), max_size=3))
def test_external_sort_is_the_in_memory_table(tmp_path_factory, specs, chunk_size, rejections):
    rows = [_row(*spec) for spec in specs]
    rows += [{"source_path": p, "reason": "empty", "detail": "0 bytes"} for _, p in rejections]
    want = D._table([dict(r) for r in rows])
    out = tmp_path_factory.mktemp("sort") / "d.parquet"
    stats, rejected = D._sort_to_parquet(iter([dict(r) for r in rows]), out, chunk_size)
    got = pd.read_parquet(out)
    pd.testing.assert_frame_equal(got, want.documents)
    pd.testing.assert_frame_equal(rejected, want.rejected)
    assert stats["n"] == len(want.documents)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "a~2", "a0", "b", "é"]), st.sampled_from(["p1", "p2"]),
                          st.sampled_from(["x", "y", "z", "w", "v"]), st.sampled_from([None, "u"])), max_size=40),
       st.integers(1, 4), st.integers(2, 3))
def test_merging_runs_in_groups_is_the_in_memory_table(tmp_path_factory, specs, chunk_size, fanin):
    # a corpus of many runs (here: more than 2 or 3) is merged in levels, with the very same table
    import unittest.mock

    rows = [_row(*spec) for spec in specs]
    want = D._table([dict(r) for r in rows])
    out = tmp_path_factory.mktemp("levels") / "d.parquet"
    with unittest.mock.patch.object(D, "MERGE_FANIN", fanin), unittest.mock.patch.object(D, "_RUN_BLOCK", 2), \
            unittest.mock.patch.object(D, "_merge_runs", lambda runs, folder: real(runs, folder, fanin)):
        stats, _ = D._sort_to_parquet(iter([dict(r) for r in rows]), out, chunk_size)
    pd.testing.assert_frame_equal(pd.read_parquet(out), want.documents)
    assert stats["n"] == len(want.documents)


real = D._merge_runs


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 3)), max_size=7), max_size=12),
       st.integers(2, 4))
def test_merge_levels_are_one_stable_merge(tmp_path_factory, runs, fanin):
    import heapq
    import unittest.mock

    folder = str(tmp_path_factory.mktemp("runs"))
    # rows with equal keys are told apart by where they came from: a stable merge keeps run order
    as_rows = [sorted(({"doc_id": k, "source_path": str(v), "run": i, "pos": j} for j, (k, v) in enumerate(r)),
                      key=D._sort_key) for i, r in enumerate(runs)]
    want = list(heapq.merge(*as_rows, key=D._sort_key))
    with unittest.mock.patch.object(D, "_RUN_BLOCK", 3):
        merged = real([list(r) for r in as_rows], folder, fanin)
    assert len(merged) <= max(fanin, 1) or not runs
    got = list(heapq.merge(*(D._read_run(r) for r in merged), key=D._sort_key))
    assert got == want


# --------------------------------------------------------------------------------------------
# No process outlives its command (issue 19.3)
# --------------------------------------------------------------------------------------------

# The command: a pool of 2 workers kept busy with 1-second tasks; "ready" once both run one.
_COMMAND = """
import os, sys, time
from corpuslib.core import parallel

def main(ending):
    with parallel.worker_pool(2) as pool:
        busy = [pool.submit(time.sleep, 1.0) for _ in range(40)]
        time.sleep(0.5)  # both workers run a task
        print("ready", flush=True)
        if ending == "error":
            raise RuntimeError("a bug in the command")
        if ending == "normal":
            for f in busy[:2]:
                f.result()
            for f in busy[2:]:
                f.cancel()
            return
        time.sleep(120)  # waits to be interrupted or killed

if __name__ == "__main__":
    main(sys.argv[1])
"""


def _session(sid: int) -> list:
    """Live (not zombie) processes of session ``sid``: the command and everything it started."""
    import psutil

    out = []
    for proc in psutil.process_iter(["pid", "status", "cmdline"]):
        try:
            if os.getsid(proc.pid) == sid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                out.append((proc.pid, " ".join(proc.info["cmdline"] or [])[:80]))
        except (ProcessLookupError, PermissionError, psutil.Error):
            pass
    return out


def _no_survivors(sid: int, within: float) -> list:
    deadline = time.monotonic() + within
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.mark.parametrize("method", ["fork", "forkserver"])
@pytest.mark.parametrize("ending", ["normal", "error", "ctrl-c", "sigint", "sigterm", "sigkill"])
def test_no_process_outlives_its_command(method, ending, tmp_path):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "command.py"
    script.write_text(_COMMAND, encoding="utf-8")
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "CORPUSLIB_START_METHOD": method,
           "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    # a session of its own: whatever the command starts (workers, forkserver, resource tracker)
    # stays in it even when orphaned (PPID 1), so survivors are found by session
    proc = subprocess.Popen([sys.executable, str(script), ending], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sid = proc.pid
    try:
        assert proc.stdout.readline().strip() == "ready"
        assert len(_session(sid)) >= 3 or ending in ("normal", "error")  # the command and its two workers
        if ending == "ctrl-c":
            os.killpg(sid, signal.SIGINT)  # what a terminal sends: the whole foreground group
        elif ending.startswith("sig"):
            proc.send_signal(getattr(signal, ending.upper()))  # the command alone
        rc = proc.wait(timeout=60)
        # the command has ended: nothing it started may still run (a short grace for the kernel)
        left = _no_survivors(sid, within=1.0 if ending in ("normal", "error", "ctrl-c", "sigint") else 5.0)
        assert left == [], f"{ending} ({method}), rc={rc}: survivors {left}"
        assert (rc == 0) == (ending == "normal")
    finally:
        for pid, _ in _session(sid):  # never leave them to the next test
            with __import__("contextlib").suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=10)
