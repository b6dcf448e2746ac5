"""Dask and local engines write byte-identical tables, equal to the in-memory functions' tables."""
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from corpuslib.analysis import dtm

from corpuslib.documents import synthetic as generate

from corpuslib.run import build as scale

from corpuslib.text import tokens
from corpuslib.documents.table import ingest

TABLES = ("documents.parquet", "rejected.csv", "tokens.parquet", "term_counts.parquet")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir):
    root = tmp_path_factory.mktemp("scale")
    pools = generate.paragraph_pools(shared=None)
    generate.write_corpus(root / "txt", 40, seed=21, pools=pools, duplicate_rate=0.1, encoded_rate=0.1)
    generate.write_corpus(root / "jsonl", 30, seed=22, pools=pools, fmt="jsonl", shard_size=12)
    (root / "txt" / "empty.txt").write_bytes(b"")
    return [root, seeds_dir]


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    return scale.build_tables(corpus, out, engine="local", n_jobs=1, chunk_size=16, cache=False)


def test_local_tables_are_the_in_memory_tables(corpus, local):
    docs, rejected = ingest(corpus, n_jobs=1, cache=False)
    pd.testing.assert_frame_equal(pd.read_parquet(local.documents), docs)
    assert len(pd.read_csv(local.rejected)) == len(rejected) == local.n_rejected > 0
    tok = tokens.tokenize(docs, cache=False, n_jobs=1)
    pd.testing.assert_frame_equal(pd.read_parquet(local.tokens), tok)
    counts = dtm.count_matrix(tok).to_frame()
    pd.testing.assert_frame_equal(pd.read_parquet(local.term_counts), counts)
    assert local.n_documents == len(docs) and local.n_tokens == len(tok)


def test_dask_local_cluster_writes_the_same_bytes(corpus, local, tmp_path):
    with scale.dask_client(n_workers=2, processes=True) as client:
        assert len(client.nthreads()) == 2
        got = scale.build_tables(corpus, tmp_path, engine="dask", client=client, chunk_size=16, cache=False)
    for name in TABLES:
        assert (tmp_path / name).read_bytes() == (local.documents.parent / name).read_bytes(), name
    assert got._replace(documents=None, rejected=None, tokens=None, term_counts=None) == \
        local._replace(documents=None, rejected=None, tokens=None, term_counts=None)


def test_chunking_does_not_change_the_tables(corpus, local, tmp_path):
    other = scale.build_tables(corpus, tmp_path, engine="local", n_jobs=1, chunk_size=1000, cache=False)
    for attr in ("documents", "tokens", "term_counts"):
        pd.testing.assert_frame_equal(pd.read_parquet(getattr(other, attr)), pd.read_parquet(getattr(local, attr)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["cán bộ", "干部", "кадры", "18-NQ/TW", "x", "Z"]), max_size=12), max_size=8))
def test_count_terms_is_the_document_term_matrix(lists):
    got = scale.count_terms(lists)
    assert got == [sorted(Counter(t).items()) for t in lists]
    ids = [f"d{i}" for i in range(len(lists))]
    # the counting task (the DTM of joined strings, in two slices, as on Dask) gives the same pairs in order
    joined = ["\x1f".join(t) for t in lists]
    cut = len(joined) // 2
    parts = [scale._count_task(ids[:cut], joined[:cut]), scale._count_task(ids[cut:], joined[cut:])]
    table = scale._counts_frame(parts)
    pd.testing.assert_frame_equal(scale._counts_frame([scale._count_task(ids, joined)]), table)
    pairs = [(d, term, n) for d, doc_pairs in zip(ids, got) for term, n in doc_pairs]
    assert list(zip(table["doc_id"], table["term"], table["count"])) == pairs
    nonempty = {d: t for d, t in zip(ids, lists) if t}
    if nonempty:
        ref = dtm.count_matrix(pd.Series(nonempty)).to_frame()
        pd.testing.assert_frame_equal(table, ref)
    else:
        assert table.empty


def test_unknown_engine(tmp_path, seeds_dir):
    with pytest.raises(ValueError, match="engine"):
        scale.build_tables(seeds_dir, tmp_path, engine="spark")


def test_rebuild_is_skipped_only_while_inputs_and_tables_are_unchanged(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setenv("CORPUSLIB_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(seeds_dir.glob("*.txt")):
        (src / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    first = scale.build_tables(src, out, n_jobs=1)
    assert (out / scale.BUILD_RECORD).is_file()
    builds = []
    real = scale._build
    monkeypatch.setattr(scale, "_build", lambda *a, **k: builds.append(1) or real(*a, **k))
    assert scale.build_tables(src, out, n_jobs=1) == first and builds == []  # unchanged: nothing done
    assert scale.up_to_date(src, out) == first
    assert scale.up_to_date(src, out, chunk_size=7) is None  # other options: other tables
    (out / "tokens.parquet").write_bytes(b"edited")  # a table changed behind our back
    assert scale.build_tables(src, out, n_jobs=1) == first and builds == [1]
    victim = sorted(src.glob("*.txt"))[0]
    victim.write_bytes(victim.read_bytes() + "\nThêm một câu về công tác cán bộ.".encode())  # an input changed
    scale.build_tables(src, out, n_jobs=1)
    assert builds == [1, 1]
    scale.build_tables(src, out, n_jobs=1, cache=False)  # no cache: always built, no record left
    assert builds == [1, 1, 1] and not (out / scale.BUILD_RECORD).exists()
    assert scale.up_to_date(src, out) is None
