"""The command line: ingest summary, exit codes, parquet output."""
import pandas as pd
import pytest

from corpuslib.run.cli import main


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
