"""The research run: execute ``notebooks/NN-*.ipynb`` in order with papermill.

Output layout of a run (default ``outputs/``): ``notebooks/`` (executed copies, and an HTML export
of each with the code hidden), ``figures/`` (PNG), ``tables/`` (CSV), ``data/`` (Parquet
intermediates such as ``documents.parquet``), ``report.html`` and ``manifest.json``.

A run is a sequence of named steps, as papermill's ``execute_notebook`` is:

1. **plan** (:func:`plan_run`): select the notebooks, check every parameter and the output folder;
   nothing is written yet, so a bad parameter or a dangerous ``--out`` stops the run here;
2. **key** (:func:`notebook_key`): hash what decides a notebook's outputs;
3. **execute or reuse** (:func:`execute_or_reuse`): run the notebook with papermill, or copy the
   previous run's outputs when its key is unchanged and those outputs are intact;
4. **record** (:class:`Ledger`): note which outputs each notebook wrote and their hashes;
5. **publish** (:func:`publish_run`): write the report and the manifest, and swap the staging
   folder into place in one step (:func:`corpuslib.core.outputs.publish`).

The run executes into a staging folder beside the output folder, holding the output folder's lock
(:func:`corpuslib.core.outputs.locked`), so a failed or killed run leaves the previous outputs in
place and two runs never write one folder at once.

Runs are incremental. Each notebook's key is the hash of its cells, its effective parameters,
the input files its parameters name (the corpus), the shipped data files, the library's sources
and dependency versions, and the files in ``data/`` when it starts (what earlier notebooks hand
on). So changing a parameter of one notebook reruns that notebook, and the later ones only if it
changed what they read from ``data/``.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import functools
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core import outputs as out_folders
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


def select_notebooks(root: Path | None = None, only: list[str] | None = None) -> list[Path]:
    """Return the notebooks of a run: all of ``notebooks/NN-*.ipynb``, or those starting with a prefix in ``only``."""
    notebooks = list_notebooks(root)
    if only:
        notebooks = [nb for nb in notebooks if any(nb.name.startswith(p) for p in only)]
    return notebooks


def _cells(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])


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


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------------------------
# 1. plan
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunPlan:
    """What a run will do, decided before anything is written."""

    root: Path
    notebooks: list[Path]
    declared: dict
    final: Path
    staging: Path
    failed: Path
    fixed: dict
    given: dict
    effective: dict
    only: list[str] | None
    force: bool


def plan_run(*, corpus: str | None = None, params: dict | None = None, out_dir: str | os.PathLike = "outputs",
             only: list[str] | None = None, root: Path | None = None, force: bool = False) -> RunPlan:
    """Return the plan of a run: its notebooks, each one's checked parameters, its output folders.

    Raises
    ------
    corpuslib.run.params.ParameterError
        A parameter does not fit (see :func:`corpuslib.run.params.validate`), or the column map
        names a column the corpus tables lack.
    corpuslib.core.outputs.OutputError
        ``out_dir`` (or a folder the run keeps beside it) holds files corpuslib did not write,
        or is, contains or lies inside the corpus, or is or contains the project or current folder.
    RunError
        There is no notebook to run.
    """
    from .params import check_corpus_columns, declared_parameters, validate

    root = Path(root or project_root()).resolve()
    notebooks = select_notebooks(root, only)
    if not notebooks:
        raise RunError(f"no notebooks to run in {root / 'notebooks'}")
    declared = declared_parameters(notebooks)
    final = resolve(out_dir, root).resolve()
    staging = out_folders.sibling(final, ".staging", hidden=True)
    fixed = {"out_dir": str(staging), "documents": str(staging / "data" / "documents.parquet")}
    given = dict(params or {})
    if corpus is not None and any("corpus" in d for d in declared.values()):
        given["corpus"] = str(Path(corpus).expanduser().resolve())
    effective = validate(given, declared, fixed=fixed, root=root)
    check_corpus_columns(effective, root=root)
    corpora = {resolve(v["corpus"], root) for v in effective.values() if isinstance(v.get("corpus"), str) and v["corpus"]}
    final = out_folders.check_out_dir(final, kind="run", inputs=sorted(corpora), root=root)
    failed = out_folders.sibling(final, ".failed")
    for aside in (failed, out_folders.sibling(final, ".old", hidden=True)):
        if os.path.lexists(aside) and out_folders.marker_kind(aside) is None:
            raise out_folders.OutputError(f"{aside} exists and corpuslib did not write it; move it away first")
    return RunPlan(root, notebooks, declared, final, staging, failed, fixed, given, effective,
                   list(only) if only else None, force)


# --------------------------------------------------------------------------------------------
# 2. key
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunContext:
    """What every notebook's key shares: the software and the shipped data of this run."""

    environment: dict
    data_files: dict

    @classmethod
    def current(cls) -> "RunContext":
        from . import manifest as mf

        return cls(mf.environment(), mf.shipped_data())

    @property
    def env_key(self) -> dict:
        return {k: self.environment[k] for k in ("corpuslib", "corpuslib_sources", "dependencies", "python")}


def notebook_key(nb: Path, values: dict, *, fixed: dict, inputs: dict, context: RunContext, upstream: dict) -> str:
    """Return the key of one notebook's outputs: cells, parameters, inputs, data, software, upstream ``data/``."""
    from .manifest import sha256_json

    return sha256_json({
        "notebook": notebook_digest(nb),
        "parameters": {k: v for k, v in values.items() if k not in fixed},
        "inputs": inputs,
        "data_files": context.data_files,
        "environment": context.env_key,
        "upstream": {rel: h for rel, h in upstream.items() if rel.startswith("data/")},
    })


# --------------------------------------------------------------------------------------------
# 3. execute or reuse
# --------------------------------------------------------------------------------------------


def _intact(folder: Path, outputs: dict[str, str]) -> bool:
    from .manifest import sha256_file

    for rel, digest in outputs.items():
        f = folder / rel
        if not f.is_file() or sha256_file(f) != digest:
            return False
    return True


def _reuse(prev: dict | None, key: str, final: Path, staging: Path) -> dict | None:
    """Copy a notebook's previous outputs into staging when its key matches and they are intact."""
    if not (prev and prev.get("key") == key and prev.get("outputs") and _intact(final, prev["outputs"])):
        return None
    for rel in prev["outputs"]:
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(final / rel, staging / rel)
    return dict(prev["outputs"])


def _kernel_manager_class():
    """A kernel manager for quiet runs: local IPC sockets (no "running over TCP without encryption"
    warning) and a shutdown without the SIGINT jupyter_client sends first (which makes an idle
    kernel print a spurious "KeyboardInterrupt caught in kernel")."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum

    class QuietKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # the shutdown request follows; an interrupt only adds noise
                return
            await super()._async_interrupt_kernel()

    return QuietKernelManager


@functools.cache
def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    return "corpuslib" if "corpuslib" in KernelSpecManager().find_kernel_specs() else "python3"


def execute_notebook(nb: Path, target: Path, values: dict, *, kernel: str, root: Path) -> None:
    """Run one notebook with papermill into ``target`` (raises papermill's ``PapermillExecutionError``)."""
    import papermill as pm

    pm.execute_notebook(
        str(nb), str(target), parameters=values, kernel_name=kernel, cwd=str(root),
        progress_bar=False, log_output=False, kernel_manager_class=_kernel_manager_class(),
    )
    try:
        from .report import export_notebook

        export_notebook(target)
    except Exception as exc:  # the .ipynb is the record; the HTML export is a convenience
        print(f"corpuslib: no HTML export of {nb.name}: {type(exc).__name__}: {exc}", file=sys.stderr)


def execute_or_reuse(plan: RunPlan, nb: Path, key: str, prev: dict | None) -> tuple[str, dict | None]:
    """Return ``(status, outputs)``: ``("reused", {rel: sha256})`` or ``("ran", None)`` (outputs found later).

    Raises
    ------
    RunError
        When the notebook fails (the failed run is kept aside, see :func:`keep_failed`).
    """
    from papermill.exceptions import PapermillExecutionError

    outputs = _reuse(prev, key, plan.final, plan.staging)
    if outputs is not None:
        return "reused", outputs
    values = plan.effective[nb.name]
    # Only what the user or the run set is injected; defaults stay the notebook's own text.
    passed = {k: v for k, v in values.items() if k in plan.fixed or k in plan.given}
    target = plan.staging / "notebooks" / nb.name
    try:
        execute_notebook(nb, target, passed, kernel=_kernel_name(), root=plan.root)
    except PapermillExecutionError as exc:
        where = failed_cell(exc, nb, injected=bool(passed))
        disk_full = exc.ename in ("OSError", "IOError") and f"[Errno {errno.ENOSPC}]" in str(exc.evalue)
        kept = keep_failed(plan, disk_full=disk_full)
        note = " (the disk is full: only the executed notebooks were kept)" if disk_full else ""
        raise RunError(f"{nb.name} failed at {where}; previous outputs in {plan.final} left as they were; "
                       f"the failed run is in {kept}{note}") from exc
    return "ran", None


def failed_cell(exc, nb: Path, *, injected: bool) -> str:
    """Name the failing cell of papermill's ``PapermillExecutionError`` by its index in the source notebook.

    papermill counts the cells of the executed notebook, which holds its injected-parameters cell
    right after the cell tagged ``parameters`` (or first, without one) when parameters were passed.
    """
    index = exc.cell_index
    if injected:
        tags = [c.get("metadata", {}).get("tags", []) for c in _cells(nb)]
        at = next((i + 1 for i, t in enumerate(tags) if "parameters" in t), 0)
        if index == at:
            return f"the injected parameters ({exc.ename}: {exc.evalue})"
        if index > at:
            index -= 1
    first = next((ln for ln in (exc.source or "").splitlines() if ln.strip()), "")
    return f"cell {index} ({exc.ename}: {exc.evalue}) `{first[:60]}`"


def keep_failed(plan: RunPlan, *, disk_full: bool = False) -> Path:
    """Move the staging folder of a failed run to ``<out>.failed`` (replacing the previous one) and return it.

    On a full disk only the executed notebooks (which show the error) are kept, so the kept
    folder does not hold the disk full.
    """
    out_folders.remove_ours(plan.failed)
    plan.staging.rename(plan.failed)
    if disk_full:
        for entry in plan.failed.iterdir():
            if entry.name not in ("notebooks", out_folders.MARKER):
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    return plan.failed


# --------------------------------------------------------------------------------------------
# 4. record
# --------------------------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple]:
    """``{relative path: (size, mtime_ns, inode)}``: enough to see which files a notebook wrote."""
    out = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            f = Path(dirpath) / name
            st = f.stat()
            out[f.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


@dataclass
class Ledger:
    """Which notebook wrote which file of the staging folder, and the hash of what is there now."""

    staging: Path
    records: dict[str, dict] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    state: dict[str, tuple] = field(default_factory=dict)

    def __post_init__(self):
        self.state = _snapshot(self.staging)

    def record(self, nb: Path, key: str, status: str, seconds: float, outputs: dict | None) -> None:
        """Record a notebook's outputs: those reused, or (``outputs=None``) the files it changed."""
        from .manifest import sha256_file

        now = _snapshot(self.staging)
        changed = sorted(rel for rel in now if self.state.get(rel) != now[rel])
        for rel in set(self.state) - set(now):  # removed by this notebook
            self.hashes.pop(rel, None)
            if rel in self.owner:
                self.records[self.owner.pop(rel)]["outputs"].pop(rel, None)
        if outputs is None:
            outputs = {rel: sha256_file(self.staging / rel) for rel in changed}
        for rel in outputs:
            if rel in self.owner and self.owner[rel] != nb.name:  # a later notebook rewrote it: it owns it now
                self.records[self.owner[rel]]["outputs"].pop(rel, None)
            self.owner[rel] = nb.name
        self.hashes.update(outputs)
        self.state = now
        self.records[nb.name] = {"key": key, "status": status, "seconds": round(seconds, 2),
                                 "outputs": dict(sorted(outputs.items()))}


# --------------------------------------------------------------------------------------------
# 5. publish
# --------------------------------------------------------------------------------------------


def publish_run(plan: RunPlan, ledger: Ledger, context: RunContext, started: str) -> Path:
    """Write the report and the manifest into staging, then swap it into place; return the output folder."""
    from . import manifest as mf
    from .report import build_report

    def shown(value):
        # The run writes into the staging folder; the manifest names where the outputs end up.
        return value.replace(str(plan.staging), str(plan.final)) if isinstance(value, str) else value

    manifest = {
        "format": mf.FORMAT,
        "started": started,
        "finished": _now(),
        "run": {"out_dir": str(plan.final), "root": str(plan.root), "only": plan.only, "force": plan.force},
        "environment": context.environment,
        "parameters": {name: {k: shown(v) for k, v in vals.items()} for name, vals in plan.effective.items()},
        "inputs": dict(sorted(ledger.inputs.items())),
        "data_files": context.data_files,
        "notebooks": ledger.records,
    }
    defaults = {name: {k: p.default for k, p in d.items()} for name, d in plan.declared.items()}
    build_report(plan.staging, manifest, defaults=defaults)
    manifest["outputs"] = mf.hash_tree(plan.staging, exclude=(mf.MANIFEST,))
    mf.write_manifest(plan.staging, manifest)
    out_folders.publish(plan.staging, plan.final)
    return plan.final


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _progress(total: int, enabled: bool):
    if not enabled:
        yield None
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc="notebooks", unit="nb") as bar:
        yield bar


def _previous_records(plan: RunPlan) -> dict:
    from . import manifest as mf

    previous = None if plan.force else mf.read_manifest(plan.final)
    if previous and previous.get("format") != mf.FORMAT:  # written by another layout: start afresh
        previous = None
    return (previous or {}).get("notebooks", {})


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
        checked against the declared constraints (:data:`corpuslib.run.params.CONSTRAINTS`)
        before anything runs.
    out_dir : path
        The output folder (relative paths from the project root): new, empty, or a previous
        run's output; anything else is refused.
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
    corpuslib.core.outputs.OutputError
        (a ``ValueError``) when ``out_dir`` is refused or another run is writing it; nothing has run.
    RunError
        When a notebook fails: names the notebook and cell; the previous outputs stay in place.
    """
    from . import manifest as mf

    started = _now()
    plan = plan_run(corpus=corpus, params=params, out_dir=out_dir, only=only, root=root, force=force)
    with out_folders.locked(plan.final):
        out_folders.recover(plan.final)
        previous = _previous_records(plan)
        context = RunContext.current()
        out_folders.write_marker(plan.staging, "run")
        output_dirs(plan.staging)
        ledger = Ledger(plan.staging)
        try:
            with _progress(len(plan.notebooks), progress) as bar:
                for nb in plan.notebooks:
                    t0 = time.perf_counter()
                    values = plan.effective[nb.name]
                    nb_inputs = mf.hash_inputs(input_paths(values, plan.root, exclude=(plan.staging, plan.final)),
                                               plan.root)
                    ledger.inputs.update(nb_inputs)
                    key = notebook_key(nb, values, fixed=plan.fixed, inputs=nb_inputs, context=context,
                                       upstream=ledger.hashes)
                    status, outputs = execute_or_reuse(plan, nb, key, previous.get(nb.name))
                    ledger.record(nb, key, status, time.perf_counter() - t0, outputs)
                    if bar is not None:
                        bar.set_postfix_str(f"{nb.name} {status} {time.perf_counter() - t0:.0f}s")
                        bar.update(1)
            return publish_run(plan, ledger, context, started)
        except BaseException:
            if plan.staging.exists():  # not kept as the failed run: ours, and no use to anyone
                with contextlib.suppress(OSError):
                    out_folders.remove_tree(plan.staging)
            raise
