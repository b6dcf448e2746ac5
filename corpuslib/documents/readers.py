"""Raw inputs: find files, decode them, split tables into rows, and record what cannot be read.

Every input ends up as a :class:`RawRecord` or a rejection row (``source_path, reason, detail``);
nothing raises past this module for bad content, only for a path that does not exist.
"""
from __future__ import annotations

import csv
import io as _io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .encodings import DecodeError, decode_bytes
from ..core.paths import display_path

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


def discover(paths) -> list[tuple[Path, Path]]:
    """Return ``(root, file)`` pairs for files and folders (recursive), sorted for a stable order.

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
            raise InputNotFoundError(f"no such file or folder: {p}")
        if p.is_dir():
            found.extend((p, p / rel) for rel in _walk_files(p))
        else:
            found.append((p.parent, p))
    return found


def _walk_files(root: Path) -> list[str]:
    """Return the relative paths of the files under ``root``, hidden files and folders left out.

    Sorted by path components, the order of ``sorted(root.rglob("*"))``; ``os.walk`` with string
    keys lists 10,000 files several times faster than ``pathlib`` (a warm rerun's largest cost).
    Symlinks to files are followed, symlinked folders are not entered (as ``rglob``).
    """
    rels: list[tuple[str, ...]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = os.path.relpath(folder, root)
        prefix = () if base == "." else tuple(base.split(os.sep))
        for name in files:
            if not name.startswith(".") and os.path.isfile(os.path.join(folder, name)):
                rels.append((*prefix, name))
    rels.sort()
    return ["/".join(parts) for parts in rels]


class FileTooLargeError(OSError):
    """A file is larger than :data:`MAX_FILE_BYTES` (it is refused, not read)."""


def read_file(path: Path) -> bytes:
    """Return the bytes of a file, refusing files over :data:`MAX_FILE_BYTES` before reading them.

    Raises
    ------
    OSError
        When the file cannot be read; :class:`FileTooLargeError` when it is too large.
    """
    with open(path, "rb") as f:  # one open and fstat: a warm rerun reads every file to hash it
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise FileTooLargeError(f"file of {size} bytes exceeds {MAX_FILE_BYTES}")
        return f.read()


def relative_id(root: Path, path: Path) -> str:
    """Return the doc_id of a file: its path relative to the corpus root, without the suffix."""
    rel = path.relative_to(root).as_posix()
    return rel[: -len(path.suffix)] if path.suffix else rel


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


def resolve_columns(available: list[str], columns: dict | None) -> dict[str, str | None]:
    """Map our fields (id, text, title, date, url, outlet, byline) to a table's column names.

    Names the user gives win; missing ones are guessed from :data:`COLUMN_GUESSES`. A named
    column that the table lacks raises ``KeyError`` naming it.
    """
    columns = dict(columns or {})
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown column roles {sorted(unknown)}; use {FIELDS}")
    out: dict[str, str | None] = {}
    for fieldname in FIELDS:
        if fieldname in columns:
            out[fieldname] = columns[fieldname]
            continue
        guess = next((c for c in COLUMN_GUESSES[fieldname] if c in available), None)
        out[fieldname] = guess
    # "source" is an outlet in RSS dumps but a byline elsewhere: never guess the same column twice.
    if out["byline"] is not None and out["byline"] == out["outlet"]:
        out["byline"] = None
    return out


def _cell(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    s = str(v)
    return s if s.strip() else None


def read_records(root: Path, path: Path, *, columns: dict | None = None,
                 data: bytes | None = None) -> Iterator[RawRecord | dict]:
    """Yield the records of one file, and rejection dicts (``source_path, reason, detail``).

    ``data`` is the file's content when the caller has read it already (the parallel and cached
    paths read each file once, in the parent process); otherwise the file is read here.
    """
    shown = display_path(path)
    if data is None:
        try:
            data = read_file(path)
        except FileTooLargeError as exc:
            yield {"source_path": shown, "reason": "unreadable", "detail": str(exc)}
            return
        except OSError as exc:
            yield {"source_path": shown, "reason": "unreadable", "detail": f"{type(exc).__name__}: {exc}"}
            return
    if len(data) > MAX_FILE_BYTES:
        yield {"source_path": shown, "reason": "unreadable", "detail": f"file of {len(data)} bytes exceeds {MAX_FILE_BYTES}"}
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        yield {"source_path": shown, "reason": exc.reason, "detail": exc.detail}
        return
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        yield RawRecord(shown, relative_id(root, path), text, encoding)
        return
    stem = relative_id(root, path)
    if kind == "jsonl":
        rows = _jsonl_rows(text)
    else:
        rows = _csv_rows(text, delimiter="\t" if kind == "tsv" else ",")
    mapping = None
    seen = False
    for n, row in rows:
        seen = True
        where = f"{shown}#{n}"
        if isinstance(row, str):
            yield {"source_path": where, "reason": "bad_row", "detail": row}
            continue
        if mapping is None:
            try:
                mapping = resolve_columns(list(row), columns)
            except (KeyError, ValueError) as exc:
                yield {"source_path": shown, "reason": "bad_row", "detail": str(exc)}
                return
            if mapping["text"] is None:
                yield {
                    "source_path": shown,
                    "reason": "bad_row",
                    "detail": f"no text column among {sorted(row)[:12]}; name it with columns={{'text': ...}}",
                }
                return
        body = _cell(_get(row, mapping["text"]))
        if body is None:
            yield {"source_path": where, "reason": "empty", "detail": f"column {mapping['text']!r} is empty"}
            continue
        ident = _cell(_get(row, mapping["id"]))
        yield RawRecord(
            where,
            ident.strip() if ident else f"{stem}#{n}",
            body,
            encoding,
            title=_cell(_get(row, mapping["title"])),
            date=_cell(_get(row, mapping["date"])),
            url=_cell(_get(row, mapping["url"])),
            outlet=_cell(_get(row, mapping["outlet"])),
            byline=_cell(_get(row, mapping["byline"])),
        )
    if not seen:  # a header without rows is still an input to account for
        yield {"source_path": shown, "reason": "empty", "detail": "table without rows"}


def _jsonl_rows(text: str):
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, f"invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        except RecursionError:  # hostile input: arrays nested thousands deep
            yield n, "invalid JSON: nested too deeply"
            continue
        yield n, row if isinstance(row, dict) else f"JSON line is a {type(row).__name__}, not an object"


def _csv_rows(text: str, delimiter: str):
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return
    n = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            n += 1
            yield n, f"CSV error: {exc}"
            continue
        n += 1
        if not values:
            continue
        if len(values) != len(header):
            yield n, f"{len(values)} fields where the header has {len(header)}"
            continue
        yield n, dict(zip(header, values))
