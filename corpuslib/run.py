"""The research run: execute ``notebooks/NN-*.ipynb`` in order with papermill.

Output layout of a run (default ``outputs/``): ``notebooks/`` (executed copies), ``figures/`` (PNG),
``tables/`` (CSV) and ``data/`` (Parquet intermediates such as ``documents.parquet``). The run
executes into a staging folder and replaces the output folder only when every notebook succeeded,
so a failed run leaves the previous good outputs in place.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .paths import project_root, resolve

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
    """Return (and create) the output folders under ``out_dir`` (relative paths from the project root)."""
    root = resolve(out_dir)
    dirs = OutputDirs(root, root / "notebooks", root / "figures", root / "tables", root / "data")
    for d in (dirs.notebooks, dirs.figures, dirs.tables, dirs.data):
        d.mkdir(parents=True, exist_ok=True)
    return dirs


def documents_path(out_dir: str | os.PathLike = "outputs", documents: str = "") -> Path:
    """Return where the documents table of a run lives (``documents`` if given, else ``<out_dir>/data``)."""
    return resolve(documents) if documents else resolve(out_dir) / "data" / "documents.parquet"


def list_notebooks(root: Path | None = None) -> list[Path]:
    """Return the run's notebooks, ``notebooks/NN-*.ipynb`` in name order."""
    root = root or project_root()
    return sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def notebook_parameters(path: Path) -> dict[str, dict]:
    """Return a notebook's declared parameters: name -> {type, default, help}."""
    import papermill as pm

    return {
        name: {"type": p["inferred_type_name"], "default": p["default"], "help": p["help"]}
        for name, p in pm.inspect_notebook(str(path)).items()
    }


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


def run_notebooks(
    *,
    corpus: str | None = None,
    params: dict | None = None,
    out_dir: str | os.PathLike = "outputs",
    only: list[str] | None = None,
    progress: bool = True,
    root: Path | None = None,
) -> Path:
    """Execute the notebooks in order and publish their outputs to ``out_dir``.

    Parameters
    ----------
    corpus : str, optional
        What to ingest (file or folder; default: each notebook's own default, the bundled corpus).
    params : dict, optional
        Notebook parameters by name; each notebook receives those it declares. A name no notebook
        declares is an error, raised before anything runs.
    out_dir : path
        The output folder (relative paths from the project root).
    only : list of str, optional
        Run only notebooks whose name starts with one of these prefixes (``["01", "02"]``).

    Returns
    -------
    Path
        The output folder.

    Raises
    ------
    RunError
        When a notebook fails: names the notebook and cell; the previous outputs stay in place.
    """
    import papermill as pm

    root = root or project_root()
    notebooks = list_notebooks(root)
    if only:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(p) for p in only)]
    if not notebooks:
        raise RunError(f"no notebooks to run in {root / 'notebooks'}")
    params = dict(params or {})
    declared = {nb: notebook_parameters(nb) for nb in notebooks}
    known = set().union(*[set(d) for d in declared.values()])
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; the notebooks declare {sorted(known)}")
    final = resolve(out_dir, root)
    staging = final.with_name(f".{final.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    dirs = output_dirs(staging)
    base = {"out_dir": str(staging), "documents": str(staging / "data" / "documents.parquet")}
    if corpus is not None:
        base["corpus"] = str(Path(corpus).expanduser().resolve())
    kernel = _kernel_name()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb")
    for nb in notebooks:
        wanted = {k: v for k, v in {**params, **base}.items() if k in declared[nb]}
        target = dirs.notebooks / nb.name
        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(nb), str(target), parameters=wanted, kernel_name=kernel, cwd=str(root),
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
        if bar is not None:
            bar.set_postfix_str(f"{nb.name} {time.perf_counter() - t0:.0f}s")
            bar.update(1)
    if bar is not None:
        bar.close()
    _publish(staging, final)
    return final


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
