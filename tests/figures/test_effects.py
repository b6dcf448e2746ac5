"""Tests of corpuslib.figures.effects (and the support marks of the prevalence figures)."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from corpuslib.analysis import prevalence as P  # noqa: E402
from corpuslib.figures import effects as E  # noqa: E402
from corpuslib.figures import topics as F  # noqa: E402

from ..analysis.test_prevalence import DOC_TOPICS, DOCS, _Fit, _simulated  # noqa: E402


def _render(fig):
    fig.savefig(io.BytesIO(), format="png")


@pytest.fixture(scope="module")
def effects():
    docs, W, ids, comps = _simulated(n=400)
    # March is thin: keep 2 of its documents
    march = docs["published"].dt.month == 3
    keep = ~march | (march.cumsum() <= 2)
    docs, W = docs[keep.to_numpy()], W[keep.to_numpy()]
    ids = list(docs["doc_id"])
    docs = docs.assign(outlet=np.where(np.arange(len(docs)) < 4, "Tiny", docs["outlet"]))
    return P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60)


def test_effects_figure_has_point_ranges_ribbons_and_flags(effects):
    fig = E.plot_topic_effects(effects, labels={"t00": "tinh giản biên chế"})
    left = fig.subfigs[0].axes[0]
    # one marker set per outlet kept (Tiny is left out and said so)
    names = [t.get_text() for t in left.get_legend().get_texts()]
    assert names == ["A (reference)", "B", "C"]
    assert "Tiny" in fig.subfigs[0]._suptitle.get_text()
    # hollow markers exactly where the difference from A includes 0
    diffs = effects[effects["covariate"] == "outlet_difference"]
    hollow_expected = int(((diffs["low"] <= 0) & (diffs["high"] >= 0)).sum())
    hollow = sum(int((np.asarray(c.get_facecolors())[:, :3] == 1).all(axis=1).sum()) for c in left.collections
                 if hasattr(c, "get_offsets") and len(c.get_offsets()) and c.get_label() in ("B", "C"))
    assert hollow == hollow_expected
    panels = [a for a in fig.subfigs[1].axes if a.get_visible() and a.axison]
    assert len(panels) == 3 and all(a.collections for a in panels)       # a ribbon in each
    # the thin March is shaded in every panel
    assert all(len([p for p in a.patches]) == 1 for a in panels)
    _render(fig)


def test_effects_figure_without_time_and_empty():
    docs, W, ids, comps = _simulated(n=200)
    eff = P.topic_effects(_Fit(W, ids, comps), docs, refits=[], n_resamples=60, time=None)
    fig = E.plot_topic_effects(eff)
    assert len(fig.subfigs) == 1
    _render(fig)
    _render(E.plot_topic_effects(eff.iloc[:0]))


def test_prevalence_heatmap_hatches_low_support_and_prints_intervals():
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "outlet")
    fig = F.plot_prevalence(prev, "outlet", value="share", min_support=2)
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    thin = prev[(prev["documents"] > 0) & (prev["documents"] < 2)]
    assert len(hatched) == len(thin)
    assert "hatched: fewer than 2 documents" in ax.get_title()
    cells = [t.get_text() for t in ax.texts]
    assert all("–" in c for c in cells)                      # every printed value has its interval
    assert not [p for p in F.plot_prevalence(prev, "outlet", min_support=1).axes[0].patches if p.get_hatch()]
    _render(fig)


def test_prevalence_trends_draw_ribbons_and_shade_thin_periods():
    prev = P.topic_prevalence(DOC_TOPICS, DOCS, "published", period="M")
    fig = F.plot_prevalence_trends(prev, value="share", min_support=2)
    panels = [a for a in fig.axes if a.axison]
    assert len(panels) == 3                                     # vi-01, vi-02, zh-01
    assert all(a.collections for a in panels)                   # a ribbon each
    # January has 2 documents, March 2: neither is thin at 2; at 3 both are shaded
    assert not any(a.patches for a in panels)
    fig3 = F.plot_prevalence_trends(prev, value="share", min_support=3)
    assert all(len(a.patches) == 2 for a in fig3.axes if a.axison)
    assert "fewer than 3 documents" in fig3._suptitle.get_text()
    _render(fig3)
    with pytest.raises(ValueError, match="no interval"):
        F.plot_prevalence_trends(prev.drop(columns=["share_low", "share_high"]))
