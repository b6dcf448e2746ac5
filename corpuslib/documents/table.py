"""The documents table: one clean, dated, language-tagged row per article.

``raw files -> documents``: :func:`ingest` reads files and folders (``.txt`` articles, ``.jsonl`` /
``.csv`` / ``.tsv`` tables), normalizes each article and returns the documents table together with
the rejected table, so every input is accounted for. :func:`ingest_to_parquet` does the same for
corpora that do not fit in memory, streaming to a Parquet file in chunks.

Both run on every core by default (``n_jobs=-1``) and give the same table as one process
(``n_jobs=1``): files are cut into tasks of a few hundred kilobytes, read back in input order. Each
file's rows are cached by a hash of its bytes, its path, the options and the code
(:func:`ingest_fingerprint`), so a rerun over unchanged files skips normalization entirely.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import heapq
import json
import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pandas as pd

from . import readers as rawio
from ..core.cache import KeyValueStore
from .boilerplate import is_dateline, load_rules, looks_like_title, strip_boilerplate
from .encodings import repair_mojibake
from ..text.language import detect_language
from .metadata import HEADER_LINES, extract_metadata
from ..text.normalize import decode_entities, html_to_text, looks_like_html, normalize_text
from ..core.schema import DOCUMENT_COLUMNS, REJECTED_COLUMNS

#: Bodies shorter than this (characters, after cleaning) are rejected as ``too_short``.
MIN_CHARS = 80


@dataclass(frozen=True)
class Options:
    """How raw records become documents (all of :func:`ingest`'s knobs)."""

    columns: dict | None = None
    min_chars: int = MIN_CHARS
    tone_style: str | None = "new"
    timezone: str | None = "Asia/Ho_Chi_Minh"
    repair: bool = True


class Ingested(NamedTuple):
    """What :func:`ingest` returns."""

    documents: pd.DataFrame
    rejected: pd.DataFrame


def content_hash(text: str) -> str:
    """Return the sha1 of a body with case and white space folded (duplicates match on it)."""
    # str.split() and the regex \s use the same Unicode white-space table; split is 5x faster.
    folded = " ".join(text.casefold().split())
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _rules():
    # load_rules resolves the package data path on every call; once per process is enough.
    return load_rules()


def _field(value: str | None, opts: Options | None = None) -> str | None:
    """A title, outlet or byline cell as text: references decoded once; with ``opts`` normalized like the body."""
    if not value:
        return None
    value = decode_entities(value)
    return normalize_text(value, tone_style=opts.tone_style) if opts is not None else value


def _is_table_row(source_path: str) -> bool:
    file, _, n = source_path.rpartition("#")
    return n.isdigit() and Path(file).suffix.lower() in rawio.TABLE_SUFFIXES


def _repeated(line: str, lines: list[str], index: int) -> bool:
    """Whether the page says ``line`` again: another line is it, or starts with it."""
    key = " ".join(line.casefold().split())
    return any(i != index and " ".join(other.casefold().split()).startswith(key) for i, other in enumerate(lines))


def _review_header(kept: list[str], body: list[str], meta, *, from_body: bool, table_row: bool) -> list[str]:
    """Return ``body`` with the header lines the page metadata took but that are the story put back.

    A line taken as the dateline stays in the body unless it is a date and little else
    (:func:`~corpuslib.documents.boilerplate.is_dateline`): "Sáng 20.1.2026, Đại hội ... khai mạc"
    is news. A line taken as the headline stays unless it looks like one
    (:func:`~corpuslib.documents.boilerplate.looks_like_title`, else there is no title), and, in a
    table's text cell (the body itself), unless the cell repeats it: a title borrowed from the
    body is a label, the paragraph remains. ``meta.title`` and ``meta.removed`` are updated.
    """
    from ..text.dates import parse_dateline

    taken: list[tuple[int, dict]] = []  # (index in kept, removed entry) of the header lines taken
    used: set[int] = set()
    for entry in meta.removed:
        if entry["reason"] not in ("title", "dateline"):
            continue
        i = next((j for j, ln in enumerate(kept[:HEADER_LINES]) if ln == entry["line"] and j not in used), None)
        if i is not None:
            used.add(i)
            taken.append((i, entry))
    back: list[tuple[int, dict]] = []
    for i, entry in taken:
        line = entry["line"]
        if entry["reason"] == "dateline":
            try:
                parsed = parse_dateline(line)
            except Exception:  # a parser bug must not lose the line
                parsed = None
            if parsed is not None and not is_dateline(line, parsed.span):
                back.append((i, entry))
        elif from_body:
            if not looks_like_title(line):
                meta.title = None
                back.append((i, entry))
            elif table_row and not _repeated(line, kept, i):
                back.append((i, entry))
    if not back:
        return body
    body = list(body)
    gone = sorted(i for i, e in taken if not any(e is b for _, b in back))
    for i, entry in sorted(back, key=lambda t: t[0]):
        pos = i - sum(1 for g in gone if g < i)
        body.insert(min(pos, len(body)), entry["line"])
    meta.removed = [e for e in meta.removed if not any(e is b for _, b in back)]
    return body


def _removed_summary(removed: list[dict], limit: int = 600) -> str:
    """The removed lines of a rejection, by reason: ``dateline 'Sáng 20.1.2026, ...'; promo '...'``."""
    if not removed:
        return "nothing (the text was blank)"
    parts = [f"{r['reason']} {r['line'][:160]!r}" for r in removed]
    out = ""
    for n, part in enumerate(parts):
        if out and len(out) + len(part) > limit:
            return out + f"; and {len(parts) - n} more"
        out = f"{out}; {part}" if out else part
    return out


def build_document(rec: rawio.RawRecord, opts: Options = Options()) -> dict:
    """Turn one raw record into a documents-table row (a dict), or a rejection dict."""
    text = rec.text
    removed: list[dict] = []
    if opts.repair:
        text, changed = repair_mojibake(text)
        if changed:
            removed.append({"line": "(mojibake repaired)", "reason": "mojibake"})
    # HTML character references are decoded here, once, for every text field: a page's markup with
    # its tags (html_to_text), anything else reference by reference (decode_entities).
    if looks_like_html(text):
        text = html_to_text(text)
        removed.append({"line": "(HTML markup stripped)", "reason": "html"})
    elif (decoded := decode_entities(text)) != text:
        text = decoded
        removed.append({"line": "(HTML character references decoded)", "reason": "html_entities"})
    text = normalize_text(text, tone_style=opts.tone_style)
    kept, dropped = strip_boilerplate(text.split("\n"), rules=_rules())
    removed += dropped
    title = _field(rec.title, opts)
    body, meta = extract_metadata(
        kept,
        text_for_year="\n".join(kept),
        url=rec.url,
        title=title,
        outlet=_field(rec.outlet),
        byline=_field(rec.byline),
        date_value=rec.date,
        date_is_fallback=rec.date_fallback,
        timezone=opts.timezone,
    )
    table_row = _is_table_row(rec.source_path)
    body = _review_header(kept, body, meta, from_body=title is None, table_row=table_row)
    removed = meta.removed + removed
    clean = "\n".join(body).strip()
    if not clean:
        return {"source_path": rec.source_path, "reason": "empty",
                "detail": "no body text left after cleaning; removed " + _removed_summary(removed)}
    # an outlet's credit to itself is removed, but an item is not too short for having had one
    credited = sum(len(x["line"]) + 1 for x in dropped if x["reason"] == "self_credit")
    if len(clean) + credited < opts.min_chars:
        return {
            "source_path": rec.source_path,
            "reason": "too_short",
            "detail": f"{len(clean)} characters of body (minimum {opts.min_chars})",
        }
    lang, score = detect_language(clean)
    return {
        "doc_id": rec.doc_id,
        "source_path": rec.source_path,
        "encoding": rec.encoding,
        "lang": lang,
        "lang_score": score,
        "title": meta.title,
        "outlet": meta.outlet,
        "outlet_method": meta.outlet_method,
        "byline": meta.byline,
        "url": rec.url,
        "published": meta.published,
        "published_has_time": meta.published_has_time,
        "date_method": meta.date_method,
        "date_note": meta.date_note,
        "page_date": meta.page_date,
        "text": clean,
        "removed": json.dumps(removed, ensure_ascii=False),
        "n_chars": len(clean),
        "content_hash": content_hash(clean),
        "near_duplicate_of": None,  # filled in over the whole corpus (duplicates.py)
    }


# --------------------------------------------------------------------------------------------
# Per-file work (runs in the workers, or here when n_jobs=1)
# --------------------------------------------------------------------------------------------

#: Table files (.jsonl/.csv/.tsv) larger than this are read here and their rows spread over the
#: workers in batches; smaller files are one job each.
SPLIT_TABLE_BYTES = 1 << 20
#: A task holds about this much raw text (a quarter of a second of work for one core) ...
TASK_BYTES = 256 * 1024
#: ... or this many jobs (files or record batches), whichever comes first.
TASK_JOBS = 256
#: With ``n_jobs=-1``, inputs smaller than this are read in one process (a pool costs ~1 s to start),
#: and each worker gets at least half of it (see :func:`corpuslib.core.parallel.plan_workers`).
PARALLEL_MIN_BYTES = 2 << 20
#: Documents per sorted run and per Parquet row group in :func:`ingest_to_parquet`.
CHUNK_SIZE = 5000


def _unreadable(source_path: str, exc: BaseException) -> dict:
    return {"source_path": source_path, "reason": "unreadable", "detail": f"{type(exc).__name__}: {exc}"}


def _build_row(item, opts: Options) -> dict:
    """Return the row of a raw record (a document or a rejection); rejection dicts pass through."""
    if isinstance(item, dict):
        return item
    try:
        return build_document(item, opts)
    except Exception as exc:  # one bad article must not stop the corpus
        row = _unreadable(item.source_path, exc)
        file, _, n = item.source_path.rpartition("#")
        if n.isdigit() and Path(file).suffix.lower() in rawio.TABLE_SUFFIXES:
            row["reason"] = "bad_row"  # a table row that cannot be read: the file's other rows stay
        return row


def _file_rows(root: Path, path: Path, opts: Options, data: bytes | None = None) -> list[dict]:
    """Return the rows (documents and rejections) of one file, in record order."""
    rows: list[dict] = []
    try:
        for item in rawio.read_records(root, path, columns=opts.columns, data=data):
            rows.append(_build_row(item, opts))
    except Exception as exc:  # a reader bug on hostile bytes: account for the file, keep going
        rows.append(_unreadable(rawio.display_path(path), exc))
    return rows


def _run_job(job: tuple, opts: Options) -> list[dict]:
    if job[0] == "file":
        _, root, path, data = job
        return _file_rows(Path(root), Path(path), opts, data)
    return [_build_row(item, opts) for item in job[1]]


def _run_task(opts: Options, jobs: list[tuple]) -> list[bytes]:
    """Run a task's jobs; each job's rows come back encoded (the parent caches those bytes as they are)."""
    return [encode_rows(_run_job(job, opts)) for job in jobs]


def _warm_worker() -> None:
    """Load what every article needs (language model, rules, outlets) once per worker."""
    rec = rawio.RawRecord("warm-up", "warm-up", "Ban Tổ chức Trung ương tổ chức hội nghị. " * 4, "utf-8")
    with contextlib.suppress(Exception):
        build_document(rec)


# --------------------------------------------------------------------------------------------
# Cache of each file's rows
# --------------------------------------------------------------------------------------------

#: Bump to invalidate every cached file by hand (the code and data are hashed in automatically).
INGEST_VERSION = "1"
_CACHE_FILE = "ingest.sqlite3"
# Modules whose code decides a file's rows, and libraries whose version does.
_INGEST_MODULES = ("documents/readers", "documents/encodings", "documents/table", "text/normalize", "documents/boilerplate",
                   "documents/metadata", "text/dates", "text/language", "text/numerals", "text/sentences",
                   "core/schema")
_INGEST_LIBRARIES = ("ftfy", "py3langid", "dateparser", "numpy")


@lru_cache(maxsize=1)
def ingest_fingerprint() -> str:
    """Return a hash of everything besides a file's bytes that decides its rows.

    The source of the reading modules, every shipped data file, the versions of ftfy, py3langid
    and dateparser, the Unicode database and :data:`INGEST_VERSION`: change any of them and every
    cached file is read again.
    """
    from importlib import metadata
    import unicodedata

    from ..core import paths

    here = paths.package_root()
    h = hashlib.sha1(f"corpuslib.documents {INGEST_VERSION} unicode {unicodedata.unidata_version}".encode())
    for name in _INGEST_MODULES:
        # a module, or a package (text/dates): every file of it, in name order
        files = sorted((here / name).glob("*.py")) if (here / name).is_dir() else [here / f"{name}.py"]
        for f in files:
            h.update(f.read_bytes())
    for f in paths.shipped_data_files():
        h.update(f.name.encode() + f.read_bytes())
    for dist in _INGEST_LIBRARIES:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def _key_prefix(opts: Options):
    """Return the hash state every file key of a run starts from: code fingerprint and options."""
    h = hashlib.sha1(ingest_fingerprint().encode())
    h.update(json.dumps(asdict(opts), sort_keys=True, default=str).encode())
    return h


def _file_key(prefix, root: Path, path: Path, data: bytes) -> str:
    h = prefix.copy()
    h.update(f"\x1f{root}\x1f{path}\x1f".encode("utf-8", "surrogatepass"))
    h.update(data)
    return h.hexdigest()


def inputs_fingerprint(paths, *, columns: dict | None = None, min_chars: int = MIN_CHARS,
                       tone_style: str | None = "new", timezone: str | None = "Asia/Ho_Chi_Minh",
                       repair: bool = True) -> str:
    """Return a hash of everything that decides what :func:`ingest` makes of ``paths``.

    Each file's path and bytes (in discovery order), the options, and :func:`ingest_fingerprint`
    (the reading code, shipped data and library versions): equal fingerprints, equal tables.
    Reads every file once (no parsing).
    """
    opts = _options(columns, min_chars, tone_style, timezone, repair)
    digest = _Fingerprint(opts)
    for root, path in rawio.discover(paths):
        digest.add(root, path, *_read_input(path))
    return digest.hexdigest()


def _read_input(path: Path) -> tuple[bytes | None, str]:
    """Return ``(bytes or None, why not)``: an unreadable file is reported by the job that reads it again."""
    try:
        return rawio.read_file(path), ""
    except OSError as exc:
        return None, type(exc).__name__


class _Fingerprint:
    """The running hash of :func:`inputs_fingerprint`, fed file by file in discovery order."""

    def __init__(self, opts: Options):
        self.prefix = _key_prefix(opts)
        self.h = self.prefix.copy()

    def add(self, root: Path, path: Path, data: bytes | None, why: str = "", key: str | None = None) -> None:
        # an unreadable file is part of what the run saw
        key = key or _file_key(self.prefix, root, path, data if data is not None else f"\x00unreadable {why}".encode())
        self.h.update(key.encode())

    def hexdigest(self) -> str:
        return self.h.hexdigest()


def _row_store() -> KeyValueStore:
    from ..core import paths

    return KeyValueStore(paths.cache_dir() / _CACHE_FILE, "file_rows", "ingest cache")


def _json_default(value):
    if isinstance(value, _dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$date": value.isoformat()}
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    raise TypeError(f"cannot store a {type(value).__name__} in the ingest cache")


def _json_tagged(obj: dict):
    if len(obj) == 1:
        if "$datetime" in obj:
            return _dt.datetime.fromisoformat(obj["$datetime"])
        if "$date" in obj:
            return _dt.date.fromisoformat(obj["$date"])
    return obj


def encode_rows(rows: list[dict]) -> bytes:
    """Return the cached form of a file's rows: JSON (dates tagged), UTF-8; data only, never code."""
    text = json.dumps(rows, ensure_ascii=False, default=_json_default, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def decode_rows(blob: bytes) -> list[dict] | None:
    """Return the rows of :func:`encode_rows` bytes, or None for anything else (a damaged entry is a miss)."""
    try:
        rows = json.loads(blob.decode("utf-8", "surrogatepass"), object_hook=_json_tagged)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return None
    return rows


# --------------------------------------------------------------------------------------------
# Plan (what to do per file) and execution (in order, on any executor)
# --------------------------------------------------------------------------------------------


class _Entry(NamedTuple):
    """One step of the plan: rows already known, or a job to run; ``last`` closes a file."""

    rows: list[dict] | None
    job: tuple | None
    size: int
    key: str | None
    last: bool


def _plan(files: list[tuple[Path, Path]], opts: Options, store: KeyValueStore | None,
          fingerprint: _Fingerprint | None = None) -> Iterator[_Entry]:
    """Yield the plan of every file, in order: cached rows, file jobs, or record batches of big tables.

    ``fingerprint``, when given, is fed every file as it is read (so a build need not read them again).
    """
    prefix = _key_prefix(opts) if store is not None else None
    for start in range(0, len(files), 256):
        batch = []
        for root, path in files[start:start + 256]:
            data, why = _read_input(path)
            key = _file_key(prefix, root, path, data) if store is not None and data is not None else None
            if fingerprint is not None:
                fingerprint.add(root, path, data, why, key)
            batch.append((root, path, data, key))
        found = store.get_many([k for *_, k in batch if k]) if store is not None else {}
        for root, path, data, key in batch:
            rows = decode_rows(found[key]) if key in found else None
            if rows is not None:
                yield _Entry(rows, None, 0, None, True)
            elif data is not None and len(data) > SPLIT_TABLE_BYTES and path.suffix.lower() in rawio.TABLE_SUFFIXES:
                yield from _plan_table(root, path, data, opts, store, key)
            else:
                yield _Entry(None, ("file", str(root), str(path), data), len(data or b"") + 512, key, True)


def _plan_table(root: Path, path: Path, data: bytes, opts: Options, store, key) -> Iterator[_Entry]:
    """Yield a big table's records in batches of about :data:`TASK_BYTES`, each cached on its own."""
    part = 0

    def entry(items, size, last):
        part_key = f"{key}:{part}" if key else None
        blob = store.get_many([part_key]).get(part_key) if part_key else None
        rows = decode_rows(blob) if blob is not None else None
        if rows is not None:
            return _Entry(rows, None, 0, None, last)
        return _Entry(None, ("records", items), size, part_key, last)

    items: list = []
    size = 0
    try:
        for item in rawio.read_records(root, path, columns=opts.columns, data=data):
            items.append(item)
            size += len(item.text) * 2 + 256 if isinstance(item, rawio.RawRecord) else 256
            if size >= TASK_BYTES:
                yield entry(items, size, False)
                part, items, size = part + 1, [], 0
    except Exception as exc:  # as in _file_rows: the file is accounted for
        items.append(_unreadable(rawio.display_path(path), exc))
    yield entry(items, size, True)


def _execute(entries: Iterable[_Entry], opts: Options, executor, store: KeyValueStore | None,
             max_pending: int) -> Iterator[tuple[list[dict], bool]]:
    """Yield ``(rows, closes_a_file)`` for every plan entry, in plan order.

    Consecutive jobs are grouped into tasks of about :data:`TASK_BYTES`; at most ``max_pending``
    tasks are in flight, so memory stays bounded however long the plan is.
    """
    import collections

    from ..core.parallel import _take

    pending: collections.deque = collections.deque()

    def flush(group, size):
        jobs = [e.job for e in group if e.job is not None]
        future = executor.submit(_run_task, opts, jobs) if jobs else None
        pending.append((group, future))

    def drain():
        group, future = pending.popleft()
        blobs = iter(_take(future) if future is not None else ())
        puts = []
        for e in group:
            if e.job is None:
                yield e.rows, e.last
                continue
            blob = next(blobs)
            if e.key is not None:
                puts.append((e.key, blob))
            yield decode_rows(blob), e.last
        if store is not None:
            store.put_many(puts)

    group: list[_Entry] = []
    size = n_jobs = 0
    for e in entries:
        group.append(e)
        if e.job is not None:
            size += e.size
            n_jobs += 1
        if size >= TASK_BYTES or n_jobs >= TASK_JOBS or len(group) >= 4 * TASK_JOBS:
            flush(group, size)
            group, size, n_jobs = [], 0, 0
            while len(pending) >= max_pending:
                yield from drain()
    if group:
        flush(group, size)
    while pending:
        yield from drain()


def _input_bytes(files: list[tuple[Path, Path]], enough: int) -> int:
    """Return the total size of the files, or a number >= ``enough`` as soon as it is reached."""
    total = 0
    for _, path in files:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
        if total >= enough:
            break
    return total


@contextlib.contextmanager
def _ingest_executor(files, n_jobs: int | None, executor):
    """Yield ``(executor, max_pending)``: the one given, a process pool, or in-process for small inputs."""
    from ..core import parallel

    if executor is not None:
        yield executor, getattr(executor, "max_pending", 16)
        return
    n = parallel.resolve_jobs(n_jobs)
    plan = None
    if n_jobs in (-1, None) and n > 1:  # a choice: by the bytes to read, then the CPUs free
        work = _input_bytes(files, PARALLEL_MIN_BYTES * n)
        if work < PARALLEL_MIN_BYTES:
            n = 1
        plan = functools.partial(parallel.plan_workers, n_jobs, work, min_work=PARALLEL_MIN_BYTES, stage="ingest")
    if n == 1:
        yield parallel.SerialExecutor(), 1
        return
    # started only if a file is not cached; the free CPUs are measured then
    with parallel.LazyPool(n, initializer=_warm_worker, plan=plan) as pool:
        yield pool, pool.max_pending


class _Files:
    """The ``(root, path)`` list of :func:`~corpuslib.documents.readers.discover`, held compactly.

    A million ``pathlib`` pairs take about 380 MB (each path keeps its parts as a list of strings);
    held as one string a file and an index to its root they take about 130 MB, and the pairs are
    made again only for the batch being read.
    """

    def __init__(self, pairs: list[tuple[Path, Path]]):
        import array

        roots: dict[Path, int] = {}
        self.roots: list[Path] = []
        self.which = array.array("I")
        self.paths: list[str] = []
        for root, path in pairs:
            if root not in roots:
                roots[root] = len(self.roots)
                self.roots.append(root)
            self.which.append(roots[root])
            self.paths.append(os.fspath(path))

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [(self.roots[r], Path(p)) for r, p in zip(self.which[i], self.paths[i])]
        return self.roots[self.which[i]], Path(self.paths[i])

    def __iter__(self):
        for r, p in zip(self.which, self.paths):
            yield self.roots[r], Path(p)


def _rows(paths, opts: Options, *, n_jobs, cache: bool, progress: bool, executor=None,
          fingerprint: _Fingerprint | None = None) -> Iterator[dict]:
    """Yield the rows (documents and rejections) of every input, in input order."""
    files = _Files(rawio.discover(paths))
    bar = store = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="ingest", unit="file")
    try:
        # workers first: a forked worker must not inherit an open SQLite connection
        with _ingest_executor(files, n_jobs, executor) as (ex, max_pending):
            store = _row_store() if cache else None
            for rows, last in _execute(_plan(files, opts, store, fingerprint), opts, ex, store, max_pending):
                yield from rows
                if bar is not None and last:
                    bar.update(1)
    finally:
        if store is not None:
            store.close()
        if bar is not None:
            bar.close()


def _options(columns, min_chars, tone_style, timezone, repair) -> Options:
    if min_chars < 0:
        raise ValueError(f"min_chars must be >= 0, not {min_chars}")
    return Options(columns, min_chars, tone_style, timezone, repair)


def _unique_ids(rows: list[dict]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        base = row["doc_id"]
        n = seen.get(base, 0) + 1
        seen[base] = n
        if n > 1:
            row["doc_id"] = f"{base}~{n}"


def ingest(paths, *, columns: dict | None = None, min_chars: int = MIN_CHARS, tone_style: str | None = "new",
           timezone: str | None = "Asia/Ho_Chi_Minh", repair: bool = True, progress: bool = False,
           n_jobs: int | None = -1, cache: bool = True, drop_near_duplicates: bool = False) -> Ingested:
    """Read files and folders into the documents table and the rejected table.

    Parameters
    ----------
    paths : str, path or list of them
        ``.txt`` articles (any other suffix is read as an article too), ``.jsonl`` / ``.csv`` /
        ``.tsv`` tables with one article per row, or folders of them (recursive, hidden files skipped).
    columns : dict, optional
        For tables: which column holds each field, e.g. ``{"id": "id", "text": "content.text",
        "title": "title", "date": "published_at", "url": "url", "outlet": "source"}``; unnamed
        fields are guessed from common names. A named id column becomes ``doc_id``. The role
        ``date_fallback`` names a true/false column saying the date cell is a stand-in (guessed from
        ``published_is_fetch_fallback``); a URL timestamp then wins over it.
    min_chars : int
        Bodies shorter than this are rejected as ``too_short``.
    tone_style : {"new", "old", "none", None}
        Vietnamese tone placement in open oa/oe/uy syllables, decided word by word (see
        :func:`corpuslib.text.normalize.normalize_tone_marks`); ``"none"`` keeps it as written.
    timezone : str or None
        Zone that timestamps with an offset are converted to; ``published`` is naive local time.
    repair : bool
        Repair mojibake (UTF-8 read as cp1252 and the like).
    progress : bool
        Show a progress bar.
    n_jobs : int, default -1
        Worker processes: ``-1`` every CPU (inputs under :data:`PARALLEL_MIN_BYTES` are read in
        this process, where a pool would cost more than it saves), ``1`` this process only, ``n``
        exactly n. The table is the same whatever the value.
    cache : bool, default True
        Reuse and store each file's rows in ``cache_dir()/ingest.sqlite3``, keyed by a hash of the
        file's bytes and path, the options and :func:`ingest_fingerprint`.
    drop_near_duplicates : bool, default False
        Near-duplicates (reposts and updated versions of a story, see
        :mod:`corpuslib.documents.duplicates`) are always flagged in ``near_duplicate_of``; with
        True they go to the rejected table instead (reason ``near_duplicate``), the original stays.

    Returns
    -------
    Ingested
        ``documents`` (columns in :data:`corpuslib.core.schema.DOCUMENT_COLUMNS`, sorted by doc_id)
        and ``rejected`` (``source_path, reason, detail``, sorted).

    Raises
    ------
    corpuslib.documents.readers.InputNotFoundError
        When a path does not exist. Bad content never raises: it is rejected with a reason.
    """
    opts = _options(columns, min_chars, tone_style, timezone, repair)
    result = _table(_rows(paths, opts, n_jobs=n_jobs, cache=cache, progress=progress))
    return _near_duplicates(result, drop_near_duplicates)


def _near_rejection(source_path: str, doc_id: str, original: str) -> dict:
    return {"source_path": source_path, "reason": "near_duplicate",
            "detail": f"doc {doc_id}: near-duplicate of {original}"}


def _near_duplicates(result: Ingested, drop: bool) -> Ingested:
    """Fill ``near_duplicate_of``; with ``drop``, move the near-duplicates to the rejected table."""
    from .duplicates import flag_near_duplicates

    docs = result.documents
    if not len(docs):
        return result
    flagged = flag_near_duplicates(docs)["near_duplicate_of"].tolist()
    docs = docs.copy()
    docs["near_duplicate_of"] = _text_values(flagged)
    if not drop:
        return Ingested(docs, result.rejected)
    near = docs["near_duplicate_of"].notna()
    extra = [_near_rejection(p, d, o) for p, d, o in
             zip(docs.loc[near, "source_path"], docs.loc[near, "doc_id"], docs.loc[near, "near_duplicate_of"])]
    rejected = _rejected_frame(result.rejected.to_dict("records") + extra)
    return Ingested(docs.loc[~near].reset_index(drop=True), rejected)


def _text_values(values: list):
    """A text column as :func:`_documents_frame` types it (Arrow strings when any value is text)."""
    import pyarrow as pa

    if any(isinstance(v, str) for v in values):
        return pd.Series(pa.array(values, type=pa.large_string()), dtype="str").values
    return pd.Series(values, dtype=object).values


def _table(rows: Iterable[dict]) -> Ingested:
    """Return the documents and rejected tables of rows in input order: ids made unique, duplicates out."""
    docs: list[dict] = []
    rejected: list[dict] = []
    for row in rows:
        (docs if "doc_id" in row else rejected).append(row)
    docs.sort(key=lambda r: (r["doc_id"], r["source_path"]))
    _unique_ids(docs)
    kept, first = [], {}
    for row in docs:
        h = row["content_hash"]
        if h in first:
            rejected.append({"source_path": row["source_path"], "reason": "duplicate", "detail": f"same body as {first[h]}"})
        else:
            first[h] = row["doc_id"]
            kept.append(row)
    return Ingested(_documents_frame(kept), _rejected_frame(rejected))


# --------------------------------------------------------------------------------------------
# Streaming to Parquet
# --------------------------------------------------------------------------------------------

#: Columns that hold text or None (their dtype depends on whether any row has a value).
_TEXT_COLUMNS = tuple(c for c in DOCUMENT_COLUMNS if c not in
                      ("lang_score", "published", "published_has_time", "page_date", "n_chars"))
_RUN_BLOCK = 200  # rows per Arrow block in a run file: what the merge holds per run
#: Runs merged at once. More runs (a corpus over ``MERGE_FANIN * chunk_size`` documents) are first
#: merged in groups into longer runs, so the merge holds at most this many blocks however large
#: the corpus (one block of every run at 10^6 documents was 200 blocks, a quarter of a KB an article).
MERGE_FANIN = 16


class StreamedIngest(NamedTuple):
    """What :func:`ingest_to_parquet` returns (the documents themselves are in the file)."""

    path: Path
    n_documents: int
    langs: dict
    n_dated: int
    rejected: pd.DataFrame
    #: :func:`inputs_fingerprint` of what was read, computed on the way (``""`` with ``cache=False``)
    fingerprint: str = ""


def _sort_key(row: dict) -> tuple[str, str]:
    return row["doc_id"], row["source_path"]


def _write_run(rows: list[dict], folder: str, name: str, key=_sort_key) -> str:
    """Write ``rows`` sorted by ``key`` as a run file of Arrow IPC blocks; return its path.

    Arrow, not pickle: a file read back must never be able to run code, even a temporary one.
    Each block is its own length-prefixed IPC stream, so a column that is all-null in one block
    and text in the next needs no common schema.
    """
    rows.sort(key=key)
    return _write_sorted(rows, folder, name)


def _write_sorted(rows: Iterable[dict], folder: str, name: str) -> str:
    """Write rows already in order as a run file (Arrow IPC blocks of :data:`_RUN_BLOCK` rows)."""
    import pyarrow as pa

    path = os.path.join(folder, f"{name}.arrows")
    with open(path, "wb") as fh:
        for block in _blocks(rows, _RUN_BLOCK):
            table = pa.Table.from_pylist(block)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            data = sink.getvalue()
            fh.write(len(data).to_bytes(8, "little"))
            fh.write(data)
    return path


def _blocks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    block: list[dict] = []
    for row in rows:
        block.append(row)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def _merge_runs(runs: list, folder: str, fanin: int = MERGE_FANIN) -> list:
    """Merge runs in consecutive groups of ``fanin`` until at most ``fanin`` are left (a stable merge:
    equal keys keep the order of their runs, as one merge of all of them would)."""
    level = 0
    while len(runs) > fanin:
        runs = [runs[i] if len(runs[i:i + fanin]) == 1 else
                _write_sorted(heapq.merge(*(_read_run(r) for r in runs[i:i + fanin]), key=_sort_key), folder,
                              f"merge{level:02d}-{i // fanin:06d}")
                for i in range(0, len(runs), fanin)]
        level += 1
    return runs


def _read_run(path) -> Iterator[dict]:
    if isinstance(path, list):  # a run kept in memory
        yield from path
        return
    import pyarrow as pa

    with open(path, "rb") as fh:
        while size := int.from_bytes(fh.read(8), "little"):
            yield from pa.ipc.open_stream(fh.read(size)).read_all().to_pylist()


def ingest_to_parquet(paths, out, *, rejected=None, chunk_size: int = CHUNK_SIZE, columns: dict | None = None,
                      min_chars: int = MIN_CHARS, tone_style: str | None = "new",
                      timezone: str | None = "Asia/Ho_Chi_Minh", repair: bool = True, progress: bool = False,
                      n_jobs: int | None = -1, cache: bool = True, executor=None,
                      drop_near_duplicates: bool = False) -> StreamedIngest:
    """Read files and folders into a documents Parquet file, in chunks, with flat memory.

    The file holds the same table as :func:`ingest` (``pd.read_parquet(out)`` equals
    ``ingest(paths).documents``), but the corpus is never in memory at once. An external sort:

    1. rows stream from the workers in input order; every ``chunk_size`` documents are sorted by
       ``(doc_id, source_path)`` and written to a temporary *run* file (Arrow IPC blocks; the last
       run stays in memory);
    2. the runs are merged (``heapq.merge``, one block of each run in memory). On the merged
       stream, repeated ids get their ``~2`` suffix and repeated bodies are dropped against a set
       of 20-byte sha1 digests, exactly as :func:`ingest` does on its sorted list; a row whose id
       got a suffix waits in a small heap until the stream reaches its new place;
    3. the rows are written as Parquet row groups of ``chunk_size`` rows as they come. A text
       column's type (text, or all-null) is taken from every document read; in the rare corpus
       where only dropped duplicates had a value in some column, step 2-3 runs again with the
       right type.

    4. near-duplicates are found on the written file (its ``doc_id``, ``text`` and ``published``
       read in batches) and, when there are any, the file is rewritten row group by row group
       with ``near_duplicate_of`` filled in (or, with ``drop_near_duplicates``, without them).

    What grows with the corpus: the file list, the digest set (about 100 bytes a document in
    CPython), the MinHash signatures and LSH index (about 2 KB a document) and the rejected rows;
    more than :data:`MERGE_FANIN` runs are merged in groups first, so the merge holds a bounded
    number of blocks. The temporary runs (about the size of the text) go next to
    ``out`` and are removed.

    Parameters
    ----------
    paths, columns, min_chars, tone_style, timezone, repair, progress, n_jobs, cache, drop_near_duplicates
        As for :func:`ingest`.
    out : str or path
        Parquet file to write (atomically: a temp file renamed into place).
    rejected : str or path, optional
        Also write the rejected table there (CSV, as ``corpuslib ingest --rejected``).
    chunk_size : int
        Documents per run and per row group; peak memory grows with it, not with the corpus.
    executor : optional
        Run the jobs there (e.g. a ``dask.distributed.Client``, see :mod:`corpuslib.run.build`)
        instead of a local pool.

    Returns
    -------
    StreamedIngest
        ``path``, ``n_documents``, ``langs`` (documents per language), ``n_dated`` and the
        ``rejected`` table.
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be an int >= 1, not {chunk_size!r}")
    opts = _options(columns, min_chars, tone_style, timezone, repair)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fingerprint = _Fingerprint(opts) if cache else None  # with the cache the file keys are computed anyway
    rows = _rows(paths, opts, n_jobs=n_jobs, cache=cache, progress=progress, executor=executor,
                 fingerprint=fingerprint)
    stats, rej = _sort_to_parquet(rows, out, chunk_size)
    stats, rej = _near_duplicates_parquet(out, stats, rej, drop_near_duplicates)
    if rejected is not None:
        from ..core.tables import write_table

        write_table(rej, rejected, sort_by=[])  # already in row order (sort_rejected)
    return StreamedIngest(out, stats["n"], dict(sorted(stats["langs"].items())), stats["dated"], rej,
                          fingerprint.hexdigest() if fingerprint is not None else "")


def _near_duplicates_parquet(out: Path, stats: dict, rejected: pd.DataFrame, drop: bool):
    """Fill ``near_duplicate_of`` in a written documents file (rewritten only when some are found)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .duplicates import NearDuplicates

    if not stats["n"]:
        return stats, rejected

    def items():
        with pq.ParquetFile(out) as pf:
            for batch in pf.iter_batches(columns=["doc_id", "text", "published"], batch_size=4096):
                yield from zip(*(batch.column(i).to_pylist() for i in range(3)))

    found = NearDuplicates().fit(items())
    if not found.original_:
        return stats, rejected
    tmp_out = out.with_name(out.name + ".tmp")
    writer = None
    extra: list[dict] = []
    stats = {**stats, "n": 0, "langs": Counter(), "dated": 0}
    try:
        with pq.ParquetFile(out) as pf:
            for g in range(pf.num_row_groups):
                df = pf.read_row_group(g).to_pandas()
                flags = [found.original_.get(d) for d in df["doc_id"]]
                df["near_duplicate_of"] = pd.Series(flags, dtype="str").values  # typed as ingest types it
                if drop:
                    near = df["near_duplicate_of"].notna()
                    extra += [_near_rejection(p, d, o) for p, d, o in zip(
                        df.loc[near, "source_path"], df.loc[near, "doc_id"], df.loc[near, "near_duplicate_of"])]
                    df = df.loc[~near].reset_index(drop=True)
                stats["n"] += len(df)
                stats["langs"].update(df["lang"].tolist())
                stats["dated"] += int(df["published"].notna().sum())
                table = pa.Table.from_pandas(df, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp_out, table.schema)
                writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    tmp_out.replace(out)
    if extra:
        rejected = _rejected_frame(rejected.to_dict("records") + extra)
    return stats, rejected


def _sort_to_parquet(rows: Iterable[dict], out: Path, chunk_size: int) -> tuple[dict, pd.DataFrame]:
    """Write the documents among ``rows`` as :func:`ingest` would table them; return counts and rejections."""
    rejects: list[dict] = []
    has_text = dict.fromkeys(_TEXT_COLUMNS, False)
    with tempfile.TemporaryDirectory(prefix=".corpuslib-ingest-", dir=out.parent) as tmp:
        # 1. sorted runs
        runs: list = []
        buf: list[dict] = []
        for row in rows:
            if "doc_id" not in row:
                rejects.append(row)
                continue
            for col in _TEXT_COLUMNS:
                if not has_text[col] and row[col] is not None:
                    has_text[col] = True
            buf.append(row)
            if len(buf) >= chunk_size:
                runs.append(_write_run(buf, tmp, f"run{len(runs):06d}"))
                buf = []
        buf.sort(key=_sort_key)
        runs.append(buf)  # the last run stays in memory
        del buf
        runs = _merge_runs(runs, tmp)  # a bounded number of runs: the merge's memory stays flat

        # 2-3. merge and write; again in the rare case a column's type was guessed wrong
        stats = _merge_to_parquet(runs, out, chunk_size, has_text)
        if stats["has_text"] != has_text:
            stats = _merge_to_parquet(runs, out, chunk_size, stats["has_text"])
        rejects.extend(row for _, row in stats["dups"])
        _name_duplicate_sources(out, stats["dups"])
    return stats, _rejected_frame(rejects)


def _merge_to_parquet(runs: list, out: Path, chunk_size: int, has_text: dict[str, bool]) -> dict:
    """Merge the sorted runs, apply ingest's id suffixes and duplicate rule, write row groups.

    Returns counts, the duplicates (``(digest, rejection row)``) and which text columns of the
    kept rows have a value.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    seen: set[bytes] = set()
    dups: list[tuple[bytes, dict]] = []
    kept_text = dict.fromkeys(_TEXT_COLUMNS, False)
    stats = {"n": 0, "langs": Counter(), "dated": 0}
    tmp_out = out.with_name(out.name + ".tmp")
    writer = None
    chunk: list[dict] = []

    def write(rows):
        nonlocal writer
        df = _documents_frame(rows)
        for col in _TEXT_COLUMNS:
            if has_text[col] and df[col].dtype == object:
                df[col] = df[col].astype("str")  # null in this chunk, text elsewhere: typed as overall
        stats["n"] += len(df)
        stats["langs"].update(df["lang"].tolist())
        stats["dated"] += int(df["published"].notna().sum())
        table = pa.Table.from_pandas(df, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(tmp_out, table.schema)
        writer.write_table(table)

    def emit(row):
        nonlocal chunk
        for col in _TEXT_COLUMNS:
            if not kept_text[col] and row[col] is not None:
                kept_text[col] = True
        chunk.append(row)
        if len(chunk) >= chunk_size:
            write(chunk)
            chunk = []

    # Rows whose id got a suffix sort later than where the merge finds them: they wait in a heap
    # keyed (new id, arrival) and leave it when the stream passes that key (a stable sort by id).
    waiting: list[tuple[str, int, dict]] = []
    prev, count, seq = None, 0, 0
    try:
        for row in heapq.merge(*(_read_run(r) for r in runs), key=_sort_key):
            base = row["doc_id"]
            count = count + 1 if base == prev else 1
            prev = base
            if count > 1:
                row = {**row, "doc_id": f"{base}~{count}"}
            digest = bytes.fromhex(row["content_hash"])
            if digest in seen:
                dups.append((digest, {"source_path": row["source_path"], "reason": "duplicate", "detail": ""}))
                continue
            seen.add(digest)
            seq += 1
            if count > 1:
                heapq.heappush(waiting, (row["doc_id"], seq, row))
                continue
            while waiting and (waiting[0][0], waiting[0][1]) < (row["doc_id"], seq):
                emit(heapq.heappop(waiting)[2])
            emit(row)
        while waiting:
            emit(heapq.heappop(waiting)[2])
        if chunk or writer is None:
            write(chunk)
    finally:
        if writer is not None:
            writer.close()
    tmp_out.replace(out)
    return {**stats, "dups": dups, "has_text": kept_text}


def _name_duplicate_sources(out: Path, dups: list[tuple[bytes, dict]]) -> None:
    """Fill in "same body as <doc_id>" for the duplicates, reading two columns of the file written."""
    if not dups:
        return
    import pyarrow.parquet as pq

    wanted: dict[bytes, list[dict]] = {}
    for digest, row in dups:
        wanted.setdefault(digest, []).append(row)
    with pq.ParquetFile(out) as pf:
        for batch in pf.iter_batches(columns=["doc_id", "content_hash"], batch_size=65536):
            for doc_id, h in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()):
                for row in wanted.get(bytes.fromhex(h), ()):
                    row["detail"] = f"same body as {doc_id}"


def _documents_frame(rows: list[dict]) -> pd.DataFrame:
    import pyarrow as pa

    columns = {}
    for col in DOCUMENT_COLUMNS:
        values = [row.get(col) for row in rows]
        # text columns straight to Arrow (pandas' str conversion was a third of a warm rerun);
        # all-null or non-text columns are left to pandas' inference, as before
        if col in _TEXT_COLUMNS and any(isinstance(v, str) for v in values) and all(
                v is None or isinstance(v, str) for v in values):
            columns[col] = pd.Series(pa.array(values, type=pa.large_string()), dtype="str")
        else:
            columns[col] = values
    # no rows: columns of empty lists would be float64; the empty frame keeps them object, as before
    df = pd.DataFrame(columns, columns=list(DOCUMENT_COLUMNS)) if rows else pd.DataFrame(
        rows, columns=list(DOCUMENT_COLUMNS))
    for col in ("published", "page_date"):
        df[col] = pd.to_datetime(df[col], errors="coerce").astype("datetime64[ns]")
    df["lang_score"] = df["lang_score"].astype(float)
    df["n_chars"] = df["n_chars"].astype("int64")
    df["published_has_time"] = df["published_has_time"].astype(bool)
    return df.sort_values("doc_id", kind="stable").reset_index(drop=True)


def _rejected_key(source_path: str) -> tuple[str, int]:
    """``("t.jsonl", 12)`` for ``t.jsonl#12`` (rows by number: #2 before #10), ``(path, 0)`` for a file."""
    file, sep, n = str(source_path).rpartition("#")
    return (file, int(n)) if sep and n.isdigit() else (str(source_path), 0)


def sort_rejected(rejected: pd.DataFrame) -> pd.DataFrame:
    """Return the rejected table in its order: by file, then row number (1-based, as in ``file#N``), then reason.

    Parameters
    ----------
    rejected : pandas.DataFrame
        A rejected table (``source_path, reason, detail``); not modified.

    Returns
    -------
    pandas.DataFrame
        A new frame, index reset; write it with ``write_table(..., sort_by=[])`` to keep the order.
    """
    keys = rejected["source_path"].map(_rejected_key)
    order = sorted(range(len(rejected)), key=lambda i: (keys.iloc[i], str(rejected["reason"].iloc[i])))
    return rejected.iloc[order].reset_index(drop=True)


def _rejected_frame(rows: list[dict]) -> pd.DataFrame:
    return sort_rejected(pd.DataFrame(rows, columns=list(REJECTED_COLUMNS)))


def read_corpus(path, **kwargs) -> pd.DataFrame:
    """Return the documents table of a file or folder.

    Parameters
    ----------
    path : str or Path
        What :func:`ingest` accepts (a file, a folder, a ``.jsonl``/``.csv`` table).
    **kwargs
        The keyword parameters of :func:`ingest`.

    Returns
    -------
    pandas.DataFrame
        The documents table; the rejected table is kept in ``documents.attrs["rejected"]`` (as
        records) so nothing is lost; call :func:`ingest` to get it as a DataFrame.
    """
    result = ingest(path, **kwargs)
    docs = result.documents
    docs.attrs["rejected"] = result.rejected.to_dict("records")
    return docs


def write_documents(documents: pd.DataFrame, path) -> None:
    """Write the documents table to Parquet atomically (a temp file renamed into place).

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (not modified).
    path : str or Path
        The Parquet file; its folder is created.
    """
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    documents.to_parquet(tmp, index=False)
    tmp.replace(path)


def read_documents(path) -> pd.DataFrame:
    """Read a documents table written by :func:`write_documents` (or ``corpuslib ingest``).

    Parameters
    ----------
    path : str or Path
        The Parquet file.

    Returns
    -------
    pandas.DataFrame
        The documents table.
    """
    return pd.read_parquet(path)


def qa_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Return one QA row per document: language, outlet, date and how it was found, title, size, removals.

    Columns: doc_id, lang, lang_score, outlet, byline, published, date_method, page_date, title,
    n_chars, n_removed, removed_reasons (``reason×count`` pairs).
    """
    def reasons(raw: str) -> str:
        counts: dict[str, int] = {}
        for item in json.loads(raw or "[]"):
            counts[item["reason"]] = counts.get(item["reason"], 0) + 1
        return ", ".join(f"{k}×{v}" for k, v in sorted(counts.items()))

    qa = documents[["doc_id", "lang", "lang_score", "outlet", "byline", "published", "date_method",
                    "page_date", "title", "n_chars"]].copy()
    qa["n_removed"] = documents["removed"].map(lambda r: len(json.loads(r or "[]")))
    qa["removed_reasons"] = documents["removed"].map(reasons)
    return qa.reset_index(drop=True)


def removed_lines(documents: pd.DataFrame) -> pd.DataFrame:
    """Return the audit trail as a long table: doc_id, n, reason, line."""
    rows = [
        {"doc_id": doc_id, "n": i, "reason": item["reason"], "line": item["line"]}
        for doc_id, raw in zip(documents["doc_id"], documents["removed"])
        for i, item in enumerate(json.loads(raw or "[]"))
    ]
    return pd.DataFrame(rows, columns=["doc_id", "n", "reason", "line"])
