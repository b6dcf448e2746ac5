"""The research run: every notebook executes with papermill on the bundled corpus; failures keep old outputs."""
import json

import nbformat
import pandas as pd
import pytest

from corpuslib.core.outputs import write_marker
from corpuslib.run.runner import RunError, list_notebooks, notebook_parameters, run_notebooks
from tests.conftest import make_project

COMMON = {"corpus", "out_dir", "documents"}


def test_notebooks_are_thin_and_parameterized(root):
    notebooks = list_notebooks(root)
    assert notebooks and notebooks[0].name == "01-build-documents.ipynb"
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown", f"{path.name}: first cell states the question"
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: one cell tagged 'parameters'"
        for line in tagged[0].source.splitlines():
            if line.strip() and not line.startswith("#"):
                assert ":" in line.split("=")[0] and "#" in line, f"{path.name}: annotated and commented: {line}"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, f"{path.name}: outputs committed"
                assert "def " not in cell.source and "class " not in cell.source, f"{path.name}: logic belongs in corpuslib"
        params = notebook_parameters(path)
        assert COMMON & set(params), f"{path.name} declares none of the shared parameters"


@pytest.mark.slow
def test_run_executes_every_notebook_on_the_bundled_corpus(tmp_path, root):
    out = run_notebooks(out_dir=tmp_path / "out", progress=False)
    executed = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert executed == [p.name for p in list_notebooks(root)]
    docs = pd.read_parquet(out / "data" / "documents.parquet")
    assert len(docs) == 5
    qa = pd.read_csv(out / "tables" / "documents_qa.csv")
    assert list(qa["doc_id"]) == sorted(docs["doc_id"])
    assert (out / "figures" / "01-overview.png").stat().st_size > 10_000
    assert pd.read_csv(out / "tables" / "rejected.csv").empty
    assert not (tmp_path / ".out.staging").exists()


@pytest.mark.slow
def test_failed_run_keeps_previous_outputs_and_names_the_cell(tmp_path, root):
    proj = make_project(tmp_path / "proj", {"01-broken.ipynb": ("out_dir: str = 'outputs'  # where", "1 / 0")})
    good = proj / "outputs"  # a previous run's output
    write_marker(good, "run")
    (good / "tables").mkdir(parents=True)
    (good / "tables" / "keep.csv").write_text("a\n1\n")
    (good / "manifest.json").write_text(json.dumps({"format": 1, "notebooks": {}, "outputs": {"tables/keep.csv": "?"}}))
    with pytest.raises(RunError, match=r"01-broken\.ipynb failed at cell 2 \(ZeroDivisionError"):
        run_notebooks(out_dir=good, root=proj, progress=False)
    assert (good / "tables" / "keep.csv").read_text() == "a\n1\n"
    assert (proj / "outputs.failed" / "notebooks" / "01-broken.ipynb").exists()


def test_unknown_parameter_is_refused_before_running(tmp_path):
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['n_topicz'\]"):
        run_notebooks(out_dir=tmp_path / "o", params={"n_topicz": 3}, progress=False)
    assert not (tmp_path / "o").exists()


# --- incremental and reproducible runs --------------------------------------------------------

def _statuses(out):
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {name[:2]: rec["status"] for name, rec in m["notebooks"].items()}


def _files(out, sub=("tables", "figures", "data")):
    return {p.relative_to(out).as_posix(): p.read_bytes() for d in sub for p in sorted((out / d).rglob("*")) if p.is_file()}


@pytest.fixture
def stable_sources(monkeypatch):
    """Other sessions may save library modules while these tests run; the source hash must not move under them."""
    import corpuslib.run.manifest

    monkeypatch.setattr(corpuslib.run.manifest, "source_digest", lambda: "fixed-for-the-test")


@pytest.mark.slow
def test_rerun_reuses_unchanged_notebooks_and_any_run_gives_identical_tables(tmp_path, stable_sources):
    import time

    out = tmp_path / "out"
    t0 = time.perf_counter()
    run_notebooks(out_dir=out, only=["01"], progress=False)
    first = time.perf_counter() - t0
    first_manifest = json.loads((out / "manifest.json").read_text())
    assert _statuses(out) == {"01": "ran"}
    files = _files(out)
    assert any(k.startswith("tables/") for k in files) and any(k.startswith("figures/") for k in files)
    for name, data in files.items():
        if name.endswith(".csv"):
            assert str(tmp_path) not in data.decode("utf-8"), f"{name} names the output folder"

    t0 = time.perf_counter()
    run_notebooks(out_dir=out, only=["01"], progress=False)
    second = time.perf_counter() - t0
    assert _statuses(out) == {"01": "reused"}
    assert _files(out) == files and second * 5 < first, (first, second)
    assert "reused" in (out / "report.html").read_text(encoding="utf-8")

    # Executed again from scratch (--force): tables, figures and data byte-identical.
    run_notebooks(out_dir=out, only=["01"], force=True, progress=False)
    assert _statuses(out) == {"01": "ran"}
    again = _files(out)
    assert [k for k in files if files[k] != again.get(k)] == [] and again.keys() == files.keys()
    keep = ("tables/", "figures/", "data/")
    outputs = json.loads((out / "manifest.json").read_text())["outputs"]
    assert {k: v for k, v in outputs.items() if k.startswith(keep)} == \
        {k: v for k, v in first_manifest["outputs"].items() if k.startswith(keep)}


def _tiny_project(tmp_path, root):
    """Two quick notebooks: 01 hands a file on in data/, 02 reads it and writes a table."""
    return make_project(tmp_path / "proj", {
        "01-a.ipynb": ("out_dir: str = 'outputs'  # where\nn: int = 7  # size",
                       "import pathlib\nd = pathlib.Path(out_dir) / 'data'\nd.mkdir(exist_ok=True)\n"
                       "(d / 'big.txt').write_text(str(n > 5))"),
        "02-b.ipynb": ("out_dir: str = 'outputs'  # where\nlabel: str = 'x'  # label\nfail: bool = False  # break on purpose",
                       "import pathlib\nassert not fail\nbig = (pathlib.Path(out_dir) / 'data' / 'big.txt').read_text()\n"
                       "(pathlib.Path(out_dir) / 'tables' / 'b.csv').write_text(f'label,big\\n{label},{big}\\n')"),
    })


@pytest.mark.slow
def test_a_changed_parameter_reruns_its_notebook_and_those_reading_what_it_changed(tmp_path, root, stable_sources):
    proj = _tiny_project(tmp_path, root)
    out = proj / "outputs"

    def run(**params):
        run_notebooks(out_dir=out, root=proj, params=params, progress=False)
        return _statuses(out)

    assert run() == {"01": "ran", "02": "ran"}
    assert run() == {"01": "reused", "02": "reused"}
    assert run(label="y") == {"01": "reused", "02": "ran"}
    assert run(label="y", n=8) == {"01": "ran", "02": "reused"}  # data/big.txt unchanged: 02 need not rerun
    assert run(label="y", n=3) == {"01": "ran", "02": "ran"}
    assert (out / "tables" / "b.csv").read_text() == "label,big\ny,False\n"

    (out / "tables" / "b.csv").write_text("label,big\ny,True\n")  # an edited output is never reused
    assert run(label="y", n=3) == {"01": "reused", "02": "ran"}
    assert (out / "tables" / "b.csv").read_text() == "label,big\ny,False\n"

    before = _files(out, ("tables", "data"))
    with pytest.raises(RunError, match=r"02-b\.ipynb failed"):
        run(label="y", n=3, fail=True)
    assert _files(out, ("tables", "data")) == before and not (proj / ".outputs.staging").exists()


# --- locked, atomic, quiet, and faults named (issue 12) ----------------------------------------

def test_a_second_run_into_the_same_out_is_refused_before_anything_runs(tmp_path, root):
    from corpuslib.core.outputs import OutputBusyError, locked

    proj = _tiny_project(tmp_path, root)
    out = proj / "outputs"
    with locked(out):
        with pytest.raises(OutputBusyError, match="another corpuslib command .* is writing"):
            run_notebooks(out_dir=out, root=proj, progress=False)
    assert not out.exists() and not (proj / ".outputs.staging").exists()


@pytest.mark.slow
def test_a_run_killed_while_publishing_is_recovered_and_the_run_is_quiet(tmp_path, root, stable_sources, capfd):
    proj = _tiny_project(tmp_path, root)
    out = proj / "outputs"
    run_notebooks(out_dir=out, root=proj, progress=True)
    err = capfd.readouterr().err
    assert "without encryption" not in err and "KeyboardInterrupt" not in err, err
    assert "notebooks: 100%" in err  # the progress bar stays
    before = _files(out, ("tables", "data"))
    # killed between the two renames of a publish without renameat2, with its staging half written
    out.rename(proj / ".outputs.old")
    write_marker(proj / ".outputs.staging", "run")
    (proj / ".outputs.staging" / "half.txt").write_text("x")
    run_notebooks(out_dir=out, root=proj, progress=False)
    assert _statuses(out) == {"01": "reused", "02": "reused"}  # the previous outputs came back
    assert _files(out, ("tables", "data")) == before
    assert sorted(p.name for p in proj.iterdir()) == ["notebooks", "outputs", "pyproject.toml"]


def test_the_failing_cell_comes_from_papermills_error(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    from corpuslib.run.runner import failed_cell

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("x: int = 1  # x")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# m"), params, nbformat.v4.new_code_cell("\n1 / x")]
    path = tmp_path / "01-x.ipynb"
    nbformat.write(nb, path)
    # papermill counts the executed notebook's cells: its injected parameters sit at index 2
    err = PapermillExecutionError(3, 2, "\n1 / x", "ZeroDivisionError", "division by zero", [])
    assert failed_cell(err, path, injected=True) == "cell 2 (ZeroDivisionError: division by zero) `1 / x`"
    assert failed_cell(err, path, injected=False) == "cell 3 (ZeroDivisionError: division by zero) `1 / x`"
    bad = PapermillExecutionError(2, 1, "x = 1", "NameError", "name 'y' is not defined", [])
    assert failed_cell(bad, path, injected=True) == "the injected parameters (NameError: name 'y' is not defined)"


def test_a_full_disk_stops_the_run_says_so_and_keeps_only_the_notebooks(tmp_path, root, small_disk):
    disk = small_disk("3m")
    proj = _tiny_project(tmp_path, root)
    nb = nbformat.read(proj / "notebooks" / "02-b.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import pathlib\n(pathlib.Path(out_dir) / 'data' / 'big.bin').write_bytes(b'0' * 8_000_000)"))
    nbformat.write(nb, proj / "notebooks" / "02-b.ipynb")
    out = disk / "outputs"
    with pytest.raises(RunError, match=r"02-b\.ipynb failed at cell 3 \(OSError: \[Errno 28\] No space left on device"
                                       r".*the disk is full: only the executed notebooks were kept"):
        run_notebooks(out_dir=out, root=proj, progress=False)
    failed = disk / "outputs.failed"
    assert sorted(p.name for p in failed.iterdir()) == [".corpuslib-output", "notebooks"]
    assert sorted(p.name for p in disk.iterdir()) == ["outputs.failed"]
