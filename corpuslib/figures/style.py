"""The one figure style: pyplot set up for every script, fonts for Chinese, saving figures.

matplotlib's default DejaVu Sans has Latin (with Vietnamese) and Cyrillic but no Han characters;
registering the Noto Sans CJK SC that the ``mplfonts`` wheel ships as a fallback family renders all
three scripts with no download. Scraped text (outlets, titles, terms) is drawn as plain text: math
parsing is off, so a ``$`` in a label is a dollar sign, never mathtext.
"""
from __future__ import annotations

import functools
import os
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


def pyplot():
    """Return ``matplotlib.pyplot`` set up for corpuslib's figures.

    Agg for scripts and tests; a backend chosen by the environment (Jupyter's inline backend, which
    draws the figures in the notebook) is kept. The font list is set on every call, so a user's
    ``rcdefaults()`` between two figures does not lose the Chinese glyphs.
    """
    import matplotlib

    if not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg", force=False)
    cjk = use_cjk_font()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"] + ([cjk] if cjk else [])
    matplotlib.rcParams["axes.unicode_minus"] = False
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
