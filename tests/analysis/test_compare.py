"""Tests of corpuslib.analysis.compare (counts, keyness, kwic, trends) and corpuslib.figures.compare."""
from __future__ import annotations

import json
import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpuslib.analysis import compare
from corpuslib.text.lexicon import Lexicon, find_concepts, load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    from corpuslib.documents.table import ingest

    return ingest(seeds_dir).documents


@pytest.fixture(scope="module")
def seed_hits(seeds, lexicon):
    return find_concepts(seeds, lexicon)


# ----------------------------------------------------------------------------------------
# Keyness: hand-computed values on a toy 2 x 3 table
# ----------------------------------------------------------------------------------------
# group A: x=10 y=5 z=5 (n=20); group B: x=2 y=8 z=10 (n=20); pooled x=12 y=13 z=15 (n=40)
TOY = pd.DataFrame({"group": ["A"] * 3 + ["B"] * 3, "item": ["x", "y", "z"] * 2, "n": [10, 5, 5, 2, 8, 10]})


def few_keyness(*args, **kw):
    """Keyness of groups of one to three documents (the seeds, toy tables): no minimum support."""
    return compare.keyness(*args, min_docs=1, **kw)


def toy_keyness(**kw):
    out = compare.keyness(TOY, "group", item="item", count="n", min_docs=1, **kw)
    return out.set_index(["group", "term_or_concept"])


def test_log_odds_with_informative_prior_by_hand():
    k = toy_keyness(target="A", reference="B", measure="logodds", prior=1.0)
    # prior 1: alpha_w = pooled count (x: 12), alpha_0 = pooled total (40)
    delta_x = math.log((10 + 12) / (20 + 40 - 10 - 12)) - math.log((2 + 12) / (20 + 40 - 2 - 12))
    z_x = delta_x / math.sqrt(1 / (10 + 12) + 1 / (2 + 12))
    assert k.loc[("A", "x"), "value"] == pytest.approx(delta_x)
    assert k.loc[("A", "x"), "z"] == pytest.approx(z_x)
    # ln(22/38) - ln(14/46) = -0.546544 + 1.189584 = 0.643040; sqrt(1/22 + 1/14) = 0.341882
    assert k.loc[("A", "x"), "z"] == pytest.approx(0.643040 / 0.341882, abs=1e-5)
    delta_z = math.log((5 + 15) / (20 + 40 - 5 - 15)) - math.log((10 + 15) / (20 + 40 - 10 - 15))
    assert k.loc[("A", "z"), "value"] == pytest.approx(delta_z)
    assert k.loc[("A", "z"), "z"] == pytest.approx(delta_z / math.sqrt(1 / 20 + 1 / 25))
    assert k.loc[("A", "x"), "p"] == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(abs(z_x) / math.sqrt(2)))))


def test_log_odds_prior_scale_by_hand():
    k = toy_keyness(target="A", reference="B", prior=0.1)
    a_w, a_0 = 0.1 * 12, 0.1 * 40
    delta = math.log((10 + a_w) / (20 + a_0 - 10 - a_w)) - math.log((2 + a_w) / (20 + a_0 - 2 - a_w))
    assert k.loc[("A", "x"), "z"] == pytest.approx(delta / math.sqrt(1 / (10 + a_w) + 1 / (2 + a_w)))


def test_g2_and_log_ratio_by_hand():
    k = toy_keyness(target="A", reference="B", measure="g2")
    # 2x2 table for x: a=10, b=2, c=20-10, d=20-2; expected a=b=20*12/40=6, c=d=20*28/40=14
    g2 = 2 * (10 * math.log(10 / 6) + 2 * math.log(2 / 6) + 10 * math.log(10 / 14) + 18 * math.log(18 / 14))
    assert k.loc[("A", "x"), "value"] == pytest.approx(g2)
    # 2 * (5.108256 - 2.197225 - 3.364722 + 4.523658) = 2 * 4.069967
    assert k.loc[("A", "x"), "value"] == pytest.approx(8.139934, abs=1e-5)
    assert k.loc[("A", "x"), "z"] == pytest.approx(math.sqrt(g2))
    assert k.loc[("A", "x"), "log_ratio"] == pytest.approx(math.log2((10 / 20) / (2 / 20)))
    assert k.loc[("A", "z"), "z"] < 0  # z is rarer in A
    assert k.loc[("A", "x"), "rate"] == pytest.approx(1000 * 10 / 20)


def test_zero_count_log_ratio_uses_half():
    table = pd.DataFrame({"g": ["A", "A", "B", "B"], "item": ["u", "v", "u", "v"], "n": [4, 6, 0, 10]})
    k = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A", reference="B", measure="g2")
    row = k.set_index("term_or_concept").loc["u"]
    assert row["log_ratio"] == pytest.approx(math.log2((4 / 10) / (0.5 / 10)))
    assert np.isfinite(row["value"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=2, max_size=6))
def test_g2_matches_scipy_and_log_odds_is_antisymmetric(pairs):
    from scipy.stats import chi2_contingency

    counts = [(a + 1, b + 1) for a, b in pairs]  # keep every cell and margin positive
    table = pd.DataFrame({"g": ["A"] * len(counts) + ["B"] * len(counts),
                          "item": [f"w{i}" for i in range(len(counts))] * 2,
                          "n": [a for a, _ in counts] + [b for _, b in counts]})
    g2 = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A", reference="B", measure="g2")
    n_a, n_b = sum(a for a, _ in counts), sum(b for _, b in counts)
    for i, (a, b) in enumerate(counts):
        if a == n_a or b == n_b:
            continue  # the item is the whole group: a degenerate 2x2 table
        ref, *_ = chi2_contingency([[a, n_a - a], [b, n_b - b]], correction=False, lambda_="log-likelihood")
        assert g2.set_index("term_or_concept").loc[f"w{i}", "value"] == pytest.approx(ref, abs=1e-9)
    ab = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A", reference="B").set_index("term_or_concept")
    ba = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="B", reference="A").set_index("term_or_concept")
    assert np.allclose(ab["z"], -ba.loc[ab.index, "z"])


def test_one_vs_rest_two_groups_and_all_groups():
    table = pd.DataFrame({"g": list("AAABBBCCC"), "item": list("xyz") * 3, "n": [9, 1, 2, 3, 3, 3, 1, 5, 6]})
    rest = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A")
    explicit = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A", reference=["B", "C"])
    assert rest["reference"].unique().tolist() == ["rest"]
    assert explicit["reference"].unique().tolist() == ["B+C"]
    assert np.allclose(rest["z"], explicit["z"])
    everyone = compare.keyness(table, "g", item="item", count="n", min_docs=1)
    assert set(everyone["group"]) == {"A", "B", "C"} and len(everyone) == 9
    first = everyone[everyone["group"] == "A"]
    assert first["z"].is_monotonic_decreasing  # sorted by z within a group
    assert first.iloc[0]["term_or_concept"] == "x"
    with pytest.raises(KeyError, match="not found"):
        compare.keyness(table, "g", item="item", count="n", min_docs=1, target="D")
    with pytest.raises(ValueError, match="both target and reference"):
        compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A", reference="A")


def test_term_keyness_is_computed_within_each_language():
    tokens = pd.DataFrame({
        "doc_id": ["v1"] * 4 + ["v2"] * 3 + ["z1"] * 3 + ["z2"] * 2,
        "token": ["tinh gọn", "bộ máy", "tinh gọn", "cán bộ", "cán bộ", "cán bộ", "bộ máy",
                  "精简", "机构", "精简", "干部", "干部"],
        "lang": ["vi"] * 7 + ["zh"] * 5,
    })
    docs = pd.DataFrame({"doc_id": ["v1", "v2", "z1", "z2"], "outlet": ["P", "Q", "P", "Q"]})
    k = few_keyness(tokens, "outlet", documents=docs, target="P", reference="Q")
    assert set(k["lang"]) == {"vi", "zh"}
    assert k.loc[k["lang"] == "vi", "total"].unique().tolist() == [4.0]
    assert k.loc[k["lang"] == "zh", "total_ref"].unique().tolist() == [2.0]
    top = k[k["lang"] == "zh"].iloc[0]
    assert top["term_or_concept"] == "精简" and top["z"] > 0


def test_concept_keyness_uses_sentences_across_languages(seeds, seed_hits, lexicon):
    counts = compare.concept_counts(seeds, lexicon, hits=seed_hits)
    k = few_keyness(counts, "lang", documents=seeds, target="zh")
    sizes = compare.document_sizes(seeds)
    n_zh = sizes.loc[sizes["lang"] == "zh", "n_sentences"].sum()
    assert k["total"].unique().tolist() == [float(n_zh)]
    row = k.set_index("term_or_concept").loc["apparatus_streamlining"]
    zh_docs = seeds.loc[seeds["lang"] == "zh", "doc_id"]
    expected = counts[counts["doc_id"].isin(zh_docs) & (counts["concept"] == "apparatus_streamlining")]["sentences"]
    assert row["count"] == expected.sum()
    two = compare.concept_counts(seeds.assign(outlet=seeds["outlet"].fillna("?")), lexicon, by=["outlet", "lang"],
                                 hits=seed_hits)
    assert few_keyness(two, "lang", target="zh")["total"].unique().tolist() == [float(n_zh)]
    tok = few_keyness(counts, "lang", documents=seeds, target="zh", unit="tokens")
    assert tok["total"].unique().tolist() == [float(sizes.loc[sizes["lang"] == "zh", "n_tokens"].sum())]


# ----------------------------------------------------------------------------------------
# Concept counts
# ----------------------------------------------------------------------------------------
def test_concept_counts_per_document(seeds, seed_hits, lexicon):
    c = compare.concept_counts(seeds, lexicon, hits=seed_hits)
    assert len(c) == len(seeds) * len(lexicon.concepts)
    assert np.allclose(c["rate"], 1000 * c["count"] / c["n_tokens"])
    assert ((c["sentences"] <= c["count"]) & (c["sentence_share"] <= 1)).all()
    stream = c[c["concept"] == "apparatus_streamlining"].set_index("doc_id")
    assert (stream["count"] > 0).all()
    assert (stream["sentence_share"] == stream["sentences"] / stream["n_sentences"]).all()


def test_concept_counts_by_group_sum_documents(seeds, seed_hits, lexicon):
    per_doc = compare.concept_counts(seeds, lexicon, hits=seed_hits)
    by_lang = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    expected = per_doc.groupby(["lang", "concept"])[["count", "sentences", "n_tokens"]].sum()
    got = by_lang.set_index(["lang", "concept"])[["count", "sentences", "n_tokens"]]
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_dtype=False)
    assert by_lang.groupby("lang")["n_docs"].first().to_dict() == {"ru": 1, "vi": 2, "zh": 2}


def test_empty_groups_are_filled_with_zeros(seeds, seed_hits, lexicon):
    docs = seeds.assign(outlet=pd.Categorical(seeds["outlet"], categories=["Báo Nghệ An", "Báo Lạng Sơn", "Nhân Dân"]))
    out = compare.concept_counts(docs, lexicon, by=["outlet", "lang"], hits=seed_hits)
    # 4 outlets (3 categories + missing) x 3 languages x all concepts
    assert len(out) == 4 * 3 * len(lexicon.concepts)
    empty = out[out["outlet"] == "Nhân Dân"]
    assert (empty[["count", "n_docs", "n_tokens", "rate", "sentence_share"]] == 0).all().all()
    assert set(out["outlet"]) == {"Báo Nghệ An", "Báo Lạng Sơn", "Nhân Dân", "(missing)"}
    nghe_an_ru = out[(out["outlet"] == "Báo Nghệ An") & (out["lang"] == "ru")]
    assert (nghe_an_ru["n_docs"] == 0).all()


def test_term_level_counts_add_up_to_concepts(seeds, seed_hits, lexicon):
    terms = compare.concept_counts(seeds, lexicon, level="term", hits=seed_hits)
    concepts = compare.concept_counts(seeds, lexicon, hits=seed_hits)
    assert (terms["term_lang"] == terms["lang"]).all()
    summed = terms.groupby(["doc_id", "concept"])["count"].sum().to_dict()
    whole = concepts.set_index(["doc_id", "concept"])["count"].to_dict()
    assert {k: whole[k] for k in summed} == summed
    # concepts without terms in a document's language (e.g. no Russian 'bottleneck') count zero
    assert all(whole[k] == 0 for k in set(whole) - set(summed))


def test_tokens_table_gives_n_tokens(seeds, seed_hits, lexicon):
    tokens = pd.DataFrame({"doc_id": seeds["doc_id"].repeat(7), "token": "x"})
    c = compare.concept_counts(seeds, lexicon, tokens=tokens, hits=seed_hits)
    assert c["n_tokens"].unique().tolist() == [7]


# ----------------------------------------------------------------------------------------
# Concept rates over time
# ----------------------------------------------------------------------------------------
def test_rates_over_time_fill_empty_periods(seeds, lexicon):
    docs = seeds.assign(
        published=pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-02", None, "2025-03-30"]),
        outlet=["P", "Q", "P", "P", "Q"],
    )
    monthly = compare.concept_rates_over_time(docs, lexicon, period="M", by="outlet")
    assert monthly.attrs["undated"] == 1
    assert sorted(monthly["period"].unique()) == ["2025-01", "2025-02", "2025-03"]
    assert len(monthly) == 3 * 2 * len(lexicon.concepts)
    feb = monthly[monthly["period"] == "2025-02"]
    assert (feb["n_docs"] == 0).all() and (feb["count"] == 0).all()
    assert monthly["period_start"].is_monotonic_increasing
    stream = monthly[(monthly["concept"] == "apparatus_streamlining") & (monthly["period"] == "2025-01")]
    assert stream.set_index("outlet")["docs"].to_dict() == {"P": 1, "Q": 1}
    quarterly = compare.concept_rates_over_time(docs, lexicon, period="Q", by=None)
    assert quarterly["period"].unique().tolist() == ["2025Q1"]
    assert quarterly["n_docs"].unique().tolist() == [4]
    with pytest.raises(ValueError, match="period"):
        compare.concept_rates_over_time(docs, lexicon, period="W")


# ----------------------------------------------------------------------------------------
# KWIC
# ----------------------------------------------------------------------------------------
def test_kwic_spans_and_windows(seeds, seed_hits, lexicon):
    k = compare.kwic(seeds, lexicon, window=5, window_chars=12, hits=seed_hits)
    docs = seeds.set_index("doc_id")
    assert len(k) == len(seed_hits)
    for r in k.itertuples():
        doc = docs.loc[r.doc_id]
        field = doc["title"] if r.field == "title" else doc["text"]
        assert field[r.start:r.end] == r.match
        assert r.outlet == doc["outlet"] or (pd.isna(r.outlet) and pd.isna(doc["outlet"]))
        if r.lang == "zh":
            assert len(r.left) <= 12 and len(r.right) <= 12
        else:
            assert len(r.left.split()) <= 5 and len(r.right.split()) <= 5
    ru = k[(k["lang"] == "ru") & (k["concept_or_term"] == "staff_cuts")]
    assert "сокращении штатов" in ru["match"].tolist()
    assert ru.set_index("match").loc["сокращении штатов", "left"].endswith("организационного аппарата и")


def test_kwic_of_ad_hoc_terms_and_sampling(seeds):
    k = compare.kwic(seeds, {"cadre": ["cán bộ", "干部", "кадр"]}, window=3)
    assert set(k["lang"]) == {"vi", "zh", "ru"}
    assert (k["concept_or_term"] == "cadre").all()
    sample = compare.kwic(seeds, {"cadre": ["cán bộ", "干部", "кадр"]}, max_per_item=4, random_state=1)
    again = compare.kwic(seeds, {"cadre": ["cán bộ", "干部", "кадр"]}, max_per_item=4, random_state=1)
    assert len(sample) == 4 and sample.equals(again)
    assert compare.kwic(seeds, ["không có trong văn bản"]).empty


# ----------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------
def test_figures_render_all_scripts(seeds, seed_hits, lexicon):
    import matplotlib.pyplot as plt

    from corpuslib.figures import compare as fc
    from corpuslib.text.tokens import tokenize

    by_lang = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    kc = few_keyness(by_lang, "lang", target="zh")
    kt = few_keyness(tokenize(seeds), "doc_id", target=seeds["doc_id"].iloc[0], reference=seeds["doc_id"].iloc[2])
    dated = seeds.assign(published=pd.to_datetime(["2025-01-05", "2025-02-20", "2025-04-02", "2025-01-09", "2025-04-30"]))
    rates = compare.concept_rates_over_time(dated, lexicon, by="lang", hits=seed_hits)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        figs = [fc.plot_concept_heatmap(by_lang, "lang"), fc.plot_keyness_bars(kt, top=5, only_significant=False),
                fc.plot_fightin_words(kc), fc.plot_rates_over_time(rates, concepts=["apparatus_streamlining"], by="lang")]
        for fig in figs:
            fig.canvas.draw()  # Han characters must not fall back to boxes
    heat = figs[0].axes[0]
    assert [t.get_text() for t in heat.get_xticklabels()] == ["ru", "vi", "zh"]
    assert len(heat.get_yticklabels()) == len(lexicon.concepts)
    bars = figs[1].axes[0]
    assert 0 < len(bars.patches) <= 10
    assert any("\u4e00" <= ch <= "\u9fff" for t in bars.get_yticklabels() for ch in t.get_text())
    assert len([a for a in figs[3].axes if a.get_visible()]) == 1
    for fig in figs:
        plt.close(fig)


@pytest.mark.shared
def test_rss_outlets_compared_month_by_month(shared_dir, lexicon):
    rows = [json.loads(line) for line in
            (shared_dir / "corpora/rss_political_vi/rss_political_keyword_subset.jsonl").open(encoding="utf-8")]
    outlets = {"Tuổi Trẻ": "Tuổi Trẻ", "Thanh Niên": "Thanh Niên"}
    docs = pd.DataFrame({
        "doc_id": [r["id"] for r in rows], "lang": "vi", "title": [r["title"] for r in rows],
        "text": [r.get("summary") or "" for r in rows],
        "outlet": [outlets.get(r["source"], "VnExpress") for r in rows],
        "published": pd.to_datetime([r["published"][:19] for r in rows]),
    }).drop_duplicates("doc_id")
    hits = find_concepts(docs, lexicon)
    rates = compare.concept_rates_over_time(docs, lexicon, period="M", hits=hits)
    months = pd.period_range(docs["published"].min(), docs["published"].max(), freq="M").astype(str)
    assert sorted(rates["period"].unique()) == sorted(months)
    assert len(rates) == len(months) * 3 * len(lexicon.concepts)
    k = compare.keyness(compare.concept_counts(docs, lexicon, by="outlet", hits=hits), "outlet")
    assert set(k["group"]) == {"Tuổi Trẻ", "Thanh Niên", "VnExpress"}
    lines = compare.kwic(docs, lexicon, concepts=["two_tier_local_government"], hits=hits)
    assert lines["match"].str.contains(r"(?i)chính quyền").all()


# ----------------------------------------------------------------------------------------
# Helpers of notebook 03 and the figures it draws
# ----------------------------------------------------------------------------------------
def test_select_lexicon_restricts_concepts_and_names_unknown_ones(lexicon):
    assert compare.select_lexicon("").concepts.equals(lexicon.concepts)
    two = compare.select_lexicon("", ["staff_cuts", "apparatus_streamlining"])
    assert set(two.concepts["concept"]) == {"staff_cuts", "apparatus_streamlining"}
    assert set(two.table["concept"]) == {"staff_cuts", "apparatus_streamlining"}
    with pytest.raises(KeyError, match="streamlining_typo"):
        compare.select_lexicon("", ["apparatus_streamlining", "streamlining_typo"])
    # a relative path resolves from the project root, as notebook parameters do
    assert compare.select_lexicon("corpuslib/text/data/reform_lexicon.csv").concepts.equals(lexicon.concepts)
    labels = compare.concept_labels(two)
    assert labels["staff_cuts"] == lexicon.concepts.set_index("concept").loc["staff_cuts", "label_en"]


@pytest.mark.parametrize("groups, expected", [
    ([], {"target": None, "reference": None}),
    (["Tuổi Trẻ"], {"target": ["Tuổi Trẻ"], "reference": None}),
    (["Tuổi Trẻ", "Thanh Niên"], {"target": ["Tuổi Trẻ"], "reference": ["Thanh Niên"]}),
])
def test_split_groups(groups, expected):
    assert compare.split_groups(groups) == expected


@pytest.mark.parametrize("groups", [["a", "b", "c"], ["Tuổi Trẻ", "Tuổi Trẻ"]])
def test_split_groups_refuses_more_than_two_or_the_same(groups):
    with pytest.raises(ValueError):
        compare.split_groups(groups)


@pytest.mark.parametrize("title, text, expected", [
    # RSS item (rss_political_vi): the headline is not in the summary, so it is prepended
    ("Ông Trần Đăng Quỳnh làm Phó bí thư Tỉnh ủy Ninh Bình",
     "Ông Trần Đăng Quỳnh, Trợ lý Tổng Bí thư đã được Bộ Chính trị điều động.",
     "Ông Trần Đăng Quỳnh làm Phó bí thư Tỉnh ủy Ninh Bình\nÔng Trần Đăng Quỳnh, Trợ lý Tổng Bí thư đã được "
     "Bộ Chính trị điều động."),
    # the headline is already the body's first line: not counted twice
    ("建设与政治系统组织机构相适应的干部队伍", "建设与政治系统组织机构相适应的干部队伍\n研究建设与创新相关的各级干部队伍",
     "建设与政治系统组织机构相适应的干部队伍\n研究建设与创新相关的各级干部队伍"),
    (None, "16 декабря в Ханое", "16 декабря в Ханое"),
])
def test_title_and_text_tokenizes_what_concepts_see(title, text, expected):
    docs = pd.DataFrame({"doc_id": ["d"], "lang": ["vi"], "title": [title], "text": [text]})
    out = compare.title_and_text(docs)
    assert out.loc[0, "text"] == expected
    assert docs.loc[0, "text"] == text  # input untouched


def test_stack_keyness_ranks_each_comparison(seeds, seed_hits, lexicon):
    from corpuslib.text.tokens import tokenize

    counts = compare.concept_counts(seeds, lexicon, by="outlet", hits=seed_hits)
    ck = few_keyness(counts, "outlet")
    tk = few_keyness(tokenize(seeds), "outlet", documents=seeds)
    both = compare.stack_keyness(concept=ck, term=tk)
    assert list(both.columns[:5]) == ["level", "rank", "group", "reference", "lang"]
    assert len(both) == len(ck) + len(tk)
    assert (both.loc[both["level"] == "concept", "lang"] == "").all()
    for _, comp in both.groupby(["level", "group", "reference", "lang"]):
        assert comp["rank"].tolist() == list(range(1, len(comp) + 1))
        assert comp.iloc[0]["z"] == comp["z"].max()
    empty = compare.stack_keyness(concept=ck.iloc[:0], term=tk.iloc[:0])
    assert empty.empty and "lang" in empty.columns


def test_term_keyness_by_language_has_nothing_to_compare(seeds):
    from corpuslib.text.tokens import tokenize

    # words are compared within a language; grouped by language each language is alone
    k = few_keyness(tokenize(seeds), "lang")
    assert k.empty and "lang" in k.columns


@pytest.fixture()
def no_font_warnings(caplog):
    import logging

    caplog.set_level(logging.WARNING, logger="matplotlib.font_manager")
    yield
    logged = caplog.get_records("call")  # in teardown, caplog.records holds the teardown's records only
    assert not [r for r in logged if "findfont" in r.getMessage()], "figures name fonts that are missing"


def test_keyness_figures_draw_every_comparison(seeds, seed_hits, lexicon, no_font_warnings):
    import matplotlib.pyplot as plt

    from corpuslib.figures import compare as fc

    counts = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    k = few_keyness(counts, "lang")
    bars = fc.plot_keyness_bars(k, top=4, labels=compare.concept_labels(lexicon), only_significant=False)
    panels = [ax for ax in bars.axes if ax.get_visible()]
    assert [ax.get_title().split(" ")[0] for ax in panels] == ["ru", "vi", "zh"]
    assert all(0 < len(ax.patches) <= 8 for ax in panels)
    one = fc.plot_keyness_bars(k, group="vi")
    assert len([ax for ax in one.axes if ax.get_visible()]) == 1
    with pytest.raises(KeyError, match="Nhân Dân"):
        fc.plot_keyness_bars(k, group="Nhân Dân")
    scatter = fc.plot_fightin_words(k, label_top=5)
    assert len([ax for ax in scatter.axes if ax.get_visible()]) == 3
    for fig in (bars, one, scatter):
        plt.close(fig)


def test_fightin_words_labels_do_not_overlap(seeds, no_font_warnings):
    import matplotlib.pyplot as plt
    from matplotlib.text import Annotation, Text

    from corpuslib.figures import compare as fc
    from corpuslib.text.tokens import tokenize

    # two Vietnamese seeds: many words share a frequency and a z-score, so labels collide
    k = few_keyness(tokenize(seeds), "outlet", documents=seeds, target="Báo Lạng Sơn")
    # nothing is significant between two documents: label the largest |z| as a table without tests would
    fig = fc.plot_fightin_words(k.drop(columns=["q", "significant"]), label_top=10)
    renderer = fig.canvas.get_renderer()
    notes = [c for c in fig.axes[0].get_children() if isinstance(c, Annotation)]
    assert len(notes) == 20
    boxes = []
    for a in notes:
        a.update_positions(renderer)
        boxes.append(Text.get_window_extent(a, renderer))
    overlaps = [(a.get_text(), b.get_text()) for i, (a, ba) in enumerate(zip(notes, boxes))
                for b, bb in zip(notes[i + 1:], boxes[i + 1:]) if ba.overlaps(bb)]
    assert not overlaps
    plt.close(fig)


def test_figures_explain_what_is_missing(seeds, lexicon, no_font_warnings):
    import matplotlib.pyplot as plt

    from corpuslib.figures import compare as fc

    empty_keyness = few_keyness(pd.DataFrame({"g": ["A"], "item": ["x"], "n": [1]}), "g", item="item", count="n")
    undated = compare.concept_rates_over_time(seeds.assign(published=pd.NaT), lexicon)
    figs = [fc.plot_keyness_bars(empty_keyness), fc.plot_fightin_words(empty_keyness),
            fc.plot_rates_over_time(undated)]
    for fig in figs:
        text = " ".join(t.get_text() for ax in fig.axes for t in ax.texts + [ax.title])
        assert re.search(r"No comparison|No dated documents", text), text
        plt.close(fig)
    assert "5 undated documents" in figs[2].axes[0].get_title()


def test_heatmap_shows_documents_per_group(seeds, seed_hits, lexicon):
    import matplotlib.pyplot as plt

    from corpuslib.figures import compare as fc

    counts = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    fig = fc.plot_concept_heatmap(counts, "lang")
    fig.canvas.draw()
    top = [ax for ax in fig.axes[0].child_axes]
    assert [t.get_text() for t in top[0].get_xticklabels()] == ["n=1", "n=2", "n=2"]  # ru, vi, zh
    plt.close(fig)


def test_style_kwic_caption_and_limit(seeds, seed_hits, lexicon):
    from corpuslib.figures import compare as fc

    lines = compare.kwic(seeds, lexicon, concepts=["apparatus_streamlining"], hits=seed_hits)
    assert lines["doc_id"].nunique() == 5  # the streamlining concept is in every seed
    html = fc.style_kwic(lines, max_rows=3).to_html()
    assert f"{len(lines)} concordance lines, the first 3 shown" in html
    assert html.count("<tr>") == 1 + 3
    assert "精简政治体系机构" in fc.style_kwic(lines).to_html()


# ----------------------------------------------------------------------------------------
# Intervals on shares (issue 16.1)
# ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rss_docs(shared_dir):
    from corpuslib.documents.table import read_corpus

    return read_corpus(shared_dir / "corpora/rss_political_vi/rss_political_keyword_subset.jsonl")


def _simulated_documents(rng, n_docs: int, share: float, concentration: float, groups: int):
    """English documents whose rate of a concept differs per document (beta-distributed rates)."""
    rows = []
    for g in range(groups):
        rates = rng.beta(share * concentration, (1 - share) * concentration, size=n_docs)
        sizes = rng.integers(3, 12, size=n_docs)
        for i, (p, n) in enumerate(zip(rates, sizes)):
            hit = rng.random(n) < p
            text = " ".join("The reform goes on." if h else "The weather is fine." for h in hit)
            rows.append({"doc_id": f"g{g}d{i}", "lang": "en", "text": text, "rep": f"r{g:03d}"})
    return pd.DataFrame(rows)


def test_share_intervals_cover_the_true_share_of_uneven_documents():
    # the document is the unit: with uneven documents the clustered interval covers the true share
    # in about 95 % of repetitions, a binomial interval on sentences far less often
    from scipy import stats

    rng = np.random.default_rng(16)
    lex = Lexicon.from_terms({"reform": ["reform"]}, langs=["en"])
    docs = _simulated_documents(rng, n_docs=30, share=0.15, concentration=1.5, groups=150)
    c = compare.concept_counts(docs, lex, by="rep")
    covered = ((c["sentence_share_low"] <= 0.15) & (0.15 <= c["sentence_share_high"])).mean()
    assert 0.90 <= covered <= 0.99
    p, n = c["sentence_share"], c["n_sentences"]
    half = stats.norm.ppf(0.975) * np.sqrt(p * (1 - p) / n)
    assert ((p - half <= 0.15) & (0.15 <= p + half)).mean() < covered - 0.1
    covered_docs = ((c["doc_share_low"] <= c["doc_share"]) & (c["doc_share"] <= c["doc_share_high"])).all()
    assert covered_docs


def test_grouped_shares_have_intervals_per_group(seeds, seed_hits, lexicon):
    from corpuslib.analysis.intervals import share_intervals

    c = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    for m in ("sentence_share", "doc_share"):
        assert ((c[f"{m}_low"] <= c[m] + 1e-12) & (c[m] <= c[f"{m}_high"] + 1e-12)).all()
    per_doc = compare.concept_counts(seeds, lexicon, hits=seed_hits)
    expected = share_intervals(per_doc, by=["lang", "concept"], numerator="sentences", denominator="n_sentences")
    got = c.merge(expected, on=["lang", "concept"])
    assert np.allclose(got["sentence_share_low"], got["low"], equal_nan=True)
    assert "sentence_share_low" not in per_doc  # one document has no interval
    one = pd.Categorical(["Báo Nghệ An"] * len(seeds), categories=["Báo Nghệ An", "Nhân Dân"])
    empty = compare.concept_counts(seeds.assign(outlet=one), lexicon, by="outlet", hits=seed_hits)
    assert empty.loc[empty["outlet"] == "Nhân Dân", "sentence_share_low"].isna().all()


def test_bootstrap_intervals_are_seeded(seeds, seed_hits, lexicon):
    docs = pd.concat([seeds.assign(doc_id=seeds["doc_id"] + f"#{i}") for i in range(4)], ignore_index=True)
    hits = pd.concat([seed_hits.assign(doc_id=seed_hits["doc_id"] + f"#{i}") for i in range(4)], ignore_index=True)
    kw = dict(by="lang", hits=hits, interval="bootstrap", n_boot=200)
    a = compare.concept_counts(docs, lexicon, random_state=1, **kw)
    pd.testing.assert_frame_equal(a, compare.concept_counts(docs, lexicon, random_state=1, **kw))
    assert not a["sentence_share_low"].equals(compare.concept_counts(docs, lexicon, random_state=2, **kw)
                                              ["sentence_share_low"])
    with pytest.raises(ValueError, match="interval"):
        compare.concept_counts(docs, lexicon, by="lang", hits=hits, interval="binomial")
    with pytest.raises(ValueError, match="ci"):
        compare.concept_counts(docs, lexicon, by="lang", hits=hits, ci=95)


# ----------------------------------------------------------------------------------------
# Differences with tests (16.2)
# ----------------------------------------------------------------------------------------
def test_concept_differences_of_groups_and_periods(seeds, seed_hits, lexicon):
    from corpuslib.analysis.intervals import adjust_pvalues

    d = compare.concept_differences(seeds, lexicon, by="lang", hits=seed_hits, min_docs=2)
    # ru has one document: left out with a note, never compared nor pooled into the rest
    note = d[d["group"] == "ru"]
    assert len(note) == 1 and "ru has 1 document" in note["note"].iloc[0] and note["p"].isna().all()
    tested = d[d["note"] == ""]
    assert set(tested["group"]) == {"vi", "zh"} and set(tested["reference"]) == {"rest"}
    assert (tested["reference_n_docs"] == 2).all()
    q, sig = adjust_pvalues(d["p"])
    assert np.allclose(d["q"], q, equal_nan=True) and (d["significant"] == sig).all()
    assert ((tested["low"] <= tested["difference"]) & (tested["difference"] <= tested["high"])).all()
    assert np.allclose(tested["difference"], tested["estimate"] - tested["reference_estimate"])
    dated = seeds.assign(published=pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-02", None, "2025-03-30"]))
    per = compare.concept_differences(dated, lexicon, by="period", target="2025-03", reference="2025-01",
                                      min_docs=1, measure="doc_share")
    assert set(per["group"]) == {"2025-03"} and set(per["reference"]) == {"2025-01"}
    assert per.attrs["undated"] == 1 and (per["measure"] == "doc_share").all()
    with pytest.raises(ValueError, match="both target and reference"):
        compare.concept_differences(seeds, lexicon, by="lang", target="vi", reference="vi", min_docs=1)
    with pytest.raises(KeyError, match="Nhân Dân"):
        compare.concept_differences(seeds, lexicon, by="outlet", target="Nhân Dân", min_docs=1)


@pytest.mark.shared
@pytest.mark.slow
def test_rss_differences_agree_with_their_intervals(rss_docs, lexicon):
    d = compare.concept_differences(rss_docs, lexicon, by="outlet")
    assert len(d) == 3 * len(lexicon.concepts) and (d["note"] == "").all()
    # a significant difference has an interval that leaves out zero (the test and the interval agree)
    sig = d[d["significant"]]
    assert len(sig) and ((sig["low"] > 0) | (sig["high"] < 0)).all()
    assert ((d["p"] < 0.05) == ((d["low"] > 0) | (d["high"] < 0))).mean() > 0.9


# ----------------------------------------------------------------------------------------
# Keyness: tests, minimum support, one counting implementation (16.3, 13.4)
# ----------------------------------------------------------------------------------------
def test_keyness_leaves_out_small_groups_with_a_note(seeds, lexicon, seed_hits):
    counts = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    k = compare.keyness(counts, "lang", min_docs=2)
    notes = k[k["note"] != ""]
    assert notes["group"].tolist() == ["ru"] and notes["z"].isna().all()
    assert "fewer than min_docs=2" in notes["note"].iloc[0]
    ranked = k[k["note"] == ""]
    assert set(ranked["group"]) == {"vi", "zh"}
    assert (ranked["n_docs_ref"] == 2).all()  # the rest is the other large group only
    with pytest.raises(ValueError, match="min_docs"):
        compare.keyness(TOY, "group", item="item", count="n")  # a toy table cannot tell documents
    stacked = compare.stack_keyness(concept=k)
    assert stacked.loc[stacked["note"] != "", "rank"].isna().all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=2, max_size=25))
@example(pairs=[(0, 0), (1, 1)])  # found by CI: one term, all of both groups' tokens
def test_keyness_q_is_benjamini_hochberg_of_p(pairs):
    from scipy import stats

    table = pd.DataFrame([("A", f"w{i}", a) for i, (a, _) in enumerate(pairs)] +
                         [("B", f"w{i}", b) for i, (_, b) in enumerate(pairs)], columns=["g", "item", "n"])
    k = compare.keyness(table, "g", item="item", count="n", min_docs=1, target="A", reference="B")
    if not len(k):  # nothing counted in one of the groups: nothing to test
        assert sum(a for a, _ in pairs) == 0 or sum(b for _, b in pairs) == 0
        return
    # a term that is every token of both groups has no finite log-odds: not tested, q missing too
    tested = k["p"].notna()
    assert k.loc[~tested, "q"].isna().all() and not k.loc[~tested, "significant"].any()
    if tested.any():
        assert np.allclose(k.loc[tested, "q"], stats.false_discovery_control(k.loc[tested, "p"], method="bh"))
    assert (k["significant"] == (k["q"] < 0.05)).all()
    assert (k.loc[tested, "q"] >= k.loc[tested, "p"] - 1e-12).all()


def test_keyness_of_a_document_term_matrix_equals_the_tokens_table(seeds):
    from corpuslib.analysis.dtm import count_matrix
    from corpuslib.text.tokens import tokenize

    tokens = tokenize(seeds)
    vi = tokens[tokens["lang"] == "vi"]
    from_tokens = compare.keyness(vi, "outlet", documents=seeds, min_docs=1)
    from_matrix = compare.keyness(count_matrix(vi), "outlet", documents=seeds[seeds["lang"] == "vi"], min_docs=1)
    pd.testing.assert_frame_equal(from_tokens, from_matrix)
    with pytest.raises(ValueError, match="tokens table"):
        compare.keyness(pd.DataFrame({"g": ["A", "B"], "x": [1, 2]}), "g")


# ----------------------------------------------------------------------------------------
# Findable API: concepts(), kwic by regular expression or wildcard, date bounds (18.6)
# ----------------------------------------------------------------------------------------
def test_concepts_lists_the_lexicon(lexicon):
    import corpuslib as cl

    c = cl.concepts()
    assert c["concept"].tolist() == lexicon.concepts["concept"].tolist()
    terms = lexicon.terms()
    for r in c.sample(5, random_state=0).itertuples():
        assert r.langs.split(",") == sorted(set(terms.loc[terms["concept"] == r.concept, "lang"]))
        assert r.n_terms == (terms["concept"] == r.concept).sum()
    assert list(c.columns) == ["concept", "label_en", "theme", "langs", "n_terms"]


# real RSS snippets (title + summary)
KWIC_SNIPPETS = [
    ("Bệnh viện Thông minh - Tinh gọn - Nhân văn", {"regex": r"tinh (gọn|giản)"}, ["Tinh gọn"]),
    ("tư duy Lean (quản lý tinh gọn), văn hóa an toàn", {"wildcard": "tinh g*"}, ["tinh gọn"]),
    ("của việc sắp xếp là tinh gọn đầu mối, giảm số lượng", {"wildcard": "sắp x?p"}, ["sắp xếp"]),
    ("Tinh giản biên chế gắn với cơ cấu lại đội ngũ cán bộ", {"regex": r"biên\s+chế|cán bộ"}, ["biên chế", "cán bộ"]),
    ("sắp xếp tinh gọn bộ máy, xáp nhập tỉnh", {"wildcard": "sáp*"}, []),  # whole words: xáp is not sáp
]


@pytest.mark.parametrize("text, pattern, matches", KWIC_SNIPPETS)
def test_kwic_by_regular_expression_or_wildcard(text, pattern, matches):
    docs = pd.DataFrame({"doc_id": ["d"], "lang": ["vi"], "text": [text]})
    lines = compare.kwic(docs, window=3, **pattern)
    assert lines["match"].tolist() == matches
    for r in lines.itertuples():
        assert text[r.start:r.end] == r.match


def test_kwic_refuses_a_bad_pattern():
    docs = pd.DataFrame({"doc_id": ["d"], "lang": ["vi"], "text": ["tinh gọn"]})
    with pytest.raises(ValueError, match="regular expression"):
        compare.kwic(docs, regex="tinh (gọn")
    with pytest.raises(ValueError, match="not both"):
        compare.kwic(docs, ["tinh gọn"], regex="tinh")


@pytest.mark.parametrize("date_from, date_to, kept", [
    ("", "", 5), ("2025-01", "", 4), ("2025-01-06", "2025-03", 3), ("2025", "2025-01", 2), ("2026", "", 0)])
def test_select_dates_keeps_whole_partial_periods(seeds, date_from, date_to, kept):
    docs = seeds.assign(published=pd.to_datetime(["2025-01-05 08:00", "2025-01-20 09:30", "2025-03-02 00:00", None,
                                                  "2025-03-31 23:00"]))
    out = compare.select_dates(docs, date_from, date_to)
    assert len(out) == kept
    if date_from or date_to:
        assert out.attrs["undated_left_out"] == 1
    assert len(docs) == 5  # the input is not modified


def test_select_dates_refuses_bad_bounds(seeds):
    with pytest.raises(ValueError, match="ISO"):
        compare.select_dates(seeds.assign(published=pd.NaT), "March 2025")
    with pytest.raises(ValueError, match="after"):
        compare.select_dates(seeds.assign(published=pd.NaT), "2025-03", "2025-01")


# ----------------------------------------------------------------------------------------
# Figures that do not mislead (16.5)
# ----------------------------------------------------------------------------------------
def test_heatmap_colours_every_cell_on_one_scale(seeds, seed_hits, lexicon):
    import matplotlib.pyplot as plt
    from matplotlib.image import AxesImage

    from corpuslib.figures import compare as fc

    counts = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    fig = fc.plot_concept_heatmap(counts, "lang", min_docs=2, min_mentions=2)
    ax = fig.axes[0]
    (im,) = [c for c in ax.get_children() if isinstance(c, AxesImage)]
    # the colour is the printed value: one norm whose top is the largest share of the whole table
    assert im.norm.vmax == pytest.approx(100 * counts["sentence_share"].max())
    shown = im.get_array()
    wide = counts.pivot_table(index="concept", columns="lang", values="sentence_share").reindex(
        list(dict.fromkeys(counts["concept"])))
    assert np.allclose(shown, 100 * wide.to_numpy())
    # ru (one document) is greyed; cells mentioned by one document only are hatched
    greys = [p for p in ax.patches if p.get_facecolor()[:3] != (0, 0, 0) and p.get_fill()]
    assert len(greys) == 1
    hatched = [p for p in ax.patches if p.get_hatch()]
    singles = counts[(counts["lang"] != "ru") & (counts["docs"] == 1)]
    assert len(hatched) == len(singles)
    assert "hatched" in ax.get_xlabel() and "grey" in ax.get_xlabel()
    # each cell prints its interval under its value
    assert any("–" in t.get_text() for t in ax.texts)
    plt.close(fig)


@pytest.mark.shared
@pytest.mark.slow
def test_rss_figures_show_only_what_is_significant(rss_docs, lexicon):
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    from corpuslib.figures import compare as fc

    hits = find_concepts(rss_docs, lexicon)
    k = compare.keyness(compare.concept_counts(rss_docs, lexicon, by="outlet", hits=hits), "outlet")
    fig = fc.plot_keyness_bars(k, top=15)
    drawn = sum(len(ax.patches) for ax in fig.axes)
    assert drawn == int(k["significant"].sum())
    assert all(re.search(r"\d+ of 42 tested significant", ax.get_title()) for ax in fig.axes if ax.get_visible())
    plt.close(fig)
    d = compare.concept_differences(rss_docs, lexicon, by="outlet", hits=hits)
    fig = fc.plot_differences(d, top=10)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 3
    plt.close(fig)
    rates = compare.concept_rates_over_time(rss_docs, lexicon, hits=hits)
    fig = fc.plot_rates_over_time(rates, top=3, min_docs=60)
    ribbons = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    assert len(ribbons) == 3  # one interval band per outlet
    assert "hollow dots: fewer than 60 documents" in fig._suptitle.get_text()
    plt.close(fig)


def test_differences_figure_without_enough_documents_says_so(seeds, lexicon):
    import matplotlib.pyplot as plt

    from corpuslib.figures import compare as fc

    d = compare.concept_differences(seeds, lexicon, by="outlet")
    fig = fc.plot_differences(d)
    # read as a reader does: the message is wrapped over lines
    text = " ".join(" ".join(t.get_text().split()) for ax in fig.axes for t in ax.texts)
    assert "No difference to draw" in text and "Báo Nghệ An vs rest" in text
    plt.close(fig)


def test_document_sizes_are_reused_not_recomputed(seeds, seed_hits, lexicon, monkeypatch):
    sizes = compare.document_sizes(seeds)
    fresh = compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits)
    monkeypatch.setattr(compare, "document_sizes", lambda *a, **k: pytest.fail("sizes were recomputed"))
    pd.testing.assert_frame_equal(compare.concept_counts(seeds, lexicon, by="lang", hits=seed_hits, sizes=sizes), fresh)
    with pytest.raises(KeyError, match="lacks 1 of the documents"):
        compare.concept_counts(seeds, lexicon, hits=seed_hits, sizes=sizes.iloc[1:])
