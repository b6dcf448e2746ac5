"""Tests of corpuslib.analysis.dtm: counts, pruning, n-grams, vocabulary, determinism, tidy output."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.analysis.dtm import DocumentTermMatrix, count_matrix, token_sequences

# Real tokens (as corpuslib.text.tokens writes them) of sentences of the seeds: vi words with spaces, zh words, ru lemmas.
SEED_TOKENS = {
    "003_vi": ["tinh giản biên chế", "cơ cấu", "đội ngũ cán bộ", "công chức", "viên chức", "39-NQ/TW", "bộ chính trị",
               "cán bộ", "công chức"],
    "004_vi": ["tỉnh ủy", "lạng sơn", "tổng kết", "nghị quyết trung ương", "chiến lược cán bộ", "cán bộ", "tỉnh ủy"],
    "000_zh": ["建设", "政治", "系统", "组织", "机构", "干部队伍", "干部", "精简", "干部"],
    "001_ru": ["центральный", "организационный", "комитет", "партийный", "строительство", "кадр", "комитет"],
}


def _table(docs: dict[str, list[str]], lang: dict | None = None) -> pd.DataFrame:
    rows = [(d, i, t, (lang or {}).get(d) or d.split("_")[-1]) for d, toks in docs.items() for i, t in enumerate(toks)]
    return pd.DataFrame(rows, columns=["doc_id", "position", "token", "lang"])


def test_counts_rows_and_columns_sorted():
    tok = _table(SEED_TOKENS)
    dtm = count_matrix(tok)
    assert isinstance(dtm, DocumentTermMatrix)
    assert list(dtm.doc_ids) == sorted(SEED_TOKENS)
    assert list(dtm.terms) == sorted({t for v in SEED_TOKENS.values() for t in v})
    for i, d in enumerate(dtm.doc_ids):
        expected = Counter(SEED_TOKENS[d])
        row = dtm.matrix[i].toarray().ravel()
        got = {dtm.terms[j]: int(row[j]) for j in np.flatnonzero(row)}
        assert got == dict(expected)


def test_token_order_and_row_order_do_not_matter():
    tok = _table(SEED_TOKENS)
    shuffled = tok.sample(frac=1.0, random_state=3)
    a, b = count_matrix(tok), count_matrix(shuffled)
    assert a.doc_ids == b.doc_ids and a.terms == b.terms
    assert (a.matrix != b.matrix).nnz == 0


def test_to_frame_is_tidy_and_complete():
    tok = _table(SEED_TOKENS)
    frame = count_matrix(tok).to_frame()
    assert list(frame.columns) == ["doc_id", "term", "count"]
    assert frame["count"].sum() == len(tok)
    assert frame.equals(frame.sort_values(["doc_id", "term"]).reset_index(drop=True))
    cadre = frame[(frame["doc_id"] == "003_vi") & (frame["term"] == "công chức")]["count"].tolist()
    assert cadre == [2]


@pytest.mark.parametrize("min_df, max_df, kept, dropped", [
    (2, 1.0, {"cán bộ"}, {"建设", "tỉnh ủy"}),          # cán bộ is in both vi documents, nothing else is
    (1, 1, {"tỉnh ủy", "建设"}, {"cán bộ"}),             # at most one document
    (0.5, 1.0, {"cán bộ"}, {"кадр"}),                  # 0.5 of 4 documents = 2
    (1, 0.25, {"кадр", "干部"}, {"cán bộ"}),             # 0.25 of 4 documents = 1
])
def test_document_frequency_pruning(min_df, max_df, kept, dropped):
    dtm = count_matrix(_table(SEED_TOKENS), min_df=min_df, max_df=max_df)
    assert kept <= set(dtm.terms)
    assert not dropped & set(dtm.terms)
    df = dtm.document_frequency()
    n = dtm.shape[0]
    lo = min_df * n if isinstance(min_df, float) else min_df
    hi = max_df * n if isinstance(max_df, float) else max_df
    assert ((df >= lo) & (df <= hi)).all()


def test_pruning_everything_gives_an_empty_matrix_not_an_error():
    dtm = count_matrix(_table(SEED_TOKENS), min_df=3)
    assert dtm.shape == (4, 0)


def test_bigrams_join_words_with_underscore():
    dtm = count_matrix(_table(SEED_TOKENS), ngram_range=(2, 2))
    assert "tinh giản biên chế_cơ cấu" in dtm.terms
    assert "干部队伍_干部" in dtm.terms
    sums = np.asarray(dtm.matrix.sum(axis=1)).ravel()
    assert list(sums) == [len(SEED_TOKENS[d]) - 1 for d in dtm.doc_ids]
    both = count_matrix(_table(SEED_TOKENS), ngram_range=(1, 2))
    assert both.shape[1] == count_matrix(_table(SEED_TOKENS)).shape[1] + dtm.shape[1]


def test_vocabulary_keeps_its_order_and_unknown_terms():
    vocab = ["cán bộ", "không có", "干部", "cán bộ"]
    dtm = count_matrix(_table(SEED_TOKENS), vocabulary=vocab)
    assert dtm.terms == ("cán bộ", "không có", "干部")
    col = dict(zip(dtm.doc_ids, dtm.matrix[:, 0].toarray().ravel()))
    assert col == {"000_zh": 0, "001_ru": 0, "003_vi": 1, "004_vi": 1}
    assert dtm.matrix[:, 1].nnz == 0


def test_doc_ids_add_empty_rows():
    dtm = count_matrix(_table(SEED_TOKENS), doc_ids=["003_vi", "999_empty"])
    assert dtm.doc_ids == ("003_vi", "999_empty")
    assert dtm.matrix[1].nnz == 0 and dtm.matrix[0].sum() == len(SEED_TOKENS["003_vi"])


def test_series_of_lists_is_accepted():
    s = pd.Series(SEED_TOKENS)
    a, b = count_matrix(s), count_matrix(_table(SEED_TOKENS))
    assert a.terms == b.terms and (a.matrix != b.matrix).nnz == 0
    assert token_sequences(s).loc["001_ru"] == SEED_TOKENS["001_ru"]


@pytest.mark.parametrize("kwargs", [dict(ngram_range=(2, 1)), dict(ngram_range=(0, 1)), dict(min_df=1.5),
                                    dict(max_df=-1), dict(min_df="2")])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        count_matrix(_table(SEED_TOKENS), **kwargs)


def test_select_documents():
    dtm = count_matrix(_table(SEED_TOKENS))
    sub = dtm.select_documents(["004_vi", "nope"])
    assert sub.doc_ids == ("004_vi",) and sub.terms == dtm.terms
    assert sub.matrix.sum() == len(SEED_TOKENS["004_vi"])


words = st.sampled_from(["cán bộ", "biên chế", "干部", "кадр", "đảng", "机构", "реформа", "tinh gọn"])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=4), st.lists(words, max_size=12), max_size=6),
       st.integers(1, 3))
def test_property_counts_add_up(docs, n):
    tok = _table(docs, lang={d: "vi" for d in docs})
    dtm = count_matrix(tok, ngram_range=(1, n))
    assert list(dtm.doc_ids) == sorted(d for d, v in docs.items() if v)
    sums = np.asarray(dtm.matrix.sum(axis=1)).ravel()
    for d, total in zip(dtm.doc_ids, sums):
        m = len(docs[d])
        assert total == sum(max(0, m - k + 1) for k in range(1, n + 1))
    assert list(dtm.terms) == sorted(dtm.terms)


# --------------------------------------------------------------------------------------------
# count_matrix_flat: the fast unigram path (what build counts with) is count_matrix
# --------------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(sorted({t for ts in SEED_TOKENS.values() for t in ts}) + ["", "Z", "a_b"]),
                         max_size=15), max_size=9))
def test_count_matrix_flat_is_count_matrix(lists):
    from corpuslib.analysis.dtm import count_matrix_flat

    ids = [f"doc{i:02d}" for i in range(len(lists))]
    flat = [t for ts in lists for t in ts]
    got = count_matrix_flat(flat, [len(ts) for ts in lists], ids)
    ref = count_matrix(pd.Series(dict(zip(ids, lists)), dtype=object), doc_ids=ids)
    assert got.doc_ids == ref.doc_ids and got.terms == ref.terms
    assert (got.matrix != ref.matrix).nnz == 0 and got.matrix.has_sorted_indices
    pd.testing.assert_frame_equal(got.to_frame(), ref.to_frame())


@pytest.mark.parametrize("tokens, lengths, ids, message", [
    (["cán bộ"], [1, 0], ["a"], "token counts"),
    (["cán bộ", "干部"], [1], ["a"], "add up"),
    (["cán bộ"], [1, 0], ["b", "a"], "sorted"),
    (["cán bộ"], [1, 0], ["a", "a"], "sorted and unique"),
])
def test_count_matrix_flat_rejects_inconsistent_input(tokens, lengths, ids, message):
    from corpuslib.analysis.dtm import count_matrix_flat

    with pytest.raises(ValueError, match=message):
        count_matrix_flat(tokens, lengths, ids)
