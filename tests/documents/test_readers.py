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
         {"id": "id", "text": "content.text", "title": "title", "date": "published_at", "url": "url", "outlet": None, "byline": "source.name", "date_fallback": None}),
        # the shared RSS jsonl: summary is the text, source the outlet
        (["id", "title", "summary", "link", "source", "published", "fetched", "published_is_fetch_fallback"], None,
         {"id": "id", "text": "summary", "title": "title", "date": "published", "url": "link", "outlet": "source", "byline": None,
          "date_fallback": "published_is_fetch_fallback"}),
        # VNTC: the user names the text column and drops the id
        (["id", "label", "text"], {"id": None}, {"id": None, "text": "text", "title": None, "date": None, "url": None, "outlet": None, "byline": None,
                                                 "date_fallback": None}),
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


# --- every input is a document or a rejection, and nothing hangs (issue 12.3) ------------------

import errno
import json
import os
import signal
import socket
from pathlib import Path

from corpuslib.documents.readers import NotRegularFileError, check_columns, not_a_file, read_file, read_records

BODY = ("Ban Chấp hành Trung ương Đảng khóa XIII họp Hội nghị lần thứ mười để thảo luận về công tác cán bộ "
        "và tinh gọn bộ máy của hệ thống chính trị.")


@pytest.fixture
def no_hang():
    """Fail instead of hanging: a FIFO opened for reading would wait for a writer forever."""
    def alarm(signum, frame):
        raise TimeoutError("still reading after 20 s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _special_folder(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(tmp_path / "sock.txt"))
    s.close()
    os.symlink("/dev/zero", tmp_path / "zeros.txt")
    os.symlink("gone.txt", tmp_path / "dangling.txt")
    os.symlink("loop.txt", tmp_path / "loop.txt")
    (tmp_path / "sub").mkdir()
    os.symlink("sub", tmp_path / "sub-link")
    return {"pipe.txt": "a FIFO (named pipe)", "sock.txt": "a socket", "zeros.txt": "a character device",
            "dangling.txt": "a dangling symlink (to gone.txt)", "loop.txt": "a symlink loop",
            "sub-link": "a symlink to a folder (not followed: pass the folder itself)"}


def test_entries_that_are_not_files_are_listed_and_rejected_unopened(tmp_path, no_hang):
    expected = _special_folder(tmp_path)
    found = {f.relative_to(tmp_path).as_posix() for _, f in discover(tmp_path)}
    assert found == set(expected)  # the empty folder sub is walked, not listed
    for name, what in expected.items():
        assert not_a_file(tmp_path / name) == what
        with pytest.raises(NotRegularFileError, match=f"^{__import__('re').escape(what)}: not opened$"):
            read_file(tmp_path / name)
        (row,) = read_records(tmp_path, tmp_path / name)
        assert row["reason"] == "unreadable" and what in row["detail"]
    assert discover(tmp_path / "pipe.txt") == [(tmp_path, tmp_path / "pipe.txt")]  # given directly, too
    (row,) = read_records(Path("/dev"), Path("/dev/zero"))
    assert "a character device" in row["detail"]


def test_unreadable_files_and_unlistable_folders_are_rejected(tmp_path, monkeypatch):
    """Faked permission errors (the suite runs as root, whom chmod does not stop; tests/run/test_hostile.py
    drops that privilege for the real thing)."""
    (tmp_path / "ok.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "locked.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.txt").write_text(BODY, encoding="utf-8")
    real_open, real_scandir = os.open, os.scandir

    def deny_open(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def deny_scandir(path="."):
        if str(path).endswith("closed"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", deny_open)
    monkeypatch.setattr(os, "scandir", deny_scandir)
    from corpuslib.documents.table import ingest

    docs, rejected = ingest(tmp_path, n_jobs=1, cache=False)
    assert docs["source_path"].tolist() == [str(tmp_path / "ok.txt")]
    got = dict(zip(rejected["source_path"], rejected["detail"]))
    assert got == {str(tmp_path / "closed"): "NotRegularFileError: a folder that cannot be listed (Permission denied): "
                                             "not opened",
                   str(tmp_path / "locked.txt"): f"PermissionError: [Errno 13] Permission denied: '{tmp_path / 'locked.txt'}'"}


def test_file_names_that_are_not_utf8_keep_their_bytes_as_escapes(tmp_path):
    from corpuslib.documents.table import ingest

    name = os.fsdecode(b"b\xe1o-\xff.txt")  # Latin-1 bytes: not UTF-8
    (tmp_path / name).write_text(BODY, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(BODY + " Thêm một câu.", encoding="utf-8")
    docs, rejected = ingest(tmp_path, n_jobs=1, cache=False)
    assert sorted(docs["doc_id"]) == ["b\\xe1o-\\xff", "ok"] and rejected.empty
    assert str(tmp_path / "b\\xe1o-\\xff.txt") in set(docs["source_path"])
    docs.to_parquet(tmp_path.parent / f"{tmp_path.name}.parquet")  # valid UTF-8 everywhere


def test_reads_are_bounded(tmp_path, monkeypatch):
    from corpuslib.documents import readers

    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.txt").write_bytes(b"x" * 1001)
    with pytest.raises(readers.FileTooLargeError):
        read_file(tmp_path / "big.txt")
    (tmp_path / "fits.txt").write_bytes(b"x" * 1000)
    assert len(read_file(tmp_path / "fits.txt")) == 1000


# --- tables: a bad row is one bad_row, every other row is kept ---------------------------------

def _jsonl(*rows):
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n"


def _dumps(row):
    return json.dumps(row, ensure_ascii=False)


def _row(i, **extra):
    return {"id": f"r{i}", "text": f"{BODY} Bài {i}.", "url": f"https://nhandan.vn/{i}.html", **extra}


@pytest.mark.parametrize("name, content, bad", [
    ("big-int.jsonl", _jsonl(_row(1), _dumps(_row(2))[:-1] + ', "n": ' + "9" * 4301 + "}", _row(3)),
     {2: "invalid JSON: Exceeds the limit (4300 digits)"}),
    ("bad-url.jsonl", _jsonl(_row(1), _row(2, url="http://[vnexpress.net/a.html"), _row(3)), {2: "Invalid IPv6 URL"}),
    ("bad-port.jsonl", _jsonl(_row(1), _row(2, url="https://nhandan.vn:99999/a"), _row(3)), {2: "Port out of range"}),
    ("nested.jsonl", _jsonl(_row(1), "[" * 100_000, _row(3)), {2: "nested too deeply"}),
    ("not-object.jsonl", _jsonl(_row(1), "[1, 2]", _row(3)), {2: "JSON line is a list"}),
    ("u2028.jsonl", _jsonl(_row(1, title="a\u2028b\x85c"), _row(2), _row(3)), {}),  # one line, one row
    ("nul.jsonl", _jsonl(_row(1), _dumps(_row(2)).replace("Bài", "B\\u0000ài"), _row(3)), {}),  # an escaped NUL
    ("nul-raw.jsonl", _jsonl(_row(1), _dumps(_row(2)).replace("Bài", "B\x00ài"), _row(3)), {2: "invalid JSON"}),
    ("nul.csv", "id,text\n" + f"r1,{BODY} 1\nr2,{BODY} \x00 2\nr3,{BODY} 3\n", {3: "NUL byte in the row"}),
    ("stray-quote.csv", "id,text\n" + f'r1,{BODY} 1\nr2,"{BODY} 2\nr3,"{BODY} 3"\n', {3: "CSV error"}),
    ("stray-quote-at-end.csv", "id,text\n" + f'r1,{BODY} 1\nr2,"{BODY} 2\nr3,{BODY} 3\n', {3: "unexpected end of data"}),
    ("quote-then-text.csv", "id,text\n" + f'r1,{BODY} 1\n"r2","{BODY}" 2\nr3,{BODY} 3\n', {3: "CSV error"}),
    ("fields.csv", "id,text\n" + f'r1,{BODY} 1\nr2,"{BODY}",x\nr3,{BODY} 3\n', {3: "3 fields where the header has 2"}),
    ("multiline.csv", "id,text\n" + "".join(f'r{i},"{BODY}\n{BODY} {i}"\n' for i in (1, 2, 3)), {}),
])
def test_a_bad_row_is_one_rejection_and_the_other_rows_stay(tmp_path, name, content, bad):
    from corpuslib.documents.table import ingest

    path = tmp_path / name
    path.write_bytes(content.encode("utf-8"))
    docs, rejected = ingest(path, n_jobs=1, cache=False)
    n_rows = 3
    assert len(docs) + len(rejected) == n_rows, rejected.to_dict("records")
    got = {int(s.rpartition("#")[2]): d for s, d in zip(rejected["source_path"], rejected["detail"])}
    assert set(got) == set(bad) and all(bad[n] in got[n] for n in bad), got
    assert set(rejected["reason"]) <= {"bad_row"}


@pytest.mark.parametrize("published, expected", [
    ("2025-11-26T03:58:56Z", "2025-11-26 10:58:56"),
    ("2025-11-26T03:58:56z", "2025-11-26 10:58:56"),        # lower-case z is UTC too
    ("2025-11-26T03:58:56+57:00", "2025-11-26 03:58:56"),   # an impossible offset is ignored
])
def test_odd_timestamps_keep_the_row(tmp_path, published, expected):
    from corpuslib.documents.table import build_document
    from corpuslib.documents.readers import RawRecord

    row = build_document(RawRecord("t.jsonl#1", "a", BODY, "utf-8", date=published))
    assert str(row["published"]) == expected


def test_a_missing_column_is_named_with_the_columns_there_are(tmp_path):
    from corpuslib.documents.readers import MissingColumnError

    (tmp_path / "t.csv").write_text("id,content\na,b\n", encoding="utf-8")
    (tmp_path / "t.jsonl").write_text('{"id": "a", "content": {"text": "b"}}\n', encoding="utf-8")
    with pytest.raises(MissingColumnError, match=rf"^column 'body' \(text\) is not in {tmp_path / 't.csv'}; "
                                                 r"its columns are id, content$"):
        check_columns(tmp_path / "t.csv", {"text": "body"})
    check_columns(tmp_path / "t.jsonl", {"text": "content.text", "id": None})  # dotted names reach into JSON
    check_columns(tmp_path / "t.csv", {"text": "content"})
    with pytest.raises(ValueError, match="unknown column roles"):
        check_columns(tmp_path, {"txt": "content"})
    (row,) = read_records(tmp_path, tmp_path / "t.csv", columns={"text": "body"})
    assert row["reason"] == "bad_row" and row["detail"].startswith("column 'body' (text) is not in")
