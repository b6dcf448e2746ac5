"""Tests of corpuslib.analysis.topics (and figures_topics): estimator conventions, determinism, small corpora,
cross-lingual concepts, seeded topics, coherence by hand, choosing k, prevalence, figures."""
from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from corpuslib.analysis import prevalence as P
from corpuslib.analysis import topics as T
from corpuslib.analysis.dtm import count_matrix

# ---------------------------------------------------------------------------------------------
# Fixtures: the bundled seeds (5 documents, 3 languages) and a slice of VNTC (10 gold sections)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    from corpuslib.documents.table import read_corpus
    from corpuslib.text.tokens import tokenize

    docs = read_corpus(seeds_dir)
    return docs, tokenize(docs)


@pytest.fixture(scope="module")
def vntc(shared_dir):
    from corpuslib.text.tokens import tokenize

    d = pd.read_json(shared_dir / "corpora" / "vntc" / "vntc_10topics_test_sample1500.jsonl", lines=True)
    d = d.groupby("label", sort=True).head(20)  # 200 documents, 20 per section
    docs = pd.DataFrame({"doc_id": d["id"], "text": d["text"], "lang": "vi", "section": d["label"],
                         "outlet": d["outlet_code"]})
    return docs, tokenize(docs)


def _quiet_fit(model, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", T.TopicModelWarning)
        return model.fit(*args)


# ---------------------------------------------------------------------------------------------
# Estimator conventions
# ---------------------------------------------------------------------------------------------

def test_init_stores_parameters_only_and_clones():
    m = T.TopicModel(n_topics=3, method="lda", min_df=2, random_state=7)
    assert m.get_params()["n_topics"] == 3 and m.get_params()["method"] == "lda"
    assert not [a for a in vars(m) if a.endswith("_")]
    c = clone(m)
    assert c.get_params() == m.get_params()
    # invalid values are accepted by __init__ and refused by fit (scikit-learn convention)
    T.TopicModel(n_topics=0)


@pytest.mark.parametrize("method", T.METHODS)
def test_fit_returns_self_and_sets_fitted_attributes(seeds, method):
    docs, tok = seeds
    m = T.TopicModel(n_topics=2, method=method)
    assert _quiet_fit(m, tok, docs) is m
    assert m.n_topics_ == len(m.topic_ids_) == len(m.labels_) == m.components_.shape[0]
    assert m.components_.shape[1] == len(m.terms_)
    assert np.allclose(m.components_.sum(axis=1), 1.0)
    assert m.document_topics_.shape == (len(docs), m.n_topics_)
    assert np.allclose(m.document_topics_.sum(axis=1), 1.0)
    assert list(m.get_feature_names_out()) == m.topic_ids_
    assert list(m.terms_) == sorted(m.terms_)


@pytest.mark.parametrize("call", ["transform", "topic_terms", "doc_topics", "get_feature_names_out", "topic_info"])
def test_not_fitted_error(seeds, call):
    _, tok = seeds
    m = T.TopicModel()
    with pytest.raises(NotFittedError):
        getattr(m, call)(tok) if call == "transform" else getattr(m, call)()


@pytest.mark.parametrize("params, message", [
    (dict(n_topics=0), "n_topics must be >= 1"),
    (dict(n_topics=-3), "n_topics must be >= 1"),
    (dict(n_topics=2.5), "n_topics must be an integer"),
    (dict(n_topics=True), "n_topics must be an integer"),
    (dict(method="bertopic"), "method must be one of"),
    (dict(by="outlet"), "by must be"),
    (dict(method="lda", weighting="tfidf"), "lda"),
    (dict(n_init=0), "n_init"),
])
def test_bad_parameters_are_clear_errors(seeds, params, message):
    docs, tok = seeds
    with pytest.raises(ValueError, match=message):
        T.TopicModel(**params).fit(tok, docs)


# ---------------------------------------------------------------------------------------------
# Small corpora: the bundled seeds
# ---------------------------------------------------------------------------------------------

def test_bundled_corpus_caps_k_per_language_with_a_visible_warning(seeds):
    docs, tok = seeds
    with pytest.warns(T.TopicCountWarning, match=r"language 'vi': 10 -> 2") as rec:
        m = T.TopicModel(n_topics=10).fit(tok, docs)
    assert issubclass(rec[0].category, UserWarning)
    assert m.by_ == "lang" and m.languages_ == ["ru", "vi", "zh"]
    assert m.topic_ids_ == ["ru-01", "vi-01", "vi-02", "zh-01", "zh-02"]
    dt = m.doc_topics()
    # each document only gets the topics of its own language
    lang = dict(zip(docs["doc_id"], docs["lang"]))
    assert all(t.startswith(lang[d] + "-") for d, t in zip(dt["doc_id"], dt["topic"]))
    assert np.allclose(dt.groupby("doc_id")["weight"].sum(), 1.0)


def test_strict_raises_when_documents_do_not_allow_k(seeds):
    docs, tok = seeds
    with pytest.raises(ValueError, match="allow at most 1 topic"):
        T.TopicModel(n_topics=3, strict=True).fit(tok, docs)
    m = T.TopicModel(n_topics=1, strict=True).fit(tok, docs)  # within what the documents allow: no error
    assert m.n_topics_ == 3


def test_document_without_tokens_gets_zero_weights_and_no_dominant_topic(seeds):
    docs, tok = seeds
    extra = pd.concat([docs, pd.DataFrame({"doc_id": ["999_empty"], "text": [""], "lang": ["vi"]})], ignore_index=True)
    m = _quiet_fit(T.TopicModel(n_topics=2), tok, extra)
    dt = m.doc_topics()
    assert dt[dt["doc_id"] == "999_empty"]["weight"].eq(0).all()
    dom = m.dominant_topics().set_index("doc_id")
    assert pd.isna(dom.loc["999_empty", "topic"])


def test_pooled_model_when_asked(seeds):
    docs, tok = seeds
    m = _quiet_fit(T.TopicModel(n_topics=2, by=None), tok, docs)
    assert m.by_ is None and m.topic_ids_ == ["t01", "t02"]
    assert "lang" not in m.topic_terms().columns


def test_explicit_pruning_that_leaves_nothing_is_an_error(seeds):
    docs, tok = seeds
    with pytest.raises(ValueError, match="no term left"):
        T.TopicModel(n_topics=2, by=None, min_df=6).fit(tok, docs)


# ---------------------------------------------------------------------------------------------
# Determinism and real topics (VNTC slice)
# ---------------------------------------------------------------------------------------------

@pytest.mark.shared
@pytest.mark.parametrize("method", T.METHODS)
def test_same_random_state_same_model(vntc, method):
    docs, tok = vntc
    kw = dict(n_topics=5, method=method, max_iter=30 if method == "lda" else None)
    a = T.TopicModel(**kw, random_state=3).fit(tok, docs)
    b = T.TopicModel(**kw, random_state=3).fit(tok.sample(frac=1.0, random_state=1), docs)
    assert a.topic_ids_ == b.topic_ids_ and a.labels_ == b.labels_
    assert np.array_equal(a.components_, b.components_)
    pd.testing.assert_frame_equal(a.doc_topics(), b.doc_topics())


@pytest.mark.shared
def test_topics_follow_the_gold_sections(vntc):
    from sklearn.metrics import normalized_mutual_info_score

    docs, tok = vntc
    m = T.TopicModel(n_topics=10, method="kmeans").fit(tok, docs)
    dom = m.dominant_topics().merge(docs[["doc_id", "section"]], on="doc_id")
    # a random assignment of 200 documents to 10 topics gives an NMI around 0.1
    assert normalized_mutual_info_score(dom["section"], dom["topic"].astype(str)) > 0.4
    sport = m.topic_terms(15)
    assert sport.groupby("topic")["term"].apply(lambda s: {"trận", "cầu thủ"} <= set(s)).any()


@pytest.mark.shared
@pytest.mark.parametrize("method", ["nmf", "kmeans"])
def test_transform_reproduces_training_weights(vntc, method):
    docs, tok = vntc
    m = T.TopicModel(n_topics=6, method=method).fit(tok, docs)
    w = m.transform(tok, docs)
    assert w.shape == m.document_topics_.shape
    agree = (w.argmax(axis=1) == m.document_topics_.argmax(axis=1)).mean()
    assert agree > (0.999 if method == "kmeans" else 0.9)


@pytest.mark.shared
@pytest.mark.parametrize("method", T.METHODS)
def test_seed_words_steer_a_topic(vntc, method):
    docs, tok = vntc
    seeds = {"thể thao": ["bóng đá", "cầu thủ", "trận"]}
    m = T.TopicModel(n_topics=6, method=method, seed_words=seeds, max_iter=30 if method == "lda" else None)
    m.fit(tok, docs)
    info = m.topic_info(15)
    first = info.iloc[0]
    assert first["topic"] == "t01" and first["label"].startswith("thể thao: ")
    assert first["seed_in_top"] >= 2
    # most of its documents come from the sports section
    dom = m.dominant_topics().merge(docs[["doc_id", "section"]], on="doc_id")
    labels = dom[dom["topic"] == "t01"]["section"]
    assert len(labels) and (labels == "The thao").mean() > 0.5


def test_int_seed_key_places_the_topic(seeds):
    docs, tok = seeds
    vi = tok[tok["lang"] == "vi"]
    m = _quiet_fit(T.TopicModel(n_topics=2, seed_words={1: ["chiến lược cán bộ"]}), vi, docs[docs["lang"] == "vi"])
    info = m.topic_info()
    assert info.loc[1, "seed"] == "chiến lược cán bộ" and info.loc[0, "seed"] == ""


# ---------------------------------------------------------------------------------------------
# Cross-lingual concepts
# ---------------------------------------------------------------------------------------------

TOY_CONCEPTS = {
    ("vi", "cán bộ"): "cadre", ("zh", "干部"): "cadre", ("ru", "кадры"): "cadre",
    ("vi", "tinh giản biên chế"): "staff_cuts", ("zh", "精简"): "staff_cuts", ("ru", "сокращение штатов"): "staff_cuts",
    ("vi", "tỉnh ủy"): "provincial_committee", ("zh", "省委"): "provincial_committee",
    ("ru", "провинциальный комитет"): "provincial_committee",
}


def _tokens(rows):
    return pd.DataFrame([(d, i, t, lg) for d, lg, toks in rows for i, t in enumerate(toks)],
                        columns=["doc_id", "position", "token", "lang"])


def test_map_concepts_shares_ids_across_languages():
    # tokens as corpuslib.text.tokens writes them for seed sentences: ru lemmas, vi words, jieba words
    tok = _tokens([
        ("ru", "ru", ["секретарь", "провинциальный", "комитет", "кадр", "сокращение", "штат"]),
        ("vi", "vi", ["tỉnh ủy", "lạng sơn", "tinh giản", "biên chế", "cán bộ"]),
        ("zh", "zh", ["省委", "组织", "精简", "干部", "队伍"]),
    ])
    out = T.map_concepts(tok, TOY_CONCEPTS)
    got = out.groupby("doc_id")["token"].apply(list).to_dict()
    assert got["vi"] == ["provincial_committee", "staff_cuts", "cadre"]   # two tokens matched as one term
    assert got["zh"] == ["provincial_committee", "staff_cuts", "cadre"]
    # Russian terms are lemmatised: 'кадры' -> 'кадр', 'штатов' -> 'штат'
    assert got["ru"] == ["provincial_committee", "cadre", "staff_cuts"]
    assert out[out["doc_id"] == "vi"]["position"].tolist() == [0, 2, 4]
    kept = T.map_concepts(tok, TOY_CONCEPTS, keep_unmapped=True)
    assert "lạng sơn" in set(kept["token"]) and len(kept) > len(out)


def test_concept_map_formats_are_equivalent():
    nested = {}
    for (lang, term), c in TOY_CONCEPTS.items():
        nested.setdefault(lang, {})[term] = c
    frame = pd.DataFrame([(lg, t, c) for (lg, t), c in TOY_CONCEPTS.items()], columns=["lang", "term", "concept"])
    a, b, c = (T.concept_table(x) for x in (TOY_CONCEPTS, nested, frame))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    flat = T.concept_table({"Cán Bộ": "cadre"})
    assert flat.to_dict("records") == [{"lang": "*", "term": "cán bộ", "concept": "cadre"}]
    with pytest.raises(TypeError):
        T.concept_table(["cán bộ"])


def test_stem_terms_match_word_starts():
    tok = _tokens([("ru", "ru", ["оптимизация", "аппарат", "оптимизм"])])
    out = T.map_concepts(tok, {("ru", "оптимиз* аппарат"): "streamlining"})
    assert out["token"].tolist() == ["streamlining"]


def test_cross_lingual_model_mixes_languages(seeds):
    docs, tok = seeds
    from corpuslib.text.lexicon import Lexicon

    lex = Lexicon.from_terms({"cadre": ["cán bộ", "干部", "кадры"], "party_building": ["xây dựng đảng", "党的建设",
                                                                                  "партийное строительство"],
                              "organisation": ["tổ chức", "组织", "организационный"]})
    m = _quiet_fit(T.TopicModel(n_topics=2, concept_map=lex), tok, docs)
    assert m.by_ is None
    assert set(m.terms_) <= {"cadre", "party_building", "organisation"}
    assert {"cadre", "organisation"} <= set(m.terms_)
    dt = m.doc_topics()
    assert set(dt["doc_id"]) == set(docs["doc_id"])
    # the documents of all three languages load on the same topics
    lang = dict(zip(docs["doc_id"], docs["lang"]))
    dom = m.dominant_topics().dropna(subset=["topic"])
    assert {lang[d] for d in dom["doc_id"]} == {"ru", "vi", "zh"}


# ---------------------------------------------------------------------------------------------
# Coherence, stability, choosing k
# ---------------------------------------------------------------------------------------------

def test_npmi_matches_hand_computation():
    # 4 documents: {a b} {a b} {a c} {c}
    dtm = count_matrix(pd.Series({"d1": ["a", "b"], "d2": ["a", "b"], "d3": ["a", "c"], "d4": ["c"]}))
    ab = math.log((2 / 4) / ((3 / 4) * (2 / 4))) / -math.log(2 / 4)   # = 0.415
    ac = math.log((1 / 4) / ((3 / 4) * (2 / 4))) / -math.log(1 / 4)   # = -0.292
    bc = -1.0                                                          # never together
    got = T.npmi_coherence([["a", "b"], ["a", "b", "c"], ["a", "zzz"], ["b", "a"]], dtm)
    assert got[0] == pytest.approx(ab) and ab == pytest.approx(0.415, abs=1e-3)
    assert got[1] == pytest.approx((ab + ac + bc) / 3)
    assert math.isnan(got[2])            # one known term: no pair
    assert got[3] == pytest.approx(ab)   # symmetric
    everywhere = count_matrix(pd.Series({"d1": ["x", "y"], "d2": ["y", "x"]}))
    assert T.npmi_coherence([["x", "y"]], everywhere)[0] == 1.0


def test_stability_of_identical_and_disjoint_runs():
    a = {None: [{"a", "b"}, {"c", "d"}]}
    assert T.top_term_stability(a, a) == 1.0
    assert T.top_term_stability(a, {None: [{"x", "y"}]}) == 0.0
    assert T.top_term_stability(a, {None: [{"a", "b", "c"}]}) == pytest.approx((2 / 3 + 1 / 4) / 2)
    assert T.top_term_stability({"vi": [{"a"}]}, {"zh": [{"a"}]}) == 0.0   # languages are not compared


def test_choose_k_rule():
    scores = pd.DataFrame({
        "k": [4, 4, 6, 6, 8, 8], "seed": [0, 1] * 3, "n_topics": [4, 4, 6, 6, 8, 8],
        "coherence": [0.10, 0.10, 0.20, 0.20, 0.30, 0.30],
        "stability": [0.90, 0.90, 0.85, 0.85, 0.40, 0.40],
    })
    # normalised: coherence 0, .5, 1; stability 1, .9, 0 -> scores .5, .7, .5
    assert T.choose_k(scores) == 6
    assert T.choose_k(scores.assign(stability=np.nan)) == 8
    best8 = scores.assign(stability=0.9)                  # k=8 now best on both measures
    assert T.choose_k(best8) == 8
    assert T.choose_k(best8.assign(n_topics=[4, 4, 6, 6, 6, 6])) == 6   # ... but capped to 6: it cannot win


@pytest.mark.shared
def test_evaluate_k_table(vntc):
    docs, tok = vntc
    scores = T.evaluate_k(tok, [3, 5], seeds=(0, 1), documents=docs, method="kmeans", n_init=3)
    assert list(scores.columns) == ["k", "seed", "n_topics", "coherence", "stability", "term_stability"]
    assert scores[["k", "seed"]].values.tolist() == [[3, 0], [3, 1], [5, 0], [5, 1]]
    assert scores["coherence"].between(-1, 1).all() and scores["stability"].between(-1, 1).all()
    assert scores["term_stability"].between(0, 1).all()
    # NNDSVD alone does not depend on the seed: on the same documents the runs are identical ...
    same = T.evaluate_k(tok, [4], seeds=(0, 1), documents=docs, method="nmf", n_init=1, resample=1.0)
    assert same["stability"].tolist() == [1.0, 1.0] and same["term_stability"].tolist() == [1.0, 1.0]
    # ... and resampling the documents is what lets stability tell one k from another
    resampled = T.evaluate_k(tok, [4, 8], seeds=(0, 1), documents=docs, method="nmf", n_init=1)
    assert resampled["stability"].lt(1.0).all()
    assert T.choose_k(scores) in (3, 5)


def test_evaluate_k_reports_capping(seeds):
    docs, tok = seeds
    with pytest.warns(T.TopicCountWarning):
        scores = T.evaluate_k(tok, [1, 3], seeds=(0,), documents=docs)
    assert scores.set_index("k")["n_topics"].to_dict() == {1: 3, 3: 5}


# ---------------------------------------------------------------------------------------------
# Tables from doc_topics
# ---------------------------------------------------------------------------------------------

DOC_TOPICS = pd.DataFrame({
    "doc_id": ["a", "a", "b", "b", "c", "c", "d", "e"],
    "topic": ["vi-01", "vi-02", "vi-01", "vi-02", "vi-01", "vi-02", "zh-01", "zh-01"],
    "weight": [0.8, 0.2, 0.4, 0.6, 0.5, 0.5, 1.0, 0.0],
    "lang": ["vi"] * 6 + ["zh", "zh"],
})
DOCS = pd.DataFrame({
    "doc_id": ["a", "b", "c", "d", "e"],
    "outlet": ["Nhân Dân", "Nhân Dân", "Báo Nghệ An", "Báo Nghệ An", None],
    "lang": ["vi", "vi", "vi", "zh", "zh"],
    "published": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-02", None, "2024-03-30"]),
    "text": ["Tinh giản biên chế gắn với cơ cấu lại đội ngũ cán bộ.", "Cán bộ chủ chốt.", "Hội nghị.", "干部队伍建设。", "精简机构"],
    "title": ["A", "B", "C", "D", "E"],
})


def test_dominant_topics_ties_and_zero_weights():
    dom = T.dominant_topics(DOC_TOPICS).set_index("doc_id")
    assert dom.loc["a", "topic"] == "vi-01" and dom.loc["b", "topic"] == "vi-02"
    assert dom.loc["c", "topic"] == "vi-01"             # tie: first topic id
    assert pd.isna(dom.loc["e", "topic"]) and dom.loc["e", "weight"] == 0


def test_prevalence_does_not_modify_inputs():
    before_dt, before_docs = DOC_TOPICS.copy(), DOCS.copy()
    P.topic_prevalence(DOC_TOPICS, DOCS, "published")
    T.representative_documents(DOC_TOPICS, DOCS)
    pd.testing.assert_frame_equal(DOC_TOPICS, before_dt)
    pd.testing.assert_frame_equal(DOCS, before_docs)


def test_representative_documents_with_snippets():
    terms = pd.DataFrame({"topic": ["vi-01", "vi-01"], "rank": [1, 2], "term": ["đội ngũ cán bộ", "hội nghị"]})
    rep = T.representative_documents(DOC_TOPICS, DOCS, n=2, topic_terms=terms, width=30)
    v1 = rep[rep["topic"] == "vi-01"]
    assert v1["doc_id"].tolist() == ["a", "c"] and v1["rank"].tolist() == [1, 2]
    assert "đội ngũ cán bộ" in v1["snippet"].iloc[0] and v1["snippet"].iloc[0].startswith("… ")
    assert "e" not in set(rep["doc_id"])                 # weight 0 is not representative
    assert {"title", "outlet", "published"} <= set(rep.columns)


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------

def _render(fig) -> None:
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a missing glyph warns: fail on it
        fig.savefig(io.BytesIO(), format="png", dpi=60)
    plt.close(fig)


def test_figures_render_cjk_and_cyrillic(seeds):
    import matplotlib

    matplotlib.use("Agg")
    from corpuslib.figures import topics as F

    docs, tok = seeds
    m = _quiet_fit(T.TopicModel(n_topics=2), tok, docs)
    labels = dict(zip(m.topic_ids_, m.labels_))
    figs = [
        F.plot_top_terms(m.topic_terms(), labels=labels),
        F.plot_prevalence(P.topic_prevalence(m.doc_topics(), docs, "outlet"), "outlet", labels=labels),
        F.plot_prevalence_over_time(P.topic_prevalence(m.doc_topics(), docs, "published", period="Y"), labels=labels),
        F.plot_doc_topics(m.doc_topics(), docs, labels=labels),
        F.plot_k_selection(pd.DataFrame({"k": [2, 3], "seed": [0, 0], "coherence": [0.1, 0.2],
                                         "stability": [0.9, 0.5]}), chosen=2),
    ]
    from matplotlib.figure import Figure

    texts = []
    for fig in figs:
        assert isinstance(fig, Figure)
        texts += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + [ax.title]]
        _render(fig)
    joined = " ".join(texts)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in joined) and any("а" <= ch <= "я" for ch in joined)


# ---------------------------------------------------------------------------------------------
# Choosing n_topics for the notebook (resolve_n_topics), "all", mark_dominant
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_topics", [1, 4, 30])
def test_resolve_n_topics_keeps_a_given_number(seeds, n_topics):
    docs, tok = seeds
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no grid, no warning: capping is the fit's business
        k, scores = T.resolve_n_topics(tok, docs, n_topics=n_topics)
    assert k == n_topics
    assert scores.empty and list(scores.columns) == ["k", "seed", "n_topics", "coherence", "stability", "term_stability"]


@pytest.mark.parametrize("kw, message", [
    (dict(n_topics=-1), "n_topics must be an integer >= 1, or 0"),
    (dict(n_topics=True), "n_topics must be an integer"),
    (dict(n_topics=2.0), "n_topics must be an integer"),
    (dict(n_topics=0, k_grid=[]), "k_grid must hold integers >= 1"),
    (dict(n_topics=0, k_grid=[0, 3]), "k_grid must hold integers >= 1"),
])
def test_resolve_n_topics_refuses_bad_values(seeds, kw, message):
    docs, tok = seeds
    with pytest.raises(ValueError, match=message):
        T.resolve_n_topics(tok, docs, **kw)


def test_resolve_n_topics_on_the_bundled_corpus_warns_and_takes_the_smallest_k(seeds):
    docs, tok = seeds
    # per language: ru has a single document, the smallest model
    with pytest.warns(T.TopicModelWarning, match=r"language 'ru' has 1 document.*fewer than min_docs=50.*k=5"):
        k, scores = T.resolve_n_topics(tok, docs, n_topics=0, k_grid=[8, 5, 12])
    assert k == 5 and scores.empty


@pytest.mark.parametrize("min_docs, grid_runs", [(5, True), (6, False)])
def test_resolve_n_topics_runs_the_grid_from_min_docs_on(seeds, min_docs, grid_runs):
    docs, tok = seeds   # one model of all 5 documents
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        k, scores = T.resolve_n_topics(tok, docs, n_topics=0, k_grid=[2, 3], seeds=(0, 1), min_docs=min_docs,
                                       by="all", n_init=2)
    too_few = [w for w in caught if "too few documents" in str(w.message)]
    assert bool(too_few) is not grid_runs
    if grid_runs:
        assert scores[["k", "seed"]].values.tolist() == [[2, 0], [2, 1], [3, 0], [3, 1]]
        assert k == T.choose_k(scores)
    else:
        assert scores.empty and k == 2


@pytest.mark.shared
def test_resolve_n_topics_chooses_from_the_grid_on_real_news(vntc):
    docs, tok = vntc   # 200 documents, 20 per gold section
    k, scores = T.resolve_n_topics(tok, docs, n_topics=0, k_grid=[4, 10], seeds=(0, 1), min_docs=50,
                                   method="kmeans", n_init=3)
    assert k in (4, 10) and k == T.choose_k(scores)
    assert set(scores["k"]) == {4, 10} and scores["n_topics"].tolist() == [4, 4, 10, 10]


def test_by_all_is_one_model_of_all_documents(seeds):
    docs, tok = seeds
    a = _quiet_fit(T.TopicModel(n_topics=2, by="all"), tok, docs)
    b = _quiet_fit(T.TopicModel(n_topics=2, by=None), tok, docs)
    assert a.by_ is None and a.topic_ids_ == ["t01", "t02"]
    pd.testing.assert_frame_equal(a.doc_topics(), b.doc_topics())


def test_mark_dominant_flags_one_topic_per_document():
    before = DOC_TOPICS.copy()
    marked = T.mark_dominant(DOC_TOPICS)
    pd.testing.assert_frame_equal(DOC_TOPICS, before)
    assert list(marked.columns) == [*DOC_TOPICS.columns, "dominant"] and marked["dominant"].dtype == bool
    flagged = marked[marked["dominant"]].set_index("doc_id")["topic"].to_dict()
    # c is a tie (first topic id); e has only zero weights: no dominant topic
    assert flagged == {"a": "vi-01", "b": "vi-02", "c": "vi-01", "d": "zh-01"}


# ---------------------------------------------------------------------------------------------
# Figures: legibility fixes
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def agg():
    import matplotlib

    matplotlib.use("Agg")
    from corpuslib.figures import topics as F

    return F


def test_prevalence_heatmap_counts_every_language_and_shows_shares(agg):
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "outlet")
    fig = agg.plot_prevalence(prev, "outlet", value="share")
    ax = fig.axes[0]
    ticks = {t.get_text().split("\n")[0]: t.get_text() for t in ax.get_xticklabels()}
    assert ticks["Báo Nghệ An"].endswith("(n=2)")          # one vi and one zh document
    cells = {t.get_text().split("\n")[0] for t in ax.texts}   # the value; its interval below
    assert {"50%", "100%"} <= cells
    assert "share" in ax.get_title()
    _render(fig)
    with pytest.raises(ValueError, match="value must be one of"):
        agg.plot_prevalence(prev, "outlet", value="mean")


def test_prevalence_heatmap_wraps_long_group_names(agg):
    docs = DOCS.assign(outlet=["Người Lao Động (nld.com.vn)"] * 2 + ["Thanh Niên (thanhnien.vn)"] * 3)
    fig = agg.plot_prevalence(P.topic_prevalence(DOC_TOPICS, docs, "outlet"), "outlet")
    for t in fig.axes[0].get_xticklabels():
        assert all(len(line) <= 16 for line in t.get_text().split("\n")), t.get_text()
    _render(fig)


def test_prevalence_over_time_stacks_documents_by_dominant_topic(agg):
    import matplotlib.dates as mdates

    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "published", period="M")
    fig = agg.plot_prevalence_over_time(prev, value="share")
    ax = fig.axes[0]
    heights, hatched = {}, set()
    for bar in ax.patches:
        day = mdates.num2date(bar.get_x() + bar.get_width() / 2).strftime("%Y-%m")
        if not bar.get_fill():      # the hatched outline over a period of fewer than 5 documents
            hatched.add(day)
            continue
        heights[day] = heights.get(day, 0) + bar.get_height()
    # January: a (vi-01) and b (vi-02); March: c (vi-01) and e (no dominant topic: all weights 0)
    assert heights == {"2024-01": 2, "2024-02": 0, "2024-03": 1}
    assert hatched == {"2024-01", "2024-03"}
    assert "4 dated documents, 1 undated left out" in ax.get_title()
    _render(fig)
    lines = agg.plot_prevalence_over_time(prev, value="weight")
    assert len(lines.axes) == 2 and lines.axes[0].get_lines()
    _render(lines)


def test_doc_topics_figure_shows_how_clear_cut_and_which_topic_comes_second(agg):
    rows = []
    for i in range(30):
        t = i % 3
        w = np.full(3, 0.1)
        w[t] = 0.7
        w[(t + 1) % 3] = 0.2 if i % 2 else 0.1   # half of each topic's documents lean on the next topic
        w = w / w.sum()
        rows += [(f"d{i:02d}", f"vi-0{j + 1}", float(w[j]), "vi") for j in range(3)]
    rows += [("z1", "zh-01", 1.0, "zh")]
    dt = pd.DataFrame(rows, columns=["doc_id", "topic", "weight", "lang"]).sample(frac=1, random_state=1)
    fig = agg.plot_doc_topics(dt)
    left, right = fig.axes[0], fig.axes[1]
    assert [t.get_text() for t in left.texts] == ["n=10", "n=10", "n=10", "n=1"]
    image = right.get_images()[0].get_array()
    assert image.mask[np.diag_indices(4)].all()          # a topic is never its own second
    assert image.mask[0, 3] and image.mask[3, 0]         # vi documents have no zh topic: blank, not 0
    # ties between the other topics go to the first: all of vi-01's documents have vi-02 second,
    # vi-02's split between vi-01 (ties) and vi-03 (leaning)
    assert image[0, 1] == pytest.approx(1.0) and image[0, 2] == 0.0
    assert image[1, 0] == pytest.approx(0.5) and image[1, 2] == pytest.approx(0.5)
    assert sorted(t.get_text() for t in right.texts) == ["10", "10", "5", "5"]   # vi-03: all have vi-01 second
    _render(fig)


def test_top_terms_titles_wrap_and_ticks_stay_few(agg):
    tt = pd.DataFrame({"topic": ["vi-01"] * 3, "rank": [1, 2, 3],
                       "term": ["ban tổ chức trung ương", "xây dựng đảng", "ngành"], "weight": [0.0125, 0.011, 0.0025]})
    label = {"vi-01": "ngành · xây dựng đảng · ban tổ chức trung ương · tinh giản biên chế"}
    fig = agg.plot_top_terms(tt, labels=label)
    ax = fig.axes[0]
    title = ax.get_title(loc="left").split("\n")
    assert len(title) == 2 and all(len(line) <= 34 for line in title) and title[0].startswith("vi-01")
    assert len(ax.get_xticks()) <= 4
    _render(fig)


def test_representative_documents_dominant_only():
    every = T.representative_documents(DOC_TOPICS, DOCS, n=3)
    own = T.representative_documents(DOC_TOPICS, DOCS, n=3, dominant_only=True)
    # b leans to vi-02 (0.6): it shows for vi-01 only without the restriction
    assert every[every["topic"] == "vi-01"]["doc_id"].tolist() == ["a", "c", "b"]
    assert own[own["topic"] == "vi-01"]["doc_id"].tolist() == ["a", "c"]
    assert own[own["topic"] == "vi-02"]["doc_id"].tolist() == ["b"]
    assert set(own["doc_id"]) == {"a", "b", "c", "d"}


# ---------------------------------------------------------------------------------------------
# Minibatch and chunk-by-chunk fitting (corpora that do not fit in memory)
# ---------------------------------------------------------------------------------------------

@pytest.mark.shared
@pytest.mark.parametrize("method", T.METHODS)
def test_minibatch_fit_finds_the_sections_too(vntc, method):
    from sklearn.metrics import normalized_mutual_info_score

    docs, tok = vntc
    kw = dict(n_topics=10, method=method, random_state=2)
    m = T.TopicModel(**kw, batch_size=64).fit(tok, docs)
    assert m.document_topics_.shape == (len(docs), 10)
    assert np.allclose(m.components_.sum(axis=1), 1.0)
    again = T.TopicModel(**kw, batch_size=64).fit(tok, docs)
    assert np.array_equal(m.components_, again.components_)  # deterministic for a random_state
    dom = m.dominant_topics().merge(docs[["doc_id", "section"]], on="doc_id")
    # random: ~0.1; minibatches of a 200-document corpus are noisy, the point is large corpora
    assert normalized_mutual_info_score(dom["section"], dom["topic"].astype(str)) > 0.25


def test_minibatch_estimators_are_used(seeds):
    docs, tok = seeds
    vi = tok[tok["lang"] == "vi"]
    nmf = _quiet_fit(T.TopicModel(n_topics=2, method="nmf", batch_size=8), vi, docs[docs["lang"] == "vi"])
    assert type(nmf.submodels_[None].state["nmf"]).__name__ == "MiniBatchNMF"
    lda = _quiet_fit(T.TopicModel(n_topics=2, method="lda", batch_size=8), vi, docs[docs["lang"] == "vi"])
    assert lda.submodels_[None].state["lda"].learning_method == "online"


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_batch_size_must_be_a_positive_int(seeds, bad):
    _, tok = seeds
    with pytest.raises(ValueError, match="batch_size"):
        T.TopicModel(batch_size=bad).fit(tok)


@pytest.mark.shared
@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_partial_fit_over_chunks(vntc, method):
    from sklearn.metrics import normalized_mutual_info_score

    docs, tok = vntc
    order = docs["doc_id"].sample(frac=1.0, random_state=0).tolist()
    chunks = [set(order[i::4]) for i in range(4)]
    m = T.TopicModel(n_topics=10, method=method, batch_size=25, random_state=0)
    seen = []
    for chunk in chunks:
        m.partial_fit(tok[tok["doc_id"].isin(chunk)], docs[docs["doc_id"].isin(chunk)])
        assert sorted(m.doc_ids_) == sorted(chunk) and m.document_topics_.shape == (len(chunk), 10)
        seen.append((m.topic_ids_, tuple(m.terms_)))
    first_terms = seen[0][1]
    assert all(ids == seen[0][0] and terms == first_terms for ids, terms in seen)  # vocabulary fixed by chunk 1
    assert m._online[None]["n_docs"] == len(docs)
    w = m.transform(tok, docs)  # all documents, with the model of all chunks
    dom = pd.Series(w.argmax(axis=1), index=sorted(docs["doc_id"]))
    sections = docs.set_index("doc_id").loc[dom.index, "section"]
    assert normalized_mutual_info_score(sections, dom) > 0.25
    # a full fit starts over
    m.fit(tok, docs)
    assert not hasattr(m, "_online")


def test_partial_fit_per_language_adds_models_as_languages_appear(seeds):
    docs, tok = seeds
    m = T.TopicModel(n_topics=2, method="nmf", by="lang")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", T.TopicModelWarning)
        m.partial_fit(tok[tok["lang"] == "vi"], docs[docs["lang"] == "vi"])
        assert m.topic_langs_ == ["vi", "vi"]
        vi_terms = set(m.terms_)
        m.partial_fit(tok[tok["lang"] != "vi"], docs[docs["lang"] != "vi"])
    assert sorted(set(m.topic_langs_)) == ["ru", "vi", "zh"]
    assert vi_terms <= set(m.terms_)
    assert len(m.doc_ids_) == int((docs["lang"] != "vi").sum())


def test_partial_fit_refuses_kmeans_and_seeds(seeds):
    _, tok = seeds
    with pytest.raises(ValueError, match="nmf"):
        T.TopicModel(method="kmeans").partial_fit(tok)
    with pytest.raises(ValueError, match="seed_words"):
        T.TopicModel(method="nmf", seed_words={"x": ["cán bộ"]}).partial_fit(tok)


# ---------------------------------------------------------------------------------------------
# The k-selection table, FREX words, backends, weighting
# ---------------------------------------------------------------------------------------------

K_SCORES = pd.DataFrame({
    "k": [4, 4, 6, 6, 8, 8], "seed": [0, 1] * 3, "n_topics": [4, 4, 6, 6, 8, 8],
    "coherence": [0.10, 0.12, 0.20, 0.22, 0.30, 0.28],
    "stability": [0.90, 0.80, 0.85, 0.85, 0.40, 0.50],
})


def test_k_selection_table_shows_each_criterion_and_why():
    table = T.k_selection_table(K_SCORES)
    assert table["k"].tolist() == [4, 6, 8]
    assert table["coherence"].tolist() == pytest.approx([0.11, 0.21, 0.29])
    assert table["stability_sd"].iloc[1] == 0.0 and table["stability_sd"].iloc[0] > 0
    assert table["chosen"].tolist() == [False, True, False] and T.choose_k(K_SCORES) == 6
    assert table["edge"].tolist() == [True, False, True]
    assert table.loc[1, "reason"].startswith("chosen: highest score") and table.loc[0, "reason"] == ""
    by_hand = T.k_selection_table(K_SCORES, chosen=8)
    assert by_hand.loc[2, "reason"] == "chosen by hand (the rule picks 6)"
    at_edge = T.k_selection_table(K_SCORES.assign(stability=0.9))   # k=8 best on both: at the grid's edge
    assert at_edge.loc[2, "chosen"] and "edge of the grid" in at_edge.loc[2, "reason"]
    capped = T.k_selection_table(K_SCORES.assign(n_topics=[4, 4, 6, 6, 6, 6]))
    assert capped.loc[2, "reason"].startswith("capped")


def test_resolve_n_topics_warns_when_k_is_at_the_edge_of_the_grid(seeds):
    docs, tok = seeds
    with pytest.warns(T.TopicModelWarning, match=r"at the edge of k_grid \[2, 3\]"):
        k, scores = T.resolve_n_topics(tok, docs, n_topics=0, k_grid=[2, 3], seeds=(0, 1), min_docs=5, by="all",
                                       n_init=2)
    assert k in (2, 3)


def test_k_selection_figure_warns_at_the_edge(agg):
    edge = agg.plot_k_selection(K_SCORES, chosen=8)
    inside = agg.plot_k_selection(K_SCORES, chosen=6)
    assert any("edge of the grid" in t.get_text() for t in edge.texts)
    assert not any("edge of the grid" in t.get_text() for t in inside.texts)
    assert len(edge.axes) == 3
    _render(edge)


def _two_subjects():
    """20 documents of two subjects: each subject has its own words, 'common' is in every document, 'market' in most."""
    rows = []
    for i in range(20):
        words = ["apple", "banana", "fruit"] if i < 10 else ["car", "engine", "wheel"]
        seq = words * (2 + i % 3) + ["common"] * 3 + (["market"] if i % 4 else [])
        rows += [(f"d{i:02d}", p, w) for p, w in enumerate(seq)]
    return pd.DataFrame(rows, columns=["doc_id", "position", "token"])


@pytest.mark.parametrize("method", T.METHODS)
def test_frex_terms_rank_exclusive_words_above_shared_ones(method):
    tok = _two_subjects()
    m = _quiet_fit(T.TopicModel(n_topics=2, method=method, min_df=1, max_df=1.0, random_state=0), tok)
    frex = m.frex_terms(3)
    assert list(frex.columns) == ["topic", "rank", "term", "frex"]
    assert frex["frex"].between(0, 1).all()
    sets = [set(g["term"]) for _, g in frex.groupby("topic")]
    assert sorted(map(sorted, sets)) == [["apple", "banana", "fruit"], ["car", "engine", "wheel"]]
    info = m.topic_info()
    assert [sorted(f.split(" · ")[:3]) for f in info["frex"]] == [sorted(s) for s in frex.groupby("topic")["term"]
                                                                 .agg(list)]
    assert info["top_terms"].str.len().gt(0).all()


def test_frex_terms_weight_must_be_a_share():
    m = _quiet_fit(T.TopicModel(n_topics=2, min_df=1, max_df=1.0), _two_subjects())
    with pytest.raises(ValueError, match="weight must be in"):
        m.frex_terms(weight=1.5)


def test_kmeans_topic_words_are_frequent_and_exclusive():
    from corpuslib.analysis.topic_backends.kmeans import lift_weights

    counts = np.array([[2, 1, 0, 1], [1, 1, 0, 1], [0, 0, 3, 1], [0, 1, 2, 1]])
    w = lift_weights(counts, np.array([0, 0, 1, 1]), 2)
    assert np.allclose(w.sum(axis=1), 1.0)
    assert w[0, 0] > w[0, 1] > 0 and w[0, 2] == 0 and w[0, 3] == 0   # term 3 is in every document: no lift
    one = lift_weights(counts, np.zeros(4, int), 1)                   # one cluster: words by frequency
    assert np.allclose(one.sum(axis=1), 1.0) and one[0, 3] == one.max()
    # a one-document cluster: every term it has is in all its documents; the more frequent one first
    single = lift_weights(np.array([[3, 1, 0], [0, 0, 2]]), np.array([0, 1]), 2)
    assert single[0, 0] > single[0, 1] > 0 and single[1, 2] > 0


def test_unknown_backend_is_refused():
    from corpuslib.analysis.topic_backends import get_backend

    assert get_backend("kmeans").hard and not get_backend("nmf").hard
    with pytest.raises(ValueError, match="method must be one of"):
        get_backend("bertopic")


@pytest.mark.parametrize("weighting", ["tfidf", "bm25"])
def test_weighting_gives_unit_rows_and_reuses_the_fitted_corpus(weighting):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from corpuslib.analysis.topic_backends.base import weigh

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.lists(st.integers(0, 6), min_size=5, max_size=5), min_size=2, max_size=8))
    def check(rows):
        C = np.asarray(rows)
        X, fitted = weigh(C, weighting)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        assert np.allclose(norms[C.sum(axis=1) > 0], 1.0) and np.all(norms[C.sum(axis=1) == 0] == 0)
        assert (X.toarray() >= 0).all() and ((X.toarray() > 0) == (C > 0)).all()
        again, _ = weigh(C[:1], weighting, fitted)        # a new document is weighted by the fitted corpus
        assert np.allclose(again.toarray(), X.toarray()[:1])

    check()


def test_bm25_saturates_term_frequency():
    from corpuslib.analysis.topic_backends.base import BM25_K1, weigh

    # two documents of the same length; term 0 occurs once in one, ten times in the other, term 2 once in each
    X, _ = weigh(np.array([[1, 9, 1], [10, 0, 1]]), "bm25")
    X = X.toarray()
    ratio = (X[1, 0] / X[1, 2]) / (X[0, 0] / X[0, 2])
    assert 1.0 < ratio < BM25_K1 + 1.0          # ten times the occurrences, not even k1 + 1 times the weight
    tfidf, _ = weigh(np.array([[1, 9, 1], [10, 0, 1]]), "tfidf")
    assert ratio < (tfidf[1, 0] / tfidf[1, 2]) / (tfidf[0, 0] / tfidf[0, 2])


def test_representative_documents_per_period():
    out = T.representative_documents(DOC_TOPICS, DOCS, n=1, period="M")
    assert list(out.columns[:3]) == ["topic", "period", "rank"]
    vi1 = out[out["topic"] == "vi-01"]
    assert vi1["period"].tolist() == ["2024-01", "2024-03"] and vi1["doc_id"].tolist() == ["a", "c"]
    assert out[out["topic"] == "zh-01"]["period"].tolist() == ["(undated)"]   # e has weight 0: only d, undated
    with pytest.raises(ValueError, match="published"):
        T.representative_documents(DOC_TOPICS, DOCS.drop(columns="published"), period="M")
