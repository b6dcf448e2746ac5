"""The manifest of a run: parameters, versions, and the sha256 of every input, shipped data file and output."""
import hashlib
import json
import platform
from importlib import metadata

import pytest

from corpuslib import __version__
from corpuslib.run.cli import main
from corpuslib.run.manifest import (
    MANIFEST,
    Difference,
    dependency_versions,
    hash_inputs,
    hash_tree,
    read_manifest,
    shipped_data,
    verify,
    write_manifest,
)
from corpuslib.core.paths import package_data
from corpuslib.run.runner import run_notebooks


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path):
    """A run's output folder in miniature, with its manifest."""
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "figures").mkdir()
    (out / "tables" / "kwic.csv").write_text("doc_id,match\n004_5150bff2a22895e7,tinh gọn bộ máy\n", encoding="utf-8")
    (out / "figures" / "03-x.png").write_bytes(b"\x89PNG fake")
    (out / "timeline.json").write_text("{}")
    write_manifest(out, {"outputs": hash_tree(out, exclude=(MANIFEST,))})
    return out


def test_verify_is_quiet_on_an_untouched_folder(folder):
    assert verify(folder) == []


def test_verify_names_each_edited_missing_or_added_output(folder):
    (folder / "tables" / "kwic.csv").write_text("doc_id,match\n004_5150bff2a22895e7,tinh gọn bộ máy \n", encoding="utf-8")
    (folder / "figures" / "03-x.png").unlink()
    (folder / "tables" / "mine.csv").write_text("a\n")
    found = verify(folder)
    assert [(d.path, d.status) for d in found] == [
        ("figures/03-x.png", "missing"), ("tables/kwic.csv", "differs"), ("tables/mine.csv", "extra")]
    assert str(found[1]).split() == ["differs", "tables/kwic.csv"]


def test_verify_without_a_manifest_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no readable manifest.json"):
        verify(tmp_path)


def test_verify_inputs_sees_a_changed_corpus_file(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    (corpus / seed.name).write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    write_manifest(out, {"outputs": {}, "inputs": hash_inputs([corpus]), "data_files": shipped_data()})
    assert verify(out, inputs=True) == []
    (corpus / seed.name).write_bytes(seed.read_bytes() + b"\n")
    (found,) = verify(out, inputs=True)
    assert found.status == "input changed" and found.path.endswith(seed.name)
    assert verify(out) == []  # outputs alone still match


def test_hash_inputs_skips_hidden_files_and_matches_hashlib(tmp_path, seeds_dir):
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / "a.txt").write_bytes(b"tinh gon")
    assert hash_inputs([tmp_path]) == {(tmp_path / "a.txt").as_posix(): hashlib.sha256(b"tinh gon").hexdigest()}
    seeds = hash_inputs([seeds_dir])
    assert set(seeds) == {f"data/raw/{p.name}" for p in seeds_dir.glob("*.txt")}  # relative to the project root


def test_shipped_data_covers_every_data_file():
    found = shipped_data()
    pkg = package_data("documents/outlets.csv").parents[2]
    files = sorted(p for p in pkg.glob("*/data/*") if p.is_file())
    assert len(files) >= 11
    assert set(found) == {f"corpuslib/{p.relative_to(pkg).as_posix()}" for p in files}
    assert found["corpuslib/documents/data/outlets.csv"] == sha(package_data("documents/outlets.csv"))


def test_dependency_versions_are_the_installed_ones():
    found = dependency_versions()
    for name in ("pandas", "numpy", "papermill", "matplotlib", "scikit-learn", "jieba", "pyvi", "pymorphy3"):
        assert found[name] == metadata.version(name)
    assert "pytest" not in found  # dev extras are not part of a run


@pytest.fixture(scope="module")
def run01(tmp_path_factory):
    out = tmp_path_factory.mktemp("manifest") / "out"
    run_notebooks(out_dir=out, only=["01"], params={"min_chars": 60}, progress=False)
    return out


@pytest.mark.slow
def test_manifest_of_a_run_records_what_went_in(run01, seeds_dir):
    m = read_manifest(run01)
    assert json.loads((run01 / MANIFEST).read_text()) == m
    text = (run01 / MANIFEST).read_text()
    assert text == json.dumps(m, sort_keys=True, indent=1, ensure_ascii=False) + "\n"  # sorted keys
    params = m["parameters"]["01-build-documents.ipynb"]
    assert params["min_chars"] == 60 and params["tone_style"] == "new" and params["corpus"] == "data/raw"
    assert params["out_dir"] == str(run01)  # the published folder, not the staging one
    env = m["environment"]
    assert env["corpuslib"] == __version__ and env["python"] == platform.python_version()
    assert env["dependencies"]["pandas"] == metadata.version("pandas")
    assert m["inputs"] == {f"data/raw/{p.name}": sha(p) for p in sorted(seeds_dir.glob("*.txt"))}
    assert m["data_files"] == shipped_data()
    assert "corpuslib/text/data/reform_lexicon.csv" in m["data_files"]


@pytest.mark.slow
def test_manifest_of_a_run_hashes_every_output(run01):
    m = read_manifest(run01)
    on_disk = sorted(p.relative_to(run01).as_posix() for p in run01.rglob("*") if p.is_file() and p.name != MANIFEST)
    assert sorted(m["outputs"]) == on_disk
    for rel in ("tables/documents.csv", "tables/rejected.csv", "figures/01-overview.png", "data/documents.parquet",
                "report.html", "notebooks/01-build-documents.ipynb"):
        assert m["outputs"][rel] == sha(run01 / rel)
    nb = m["notebooks"]["01-build-documents.ipynb"]
    assert nb["status"] == "ran" and len(nb["key"]) == 64
    assert set(nb["outputs"]) == set(m["outputs"]) - {"report.html", ".corpuslib-output"}  # the run wrote those


@pytest.mark.slow
def test_cli_verify_passes_then_fails_after_a_table_is_edited(run01, tmp_path, capsys):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(run01, out)
    assert main(["verify", str(out)]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    table = out / "tables" / "documents_qa.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("Báo Nghệ An", "Báo Nghe An"), encoding="utf-8")
    assert main(["verify", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out.split() == ["differs", "tables/documents_qa.csv"]
    assert "1 difference" in captured.err
    assert main(["verify", str(tmp_path / "nowhere")]) == 2


def test_difference_prints_status_and_path():
    assert str(Difference("tables/a.csv", "missing")).split() == ["missing", "tables/a.csv"]
