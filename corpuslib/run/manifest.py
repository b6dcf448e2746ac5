"""The manifest of a run: what went in, what ran, and the hash of everything that came out.

``manifest.json`` (in the run's output folder, keys sorted) records the effective parameters of each
notebook, the versions of corpuslib, its dependencies and Python, the platform, and the sha256 of
every input file (the corpus and any other input named by a parameter), of the data files shipped
in ``corpuslib/data`` and of every output file (relative paths). :func:`verify` recomputes the
output hashes so ``corpuslib verify OUT_DIR`` can say which outputs were edited, removed or added.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from ..core.paths import display_path

MANIFEST = "manifest.json"
#: Bump when the layout of manifest.json changes.
FORMAT = 1
_CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike) -> str:
    """Return the hex sha256 of a regular file's bytes (``OSError`` for anything else: never a FIFO's wait)."""
    import stat

    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb", closefd=True) as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(f"not a regular file: {path}")
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def input_digest(path: str | os.PathLike) -> str:
    """Return an input's sha256, or ``"not read: <why>"`` for what ingest rejects unread (a FIFO, a loop ...)."""
    from ..documents.readers import not_a_file

    why = not_a_file(path)
    if why is None:
        try:
            return sha256_file(path)
        except OSError as exc:
            why = f"{type(exc).__name__} ({exc.strerror or exc})"
    return f"not read: {why}"


def sha256_json(value) -> str:
    """Return the sha256 of a JSON-able value in canonical form (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_files(folder: str | os.PathLike, *, skip_hidden: bool = True) -> list[Path]:
    """Return the files under ``folder`` (recursive, sorted); hidden files and folders skipped."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        if skip_hidden:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not (skip_hidden and name.startswith(".")):
                out.append(Path(dirpath) / name)
    return sorted(out)


def hash_tree(folder: str | os.PathLike, *, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """Return ``{relative posix path: sha256}`` of the files under ``folder``, minus ``exclude`` (relative paths)."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    out = {}
    for f in list_files(folder, skip_hidden=False):
        rel = f.relative_to(folder).as_posix()
        if rel not in exclude:
            out[rel] = sha256_file(f)
    return out


def _named(name: str, root: Path) -> Path:
    """The path a manifest's input name stands for (undoing :func:`~corpuslib.core.paths.printable`)."""
    import re

    p = Path(name) if Path(name).is_absolute() else root / name
    if not os.path.lexists(p) and "\\x" in name:
        raw = re.sub(r"\\x([89a-f][0-9a-f])", lambda m: chr(0xDC00 + int(m[1], 16)), name)
        p = Path(raw) if Path(raw).is_absolute() else root / raw
    return p


def hash_inputs(paths, root: Path | None = None) -> dict[str, str]:
    """Return ``{display path: digest}`` of the entries under each path, as ingest finds them.

    The digest is the sha256 of a regular file, or ``"not read: <why>"`` for an entry ingest
    rejects unread (FIFO, socket, device, broken or looping link, unlistable folder); hidden
    files are skipped, as ingest skips them.
    """
    from ..documents.readers import discover

    out = {}
    for p in paths:
        p = Path(p)
        if not p.exists():
            continue
        for _, f in discover(p):
            out[display_path(f, root)] = input_digest(f)
    return dict(sorted(out.items()))


def shipped_data() -> dict[str, str]:
    """Return ``{"corpuslib/<stage>/data/<name>": sha256}`` of the data files shipped with the package."""
    from ..core.paths import package_root, shipped_data_files

    pkg = package_root()
    return {f"corpuslib/{f.relative_to(pkg).as_posix()}": sha256_file(f) for f in shipped_data_files()}


def source_digest() -> str:
    """Return one sha256 over the library's Python sources (a changed module changes every run key)."""
    pkg = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for f in sorted(pkg.rglob("*.py")):
        if "__pycache__" in f.parts:
            continue
        h.update(f.relative_to(pkg).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def dependency_versions() -> dict[str, str]:
    """Return ``{distribution: version}`` of corpuslib's declared dependencies that are installed."""
    import re
    from importlib import metadata

    try:
        requires = metadata.requires("corpuslib") or []
    except metadata.PackageNotFoundError:
        requires = []
    names = set()
    for req in requires:
        if "extra ==" in req:  # optional groups (dev, lab, scale) are not part of a run
            continue
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
        if m:
            names.add(m.group(1))
    names |= {"papermill", "nbclient", "nbconvert", "ipykernel"}  # the machinery that executes a run
    out = {}
    for name in sorted(names, key=str.lower):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def environment() -> dict:
    """Return the software a run used: corpuslib version and sources, dependencies, Python, platform."""
    from .. import __version__

    return {
        "corpuslib": __version__,
        "corpuslib_sources": source_digest(),
        "dependencies": dependency_versions(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "executable": sys.executable,
    }


def write_manifest(out_dir: str | os.PathLike, manifest: dict) -> Path:
    """Write ``manifest.json`` (UTF-8, sorted keys, indented) via a temp file renamed into place."""
    path = Path(out_dir) / MANIFEST
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def read_manifest(out_dir: str | os.PathLike) -> dict | None:
    """Return the manifest of an output folder, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class Difference:
    """One file that does not match the manifest."""

    path: str
    status: str  # "differs", "missing", "extra", "input changed", "input missing", "data changed"
    expected: str | None = None
    actual: str | None = None

    def __str__(self) -> str:
        return f"{self.status:<14} {self.path}"


def verify(out_dir: str | os.PathLike, *, inputs: bool = False, root: Path | None = None) -> list[Difference]:
    """Recompute the hashes of a run's outputs and return every difference from its manifest.

    Parameters
    ----------
    out_dir : path
        The output folder of a run (holding ``manifest.json``).
    inputs : bool
        Also recompute the input files and the shipped data files (the manifest's ``inputs`` and
        ``data_files``), to tell whether a rerun would see the same inputs.
    root : path, optional
        The project root that relative input paths resolve from (default: the run's, as recorded).

    Returns
    -------
    list of Difference
        Empty when everything matches.

    Raises
    ------
    FileNotFoundError
        When the folder has no readable manifest.
    """
    from ..core.paths import project_root

    out_dir = Path(out_dir)
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise FileNotFoundError(f"no readable {MANIFEST} in {out_dir}")
    expected: dict = manifest.get("outputs", {})
    actual = hash_tree(out_dir, exclude=(MANIFEST,))
    found = []
    for rel in sorted(set(expected) | set(actual)):
        if rel not in actual:
            found.append(Difference(rel, "missing", expected[rel], None))
        elif rel not in expected:
            found.append(Difference(rel, "extra", None, actual[rel]))
        elif expected[rel] != actual[rel]:
            found.append(Difference(rel, "differs", expected[rel], actual[rel]))
    if inputs:
        root = Path(root or manifest.get("run", {}).get("root") or project_root())
        for name, digest in sorted(manifest.get("inputs", {}).items()):
            p = _named(name, root)
            if not os.path.lexists(p):
                found.append(Difference(name, "input missing", digest, None))
            elif (now_digest := input_digest(p)) != digest:
                found.append(Difference(name, "input changed", digest, now_digest))
        now = shipped_data()
        for name, digest in sorted(manifest.get("data_files", {}).items()):
            if now.get(name) != digest:
                found.append(Difference(name, "data changed", digest, now.get(name)))
    return found
