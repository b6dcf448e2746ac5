"""Tests of corpuslib.figures.documents (notebook 01's overview)."""
from __future__ import annotations

import pandas as pd
import pytest

from corpuslib.figures import documents as fd


def _docs(dates, outlets):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(dates))], "lang": "vi",
                         "published": pd.to_datetime(dates), "outlet": outlets})


@pytest.mark.parametrize("dates, unit", [
    (["2025-08-01", "2026-08-20"], "month"),
    (["2025-08-01", "2025-09-10"], "week"),
    (["2025-08-01", "2025-08-05"], "day"),
    (["2018-01-01", "2024-05-01"], "year"),
])
def test_dates_histogram_counts_every_dated_document(dates, unit):
    import matplotlib.pyplot as plt

    docs = _docs(dates + [None], ["Tuổi Trẻ", "Thanh Niên", None])
    fig, ax = plt.subplots()
    n_dated, n_undated, got = fd.plot_dates_histogram(docs, ax=ax)
    assert (n_dated, n_undated, got) == (2, 1, unit)
    assert sum(p.get_height() for p in ax.patches) == 2
    plt.close(fig)


def test_overview_is_a_histogram_by_outlet_not_a_strip_of_dots():
    import matplotlib.pyplot as plt

    # 2,824 dates like the RSS year: one bar per month and outlet, small outlets pooled
    rng = pd.date_range("2025-08-01", "2026-08-31", freq="3h")[:2824]
    outlets = [f"outlet {i % 11}" for i in range(len(rng))]
    fig = fd.plot_overview(_docs(rng, outlets))
    ax = fig.axes[2]
    assert not ax.collections  # no scatter
    assert "Documents per month" in ax.get_title() and "2,824 dated" in ax.get_title()
    assert sum(p.get_height() for p in ax.patches) == 2824
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == fd.MAX_OUTLETS + 1 and labels[-1] == "other outlets"
    plt.close(fig)
