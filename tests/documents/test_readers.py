"""Finding inputs and mapping table columns."""
import pytest

from corpuslib.documents.readers import InputNotFoundError, discover, relative_id, resolve_columns


def test_discover_is_recursive_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["b/2.txt", "a.txt", ".hidden.txt", ".git/config"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [f.relative_to(tmp_path).as_posix() for _, f in discover(tmp_path)]
    assert found == ["a.txt", "b/2.txt"]


def test_discover_single_file_and_missing(tmp_path):
    f = tmp_path / "one.txt"
    f.write_text("x", encoding="utf-8")
    assert discover(f) == [(tmp_path, f)]
    with pytest.raises(InputNotFoundError, match="no such file or folder"):
        discover([f, tmp_path / "missing"])


def test_relative_id(tmp_path):
    assert relative_id(tmp_path, tmp_path / "data" / "raw" / "000_x.txt") == "data/raw/000_x"
    assert relative_id(tmp_path, tmp_path / "README") == "README"


@pytest.mark.parametrize(
    "available, given, expected",
    [
        # the shared crawl CSVs
        (["id", "title", "published_at", "source.name", "url", "language", "content.text"], None,
         {"id": "id", "text": "content.text", "title": "title", "date": "published_at", "url": "url", "outlet": None, "byline": "source.name"}),
        # the shared RSS jsonl: summary is the text, source the outlet
        (["id", "title", "summary", "link", "source", "published"], None,
         {"id": "id", "text": "summary", "title": "title", "date": "published", "url": "link", "outlet": "source", "byline": None}),
        # VNTC: the user names the text column and drops the id
        (["id", "label", "text"], {"id": None}, {"id": None, "text": "text", "title": None, "date": None, "url": None, "outlet": None, "byline": None}),
    ],
)
def test_resolve_columns(available, given, expected):
    assert resolve_columns(available, given) == expected


def test_unknown_column_role_is_an_error():
    with pytest.raises(ValueError, match="unknown column roles"):
        resolve_columns(["text"], {"body": "text"})


def test_source_path_is_relative_inside_the_project_and_absolute_outside(tmp_path, seeds_dir):
    from corpuslib.documents.table import ingest
    from corpuslib.core.paths import project_root

    inside = ingest(project_root() / "data" / "raw", n_jobs=1, cache=False).documents
    assert all(p.startswith("data/raw/") for p in inside["source_path"])  # the same in every checkout
    (tmp_path / "a.txt").write_text("Ban Tổ chức Trung ương tổ chức hội nghị giao ban trực tuyến toàn quốc về "
                                    "công tác xây dựng Đảng năm nay.", encoding="utf-8")
    outside = ingest(tmp_path, n_jobs=1, cache=False).documents
    assert outside["source_path"].tolist() == [str(tmp_path / "a.txt")]
