"""The command line: ingest summary, exit codes, parquet output."""
from pathlib import Path

import pandas as pd
import pytest

from corpuslib.run.cli import main
from tests.conftest import make_project


def test_ingest_writes_parquet_and_summary(tmp_path, seeds_dir, capsys):
    out = tmp_path / "docs.parquet"
    rej = tmp_path / "rej.csv"
    assert main(["ingest", str(seeds_dir), "--out", str(out), "--rejected", str(rej), "-q"]) == 0
    printed = capsys.readouterr().out
    assert "loaded         5 documents  (ru 1, vi 2, zh 2)" in printed
    assert len(pd.read_parquet(out)) == 5
    assert list(pd.read_csv(rej).columns) == ["source_path", "reason", "detail"]


def test_ingest_missing_path_exits_2_with_one_line(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "d.parquet"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("corpuslib: no such file or folder") and "\n" not in err


def test_ingest_nothing_loaded_exits_1(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path / "in"), "--out", str(tmp_path / "d.parquet"), "-q"]) == 1
    captured = capsys.readouterr()
    assert "empty" in captured.out and "nothing loaded" in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_ingest_named_columns(tmp_path, capsys):
    path = tmp_path / "t.csv"
    pd.DataFrame({"key": ["k1"], "body": ["Ban Chấp hành Trung ương Đảng khóa XIII họp Hội nghị lần thứ mười để thảo luận về công tác cán bộ."]}).to_csv(path, index=False)
    out = tmp_path / "d.parquet"
    assert main(["ingest", str(path), "--out", str(out), "--column", "id=key", "--column", "text=body", "-q"]) == 0
    assert pd.read_parquet(out)["doc_id"].tolist() == ["k1"]


def test_build_writes_the_four_tables(tmp_path, seeds_dir, capsys):
    from corpuslib.documents.table import ingest

    out = tmp_path / "tables"
    assert main(["build", str(seeds_dir), "--out", str(out), "-j", "1", "-q"]) == 0
    assert "loaded         5 documents" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [".corpuslib-output", "build.json", "documents.parquet",
                                                    "rejected.csv", "term_counts.parquet", "tokens.parquet"]
    expected = ingest(seeds_dir, n_jobs=1, cache=False).documents
    assert pd.read_parquet(out / "documents.parquet")["doc_id"].tolist() == expected["doc_id"].tolist()
    assert set(pd.read_parquet(out / "tokens.parquet")["doc_id"]) == set(expected["doc_id"])


def test_failed_build_leaves_previous_tables_alone(tmp_path, seeds_dir, capsys):
    out = tmp_path / "tables"
    assert main(["build", str(seeds_dir), "--out", str(out), "-j", "1", "-q", "--no-cache"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "e.txt").write_bytes(b"")
    assert main(["build", str(tmp_path / "empty"), "--out", str(out), "-j", "1", "-q", "--no-cache"]) == 1
    assert main(["build", str(tmp_path / "nope"), "--out", str(out), "-j", "1", "-q"]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "tables"]  # no staging left behind


def test_build_again_on_the_same_inputs_is_up_to_date(tmp_path, seeds_dir, capsys, monkeypatch):
    from corpuslib.run import build as scale

    out = tmp_path / "tables"
    assert main(["build", str(seeds_dir), "--out", str(out), "-j", "1", "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(scale, "_build", lambda *a, **k: pytest.fail("rebuilt unchanged inputs"))
    assert main(["build", str(seeds_dir), "--out", str(out), "-j", "1", "-q"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# --- no command deletes or overwrites a file it did not write (issue 12.1) --------------------

def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def place(tmp_path, root, monkeypatch):
    """A project (one tiny notebook) as the current folder, a corpus, a thesis and a file beside it."""
    proj = make_project(tmp_path / "proj", {
        "01-tiny.ipynb": ("corpus: str = ''  # input\nout_dir: str = 'outputs'  # where", "1")})
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.md").write_text("# Chapter 1\n", encoding="utf-8")
    (tmp_path / "afile.txt").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.chdir(proj)
    monkeypatch.delenv("CORPUSLIB_ROOT", raising=False)
    return tmp_path


ARTICLE = ("Ban Chấp hành Trung ương Đảng khóa XIII họp Hội nghị lần thứ mười để thảo luận về công tác cán bộ "
           "và tinh gọn bộ máy của hệ thống chính trị trong năm nay.\n")

OUT_FORMS = [
    (["run", "--out", "."], "is the project root"),
    (["run", "--out", "{tmp}/proj"], "is the project root"),
    (["run", "--out", "{tmp}"], "contains the project root"),
    (["run", "--out", "{tmp}/afile.txt"], "exists and is not a folder"),
    (["run", "--out", "{tmp}/thesis"], "holds files corpuslib did not write"),
    (["run", "--corpus", "{tmp}/corpus", "--out", "{tmp}/corpus"], "is the corpus"),
    (["run", "--corpus", "{tmp}/corpus", "--out", "{tmp}/corpus/outputs"], "lies inside the corpus"),
    (["build", "{tmp}/corpus", "--out", "{tmp}/corpus", "-q"], "is the corpus"),
    (["build", "{tmp}/corpus", "--out", "{tmp}/corpus/tables", "-q"], "lies inside the corpus"),
    (["build", "{tmp}/corpus", "--out", "{tmp}/thesis", "-q"], "holds files corpuslib did not write"),
    (["build", "{tmp}/corpus", "--out", ".", "-q"], "is the project root"),
    (["build", "{tmp}/corpus", "--out", "{tmp}", "-q"], "contains the corpus"),
    (["build", "{tmp}/corpus", "--out", "{tmp}/afile.txt", "-q"], "exists and is not a folder"),
    (["ingest", "{tmp}/corpus", "--out", "{tmp}/afile.txt", "-q"], "exists and is not a table corpuslib wrote"),
    (["ingest", "{tmp}/corpus", "--out", "{tmp}/thesis", "-q"], "is a folder"),
    (["ingest", "{tmp}/corpus", "--out", "{tmp}/corpus/d.parquet", "-q"], "lies inside the corpus"),
    (["ingest", "{tmp}/corpus", "--out", "{tmp}/d.parquet", "--rejected", "{tmp}/thesis/chapter1.md", "-q"],
     "--rejected .* exists and is not a table corpuslib wrote"),
]


@pytest.mark.parametrize("argv, message", OUT_FORMS, ids=[" ".join(a[:1] + a[-2:]) for a, _ in OUT_FORMS])
def test_an_out_that_would_lose_a_file_is_refused_in_one_line(place, capsys, argv, message):
    import re

    before = _tree(place)
    assert main([a.format(tmp=place) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("corpuslib: ") and "\n" not in err and re.search(message, err), err
    assert _tree(place) == before  # the unrelated files survive, and nothing was added


def test_build_replaces_its_own_previous_output_but_not_a_runs(place, capsys):
    out = place / "tables"
    assert main(["build", str(place / "corpus"), "--out", str(out), "-j", "1", "-q", "--no-cache"]) == 0
    assert main(["build", str(place / "corpus"), "--out", str(out), "-j", "1", "-q", "--no-cache"]) == 0
    (out / "notes.md").write_text("mine\n", encoding="utf-8")
    assert main(["build", str(place / "corpus"), "--out", str(out), "-j", "1", "-q", "--no-cache"]) == 2
    assert "holds files corpuslib did not write: 'notes.md'" in capsys.readouterr().err
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_ingest_replaces_its_own_table(place, capsys):
    out, rej = place / "d.parquet", place / "r.csv"
    for _ in range(2):
        assert main(["ingest", str(place / "corpus"), "--out", str(out), "--rejected", str(rej), "-q"]) == 0
    assert len(pd.read_parquet(out)) == 1


# --- a column map naming a missing column (issue 14.7) ----------------------------------------

def test_a_missing_column_stops_ingest_and_run_with_the_same_message(tmp_path, capsys):
    table = tmp_path / "t.csv"
    pd.DataFrame({"id": ["a"], "content": [ARTICLE]}).to_csv(table, index=False)
    assert main(["ingest", str(table), "--column", "text=body", "--out", str(tmp_path / "d.parquet"), "-q"]) == 2
    ingest_err = capsys.readouterr().err.strip()
    expected = f"column 'body' (text) is not in {table}; its columns are id, content"
    assert ingest_err == f"corpuslib: {expected}"
    assert main(["run", "--corpus", str(table), "-p", "columns", "{text: body}", "--out", str(tmp_path / "o")]) == 2
    run_err = capsys.readouterr().err.strip()
    assert run_err == f"corpuslib: invalid parameter: columns (in 01-build-documents.ipynb): {expected}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


@pytest.mark.parametrize("style, expected", [
    ("new", "Ủy ban nhân dân tỉnh Cà Mau quyết định tạm dừng hoặc điều chỉnh kế hoạch hòa giải"),
    ("old", "Uỷ ban nhân dân tỉnh Cà Mau quyết định tạm dừng hoặc điều chỉnh kế hoạch hoà giải"),
    ("none", "Uỷ ban nhân dân tỉnh Cà Mau quyết định tạm dừng hoặc điều chỉnh kế hoạch hòa giải"),
])
def test_ingest_and_build_take_the_tone_style(tmp_path, style, expected):
    path = tmp_path / "t.csv"
    body = "Uỷ ban nhân dân tỉnh Cà Mau quyết định tạm dừng hoặc điều chỉnh kế hoạch hòa giải"
    pd.DataFrame({"id": ["a"], "content": [body + ", ghi nhận ý kiến của người dân về quy hoạch mới."]}).to_csv(path, index=False)
    out = tmp_path / "d.parquet"
    assert main(["ingest", str(path), "--out", str(out), "--tone-style", style, "-q", "--no-cache"]) == 0
    assert pd.read_parquet(out)["text"][0].startswith(expected)
    assert main(["build", str(path), "--out", str(tmp_path / "b"), "--tone-style", style, "-q", "-j", "1"]) == 0
    assert pd.read_parquet(tmp_path / "b" / "documents.parquet")["text"][0].startswith(expected)


def test_a_missing_column_stops_build_with_the_ingest_message(tmp_path, capsys):
    table = tmp_path / "t.csv"
    pd.DataFrame({"id": ["a"], "content": [ARTICLE]}).to_csv(table, index=False)
    assert main(["build", str(table), "--column", "text=body", "--out", str(tmp_path / "b"), "-q"]) == 2
    assert capsys.readouterr().err.strip() == (f"corpuslib: column 'body' (text) is not in {table}; "
                                               "its columns are id, content")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


# --- faults are named (issue 12.7) ------------------------------------------------------------

def test_a_full_disk_is_named(tmp_path, seeds_dir, small_disk, capsys):
    disk = small_disk("32k")
    assert main(["ingest", str(seeds_dir), "--out", str(disk / "docs.parquet"), "-q", "--no-cache", "-j", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"corpuslib: the disk is full (No space left on device) writing {disk / 'docs.parquet'}", err
    assert not [p for p in disk.iterdir()]  # nothing half-written left behind


def test_a_read_only_out_is_one_line(tmp_path, seeds_dir, small_disk, capsys):
    disk = small_disk("1m", read_only=True)
    assert main(["build", str(seeds_dir), "--out", str(disk / "tables"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"corpuslib: cannot write {disk / 'tables'}: Read-only file system"
    assert main(["run", "--out", str(disk / "out")]) == 2
    assert capsys.readouterr().err.strip() == f"corpuslib: cannot write {disk / 'out'}: Read-only file system"


def test_a_read_only_cache_is_one_warning_and_a_run_without_cache(tmp_path, seeds_dir, small_disk):
    import os
    import subprocess
    import sys

    disk = small_disk("1m", read_only=True)
    out = tmp_path / "d.parquet"
    env = {**os.environ, "CORPUSLIB_CACHE": str(disk / "cache"),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "corpuslib", "ingest", str(seeds_dir), "--out", str(out), "-q",
                           "-j", "1"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"corpuslib: warning: cache folder {disk / 'cache'} cannot be created (Read-only file system); "
        "working without cache"]
    assert len(pd.read_parquet(out)) == 5


def test_the_current_folder_is_never_an_out(place, monkeypatch, capsys):
    monkeypatch.chdir(place / "thesis")
    before = _tree(place)
    assert main(["build", str(place / "corpus"), "--out", ".", "-q"]) == 2
    assert "--out . is the current folder" in capsys.readouterr().err
    assert main(["build", str(place / "corpus"), "--out", "..", "-q"]) == 2
    assert "contains the corpus" in capsys.readouterr().err
    assert _tree(place) == before
