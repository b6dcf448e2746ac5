"""Document-level intervals, differences and Benjamini-Hochberg q."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from corpuslib.analysis.intervals import adjust_pvalues, share_differences, share_intervals


def _docs(y, x, group="g"):
    return pd.DataFrame({"group": group, "doc_id": range(len(y)), "y": y, "x": x})


def test_cluster_interval_by_hand():
    y, x = np.array([0, 2, 5, 1]), np.array([10, 10, 20, 10])
    out = share_intervals(_docs(y, x), by=["group"], numerator="y", denominator="x").iloc[0]
    r = 8 / 50
    var = ((y - r * x) ** 2).sum() / (4 * 3) / (50 / 4) ** 2
    t = stats.t.ppf(0.975, 3)
    logit, se = np.log(r / (1 - r)), np.sqrt(var) / (r * (1 - r))
    assert out["estimate"] == pytest.approx(r)
    assert out["se"] == pytest.approx(np.sqrt(var))
    assert out["low"] == pytest.approx(1 / (1 + np.exp(-(logit - t * se))))
    assert out["high"] == pytest.approx(1 / (1 + np.exp(-(logit + t * se))))
    assert out["n_units"] == 4


def test_zero_share_still_has_an_upper_bound():
    out = share_intervals(_docs([0] * 20, [15] * 20), by=["group"], numerator="y", denominator="x").iloc[0]
    assert out["estimate"] == 0 and out["low"] == 0
    assert out["high"] == pytest.approx(stats.beta.ppf(0.975, 0.5, 20.5))  # Jeffreys, 20 documents as trials


def test_groups_without_documents_are_kept_as_nan():
    t = pd.concat([_docs([1, 2], [5, 5], "a"), _docs([0], [0], "b")])
    out = share_intervals(t, by=["group"], numerator="y", denominator="x")
    assert list(out["group"]) == ["a", "b"]
    assert out.loc[1, "n_units"] == 0 and np.isnan(out.loc[1, "estimate"])


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="ci"):
        share_intervals(_docs([1], [2]), by=["group"], numerator="y", denominator="x", ci=95)
    with pytest.raises(ValueError, match="<="):
        share_intervals(_docs([3], [2]), by=["group"], numerator="y", denominator="x")
    with pytest.raises(KeyError, match="has"):
        share_intervals(_docs([1], [2]), by=["outlet"], numerator="y", denominator="x")


def _simulate(rng, n_docs, mean, concentration):
    x = rng.poisson(15, n_docs) + 1
    y = rng.binomial(x, rng.beta(mean * concentration, (1 - mean) * concentration, n_docs))
    return y, x


def test_coverage_under_uneven_documents():
    """Documents whose rates differ: the cluster interval covers, a binomial one on sentences does not."""
    rng = np.random.default_rng(20261203)
    reps, mean = 300, 0.05
    frames = []
    for r in range(reps):
        y, x = _simulate(rng, 30, mean, 5.0)
        frames.append(_docs(y, x, r))
    table = pd.concat(frames, ignore_index=True)
    out = share_intervals(table, by=["group"], numerator="y", denominator="x")
    covered = ((out["low"] <= mean) & (mean <= out["high"])).mean()
    sums = table.groupby("group")[["y", "x"]].sum()
    binom = [stats.binomtest(int(k), int(n)).proportion_ci(method="wilson") for k, n in sums.to_numpy()]
    binom_covered = np.mean([lo <= mean <= hi for lo, hi in binom])
    assert 0.90 <= covered <= 0.99
    assert binom_covered < 0.80


def test_bootstrap_is_seeded_and_covers_with_enough_documents():
    rng = np.random.default_rng(7)
    frames = [_docs(*_simulate(rng, 60, 0.1, 5.0), r) for r in range(120)]
    table = pd.concat(frames, ignore_index=True)
    kw = dict(by=["group"], numerator="y", denominator="x", method="bootstrap", n_boot=400)
    a = share_intervals(table, random_state=1, **kw)
    assert a.equals(share_intervals(table, random_state=1, **kw))
    assert not a["low"].equals(share_intervals(table, random_state=2, **kw)["low"])
    assert 0.88 <= ((a["low"] <= 0.1) & (0.1 <= a["high"])).mean() <= 1.0


def test_differences_and_their_tests():
    rng = np.random.default_rng(3)
    same_a = share_intervals(_docs(*_simulate(rng, 40, 0.1, 5)), by=["group"], numerator="y", denominator="x")
    same_b = share_intervals(_docs(*_simulate(rng, 40, 0.1, 5)), by=["group"], numerator="y", denominator="x")
    far = share_intervals(_docs(*_simulate(rng, 40, 0.4, 5)), by=["group"], numerator="y", denominator="x")
    d_far = share_differences(far, same_a, on=["group"]).iloc[0]
    assert d_far["difference"] == pytest.approx(far["estimate"][0] - same_a["estimate"][0])
    assert d_far["low"] > 0 and d_far["p"] < 1e-4
    d_same = share_differences(same_a, same_b, on=["group"]).iloc[0]
    assert d_same["low"] < d_same["difference"] < d_same["high"]
    back = share_differences(same_b, same_a, on=["group"]).iloc[0]
    assert back["difference"] == pytest.approx(-d_same["difference"])
    assert back["p"] == pytest.approx(d_same["p"])
    assert back["low"] == pytest.approx(-d_same["high"])


def test_differences_cover_zero_when_groups_are_alike():
    rng = np.random.default_rng(11)
    kw = dict(by=["group"], numerator="y", denominator="x")
    a = share_intervals(pd.concat([_docs(*_simulate(rng, 25, 0.08, 4), r) for r in range(300)]), **kw)
    b = share_intervals(pd.concat([_docs(*_simulate(rng, 35, 0.08, 4), r) for r in range(300)]), **kw)
    d = share_differences(a, b, on=["group"])
    assert len(d) == 300
    assert 0.90 <= ((d["low"] <= 0) & (0 <= d["high"])).mean() <= 0.995
    assert 0.01 <= (d["p"] < 0.05).mean() <= 0.10  # the test's size is near its level


def test_benjamini_hochberg_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.20, np.nan])
    q, sig = adjust_pvalues(p)
    # sorted p 0.01, 0.03, 0.04, 0.20 -> p*m/rank = 0.04, 0.06, 0.0533, 0.20; then running minimum from the top
    assert q[:4] == pytest.approx([0.04, 0.0533333, 0.0533333, 0.20])
    assert np.isnan(q[4]) and list(sig) == [True, False, False, False, False]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=40),
       st.floats(0.5, 0.99))
def test_bounds_hold_the_estimate(pairs, ci):
    y = np.array([min(a, b) for a, b in pairs])
    x = np.array([max(a, b) for a, b in pairs])
    out = share_intervals(_docs(y, x), by=["group"], numerator="y", denominator="x", ci=ci)
    row = out.iloc[0]
    if row["n_units"] == 0:
        assert np.isnan(row["estimate"])
    else:
        assert 0 <= row["low"] <= row["estimate"] <= row["high"] <= 1


def test_a_group_that_never_mentions_is_not_taken_as_exact():
    # 300 documents with no mention against 2,000 with a rare one: the interval of the
    # difference covers 0, so its test must not call it significant
    zero = pd.DataFrame({"group": "a", "y": 0, "x": np.full(300, 5)})
    rng = np.random.default_rng(5)
    rare = pd.DataFrame({"group": "a", "y": (rng.random(2000) < 0.01).astype(int), "x": 5})
    kw = dict(by=["group"], numerator="y", denominator="x")
    d = share_differences(share_intervals(zero, **kw), share_intervals(rare, **kw), on=["group"]).iloc[0]
    assert d["low"] < 0 < d["high"]
    assert d["p"] > 0.05
