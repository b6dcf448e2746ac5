"""Tests of corpuslib.analysis.prevalence: topic prevalence by group and over time, with intervals."""
from __future__ import annotations

import math

import numpy as np

import pandas as pd
import pytest

from corpuslib.analysis import prevalence as P

# the small doc-topics table and documents of test_topics (one fixture for both modules)
from tests.analysis.test_topics import DOC_TOPICS, DOCS  # noqa: E402


def test_prevalence_by_outlet_uses_documents_of_the_topics_language():
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "outlet").set_index(["outlet", "topic"])
    assert prev.loc[("Nhân Dân", "vi-01"), "weight"] == pytest.approx(0.6)
    assert prev.loc[("Nhân Dân", "vi-01"), "documents"] == 2
    assert prev.loc[("Nhân Dân", "vi-02"), "dominant"] == 1
    assert prev.loc[("Báo Nghệ An", "zh-01"), "weight"] == pytest.approx(1.0)
    assert prev.loc[("Báo Nghệ An", "vi-01"), "documents"] == 1
    assert math.isnan(prev.loc[("Nhân Dân", "zh-01"), "weight"])   # no zh document there
    assert prev.loc[("(none)", "zh-01"), "weight"] == 0.0


def test_prevalence_over_time_fills_empty_periods():
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "published", period="M")
    periods = list(dict.fromkeys(prev["published"]))
    assert periods == ["2024-01", "2024-02", "2024-03", "(undated)"]
    feb = prev[prev["published"] == "2024-02"]
    assert feb["documents"].eq(0).all() and feb["weight"].isna().all()
    jan = prev[(prev["published"] == "2024-01") & (prev["topic"] == "vi-02")]
    assert jan["weight"].item() == pytest.approx(0.4) and jan["documents"].item() == 2
    assert prev["period_start"].dropna().min() == pd.Timestamp("2024-01-01")
    both = P.topic_prevalence(DOC_TOPICS, DOCS, ["outlet", "published"], period="M")
    assert len(both) == 3 * 4 * 3   # outlets x periods x topics, empty cells included


def test_prevalence_share_and_group_documents():
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "outlet").set_index(["outlet", "topic"])
    assert prev.loc[("Nhân Dân", "vi-02"), "share"] == pytest.approx(0.5)        # b of a, b
    assert prev.loc[("Báo Nghệ An", "vi-01"), "share"] == pytest.approx(1.0)     # c, the only vi document
    assert math.isnan(prev.loc[("Nhân Dân", "zh-01"), "share"])                  # no zh document there
    # documents counts the topic's language; group_documents every language
    assert prev.loc[("Báo Nghệ An", "vi-01"), "documents"] == 1
    assert prev.loc[("Báo Nghệ An", "vi-01"), "group_documents"] == 2
    assert prev.xs("vi-01", level="topic")["group_documents"].to_dict() == {"(none)": 1, "Báo Nghệ An": 2,
                                                                           "Nhân Dân": 2}


# ---------------------------------------------------------------------------------------------
# Intervals of the prevalence tables
# ---------------------------------------------------------------------------------------------

def test_prevalence_intervals_bracket_the_measures():
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "outlet")
    seen = prev[prev["documents"] > 0]
    for m in ("weight", "share"):
        assert (seen[f"{m}_low"] <= seen[m] + 1e-12).all() and (seen[m] <= seen[f"{m}_high"] + 1e-12).all()
        assert prev.loc[prev["documents"] == 0, [f"{m}_low", f"{m}_high"]].isna().all().all()
    # a share of 0 over one document still has an upper bound above 0
    zero = prev.set_index(["outlet", "topic"]).loc[("Báo Nghệ An", "vi-02")]
    assert zero["share"] == 0 and zero["share_high"] > 0.5


def test_prevalence_intervals_are_seeded_and_checked():
    a = P.topic_prevalence(DOC_TOPICS, DOCS, "published", method="bootstrap", random_state=3)
    b = P.topic_prevalence(DOC_TOPICS, DOCS, "published", method="bootstrap", random_state=3)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="ci"):
        P.topic_prevalence(DOC_TOPICS, DOCS, "outlet", ci=95)
    with pytest.raises(ValueError, match="method"):
        P.topic_prevalence(DOC_TOPICS, DOCS, "outlet", method="binomial")


@pytest.mark.parametrize("value", ["share", "weight"])
def test_prevalence_intervals_cover_the_true_share_in_simulation(value):
    # 300 repetitions as 300 groups of 40 documents: dominant with probability 0.2 (share) or
    # a Dirichlet weight of mean 0.25 (weight); the 95 % interval should cover the truth 90-99 %
    rng = np.random.default_rng(7)
    reps, n, k = 300, 40, 4
    w = rng.dirichlet(np.array([1.0, 1.0, 1.0, 1.0]) * 0.8, size=reps * n)
    if value == "share":
        # topic t0 dominant with probability 0.2, by construction of its weight
        hit = rng.random(reps * n) < 0.2
        w = np.where(hit[:, None], [0.7, 0.1, 0.1, 0.1], [0.1, 0.3, 0.3, 0.3])
        truth = 0.2
    else:
        truth = 0.25
    ids = [f"d{i:05d}" for i in range(reps * n)]
    dt = pd.DataFrame({"doc_id": np.repeat(ids, k), "topic": np.tile([f"t{j}" for j in range(k)], reps * n),
                       "weight": w.ravel()})
    docs = pd.DataFrame({"doc_id": ids, "outlet": np.repeat([f"r{r:03d}" for r in range(reps)], n)})
    prev = P.topic_prevalence(dt, docs, "outlet")
    t0 = prev[prev["topic"] == "t0"]
    coverage = ((t0[f"{value}_low"] <= truth) & (truth <= t0[f"{value}_high"])).mean()
    assert 0.90 <= coverage <= 0.99, coverage


# ---------------------------------------------------------------------------------------------
# topic_effects
# ---------------------------------------------------------------------------------------------

class _Fit:
    """What topic_effects reads of a fitted TopicModel: doc_topics() and the topic-term vectors."""

    def __init__(self, weights, doc_ids, components, random_state=0):
        self.document_topics_ = np.asarray(weights, dtype=float)
        self.doc_ids_ = list(doc_ids)
        self.topic_ids_ = [f"t{j:02d}" for j in range(self.document_topics_.shape[1])]
        self.components_ = np.asarray(components, dtype=float)
        self.terms_ = np.asarray([f"w{j}" for j in range(self.components_.shape[1])], dtype=object)
        self.topic_langs_ = [None] * len(self.topic_ids_)
        self.random_state = random_state

    def doc_topics(self):
        n, k = self.document_topics_.shape
        return pd.DataFrame({"doc_id": np.repeat(self.doc_ids_, k), "topic": np.tile(self.topic_ids_, n),
                             "weight": self.document_topics_.ravel()})


def _simulated(n=600, seed=1):
    """Documents of three outlets over a year; topic t00's share: 0.3, +0.12 in B, -0.06 in C, + a seasonal wave."""
    rng = np.random.default_rng(seed)
    outlet = rng.choice(["A", "B", "C"], n, p=[0.4, 0.35, 0.25])
    days = rng.uniform(0, 365, n)
    wave = 0.08 * np.sin(days / 365 * 2 * np.pi)
    mean = 0.3 + 0.12 * (outlet == "B") - 0.06 * (outlet == "C") + wave
    a = rng.beta(mean * 20, (1 - mean) * 20)              # the document's true share, mean `mean`
    rest = rng.dirichlet([1.0, 1.0], n) * (1 - a)[:, None]
    ids = [f"d{i:04d}" for i in range(n)]
    docs = pd.DataFrame({"doc_id": ids, "outlet": outlet,
                         "published": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")})
    comps = np.array([[5, 1, 0, 0, 1], [0, 1, 5, 1, 0], [1, 0, 0, 5, 1]])
    return docs, np.column_stack([a, rest]), ids, comps


def test_topic_effects_recovers_a_known_outlet_effect():
    # 20 simulated corpora: the intervals of the true differences (+0.12 for B, -0.06 for C against
    # A) should cover them in most (95 % nominal; 20 repetitions leave room), and never miss by far
    hits, estimates = [], []
    for seed in range(20):
        docs, W, ids, comps = _simulated(seed=seed)
        eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=100, reference="A",
                              random_state=seed)
        diff = eff[(eff["topic"] == "t00") & (eff["covariate"] == "outlet_difference")].set_index("level")
        assert set(diff["reference"]) == {"A"}
        for lv, truth in {"B": 0.12, "C": -0.06}.items():
            hits.append(diff.loc[lv, "low"] <= truth <= diff.loc[lv, "high"])
            estimates.append(diff.loc[lv, "estimate"] - truth)
            assert diff.loc[lv, "low"] > 0 or diff.loc[lv, "high"] < 0       # told apart from 0
    assert np.mean(hits) >= 0.8, np.mean(hits)
    assert abs(np.mean(estimates)) < 0.01
    docs, W, ids, comps = _simulated()
    eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=100)
    t0 = eff[eff["topic"] == "t00"].set_index(["covariate", "level"])
    assert set(t0.loc["outlet_difference", "reference"]) == {"A"}     # default: the largest outlet
    # the seasonal wave: highest in spring, lowest in autumn, within the ribbon at most months
    curve = t0.loc["published"]
    assert curve["estimate"].idxmax() in {"2024-03", "2024-04", "2024-05"}
    assert curve["estimate"].idxmin() in {"2024-09", "2024-10", "2024-11"}
    assert (curve["low"] <= curve["estimate"]).all() and (curve["estimate"] <= curve["high"]).all()
    assert curve["documents"].sum() == len(docs)


def test_topic_effects_unstable_topic_gets_wider_intervals():
    docs, W, ids, comps = _simulated()
    rng = np.random.default_rng(5)
    refits = []
    for r in range(4):
        # t00 comes back the same; t01 and t02 trade a random part of their mass from fit to fit
        mix = rng.uniform(0, 0.8)
        W2 = W.copy()
        W2[:, 1], W2[:, 2] = (1 - mix) * W[:, 1] + mix * W[:, 2], mix * W[:, 1] + (1 - mix) * W[:, 2]
        c2 = comps.astype(float).copy()
        c2[1], c2[2] = (1 - mix) * comps[1] + mix * comps[2], mix * comps[1] + (1 - mix) * comps[2]
        order = rng.permutation(3)              # refits list their topics in any order
        refits.append(_Fit(W2[:, order], ids, c2[order], random_state=r + 1))
    eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=refits, n_resamples=100)
    width = (eff["high"] - eff["low"]).groupby([eff["topic"], eff["covariate"]]).mean()
    stab = eff.groupby("topic")["stability"].first()
    assert stab["t00"] == pytest.approx(1.0) and stab["t01"] < stab["t00"]
    for cov in ("outlet", "published"):
        assert width[("t01", cov)] > 1.5 * width[("t00", cov)], width


def test_topic_effects_leaves_small_outlets_out_and_is_seeded():
    docs, W, ids, comps = _simulated(n=300)
    docs = docs.assign(outlet=np.where(np.arange(len(docs)) < 5, "Tiny", docs["outlet"]))
    a = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60, random_state=2)
    b = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60, random_state=2)
    pd.testing.assert_frame_equal(a, b)
    tiny = a[(a["level"] == "Tiny")]
    assert len(tiny) == 3 and tiny["estimate"].isna().all() and tiny["note"].str.contains("fewer than 20").all()
    assert list(a.columns) == list(P.EFFECT_COLUMNS)
    with pytest.raises(ValueError, match="needs its tokens"):
        P.topic_effects(_Fit(W, ids, comps), docs, n_refits=2)
    with pytest.raises(ValueError, match="reference"):
        P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60, reference="Tiny")


def test_align_topics_finds_permuted_topics():
    docs, W, ids, comps = _simulated(n=50)
    order = [2, 0, 1]
    al = P.align_topics(_Fit(W, ids, comps), _Fit(W[:, order], ids, comps[order]))
    assert dict(zip(al["topic"], al["matched"])) == {"t00": "t01", "t01": "t02", "t02": "t00"}
    assert al["similarity"].to_numpy() == pytest.approx(1.0)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["nmf", "kmeans"])
def test_topic_effects_with_a_refitted_topic_model(method):
    # documents of two vocabularies (sport, budget); outlet B writes of budget 70 % of the time, A 30 %
    # (kmeans, the notebook's default: its soft weights would shrink the effect; documents count whole)
    from corpuslib.analysis.topics import TopicModel

    rng = np.random.default_rng(0)
    sport = "bóng đá cầu thủ trận đấu bàn thắng huấn luyện viên giải đấu sân cỏ".split()
    budget = "ngân sách thuế chi tiêu nợ công thu nhập kế hoạch tài chính".split()
    rows, n = [], 160
    outlet = np.where(np.arange(n) < n // 2, "A", "B")
    is_budget = rng.random(n) < np.where(outlet == "B", 0.7, 0.3)
    for i in range(n):
        words = rng.choice(budget if is_budget[i] else sport, 30)
        rows += [(f"d{i:03d}", p, w, "vi") for p, w in enumerate(words)]
    tokens = pd.DataFrame(rows, columns=["doc_id", "position", "token", "lang"])
    docs = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n)], "outlet": outlet, "lang": "vi"})
    model = TopicModel(n_topics=2, method=method, random_state=0).fit(tokens, docs)
    eff = P.topic_effects(model, docs, tokens, time=None, n_refits=2, n_resamples=200)
    terms = model.topic_terms(3)
    budget_topic = terms[terms["term"].isin(budget)]["topic"].mode().iloc[0]
    row = eff[(eff["topic"] == budget_topic) & (eff["covariate"] == "outlet_difference")].iloc[0]
    assert row["level"] == "B" and row["reference"] == "A"   # a tie in size: the first name
    assert row["low"] <= 0.4 <= row["high"] and row["low"] > 0


def test_topic_effects_without_a_big_outlet_still_draws_time():
    docs, W, ids, comps = _simulated(n=200)
    docs = docs.assign(outlet=[f"o{i % 15:02d}" for i in range(len(docs))])     # 13-14 documents each
    eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60)
    assert eff.loc[eff["covariate"] == "outlet", "estimate"].isna().all()
    curve = eff[eff["covariate"] == "published"]
    assert len(curve) == 3 * 12 and curve["estimate"].notna().all()
    assert (curve["low"] <= curve["estimate"]).all() and (curve["estimate"] <= curve["high"]).all()


def test_topic_effects_on_too_few_documents_estimate_nothing():
    docs, W, ids, comps = _simulated(n=12)
    eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60)
    assert eff["estimate"].isna().all() and eff["note"].str.contains("fewer than 20").all()
    assert set(eff["covariate"]) == {"outlet", "published"}


def test_topic_effects_leave_time_out_when_most_documents_are_undated():
    full, W, ids, comps = _simulated(n=300)
    docs = full.assign(published=full["published"].where(np.arange(len(full)) < 100))     # 100 of 300 dated
    eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60)
    assert set(eff["covariate"]) == {"outlet", "outlet_difference"}
    assert eff["note"].eq("time left out: 100 of 300 documents dated").all()
    assert eff[eff["covariate"] == "outlet"]["documents"].sum() == 3 * 300
    some = full.assign(published=full["published"].where(np.arange(len(full)) < 200))     # 200 of 300
    eff = P.topic_effects(_Fit(W, ids, comps), some, refits=[], n_resamples=60)
    assert "published" in set(eff["covariate"]) and eff["note"].str.contains("100 undated documents left out").all()


def test_refits_do_not_repeat_the_models_warnings(seeds_dir):
    import warnings

    from corpuslib.analysis.topics import TopicModel, TopicModelWarning
    from corpuslib.documents.table import read_corpus
    from corpuslib.text.tokens import tokenize

    docs = read_corpus(seeds_dir)
    tokens = tokenize(docs)
    with pytest.warns(TopicModelWarning):
        model = TopicModel(n_topics=5, random_state=0).fit(tokens, docs)   # capped: 5 documents
    with warnings.catch_warnings():
        warnings.simplefilter("error", TopicModelWarning)
        eff = P.topic_effects(model, docs, tokens, n_refits=2, n_resamples=50)
    assert eff["note"].str.contains("fewer than 20").all()
