"""The one figure style: fonts for every script, plain text labels, atomic saving."""
from __future__ import annotations

import matplotlib
from corpuslib.figures import style


def test_pyplot_sets_fonts_and_keeps_interactive_state():
    before = matplotlib.rcParams["interactive"]
    matplotlib.rcParams["font.family"] = ["serif"]  # a user's rcdefaults() between two figures
    try:
        matplotlib.rcParams["interactive"] = True  # what pyplot does when it starts in Jupyter
        plt = style.pyplot()
        families = list(matplotlib.rcParams["font.family"])
        assert families[0] == "DejaVu Sans" and len(families) == 2  # the CJK font as fallback
        assert matplotlib.rcParams["interactive"] is True
        assert plt is matplotlib.pyplot
    finally:
        matplotlib.rcParams["interactive"] = before


def test_save_figure_is_atomic(tmp_path):
    plt = style.pyplot()
    fig, ax = plt.subplots()
    ax.set_title("Tuổi Trẻ 精简 Куангнинь")
    style.save_figure(fig, tmp_path / "f.png")
    plt.close(fig)
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("*.tmp.png"))


HOSTILE_LABELS = ["Báo $x^{$", "$\\frac{", "Giá $5 và $6", "Tuổi Trẻ", "中文 $\\alpha$", "a_b^c"]


def _hostile_figure(plt):
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3))
    left.barh(HOSTILE_LABELS, range(1, len(HOSTILE_LABELS) + 1))  # categorical tick labels from scraped text
    left.set_title(HOSTILE_LABELS[0])
    left.set_xlabel(HOSTILE_LABELS[1])
    right.scatter([0.5, 3, 40, 900], [1, 2, 3, 4], label=HOSTILE_LABELS[2])
    right.set_xscale("log")
    right.legend(title=HOSTILE_LABELS[4])
    right.annotate(HOSTILE_LABELS[5], (3, 2))
    fig.suptitle(HOSTILE_LABELS[0])
    return fig


def test_scraped_text_is_drawn_as_plain_text_and_log_ticks_stay_readable(tmp_path):
    plt = style.pyplot()
    fig = _hostile_figure(plt)
    style.save_figure(fig, tmp_path / "h.png")  # drawing it would raise in matplotlib's math parser
    left, right = fig.axes
    assert [t.get_text() for t in left.get_yticklabels()] == HOSTILE_LABELS
    assert all(not t.get_parse_math() for t in fig.findobj(matplotlib.text.Text))
    ticks = [t.get_text() for t in right.get_xticklabels() if t.get_text()]
    assert "10⁰" in ticks and "10²" in ticks and not any("$" in t for t in ticks), ticks
    plt.close(fig)


def test_the_same_figure_with_math_parsing_fails(tmp_path):
    """The control: what the plain-text setup prevents."""
    plt = style.pyplot()
    with matplotlib.rc_context({"text.parse_math": True}):
        fig = _hostile_figure(plt)
        try:
            import pytest

            with pytest.raises(ValueError):
                fig.savefig(tmp_path / "m.png")
        finally:
            plt.close(fig)


def test_plain_math_writes_log_labels_as_text():
    assert style.plain_math("$\\mathdefault{10^{-3}}$") == "10⁻³"
    assert style.plain_math("$\\mathdefault{2\\times10^{4}}$") == "2×10⁴"
    assert style.plain_math("$\\mathdefault{1}$") == "1"
    assert style.plain_math("Báo $x^{$") == "Báo $x^{$"  # not a whole mathtext label: left as it is
