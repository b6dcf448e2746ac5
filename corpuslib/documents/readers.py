"""Raw inputs: find files, decode them, split tables into rows, and record what cannot be read.

Every input ends up as a :class:`RawRecord` or a rejection row (``source_path, reason, detail``);
nothing raises past this module for bad content, only for a path that does not exist.
"""
from __future__ import annotations

import csv
import errno
import itertools
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from .encodings import DecodeError, decode_bytes
from ..core.paths import display_path, printable

TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
#: Column names tried, in order, when the user does not name a field.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "id": ("doc_id", "id", "uuid", "guid"),
    "text": ("text", "content.text", "content", "body", "article", "fulltext", "summary", "description"),
    "title": ("title", "headline", "heading"),
    "date": ("published", "published_at", "pubDate", "date", "datetime", "time", "created_at"),
    "url": ("url", "link", "href", "source_url"),
    "outlet": ("outlet", "source", "site", "publisher", "newspaper"),
    "byline": ("byline", "author", "authors", "source.name"),
    # a true/false cell: the date cell is a stand-in (the fetch time), so a URL timestamp beats it
    "date_fallback": ("published_is_fetch_fallback", "date_is_fallback", "date_fallback"),
}
FIELDS = tuple(COLUMN_GUESSES)
#: Larger files are read but refused as articles (a 50 MB "article" is a dump, not a story).
MAX_FILE_BYTES = 200 * 1024 * 1024


class InputNotFoundError(FileNotFoundError):
    """A path given to the loader does not exist."""


@dataclass(frozen=True)
class RawRecord:
    """One article as read, before normalization."""

    source_path: str
    doc_id: str | None
    text: str
    encoding: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    date_fallback: str | None = None


def discover(paths) -> list[tuple[Path, Path]]:
    """Return ``(root, entry)`` pairs for files and folders (recursive), sorted for a stable order.

    Every entry of a folder is returned except hidden ones (names starting with ``.``) and the
    folders walked into: regular files, and also what :func:`read_file` refuses with a reason
    (FIFOs, sockets, devices, dangling symlinks, symlink loops, symlinks to folders, folders
    that cannot be listed), so every input ends as a document or a rejection.

    Raises
    ------
    InputNotFoundError
        When a path does not exist.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found: list[tuple[Path, Path]] = []
    for p in paths:
        p = Path(p).expanduser()
        if not p.exists():
            raise InputNotFoundError(f"no such file or folder: {printable(os.fspath(p))}")
        if p.is_dir() and _listable(p):  # a folder that cannot be listed is rejected as one input
            found.extend((p, p / rel) for rel in _walk_files(p))
        else:
            found.append((p.parent, p))
    return found


def _listable(folder: Path) -> bool:
    try:
        with os.scandir(folder):
            return True
    except OSError:
        return False


def _walk_files(root: Path) -> list[str]:
    """Return the relative paths of the entries under ``root`` that are not folders walked into.

    Hidden entries are left out. Sorted by path components, the order of
    ``sorted(root.rglob("*"))``; ``os.scandir`` knows each entry's type without a ``stat`` (a
    warm rerun of 10,000 files lists them several times faster than ``pathlib``). Symlinked
    folders are not entered (as ``rglob``) but listed, as is a folder that cannot be listed
    (:func:`read_file` rejects them with the reason).
    """
    rels: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [()]
    while stack:
        prefix = stack.pop()
        try:
            with os.scandir(os.path.join(root, *prefix)) as it:
                entries = list(it)
        except OSError:
            if prefix:
                rels.append(prefix)  # an unlistable folder is an input to account for
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                walk_in = entry.is_dir(follow_symlinks=False)
            except OSError:
                walk_in = False
            (stack if walk_in else rels).append((*prefix, entry.name))
    rels.sort()
    return ["/".join(parts) for parts in rels]


class FileTooLargeError(OSError):
    """A file is larger than :data:`MAX_FILE_BYTES` (it is refused, not read)."""


class NotRegularFileError(OSError):
    """A path that is not a regular file (FIFO, socket, device, folder, broken link): never opened."""


_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_a_file(path: str | os.PathLike) -> str | None:
    """Return why ``path`` is not a regular file to read (``"a FIFO (named pipe)"`` ...), or None.

    Decided by ``stat`` alone: opening a FIFO blocks until a writer comes, and a device such as
    ``/dev/zero`` never ends.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"a dangling symlink (to {printable(os.readlink(path))})"
        return "gone (removed while reading)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symlink loop"
        return f"not readable ({exc.strerror})"
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        if os.path.islink(path):
            return "a symlink to a folder (not followed: pass the folder itself)"
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            return f"a folder that cannot be listed ({exc.strerror})"
        return "a folder"
    return next((what for test, what in _SPECIAL if test(st.st_mode)), "not a regular file")


def read_file(path: Path) -> bytes:
    """Return the bytes of a regular file, at most :data:`MAX_FILE_BYTES` of them.

    Raises
    ------
    OSError
        When the file cannot be read; :class:`NotRegularFileError` (without opening it) for a
        FIFO, socket, device, folder or broken symlink; :class:`FileTooLargeError` when it is
        too large (also when it grows past the limit while read).
    """
    what = not_a_file(path)
    if what is not None:
        raise NotRegularFileError(f"{what}: not opened")
    # O_NONBLOCK: should the path become a FIFO after the stat, the open does not wait for a writer
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb", closefd=True) as f:  # one open and fstat: a warm rerun reads every file to hash it
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFileError("not a regular file: not read")
        if st.st_size > MAX_FILE_BYTES:
            raise FileTooLargeError(f"file of {st.st_size} bytes exceeds {MAX_FILE_BYTES}")
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(f"file grew past {MAX_FILE_BYTES} bytes while read")
    return data


def relative_id(root: Path, path: Path) -> str:
    """Return the doc_id of a file: its path relative to the corpus root, without the suffix.

    A name that is not UTF-8 keeps its undecodable bytes as ``\\xNN`` (ids are text).
    """
    rel = path.relative_to(root).as_posix()
    return printable(rel[: -len(path.suffix)] if path.suffix else rel)


def _get(row: dict, key: str | None):
    if not key:
        return None
    if key in row:
        return row[key]
    cur = row  # dotted names reach into nested JSON ("content.text")
    for part in key.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


class MissingColumnError(ValueError):
    """A column the user named is not in a table; the message names it and the columns there are."""


def resolve_columns(available: list[str], columns: dict | None, *, where: str = "the table") -> dict[str, str | None]:
    """Map our fields (id, text, title, date, url, outlet, byline, date_fallback) to a table's column names.

    Names the user gives win (``None`` for none); missing ones are guessed from
    :data:`COLUMN_GUESSES`. A dotted name (``content.text``) reaches into nested JSON.

    Raises
    ------
    ValueError
        For a role that is not a field.
    MissingColumnError
        For a named column the table lacks (``where`` names the table in the message).
    """
    columns = dict(columns or {})
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown column roles {sorted(unknown)}; use {FIELDS}")
    out: dict[str, str | None] = {}
    for fieldname in FIELDS:
        if fieldname in columns:
            name = columns[fieldname]
            if name is not None and name not in available and str(name).split(".")[0] not in available:
                raise MissingColumnError(f"column {name!r} ({fieldname}) is not in {where}; its columns are "
                                         f"{', '.join(map(str, available[:40]))}")
            out[fieldname] = name
            continue
        guess = next((c for c in COLUMN_GUESSES[fieldname] if c in available), None)
        out[fieldname] = guess
    # "source" is an outlet in RSS dumps but a byline elsewhere: never guess the same column twice.
    if out["byline"] is not None and out["byline"] == out["outlet"]:
        out["byline"] = None
    return out


#: Bytes read from the head of a table to check its columns (:func:`check_columns`).
HEAD_BYTES = 1 << 20


def check_columns(paths, columns: dict | None) -> None:
    """Check that every table among ``paths`` has the columns ``columns`` names, reading only its head.

    Raises
    ------
    MissingColumnError
        The message of ``corpuslib ingest --column`` and ``run -p columns``: the column, the
        table, the columns it has.
    ValueError
        For a role that is not a field.
    """
    if not columns:
        return
    resolve_columns(list(COLUMN_GUESSES), {k: None for k in columns})  # the roles alone
    for root, path in discover(paths):
        kind = TABLE_SUFFIXES.get(path.suffix.lower())
        if kind is None or not_a_file(path) is not None:
            continue
        try:
            with open(path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
            text, _ = decode_bytes(head if len(head) < HEAD_BYTES else head[: head.rfind(b"\n") + 1] or head)
        except (OSError, DecodeError):
            continue  # ingest rejects the file with its reason
        rows = _jsonl_rows(text) if kind == "jsonl" else _csv_rows(text, "\t" if kind == "tsv" else ",")
        first = next((row for _, row in rows if isinstance(row, dict)), None)
        if first is not None:
            resolve_columns(list(first), columns, where=display_path(path))


def _bad_url(url: str | None) -> str | None:
    """Why a URL cell cannot be read (``"Invalid IPv6 URL"``), or None."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        parts.hostname, parts.port  # noqa: B018 - both parse (and raise) lazily
    except ValueError as exc:
        return str(exc)
    return None


def _cell(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    s = str(v)
    return s if s.strip() else None


def _rejection(where: str, reason: str, detail: str) -> dict:
    return {"source_path": where, "reason": reason, "detail": printable(detail)}


def read_records(root: Path, path: Path, *, columns: dict | None = None,
                 data: bytes | None = None) -> Iterator[RawRecord | dict]:
    """Yield the records of one file, and rejection dicts (``source_path, reason, detail``).

    ``data`` is the file's content when the caller has read it already (the parallel and cached
    paths read each file once, in the parent process); otherwise the file is read here. In a
    table, a row that cannot be read is one ``bad_row`` rejection (``file#n``, the line in its
    detail) and every other row is kept.
    """
    shown = display_path(path)
    if data is None:
        try:
            data = read_file(path)
        except FileTooLargeError as exc:
            yield _rejection(shown, "unreadable", str(exc))
            return
        except OSError as exc:
            yield _rejection(shown, "unreadable", f"{type(exc).__name__}: {exc}")
            return
    if len(data) > MAX_FILE_BYTES:
        yield _rejection(shown, "unreadable", f"file of {len(data)} bytes exceeds {MAX_FILE_BYTES}")
        return
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        masked = _mask_nul(data) if kind is not None and exc.reason == "binary" else None
        if masked is None:
            yield _rejection(shown, exc.reason, exc.detail)
            return
        text, encoding = masked
    else:
        masked = None
    if kind is None:
        yield RawRecord(shown, relative_id(root, path), text, encoding)
        return
    yield from _table_records(root, path, shown, text, encoding, kind, columns, nul_masked=masked is not None)


#: What a stray NUL byte of a table becomes while it is decoded (SUB); a row holding it is rejected.
_NUL_MARK = "\x1a"


def _mask_nul(data: bytes) -> tuple[str, str] | None:
    """Decode a table whose few NUL bytes made it look binary, each NUL read as :data:`_NUL_MARK`.

    None when the NUL bytes are not stray (on more than 1 % of the lines, or more than 10), or
    the rest is not text either. The rows holding the mark become ``bad_row`` rejections (a JSON
    line holding a control character is invalid JSON anyway).
    """
    n_lines = data.count(b"\n") + 1
    n_nul = data.count(b"\x00")
    if not n_nul or n_nul > max(10, n_lines // 100):
        return None
    try:
        return decode_bytes(data.replace(b"\x00", _NUL_MARK.encode("ascii")))
    except DecodeError:
        return None


def _table_records(root: Path, path: Path, shown: str, text: str, encoding: str, kind: str,
                   columns: dict | None, nul_masked: bool = False) -> Iterator[RawRecord | dict]:
    stem = relative_id(root, path)
    seen = False
    if kind == "jsonl":
        rows = _jsonl_rows(text)
    else:
        rows = _csv_rows(text, delimiter="\t" if kind == "tsv" else ",", nul_masked=nul_masked)
    mapping = None
    for n, row in rows:
        seen = True
        where = f"{shown}#{n}"
        if isinstance(row, str):
            yield _rejection(where, "bad_row", row)
            continue
        if mapping is None:
            try:
                mapping = resolve_columns(list(row), columns, where=shown)
            except (KeyError, ValueError) as exc:
                yield _rejection(shown, "bad_row", str(exc))
                return
            if mapping["text"] is None:
                yield _rejection(shown, "bad_row",
                                 f"no text column among {sorted(row)[:12]}; name it with columns={{'text': ...}}")
                return
        body = _cell(_get(row, mapping["text"]))
        if body is None:
            yield _rejection(where, "empty", f"column {mapping['text']!r} is empty")
            continue
        url = _cell(_get(row, mapping["url"]))
        why = _bad_url(url)
        if why:
            yield _rejection(where, "bad_row", f"line {n}: URL {url[:80]!r} cannot be read: {why}")
            continue
        ident = _cell(_get(row, mapping["id"]))
        yield RawRecord(
            where,
            printable(ident.strip()) if ident else f"{stem}#{n}",
            body,
            encoding,
            title=_cell(_get(row, mapping["title"])),
            date=_cell(_get(row, mapping["date"])),
            url=url,
            outlet=_cell(_get(row, mapping["outlet"])),
            byline=_cell(_get(row, mapping["byline"])),
            date_fallback=_cell(_get(row, mapping["date_fallback"])),
        )
    if not seen:  # a header without rows is still an input to account for
        yield _rejection(shown, "empty", "table without rows")


def _jsonl_rows(text: str):
    # JSON Lines are separated by "\n" alone: str.splitlines would also cut at U+2028, U+0085 ...
    # which JSON strings may hold
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, f"line {n}: invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        except RecursionError:  # hostile input: arrays nested thousands deep
            yield n, f"line {n}: invalid JSON: nested too deeply"
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield n, f"line {n}: invalid JSON: {str(exc)[:120]}"
            continue
        yield n, row if isinstance(row, dict) else f"line {n}: JSON line is a {type(row).__name__}, not an object"


_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


#: Lines of a broken CSV record searched for where the next record begins.
_RESYNC_LINES = 1000


def _whole_records(lines: list[str], j: int, stop: int, width: int, delimiter: str) -> bool:
    """True when the lines from ``j`` read as whole records (``width`` fields) at least up to line ``stop``."""
    reader = csv.reader(itertools.islice(lines, j, None), delimiter=delimiter, strict=True)
    while j + reader.line_num <= stop:
        try:
            values = next(reader)
        except StopIteration:
            return True
        except csv.Error:
            return False
        if values and len(values) != width:
            return False
    return True


def _resume_at(lines: list[str], start: int, stop: int, width: int, delimiter: str) -> int:
    """Return the line where reading goes on after a broken record that began at ``start``.

    The broken record ran on to line ``stop`` (a stray quote swallows lines up to the next
    quote). Reading goes on at the first line after ``start`` from which every line up to
    ``stop`` reads as whole records (the rows the stray quote swallowed are kept); when there is
    none, those lines were the broken record's own, and reading goes on after ``stop``.
    """
    for j in range(start + 1, min(stop, start + _RESYNC_LINES) + 1):
        if _whole_records(lines, j, stop, width, delimiter):
            return j
    return stop + 1


def _csv_rows(text: str, delimiter: str, nul_masked: bool = False):
    """Yield ``(record number, row dict or why not)``; the header is record 1.

    A record that breaks the CSV rules (a stray quote) or has the wrong number of fields is one
    bad row, and the rows after it are kept: reading goes on where the next whole record begins
    (:func:`_resume_at`). With ``nul_masked`` (the file's stray NUL bytes read as
    :data:`_NUL_MARK`), a row holding the mark is a bad row.
    """
    csv.field_size_limit(MAX_FILE_BYTES)
    lines = _PHYSICAL_LINE.findall(text)
    header: list[str] | None = None
    n, pos = 0, 0  # records so far, index of the first line not yet read
    while pos < len(lines):
        reader = csv.reader(itertools.islice(lines, pos, None), delimiter=delimiter, strict=True)
        base, used = pos, 0
        while True:
            start = base + used  # index of the record's first line
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if header is None:
                    return
                n += 1
                yield n, f"line {start + 1}: CSV error: {exc}"
                stop = min(base + reader.line_num - 1, len(lines) - 1)  # the line being read when it broke
                pos = _resume_at(lines, start, stop, len(header), delimiter)
                break
            used = reader.line_num
            n += 1
            if header is None:
                header = values
                continue
            if not values:
                continue
            if len(values) != len(header):
                yield n, f"line {start + 1}: {len(values)} fields where the header has {len(header)}"
                if base + used - start > 1:  # it ran over several lines: find where the next record begins
                    pos = _resume_at(lines, start, base + used - 1, len(header), delimiter)
                    break
                continue
            if nul_masked and any(_NUL_MARK in v for v in values):
                yield n, f"line {start + 1}: NUL byte in the row"
                continue
            yield n, dict(zip(header, values))
