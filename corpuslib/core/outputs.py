"""Output folders corpuslib writes: marked, checked before use, locked while written, published atomically.

Every folder a command replaces (``run --out``, ``build --out``) or keeps beside it (the staging
folder, ``<out>.failed``) carries a marker file, :data:`MARKER`, written before anything else. A
command refuses an ``--out`` that holds anything corpuslib did not write (:func:`check_out_dir`),
so it never deletes or overwrites a user's file. One command at a time writes an output folder
(:func:`locked`, a lock file beside it), and the new outputs replace the old ones in one step
(:func:`publish`): a kill at any instant leaves the old or the new folder, and :func:`recover`
mends the one half-published state the fallback path (two renames) can leave.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["MARKER", "OutputError", "OutputBusyError", "write_marker", "marker_kind", "check_out_dir",
           "check_out_file", "locked", "publish", "recover", "remove_ours", "remove_tree", "sibling"]

#: The marker file of an output folder corpuslib wrote (JSON: who wrote it and what kind of folder).
MARKER = ".corpuslib-output"
_MARKER_TMP = MARKER + ".tmp"
#: Files of a previous output besides those its record lists (the record itself, the marker).
_RECORDS = {"run": "manifest.json", "build": "build.json"}
#: What a build writes (:mod:`corpuslib.run.build`).
_BUILD_FILES = {"documents.parquet", "rejected.csv", "tokens.parquet", "term_counts.parquet", "build.json", MARKER}


class OutputError(ValueError):
    """An output path that would put a file corpuslib did not write at risk; the message is one line."""


class OutputBusyError(OutputError):
    """Another corpuslib command is writing the same output folder."""


def sibling(out: Path, suffix: str, *, hidden: bool = False) -> Path:
    """Return the path beside ``out`` that a command uses for it (``.outputs.staging``, ``outputs.failed``)."""
    return out.with_name(f"{'.' if hidden else ''}{out.name}{suffix}")


def write_marker(folder: str | os.PathLike, kind: str) -> Path:
    """Create ``folder`` (empty or missing) and mark it as a corpuslib output of ``kind`` (``run``, ``build``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MARKER
    tmp = folder / _MARKER_TMP  # a kill leaves a whole marker or none (and at most this temp file)
    tmp.write_text(json.dumps({"written_by": "corpuslib", "kind": kind}, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def marker_kind(folder: str | os.PathLike) -> str | None:
    """Return the kind in a folder's marker, or None when it has no (readable) corpuslib marker."""
    try:
        data = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and data.get("written_by") == "corpuslib" and isinstance(data.get("kind"), str):
        return data["kind"]
    return None


def _files(folder: Path) -> list[str]:
    """Every entry under ``folder`` that is not a folder (files, links, pipes ...), relative posix paths."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        for name in filenames + [d for d in dirnames if (base / d).is_symlink()]:
            out.append((base / name).relative_to(folder).as_posix())
    return sorted(out)


def _recorded(folder: Path, kind: str) -> set[str] | None:
    """The files a previous output's record (manifest.json, build.json) says it wrote, or None."""
    try:
        record = json.loads((folder / _RECORDS[kind]).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    if not isinstance(record, dict):
        return None
    if kind == "run":
        listed = record.get("outputs")
        if not isinstance(listed, dict) or "notebooks" not in record:
            return None
        return set(listed) | {_RECORDS[kind], MARKER}
    if "fingerprint" not in record:
        return None
    return set(record.get("sha256", {})) | _BUILD_FILES


def _foreign(folder: Path, kind: str) -> list[str] | None:
    """Files in a previous output that corpuslib did not write; None when it is not a previous output.

    A folder is a previous output when it carries the marker of ``kind``, or (outputs of versions
    before the marker) when its record lists every file in it.
    """
    recorded = _recorded(folder, kind)
    marked = marker_kind(folder) == kind
    if not marked and recorded is None:
        return None
    files = _files(folder)
    if recorded is None and kind == "build":  # a build without its record (cache=False) writes these
        recorded = _BUILD_FILES
    if recorded is None:  # marked but no record: a folder we were writing when stopped
        return []
    foreign = [f for f in files if f not in recorded]
    if not marked and foreign:
        return None
    return foreign


def _shown(path: Path) -> str:
    return os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _related(out: Path, other: Path) -> str | None:
    """How ``out`` relates to ``other`` ("is", "contains", "lies inside"), or None."""
    if out == other:
        return "is"
    if out in other.parents:
        return "contains"
    if other in out.parents:
        return "lies inside"
    return None


def check_out_dir(out: str | os.PathLike, *, kind: str, inputs: Iterable[str | os.PathLike] = (),
                  root: str | os.PathLike | None = None, flag: str = "--out") -> Path:
    """Return ``out`` resolved, or raise :class:`OutputError` when writing it could lose a file.

    Refused: a path that exists and is not a folder; a folder that is, contains or lies inside
    one of ``inputs`` (the corpus), or that is or contains the project root or the current
    folder; a non-empty folder that is not a previous corpuslib output of ``kind``, or that is
    one but holds files corpuslib did not write there.
    """
    from .paths import project_root

    path = Path(out).expanduser()
    resolved = path.resolve()
    shown = _shown(path)
    if os.path.lexists(path) and not resolved.is_dir():
        raise OutputError(f"{flag} {shown} exists and is not a folder; choose a new or empty folder")
    for other in inputs:
        other = Path(other).expanduser().resolve()
        how = _related(resolved, other)
        if how:
            raise OutputError(f"{flag} {shown} {how} the corpus {_shown(other)}; choose a folder outside it")
    for label, other in (("the project root", Path(root or project_root()).resolve()),
                         ("the current folder", Path.cwd().resolve())):
        how = _related(resolved, other)
        if how in ("is", "contains"):
            raise OutputError(f"{flag} {shown} {how} {label} {_shown(other)}; choose a folder of its own")
    if resolved.is_dir():
        try:
            empty = not any(os.scandir(resolved))
        except OSError as exc:
            raise OutputError(f"{flag} {shown} cannot be read: {exc.strerror}") from None
        if not empty:
            foreign = _foreign(resolved, kind)
            if foreign is None:
                raise OutputError(f"{flag} {shown} holds files corpuslib did not write (it is not a previous "
                                  f"corpuslib {kind} output); choose a new or empty folder")
            if foreign:
                more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
                raise OutputError(f"{flag} {shown} is a previous corpuslib output but holds files corpuslib did "
                                  f"not write: {', '.join(map(repr, foreign[:3]))}{more}; move them away first")
    return resolved


def check_out_file(out: str | os.PathLike, *, looks_ours, inputs: Iterable[str | os.PathLike] = (),
                   flag: str = "--out") -> Path:
    """Return a file path to write, or raise :class:`OutputError` when that could lose a file.

    Refused: a folder; a path inside one of ``inputs`` (the corpus); an existing file for which
    ``looks_ours(path)`` is false (not a table corpuslib writes).
    """
    path = Path(out).expanduser()
    resolved = path.resolve()
    shown = _shown(path)
    if resolved.is_dir():
        raise OutputError(f"{flag} {shown} is a folder; name a file")
    for other in inputs:
        other = Path(other).expanduser().resolve()
        if resolved == other or other in resolved.parents:
            raise OutputError(f"{flag} {shown} lies inside the corpus {_shown(other)}; choose a file outside it")
    if os.path.lexists(path) and not (resolved.is_file() and looks_ours(resolved)):
        raise OutputError(f"{flag} {shown} exists and is not a table corpuslib wrote; choose a new file name")
    return resolved


def remove_tree(folder: Path) -> None:
    """Remove a marked folder, its marker last: a kill midway leaves a folder still marked as ours."""
    folder = Path(folder)
    for entry in os.scandir(folder):
        if entry.name in (MARKER, _MARKER_TMP):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    shutil.rmtree(folder)


def remove_ours(path: Path) -> None:
    """Remove a folder corpuslib marked (or an empty one); refuse anything else."""
    if not os.path.lexists(path):
        return
    if path.is_dir() and not path.is_symlink() and (marker_kind(path) is not None or _being_marked(path)):
        remove_tree(path)
        return
    raise OutputError(f"{_shown(path)} exists and corpuslib did not write it; move it away first")


def _being_marked(folder: Path) -> bool:
    """True for an empty folder, or one holding only the temp file of a marker (a command killed while
    creating it)."""
    return {e.name for e in os.scandir(folder)} <= {_MARKER_TMP}


@contextlib.contextmanager
def locked(out: Path) -> Iterator[Path]:
    """Hold the lock of an output folder (a file ``.<name>.lock`` beside it) while the block runs.

    The lock file is removed when the block ends; a command that opened it just before checks,
    once it holds the lock, that the file it locked is still the one at the path.

    Raises
    ------
    OutputBusyError
        When another process holds it: two commands never write one folder at once.
    OutputError
        When the lock cannot be created (a read-only or full disk).
    """
    import fcntl

    out = Path(out)
    lock_path = sibling(out, ".lock", hidden=True)
    while True:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a read-only or full disk: said before anything runs
            raise OutputError(f"cannot write {_shown(out)}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise OutputBusyError(f"another corpuslib command (pid {holder}) is writing {_shown(out)}; "
                                  "wait for it to finish or choose another --out") from None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the previous holder removed the file it locked: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield lock_path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


#: ``renameat2(RENAME_EXCHANGE)`` swaps two folders in one step (Linux); else two renames and :func:`recover`.
_EXCHANGE = os.environ.get("CORPUSLIB_NO_EXCHANGE", "") == ""


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot (then nothing changed)."""
    if not _EXCHANGE:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(a))


def publish(staging: Path, out: Path) -> None:
    """Put the finished ``staging`` folder at ``out``, replacing the previous output in one step.

    With ``renameat2(RENAME_EXCHANGE)`` the two folders swap atomically and the old one is then
    removed; elsewhere ``out`` moves to ``.<name>.old`` and ``staging`` to ``out`` (a kill between
    the two renames is mended by :func:`recover` at the next command).
    """
    staging, out = Path(staging), Path(out)
    if not os.path.lexists(out):
        staging.rename(out)
        return
    if _exchange(staging, out):
        remove_tree(staging)  # now the previous output
        return
    old = sibling(out, ".old", hidden=True)
    remove_ours(old)
    out.rename(old)
    staging.rename(out)
    remove_tree(old)


def recover(out: Path) -> None:
    """Mend what a killed command left beside ``out`` (call it holding :func:`locked`).

    A previous output moved aside (``.<name>.old``) goes back when ``out`` is missing, and is
    removed when ``out`` is there; a staging folder left by a killed command is removed.
    """
    out = Path(out)
    old = sibling(out, ".old", hidden=True)
    if os.path.lexists(old) and marker_kind(old) is not None:
        if os.path.lexists(out):
            remove_tree(old)
        else:
            old.rename(out)
    staging = sibling(out, ".staging", hidden=True)
    if os.path.lexists(staging):
        remove_ours(staging)
