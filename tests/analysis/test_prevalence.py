"""Tests of corpuslib.analysis.prevalence: topic prevalence by group and over time, with intervals."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from corpuslib.analysis import prevalence as P

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
