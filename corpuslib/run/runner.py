"""The research run: execute ``notebooks/NN-*.ipynb`` in order with papermill.

Output layout of a run (default ``outputs/``): ``notebooks/`` (executed copies, and an HTML export
of each with the code hidden), ``figures/`` (PNG), ``tables/`` (CSV), ``data/`` (Parquet
intermediates such as ``documents.parquet``), ``report.html`` and ``manifest.json``. The run
executes into a staging folder and replaces the output folder only when every notebook succeeded,
so a failed run leaves the previous good outputs in place.

Runs are incremental. Each notebook gets a key: the hash of its cells, its effective parameters,
the input files its parameters name (the corpus), the shipped data files, the library's sources
and dependency versions, and the files in ``data/`` when it starts (what earlier notebooks hand
on). A notebook whose key matches the previous run's, and whose previous outputs are intact, is
not executed: its outputs are copied into the staging folder. So changing a parameter of one
notebook reruns that notebook, and the later ones only if it changed what they read from ``data/``.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..core.paths import project_root, resolve

#: Parameters every notebook understands; the run sets them for all notebooks.
COMMON = ("corpus", "documents", "out_dir")


class RunError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


@dataclass(frozen=True)
class OutputDirs:
    """The folders of a run's output."""

    root: Path
    notebooks: Path
    figures: Path
    tables: Path
    data: Path


def output_dirs(out_dir: str | os.PathLike = "outputs") -> OutputDirs:
    """Return (and create) the output folders under ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        The run's output folder; a relative path is taken from the project root.

    Returns
    -------
    OutputDirs
        ``root``, ``notebooks``, ``figures``, ``tables``, ``data`` (absolute paths, created).
    """
    root = resolve(out_dir)
    dirs = OutputDirs(root, root / "notebooks", root / "figures", root / "tables", root / "data")
    for d in (dirs.notebooks, dirs.figures, dirs.tables, dirs.data):
        d.mkdir(parents=True, exist_ok=True)
    return dirs


def documents_path(out_dir: str | os.PathLike = "outputs", documents: str = "") -> Path:
    """Return where the documents table of a run lives.

    Parameters
    ----------
    out_dir : str or Path
        The run's output folder (relative paths from the project root).
    documents : str
        A documents table given by the user; empty for the run's own.

    Returns
    -------
    Path
        ``documents`` if given, else ``<out_dir>/data/documents.parquet``.
    """
    return resolve(documents) if documents else resolve(out_dir) / "data" / "documents.parquet"


def list_notebooks(root: Path | None = None) -> list[Path]:
    """Return the run's notebooks, ``notebooks/NN-*.ipynb`` in name order."""
    root = root or project_root()
    return sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def notebook_parameters(path: Path) -> dict[str, dict]:
    """Return a notebook's declared parameters: name -> {type, default, help} (see :mod:`corpuslib.run.params`)."""
    from .params import notebook_parameters as declared

    return {name: {"type": p.type, "default": p.default_text, "help": p.help} for name, p in declared(path).items()}


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return "corpuslib" if "corpuslib" in KernelSpecManager().find_kernel_specs() else "python3"


def _failed_cell(nb_path: Path) -> str:
    """Name the failing cell by its index in the source notebook (papermill's own cells skipped)."""
    import nbformat

    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:
        return "unknown cell"
    skip = {"injected-parameters", "papermill-error-cell-tag"}
    index = -1
    for cell in nb.cells:
        if skip & set(cell.metadata.get("tags", [])):
            continue
        index += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
                return f"cell {index} ({out.get('ename')}: {out.get('evalue')}) `{first[:60]}`"
    return "unknown cell"


def select_notebooks(root: Path | None = None, only: list[str] | None = None) -> list[Path]:
    """Return the notebooks of a run: all of ``notebooks/NN-*.ipynb``, or those starting with a prefix in ``only``."""
    notebooks = list_notebooks(root)
    if only:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(p) for p in only)]
    return notebooks


def notebook_digest(path: Path) -> str:
    """Return the hash of what a notebook does: its cells' types, sources and tags (not outputs or metadata)."""
    from .manifest import sha256_json

    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [
        [c.get("cell_type"), "".join(c.get("source", "")), sorted(c.get("metadata", {}).get("tags", []))]
        for c in nb.get("cells", [])
    ]
    return sha256_json({"cells": cells, "kernel": nb.get("metadata", {}).get("kernelspec", {}).get("name")})


def input_paths(values: dict, root: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Return the existing files and folders that a notebook's parameter values name (its inputs).

    Any non-empty string parameter that resolves (from the project root) to an existing path
    counts, except those the run sets itself and paths inside ``exclude`` (the output folders).
    """
    from .params import RUN_SET

    found = []
    for name, value in values.items():
        if name in RUN_SET or not isinstance(value, str) or not value or len(value) > 4096:
            continue
        try:
            p = resolve(value, root).resolve()
            if not p.exists():
                continue
        except (OSError, ValueError):
            continue
        if any(p == e or e in p.parents for e in exclude):
            continue
        found.append(p)
    return found


def _snapshot(folder: Path) -> dict[str, tuple]:
    """``{relative path: (size, mtime_ns, inode)}``: enough to see which files a notebook wrote."""
    out = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            f = Path(dirpath) / name
            st = f.stat()
            out[f.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def _intact(folder: Path, outputs: dict[str, str]) -> bool:
    from .manifest import sha256_file

    for rel, digest in outputs.items():
        f = folder / rel
        if not f.is_file() or sha256_file(f) != digest:
            return False
    return True


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def run_notebooks(
    *,
    corpus: str | None = None,
    params: dict | None = None,
    out_dir: str | os.PathLike = "outputs",
    only: list[str] | None = None,
    progress: bool = True,
    root: Path | None = None,
    force: bool = False,
) -> Path:
    """Execute the notebooks in order and publish their outputs, report and manifest to ``out_dir``.

    Parameters
    ----------
    corpus : str, optional
        What to ingest (file or folder; default: each notebook's own default, the bundled corpus).
    params : dict, optional
        Notebook parameters by name; each notebook receives those it declares. Every value is
        checked against the notebooks' parameters cells (type, range, allowed values, paths that
        must exist) before anything runs.
    out_dir : path
        The output folder (relative paths from the project root).
    only : list of str, optional
        Run only notebooks whose name starts with one of these prefixes (``["01", "02"]``).
    progress : bool
        Show a progress bar.
    root : path, optional
        The project root (default: found from the current directory).
    force : bool
        Execute every notebook even when the previous run's outputs could be reused.

    Returns
    -------
    Path
        The output folder.

    Raises
    ------
    corpuslib.run.params.ParameterError
        (a ``ValueError``) naming each bad parameter and its notebook; nothing has run.
    RunError
        When a notebook fails: names the notebook and cell; the previous outputs stay in place.
    """
    from . import manifest as mf
    from .params import declared_parameters, validate

    started = _now()
    root = Path(root or project_root()).resolve()
    notebooks = select_notebooks(root, only)
    if not notebooks:
        raise RunError(f"no notebooks to run in {root / 'notebooks'}")
    declared = declared_parameters(notebooks)
    final = resolve(out_dir, root).resolve()
    staging = final.with_name(f".{final.name}.staging")
    fixed = {"out_dir": str(staging), "documents": str(staging / "data" / "documents.parquet")}
    given = dict(params or {})
    if corpus is not None and any("corpus" in d for d in declared.values()):
        given["corpus"] = str(Path(corpus).expanduser().resolve())
    effective = validate(given, declared, fixed=fixed, root=root)

    previous = None if force else mf.read_manifest(final)
    if previous and previous.get("format") != mf.FORMAT:  # written by another layout: start afresh
        previous = None
    previous_nbs = (previous or {}).get("notebooks", {})
    env = mf.environment()
    env_key = {k: env[k] for k in ("corpuslib", "corpuslib_sources", "dependencies", "python")}
    data_files = mf.shipped_data()
    if staging.exists():
        shutil.rmtree(staging)
    dirs = output_dirs(staging)
    kernel = None
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb")
    records: dict[str, dict] = {}
    owner: dict[str, str] = {}
    hashes: dict[str, str] = {}  # relative path -> sha256 of what is in staging now
    inputs: dict[str, str] = {}
    state = _snapshot(staging)
    for nb in notebooks:
        values = effective[nb.name]
        nb_inputs = mf.hash_inputs(input_paths(values, root, exclude=(staging, final)), root)
        inputs.update(nb_inputs)
        key = mf.sha256_json({
            "notebook": notebook_digest(nb),
            "parameters": {k: v for k, v in values.items() if k not in fixed},
            "inputs": nb_inputs,
            "data_files": data_files,
            "environment": env_key,
            "upstream": {rel: h for rel, h in hashes.items() if rel.startswith("data/")},
        })
        prev = previous_nbs.get(nb.name)
        t0 = time.perf_counter()
        if prev and prev.get("key") == key and prev.get("outputs") and _intact(final, prev["outputs"]):
            for rel in prev["outputs"]:
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(final / rel, staging / rel)
            status, outputs = "reused", dict(prev["outputs"])
        else:
            kernel = kernel or _kernel_name()
            # Only what the user or the run set is injected; defaults stay the notebook's own text.
            passed = {k: v for k, v in values.items() if k in fixed or k in given}
            _execute(nb, dirs.notebooks / nb.name, passed, kernel, root, staging, final)
            status = "ran"
            try:
                from .report import export_notebook

                export_notebook(dirs.notebooks / nb.name)
            except Exception as exc:  # the .ipynb is the record; the HTML export is a convenience
                print(f"corpuslib: no HTML export of {nb.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            outputs = None
        now = _snapshot(staging)
        changed = sorted(rel for rel in now if state.get(rel) != now[rel])
        for rel in set(state) - set(now):  # removed by this notebook
            hashes.pop(rel, None)
            if rel in owner:
                records[owner.pop(rel)]["outputs"].pop(rel, None)
        if outputs is None:
            outputs = {rel: mf.sha256_file(staging / rel) for rel in changed}
        for rel in outputs:
            if rel in owner and owner[rel] != nb.name:  # a later notebook rewrote it: it owns it now
                records[owner[rel]]["outputs"].pop(rel, None)
            owner[rel] = nb.name
        hashes.update(outputs)
        state = now
        records[nb.name] = {
            "key": key,
            "status": status,
            "seconds": round(time.perf_counter() - t0, 2),
            "outputs": dict(sorted(outputs.items())),
        }
        if bar is not None:
            bar.set_postfix_str(f"{nb.name} {status} {time.perf_counter() - t0:.0f}s")
            bar.update(1)
    if bar is not None:
        bar.close()

    def shown(value):
        # The run writes into the staging folder; the manifest names where the outputs end up.
        return value.replace(str(staging), str(final)) if isinstance(value, str) else value

    manifest = {
        "format": mf.FORMAT,
        "started": started,
        "finished": _now(),
        "run": {"out_dir": str(final), "root": str(root), "only": list(only) if only else None, "force": force},
        "environment": env,
        "parameters": {name: {k: shown(v) for k, v in vals.items()} for name, vals in effective.items()},
        "inputs": dict(sorted(inputs.items())),
        "data_files": data_files,
        "notebooks": records,
    }
    from .report import build_report

    defaults = {name: {k: p.default for k, p in d.items()} for name, d in declared.items()}
    build_report(staging, manifest, defaults=defaults)
    manifest["outputs"] = mf.hash_tree(staging, exclude=(mf.MANIFEST,))
    mf.write_manifest(staging, manifest)
    _publish(staging, final)
    return final


def _execute(nb: Path, target: Path, values: dict, kernel: str, root: Path, staging: Path, final: Path) -> None:
    """Run one notebook with papermill; on failure keep the failed run aside and raise :class:`RunError`."""
    import papermill as pm

    try:
        pm.execute_notebook(
            str(nb), str(target), parameters=values, kernel_name=kernel, cwd=str(root),
            progress_bar=False, log_output=False,
        )
    except Exception as exc:
        failed = final.with_name(f"{final.name}.failed")
        if failed.exists():
            shutil.rmtree(failed)
        staging.rename(failed)
        where = _failed_cell(failed / "notebooks" / nb.name)
        raise RunError(
            f"{nb.name} failed at {where}; previous outputs in {final} left as they were; "
            f"the failed run is in {failed}"
        ) from exc


def _publish(staging: Path, final: Path) -> None:
    """Swap the staging folder into place; the old outputs are removed only after the swap."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old)
