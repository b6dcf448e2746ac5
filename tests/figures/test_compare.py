"""Figures of the comparison tables: what they draw for scraped names that look like markup."""
from __future__ import annotations

import pandas as pd
import pytest

from corpuslib.figures import compare as F
from corpuslib.figures.style import pyplot, save_figure


@pytest.mark.parametrize("name", ["Báo $x^{$", "$\\frac{", "a $ b $ c", "Tuổi Trẻ"])
def test_a_message_figure_draws_a_name_that_looks_like_mathtext(tmp_path, name):
    # matplotlib's own wrap=True measures text as mathtext even with text.parse_math off
    plt = pyplot()
    fig = F._message_figure(plt, f"No difference to draw for {name}: it needs two groups with enough "
                                 "documents (see min_docs). " * 3, f"Differences ({name})")
    save_figure(fig, tmp_path / "m.png")
    assert (tmp_path / "m.png").stat().st_size > 1000
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert name in texts[0].replace("\n", " ") and max(map(len, texts[0].split("\n"))) <= 90


def test_differences_with_no_group_of_enough_documents_say_so(tmp_path):
    left = pd.DataFrame({"concept": ["c1"], "group": ["Báo $x^{$"], "reference": ["rest"], "difference": [float("nan")],
                         "low": [float("nan")], "high": [float("nan")], "p": [float("nan")], "q": [float("nan")],
                         "significant": [False], "n_docs": [3], "note": ["fewer than 20 documents"]})
    fig = F.plot_differences(left)
    save_figure(fig, tmp_path / "d.png")
    drawn = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "No difference to draw" in drawn
