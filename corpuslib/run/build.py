"""Corpus tables at scale: the same stages on local processes or on a Dask cluster, same bytes out.

:func:`build_tables` runs loading and normalization (:func:`corpuslib.documents.table.ingest_to_parquet`),
tokenization (:func:`corpuslib.text.tokens.tokenize`) and counting (the tidy form of the
document-term matrix, :func:`corpuslib.analysis.dtm.count_matrix_flat`) as a stream of chunks, and writes::

    documents.parquet   the documents table          (sorted by doc_id)
    rejected.csv        the rejected table           (by file, row number, reason)
    tokens.parquet      doc_id, position, token, lang (sorted by doc_id, position)
    term_counts.parquet doc_id, term, count          (sorted by doc_id, term)
    build.json          what went in (fingerprint) and came out (sha256, counts): a rerun on
                        unchanged inputs returns at once (with ``cache=True``)

``engine="local"`` runs the tasks on a pool of local processes (every core by default);
``engine="dask"`` submits the very same tasks to a ``dask.distributed`` cluster: a
``LocalCluster`` started for the run, or any running scheduler (``address="tcp://host:8786"``).
Only the task functions run on the cluster; ordering, caches and file writing stay in this
process, so both engines write byte-identical files. The workers receive the bytes of each
input file with its task, so a remote cluster needs no access to the corpus folder, only the
same corpuslib and library versions as the client.

Memory stays flat on both engines: documents are written through sorted runs, and tokens and
counts are computed ``chunk_size`` documents at a time from the documents file.
"""
from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import NamedTuple

__all__ = ["ENGINES", "BUILD_RECORD", "Tables", "build_tables", "up_to_date", "dask_client", "count_terms"]

ENGINES = ("local", "dask")
#: The record of a build in its folder: what went in (a fingerprint), what came out (sha256, counts).
BUILD_RECORD = "build.json"
#: Documents per chunk of the tokens and counts stages (and per sorted run of the documents).
CHUNK_SIZE = 5000


class Tables(NamedTuple):
    """Paths of the tables :func:`build_tables` wrote, and what it counted."""

    documents: Path
    rejected: Path
    tokens: Path
    term_counts: Path
    n_documents: int
    n_rejected: int
    n_tokens: int


class _DaskExecutor:
    """A ``dask.distributed.Client`` seen as an executor: ``submit`` without content hashing."""

    def __init__(self, client):
        self.client = client
        # enough tasks in flight to keep every worker thread busy while results are read in order
        threads = sum(client.nthreads().values()) if hasattr(client, "nthreads") else 2
        self.max_pending = 3 * max(2, threads)

    def submit(self, fn, *args):
        # pure=False: tasks are never deduplicated, and their (large) arguments are not hashed
        return self.client.submit(fn, *args, pure=False)


@contextlib.contextmanager
def dask_client(address: str | None = None, *, n_workers: int | None = None, threads_per_worker: int = 1,
                processes: bool = True, **cluster_kwargs):
    """Yield a ``dask.distributed.Client``: to ``address``, or to a ``LocalCluster`` started here.

    Parameters
    ----------
    address : str, optional
        Scheduler address (``tcp://host:8786``). Default: start a ``LocalCluster`` and close it
        on exit.
    n_workers : int, optional
        Workers of the local cluster (default: one per available CPU).
    threads_per_worker : int, default 1
        The segmenters are pure Python: one thread per worker process uses the cores best.
    processes : bool, default True
        Worker processes (True) or threads of this process (False; fine for tests).
    **cluster_kwargs
        Passed to ``LocalCluster``.
    """
    from distributed import Client, LocalCluster

    if address is not None:
        with Client(address) as client:
            yield client
        return
    from ..core.parallel import available_cpus

    kwargs = {"dashboard_address": None, "silence_logs": 40, **cluster_kwargs}
    with LocalCluster(n_workers=n_workers or available_cpus(), threads_per_worker=threads_per_worker,
                      processes=processes, **kwargs) as cluster, Client(cluster) as client:
        yield client


def count_terms(token_lists: list[list[str]]) -> list[list[tuple[str, int]]]:
    """Return each document's ``(term, count)`` pairs, sorted by term (the counting task, as lists)."""
    from ..text.tokens import _SEP

    ids = [f"{i:012d}" for i in range(len(token_lists))]
    matrix = _count_task(ids, [_SEP.join(tokens) for tokens in token_lists])
    m = matrix.matrix
    return [[(matrix.terms[j], int(v)) for j, v in zip(m.indices[m.indptr[i]:m.indptr[i + 1]],
                                                       m.data[m.indptr[i]:m.indptr[i + 1]])]
            for i in range(len(ids))]


def _count_task(doc_ids: list[str], joined: list[str]):
    """Return the document-term matrix of documents given as joined token strings (the counting task).

    The one counting implementation, :func:`corpuslib.analysis.dtm.count_matrix_flat`, on the
    tokens split in Arrow.
    """
    from ..analysis.dtm import count_matrix_flat
    from ..text.tokens import split_joined

    flat, lengths = split_joined(joined)
    return count_matrix_flat(flat, lengths, doc_ids)


def _count_star(task):
    return _count_task(*task)


def _counts_frame(parts: list):
    """Return the tidy counts table (doc_id, term, count) of document-term matrices of consecutive slices.

    As :meth:`corpuslib.analysis.dtm.DocumentTermMatrix.to_frame` of their concatenation, built
    through Arrow (the terms are taken, not converted to Python objects one by one).
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    docs, terms, counts = [], [], []
    for part in parts:
        m = part.matrix
        rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
        docs.append(pa.array(part.doc_ids, type=pa.large_string()).take(pa.array(rows, pa.int64())))
        terms.append(pa.array(part.terms, type=pa.large_string()).take(pa.array(m.indices, pa.int64())))
        counts.append(np.asarray(m.data, dtype=np.int64))
    empty = pa.array([], type=pa.large_string())
    return pd.DataFrame({
        "doc_id": pd.Series(pa.chunked_array(docs or [empty], type=pa.large_string()), dtype="str"),
        "term": pd.Series(pa.chunked_array(terms or [empty], type=pa.large_string()), dtype="str"),
        "count": pd.Series(np.concatenate(counts) if counts else np.array([], np.int64), dtype="int64"),
    })


class _Writer:
    """Parquet row groups from DataFrames, schema fixed by the first one, written atomically."""

    def __init__(self, path: Path):
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.writer = None

    def write(self, df) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(df, preserve_index=False)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, table.schema)
        self.writer.write_table(table)

    def close(self, empty) -> None:
        if self.writer is None:
            self.write(empty)
        self.writer.close()
        self.tmp.replace(self.path)


def _tokens_and_counts(documents_path: Path, tokens_path: Path, counts_path: Path, *, executor, n_jobs,
                       chunk_size: int, stopwords: bool, cache: bool, progress: bool) -> int:
    """Tokenize and count the documents file ``chunk_size`` documents at a time; return the tokens written."""
    import pyarrow.parquet as pq

    from ..core import parallel
    from ..text import tokens as tok

    tokens_out, counts_out = _Writer(tokens_path), _Writer(counts_path)
    n_tokens = 0
    with pq.ParquetFile(documents_path) as pf, _token_executor(pf, executor, n_jobs) as ex:
        for batch in pf.iter_batches(batch_size=chunk_size, columns=["doc_id", "lang", "text"]):
            docs = batch.to_pandas()
            langs, joined = tok._document_token_strings(docs, stopwords=stopwords, cache=cache, progress=progress,
                                                        stem=False, n_jobs=1, executor=ex)
            table = tok._joined_tokens_frame(docs, langs, joined)
            n_tokens += len(table)
            tokens_out.write(table)
            # the documents file is sorted by doc_id, so chunks are too: rows stay in doc_id order
            ids = docs["doc_id"].tolist()
            if isinstance(ex, _DaskExecutor):  # on the cluster, in slices
                step = max(1, len(joined) // 8)
                tasks = [(ids[i:i + step], joined[i:i + step]) for i in range(0, len(joined), step)]
                parts = list(parallel.map_ordered(_count_star, tasks, executor=ex, max_pending=ex.max_pending))
            else:  # counting is cheap: here, in one piece (no pickling to workers)
                parts = [_count_task(ids, joined)]
            counts_out.write(_counts_frame(parts))
            del docs, joined, table, parts  # nothing of a chunk is held while the next one is read
    tokens_out.close(tok._joined_tokens_frame(_empty_docs(), [], []))
    counts_out.close(_counts_frame([]))
    return n_tokens


@contextlib.contextmanager
def _token_executor(pf, executor, n_jobs):
    """Yield the executor of the tokens stage: the one given, one local pool for all chunks, or in-process."""
    from ..core import parallel
    from ..text import tokens as tok

    if executor is not None:
        yield executor
        return
    n = parallel.resolve_jobs(n_jobs)
    plan = None
    if n_jobs in (-1, None) and n > 1:  # a choice: by the text to segment, then the CPUs free
        total, enough = 0, tok.PARALLEL_MIN_CHARS * n
        for batch in pf.iter_batches(columns=["n_chars"]):
            total += sum(batch.column(0).to_pylist())
            if total >= enough:
                break
        if total < tok.PARALLEL_MIN_CHARS:
            n = 1
        plan = functools.partial(parallel.plan_workers, n_jobs, total, min_work=tok.PARALLEL_MIN_CHARS,
                                 stage="tokenize")
    if n == 1:
        yield parallel.SerialExecutor()
        return
    langs = tuple(sorted({v for b in pf.iter_batches(columns=["lang"]) for v in b.column(0).to_pylist()}))
    # started only when a chunk has texts the token cache lacks (a warm rerun loads no segmenters);
    # the free CPUs are measured then
    with parallel.LazyPool(n, initializer=tok._warm_segmenters, initargs=(langs,), plan=plan) as pool:
        yield pool


def _empty_docs():
    import pandas as pd

    return pd.DataFrame({"doc_id": pd.Series([], dtype="str"), "lang": pd.Series([], dtype="str"),
                         "text": pd.Series([], dtype="str")})


def build_tables(paths, out_dir, *, engine: str = "local", address: str | None = None, client=None,
                 n_workers: int | None = None, n_jobs: int | None = -1, chunk_size: int = CHUNK_SIZE,
                 columns: dict | None = None, stopwords: bool = True, cache: bool = True, progress: bool = False,
                 **ingest_options) -> Tables:
    """Load, normalize, tokenize and count a corpus into tables, locally or on Dask.

    Parameters
    ----------
    paths : str, path or list of them
        What :func:`corpuslib.documents.table.ingest` accepts.
    out_dir : str or path
        Folder for ``documents.parquet``, ``rejected.csv``, ``tokens.parquet`` and
        ``term_counts.parquet`` (created, and marked as corpuslib's): new, empty or a previous
        build; anything else raises :class:`corpuslib.core.outputs.OutputError`.
    engine : {"local", "dask"}
        Where the tasks run. Both write the same bytes.
    address : str, optional
        ``engine="dask"``: scheduler to connect to; default a ``LocalCluster`` for the run.
    client : dask.distributed.Client, optional
        ``engine="dask"``: an open client to use (then ``address`` and ``n_workers`` are ignored).
    n_workers : int, optional
        ``engine="dask"``: workers of the local cluster (default: one per CPU).
    n_jobs : int, default -1
        ``engine="local"``: worker processes, as for :func:`corpuslib.documents.table.ingest`.
    chunk_size : int
        Documents per chunk (sorted run, row group, tokenization batch).
    columns, **ingest_options
        Passed to :func:`corpuslib.documents.table.ingest_to_parquet` (``min_chars``, ``tone_style``, ...).
    stopwords : bool
        Passed to :func:`corpuslib.text.tokens.tokenize`.
    cache : bool
        Use the ingest and token caches of this machine (the client's), and skip the build when
        ``out_dir`` already holds its result: a :data:`BUILD_RECORD` (``build.json``) written after
        each build names the inputs' fingerprint and the tables' sha256 (see :func:`up_to_date`).
        ``False`` rebuilds everything and writes no record.

    Returns
    -------
    Tables
        Paths of the four tables and the numbers of documents, rejected inputs and tokens.
    """
    from ..core import outputs

    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    # never write into a folder that holds anything but a previous build (or the corpus)
    out_dir = outputs.check_out_dir(out_dir, kind="build", inputs=[paths] if isinstance(paths, (str, Path)) else paths,
                                    flag="out_dir")
    outputs.write_marker(out_dir, "build")
    if cache and (done := up_to_date(paths, out_dir, chunk_size=chunk_size, columns=columns, stopwords=stopwords,
                                     **ingest_options)) is not None:
        return done  # same inputs, code and options as the tables there: nothing to do
    (out_dir / BUILD_RECORD).unlink(missing_ok=True)  # the tables are about to change
    with _engine(engine, address=address, client=client, n_workers=n_workers) as executor:
        tables, inputs = _build(paths, out_dir, executor=executor, n_jobs=n_jobs, chunk_size=chunk_size,
                                columns=columns, stopwords=stopwords, cache=cache, progress=progress,
                                **ingest_options)
    if cache:  # the inputs' fingerprint came with the ingest: the files are not read again for it
        _write_record(out_dir, _fingerprint(inputs, chunk_size=chunk_size, stopwords=stopwords), tables)
    return tables


def up_to_date(paths, out_dir, *, chunk_size: int = CHUNK_SIZE, columns: dict | None = None, stopwords: bool = True,
               **ingest_options) -> Tables | None:
    """Return the tables in ``out_dir`` when :func:`build_tables` would make the very same ones, else None.

    True when ``out_dir`` holds a :data:`BUILD_RECORD` whose fingerprint (every input file's path and
    bytes, the options, corpuslib's reading and tokenizing code, data and library versions) equals
    that of this call, and whose four tables still have the recorded sha256.
    """
    from ..documents.table import inputs_fingerprint

    out_dir = Path(out_dir)
    if not (out_dir / BUILD_RECORD).is_file():  # nothing recorded: no need to read the inputs
        return None
    inputs = inputs_fingerprint(paths, columns=columns, **ingest_options)
    return _recorded_tables(out_dir, _fingerprint(inputs, chunk_size=chunk_size, stopwords=stopwords))


def _fingerprint(inputs: str, *, chunk_size: int, stopwords: bool) -> str:
    """Return the build's fingerprint: the inputs' (:func:`~corpuslib.documents.table.inputs_fingerprint`), the
    options, and the code and data that tokenize and count."""
    import hashlib
    import json

    from ..text import tokens as tok

    h = hashlib.sha1(inputs.encode())
    h.update(json.dumps({"chunk_size": chunk_size, "stopwords": bool(stopwords), "tokenizer": tok._fingerprint(),
                         "tokenizer_version": tok.TOKENIZER_VERSION}, sort_keys=True).encode())
    from ..core.paths import package_root

    here = package_root()
    # the code that tokenizes, counts and writes (tokens reads codes, lemmas and numerals from their modules)
    for name in ("run/build.py", "analysis/dtm.py", "text/tokens.py", "text/codes.py", "text/lemmas.py",
                 "text/numerals.py", "text/language.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _table_paths(out_dir: Path) -> dict[str, Path]:
    return {name: out_dir / name for name in ("documents.parquet", "rejected.csv", "tokens.parquet",
                                              "term_counts.parquet")}


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _recorded_tables(out_dir: Path, fingerprint: str) -> Tables | None:
    import json

    try:
        record = json.loads((out_dir / BUILD_RECORD).read_text(encoding="utf-8"))
        files = _table_paths(out_dir)
        if record.get("fingerprint") != fingerprint or set(record.get("sha256", {})) != set(files):
            return None
        if any(not p.is_file() or _sha256(p) != record["sha256"][name] for name, p in files.items()):
            return None  # a table was edited or removed since
        return Tables(*files.values(), int(record["n_documents"]), int(record["n_rejected"]), int(record["n_tokens"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no record, or not one of ours: build


def _write_record(out_dir: Path, fingerprint: str, tables: Tables) -> None:
    import json

    record = {"fingerprint": fingerprint, "n_documents": tables.n_documents, "n_rejected": tables.n_rejected,
              "n_tokens": tables.n_tokens, "sha256": {name: _sha256(p) for name, p in _table_paths(out_dir).items()}}
    tmp = out_dir / (BUILD_RECORD + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out_dir / BUILD_RECORD)


@contextlib.contextmanager
def _engine(engine: str, *, address, client, n_workers):
    if engine == "local":
        yield None  # each stage picks its pool (or this process) from n_jobs
    elif client is not None:
        yield _DaskExecutor(client)
    else:
        with dask_client(address, n_workers=n_workers) as c:
            yield _DaskExecutor(c)


def _build(paths, out_dir: Path, *, executor, n_jobs, chunk_size, columns, stopwords, cache, progress,
           **ingest_options) -> tuple[Tables, str]:
    from ..documents.table import ingest_to_parquet

    docs_path, rej_path = out_dir / "documents.parquet", out_dir / "rejected.csv"
    tokens_path, counts_path = out_dir / "tokens.parquet", out_dir / "term_counts.parquet"
    summary = ingest_to_parquet(paths, docs_path, rejected=rej_path, chunk_size=chunk_size, columns=columns,
                                n_jobs=n_jobs, cache=cache, progress=progress, executor=executor, **ingest_options)
    n_tokens = _tokens_and_counts(docs_path, tokens_path, counts_path, executor=executor, n_jobs=n_jobs,
                                  chunk_size=chunk_size, stopwords=stopwords, cache=cache, progress=progress)
    tables = Tables(docs_path, rej_path, tokens_path, counts_path, summary.n_documents, len(summary.rejected), n_tokens)
    return tables, summary.fingerprint
