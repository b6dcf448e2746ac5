"""The SQLite key-value store behind the ingest and token caches."""
import sqlite3
import warnings

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
        assert conn.execute("SELECT count(*) FROM things_checked").fetchone()[0] == 1


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
