r"""The one figure style: pyplot set up for every script, fonts for Chinese, saving figures.

matplotlib's default DejaVu Sans has Latin (with Vietnamese) and Cyrillic but no Han characters;
registering the Noto Sans CJK SC that the ``mplfonts`` wheel ships as a fallback family renders all
three scripts with no download. Scraped text (outlets, titles, terms) is drawn as plain text: math
parsing is off for every text (``text.parse_math``), so a ``$`` in a label is a dollar sign, never
mathtext (an outlet ``Báo $x^{$`` would stop matplotlib's math parser). The one place matplotlib
itself writes mathtext, the tick labels of log axes (``$\mathdefault{10^{2}}$``), gets a formatter
that writes the same labels as plain text (``10²``): :func:`plain_math` and :class:`PlainLogScale`.
"""
from __future__ import annotations

import functools
import os
import re
from importlib import resources
from pathlib import Path

CJK_FILE = "NotoSansCJKsc-Regular.otf"


def cjk_font_path() -> Path | None:
    """Return the path of the shipped CJK font, or ``None`` when ``mplfonts`` is not installed."""
    try:
        path = Path(str(resources.files("mplfonts") / "fonts" / CJK_FILE))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


@functools.cache
def use_cjk_font() -> str | None:
    """Register the CJK font with matplotlib and put it after DejaVu Sans in the sans-serif family.

    Idempotent. Returns the CJK family name, or ``None`` (with a warning) when no CJK font is found.
    """
    import warnings

    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    if path is None:
        warnings.warn("no CJK font found (install mplfonts): Chinese text in figures will show as boxes", stacklevel=2)
        return None
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    # Explicit families (not the generic "sans-serif") so matplotlib falls back glyph by glyph.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", name]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name


_SUPERSCRIPTS = str.maketrans("0123456789-+.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺·")


def plain_math(label: str) -> str:
    """Return a tick label matplotlib writes as mathtext as plain text: ``$\\mathdefault{2\\times10^{-3}}$`` -> ``2×10⁻³``."""
    if not (len(label) > 1 and label.startswith("$") and label.endswith("$")):
        return label
    text = label[1:-1].replace("\\mathdefault", "").replace("\\times", "×").replace("\\,", " ")
    text = re.sub(r"\^\{([^{}]*)\}", lambda m: m[1].translate(_SUPERSCRIPTS), text)
    return text.replace("{", "").replace("}", "")


@functools.cache
def _plain_log_scales() -> None:
    """Register log and symlog scales whose tick labels are plain text (no mathtext needed)."""
    from matplotlib import scale, ticker

    class PlainLogFormatter(ticker.LogFormatterSciNotation):
        def __call__(self, x, pos=None):
            return plain_math(super().__call__(x, pos))

    def plain_formatters(axis):
        for fmt in (axis.get_major_formatter(), axis.get_minor_formatter()):
            if type(fmt) is ticker.LogFormatterSciNotation:
                fmt.__class__ = PlainLogFormatter  # the same formatter (state and all), plain labels

    class PlainLogScale(scale.LogScale):
        def __init__(self, **kwargs):  # no axis parameter (pending deprecation since matplotlib 3.11)
            super().__init__(None, **kwargs)

        def set_default_locators_and_formatters(self, axis):
            super().set_default_locators_and_formatters(axis)
            plain_formatters(axis)

    class PlainSymmetricalLogScale(scale.SymmetricalLogScale):
        def __init__(self, **kwargs):
            super().__init__(None, **kwargs)

        def set_default_locators_and_formatters(self, axis):
            super().set_default_locators_and_formatters(axis)
            plain_formatters(axis)

    scale.register_scale(PlainLogScale)
    scale.register_scale(PlainSymmetricalLogScale)


def pyplot():
    """Return ``matplotlib.pyplot`` set up for corpuslib's figures.

    Agg for scripts and tests; a backend chosen by the environment (Jupyter's inline backend, which
    draws the figures in the notebook) is kept. The font list and plain-text drawing
    (``text.parse_math`` off, log axes labelled without mathtext) are set on every call, so a
    user's ``rcdefaults()`` between two figures loses neither the Chinese glyphs nor the safety.
    """
    import matplotlib

    if not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg", force=False)
    cjk = use_cjk_font()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"] + ([cjk] if cjk else [])
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["text.parse_math"] = False  # scraped text is data: "$" is a dollar sign
    matplotlib.rcParams["axes.formatter.use_mathtext"] = False
    _plain_log_scales()
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path: str | os.PathLike, *, dpi: int = 150) -> None:
    """Save a figure as PNG via a temp file renamed into place.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
        The PNG file; its folder is created.
    dpi : int
        Resolution.

    Returns
    -------
    None
        Nothing, so a notebook cell ending with it shows no path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    tmp.replace(path)


def hide_unused_panels(axes, n_used: int, ncols: int) -> None:
    """Turn off the panels of a grid after the first ``n_used``; the panel above each shows the dates."""
    flat = axes.ravel()
    for i in range(n_used, len(flat)):
        flat[i].set_axis_off()
        if i - ncols >= 0:  # the panel above has none below it: it shows the dates
            flat[i - ncols].xaxis.set_tick_params(labelbottom=True)
