"""The research run: every notebook executes with papermill on the bundled corpus; failures keep old outputs."""
import json
import shutil

import nbformat
import pandas as pd
import pytest

from corpuslib.run import RunError, list_notebooks, notebook_parameters, run_notebooks

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
    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(root / "pyproject.toml", proj)
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("out_dir: str = 'outputs'  # where")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# broken"), params, nbformat.v4.new_code_cell("1 / 0")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, proj / "notebooks" / "01-broken.ipynb")
    good = proj / "outputs"
    (good / "tables").mkdir(parents=True)
    (good / "tables" / "keep.csv").write_text("a\n1\n")
    with pytest.raises(RunError, match=r"01-broken\.ipynb failed at cell 2 \(ZeroDivisionError"):
        run_notebooks(out_dir=good, root=proj, progress=False)
    assert (good / "tables" / "keep.csv").read_text() == "a\n1\n"
    assert (proj / "outputs.failed" / "notebooks" / "01-broken.ipynb").exists()


def test_unknown_parameter_is_refused_before_running(tmp_path):
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['n_topicz'\]"):
        run_notebooks(out_dir=tmp_path / "o", params={"n_topicz": 3}, progress=False)
    assert not (tmp_path / "o").exists()
