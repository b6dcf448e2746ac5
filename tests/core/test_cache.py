"""The SQLite key-value store behind the ingest and token caches."""
import datetime
import sqlite3
import warnings

import pandas as pd

import pytest
from hypothesis import given, settings, strategies as st

from corpuslib.core.cache import KeyValueStore


def test_round_trip_and_missing_keys(tmp_path):
    with KeyValueStore(tmp_path / "c.sqlite3", "things", "test cache") as store:
        store.put_many([("a", b"1"), ("b", b"\x00\xff")])
        assert store.get_many(["a", "b", "zzz"]) == {"a": b"1", "b": b"\x00\xff"}
        store.put_many([("a", b"2")])  # replaced
        assert store.get_many(["a"]) == {"a": b"2"}
    with KeyValueStore(tmp_path / "c.sqlite3", "things", "test cache") as again:  # persisted
        assert again.get_many(["b"]) == {"b": b"\x00\xff"}


def test_more_keys_than_one_select_binds(tmp_path):
    items = [(f"k{i}", str(i).encode()) for i in range(1234)]
    with KeyValueStore(tmp_path / "c.sqlite3", "things", "test cache") as store:
        store.put_many(iter(items))  # any iterable
        assert store.get_many([k for k, _ in items]) == dict(items)


def test_two_tables_in_one_file_are_separate(tmp_path):
    with KeyValueStore(tmp_path / "c.sqlite3", "one", "x") as a, KeyValueStore(tmp_path / "c.sqlite3", "two", "y") as b:
        a.put_many([("k", b"a")])
        assert b.get_many(["k"]) == {}


def test_table_name_must_be_an_identifier(tmp_path):
    with pytest.raises(ValueError, match="identifier"):
        KeyValueStore(tmp_path / "c.sqlite3", "x; DROP TABLE y", "test cache")


def test_corrupt_file_is_set_aside_and_rebuilt(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.warns(RuntimeWarning, match="corrupt"):
        store = KeyValueStore(path, "things", "test cache")
    with store:
        store.put_many([("a", b"1")])
        assert store.get_many(["a"]) == {"a": b"1"}
    assert list(tmp_path.glob("c.sqlite3.corrupt-*"))  # kept for a look, not deleted
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM things").fetchone()[0] == 1


def test_unusable_path_degrades_to_no_cache(tmp_path):
    (tmp_path / "c.sqlite3").mkdir()  # a folder where the file should be
    with pytest.warns(RuntimeWarning, match="unusable"):
        store = KeyValueStore(tmp_path / "c.sqlite3", "things", "test cache")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a switched-off store is quiet afterwards
        store.put_many([("a", b"1")])
        assert store.get_many(["a"]) == {}
        store.close()
        store.close()


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
                       st.binary(max_size=200), max_size=30))
def test_any_keys_and_values_round_trip(tmp_path_factory, items):
    path = tmp_path_factory.mktemp("kv") / "c.sqlite3"
    with KeyValueStore(path, "things", "test cache") as store:
        store.put_many(items.items())
        assert store.get_many(sorted(items)) == items


def test_an_edited_entry_is_a_miss_with_one_warning(tmp_path):
    path = tmp_path / "c.sqlite3"
    with KeyValueStore(path, "things", "test cache") as store:
        store.put_many([(f"k{i}", f"value {i}".encode()) for i in range(5)])
    with sqlite3.connect(path) as conn:  # a same-length edit of two values, as a hand in the file would make
        conn.execute("UPDATE things SET value = CAST('VALUE 1' AS BLOB) WHERE key = 'k1'")
        conn.execute("UPDATE things SET value = CAST('VALUE 2' AS BLOB) WHERE key = 'k2'")
    with KeyValueStore(path, "things", "test cache") as store:
        with pytest.warns(RuntimeWarning, match="2 entries failed the checksum") as record:
            found = store.get_many([f"k{i}" for i in range(5)])
            again = store.get_many(["k1"])
        assert len(record) == 1 and again == {} and store.n_bad == 3
        assert found == {f"k{i}": f"value {i}".encode() for i in (0, 3, 4)}
        store.put_many([("k1", b"value 1")])  # recomputed and stored again
        assert store.get_many(["k1"]) == {"k1": b"value 1"}


def test_a_swapped_entry_is_a_miss(tmp_path):
    path = tmp_path / "c.sqlite3"
    with KeyValueStore(path, "things", "test cache") as store:
        store.put_many([("a", b"1"), ("b", b"2")])
    with sqlite3.connect(path) as conn:  # value and checksum of b moved to a: the checksum binds the key
        (value, digest), = conn.execute("SELECT value, checksum FROM things WHERE key = 'b'")
        conn.execute("UPDATE things SET value = ?, checksum = ? WHERE key = 'a'", (value, digest))
    with KeyValueStore(path, "things", "test cache") as store, pytest.warns(RuntimeWarning, match="1 entry"):
        assert store.get_many(["a", "b"]) == {"b": b"2"}


def test_the_table_of_versions_without_checksums_is_dropped(tmp_path):
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        conn.execute("INSERT INTO things VALUES ('a', X'80')")
    with KeyValueStore(path, "things", "test cache") as store:
        assert store.get_many(["a"]) == {}
    with sqlite3.connect(path) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"things"}


def test_a_cache_folder_that_cannot_be_created_is_one_warning_and_no_cache(tmp_path, monkeypatch):
    from corpuslib.core import paths
    from corpuslib.documents.table import ingest

    (tmp_path / "file").write_text("a file where the folder should be")
    monkeypatch.setenv("CORPUSLIB_CACHE", str(tmp_path / "file" / "cache"))
    monkeypatch.setattr(paths, "_NO_CACHE", set())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Ban Chấp hành Trung ương Đảng khóa XIII họp Hội nghị lần thứ mười để "
                                          "thảo luận về công tác cán bộ và tinh gọn bộ máy.", encoding="utf-8")
    with pytest.warns(RuntimeWarning, match="cannot be created") as record:
        docs, _ = ingest(tmp_path / "in", n_jobs=1)
        ingest(tmp_path / "in", n_jobs=1)
    assert len(docs) == 1
    assert [str(w.message) for w in record if "cache" in str(w.message)] == [
        f"cache folder {tmp_path / 'file' / 'cache'} cannot be created (Not a directory); working without cache"]


def test_the_ingest_cache_holds_data_never_code(tmp_path, monkeypatch):
    """A poisoned entry (a pickle that would run a command), even with a valid checksum, is a miss."""
    import pickle

    from corpuslib.documents import table
    from corpuslib.documents.table import decode_rows, encode_rows, ingest

    monkeypatch.setenv("CORPUSLIB_CACHE", str(tmp_path / "cache"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Ban Chấp hành Trung ương Đảng khóa XIII họp Hội nghị lần thứ mười để "
                                          "thảo luận về công tác cán bộ và tinh gọn bộ máy.", encoding="utf-8")
    first, _ = ingest(tmp_path / "in", n_jobs=1)
    marker = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            import os

            return (os.system, (f"touch {marker}",))

    poison = pickle.dumps([Boom()])
    with table._row_store() as store:
        keys = [k for (k,) in store.conn.execute("SELECT key FROM file_rows")]
        store.put_many([(k, poison) for k in keys])  # stored through the store: its checksum is valid
    again, _ = ingest(tmp_path / "in", n_jobs=1)
    assert not marker.exists()
    pd.testing.assert_frame_equal(again, first)  # the poisoned entry was a miss: recomputed
    rows = [{"published": datetime.datetime(2025, 1, 2, 3, 4), "page_date": datetime.date(2025, 1, 1),
             "lang_score": 0.1 + 0.2, "text": "lone \udcff surrogate", "n": None}]
    assert decode_rows(encode_rows(rows)) == rows
    assert decode_rows(poison) is None and decode_rows(b"{}") is None
