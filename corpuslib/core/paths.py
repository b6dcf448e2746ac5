"""Locations the library resolves: project root, bundled corpus, shipped data, caches."""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

_MARKERS = ("pyproject.toml", "notebooks")


def project_root(start: str | os.PathLike | None = None) -> Path:
    """Return the project root (the folder holding ``pyproject.toml`` and ``notebooks/``).

    Notebooks run from ``notebooks/`` under papermill and from anywhere in JupyterLab, so
    paths are resolved from the root rather than the current directory. ``CORPUSLIB_ROOT``
    overrides the search.
    """
    env = os.environ.get("CORPUSLIB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for candidate in (here, *here.parents):
        if all((candidate / m).exists() for m in _MARKERS):
            return candidate
    # Installed package used outside a checkout: fall back to the source tree if present.
    pkg = Path(__file__).resolve().parents[2]
    if all((pkg / m).exists() for m in _MARKERS):
        return pkg
    return here


def resolve(path: str | os.PathLike, root: str | os.PathLike | None = None) -> Path:
    """Return ``path`` made absolute against the project root when it is relative."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    return (Path(root) if root else project_root()) / p


def bundled_corpus() -> Path:
    """Return the folder of the bundled default corpus (``data/raw``)."""
    return project_root() / "data" / "raw"


def package_root() -> Path:
    """Return the folder of the installed ``corpuslib`` package."""
    return Path(str(resources.files("corpuslib")))


def package_data(name: str) -> Path:
    """Return a data file shipped beside the stage that reads it: ``"documents/outlets.csv"`` is
    ``corpuslib/documents/data/outlets.csv``."""
    stage, _, file = name.partition("/")
    if not file:
        raise ValueError(f"package_data takes 'stage/file', not {name!r}")
    return package_root() / stage / "data" / file


def shipped_data_files() -> list[Path]:
    """Return every data file shipped with the package (``corpuslib/<stage>/data/*``), sorted."""
    return sorted(p for p in package_root().glob("*/data/*") if p.is_file())


def cache_dir() -> Path:
    """Return the cache folder (``CORPUSLIB_CACHE`` or ``<root>/.cache/corpuslib``), created when possible.

    A folder that cannot be created is a warning (once per folder and process) and a run without
    cache: the caches find it missing and store nothing (see :func:`cache_unavailable`).
    """
    env = os.environ.get("CORPUSLIB_CACHE")
    path = Path(env) if env else project_root() / ".cache" / "corpuslib"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _warn_no_cache(str(path), exc.strerror or type(exc).__name__)
    return path


_NO_CACHE: set[str] = set()  # cache folders that could not be created (warned once each)


def _warn_no_cache(path: str, why: str) -> None:
    import warnings

    if path in _NO_CACHE:
        return
    _NO_CACHE.add(path)
    warnings.warn(f"cache folder {printable(path)} cannot be created ({why}); working without cache",
                  RuntimeWarning, stacklevel=3)


def cache_unavailable(folder: str | os.PathLike) -> bool:
    """True when ``folder`` is a cache folder :func:`cache_dir` could not create (and said so)."""
    folder = os.fspath(folder)
    return folder in _NO_CACHE and not os.path.isdir(folder)


def printable(text: str) -> str:
    """Return a path (or any text) as valid UTF-8 text: undecodable bytes of a file name become ``\\xNN``.

    File names that are not UTF-8 reach Python as lone surrogates (``surrogateescape``), which
    no UTF-8 file (CSV, Parquet, JSON) can hold.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join(_escape_surrogate(c) if "\ud800" <= c <= "\udfff" else c for c in text)


def _escape_surrogate(c: str) -> str:
    code = ord(c)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


@lru_cache(maxsize=8)
def _root_for(cwd: str, env: str | None) -> str:
    # keyed by what project_root() depends on: the working folder and CORPUSLIB_ROOT
    return str(project_root())


def display_path(path: str | os.PathLike, root: str | os.PathLike | None = None) -> str:
    """Return how tables and manifests name a file: relative to the project root when inside it, else absolute.

    ``data/raw/000_x.txt`` then reads the same in every checkout of the project, so the tables of
    two clones at different places are byte-identical; files elsewhere keep their absolute path.
    ``root`` replaces the project root. Posix separators; no symlink resolution (one string
    operation per file).
    """
    full = os.path.abspath(path)
    root = os.path.abspath(root) if root is not None else _root_for(os.getcwd(), os.environ.get("CORPUSLIB_ROOT"))
    if full.startswith(root.rstrip(os.sep) + os.sep):
        return printable(Path(full[len(root.rstrip(os.sep)) + 1:]).as_posix())
    return printable(Path(full).as_posix())
