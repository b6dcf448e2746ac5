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
