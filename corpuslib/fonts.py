"""Fonts for figures: Chinese glyphs from the Noto Sans CJK SC that the ``mplfonts`` wheel ships.

matplotlib's default DejaVu Sans has Latin (with Vietnamese) and Cyrillic but no Han characters;
registering Noto Sans CJK SC as a fallback family renders all three scripts with no download.
"""
from __future__ import annotations

import functools
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
