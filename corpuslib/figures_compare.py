"""Figures of the comparison tables: concept heatmap, keyness bars, fightin' words, trends.

Each function takes a table from :mod:`corpuslib.compare` and returns a matplotlib Figure
(nothing is shown or saved; use :func:`corpuslib.plots.save_figure`). Chinese labels render
with the CJK font registered by :func:`corpuslib.fonts.use_cjk_font`.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

_SIDE_COLORS = ("#c44e52", "#4c72b0")  # over-represented in the group / in the reference


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    try:
        from .fonts import use_cjk_font
    except ImportError:  # fonts module not available: register the mplfonts CJK font here
        from importlib import resources
        from pathlib import Path

        from matplotlib import font_manager

        path = Path(str(resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"))
        font_manager.fontManager.addfont(str(path))
        name = font_manager.FontProperties(fname=str(path)).get_name()
        matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", name, *matplotlib.rcParams["font.sans-serif"]]
    else:
        use_cjk_font()
    import matplotlib.pyplot as plt

    return plt


def _with_fonts(func):
    """Build the figure with an explicit font list, so Han characters fall back to the CJK font.

    matplotlib only falls back between fonts named in ``font.family``; the generic
    ``sans-serif`` entry resolves to its first font alone. The list is set for the duration of
    the call (text objects keep it), leaving the global rcParams as they were.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        import matplotlib

        _plt()
        families = list(dict.fromkeys(matplotlib.rcParams["font.sans-serif"]))
        with matplotlib.rc_context({"font.family": families}):
            return func(*args, **kwargs)

    return wrapper


def _labels(table: pd.DataFrame, key: str, label: str | None) -> pd.Series:
    """Return display labels per key value (``label_en (key)`` or the key)."""
    if label and label in table.columns:
        lab = table.drop_duplicates(key).set_index(key)[label]
        return lab.where(lab.notna() & (lab != ""), lab.index.to_series())
    return pd.Series(table[key].unique(), index=table[key].unique())


@_with_fonts
def plot_concept_heatmap(counts: pd.DataFrame, group_col: str, *, value: str = "sentence_share",
                         concepts: list[str] | None = None, label: str | None = "label_en",
                         annotate: bool = True, scale: str = "row", title: str | None = None):
    """Return a heatmap of concepts (rows) by groups (columns).

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`corpuslib.compare.concept_counts` grouped ``by=group_col``.
    group_col : str
        The grouping column (outlet, lang, period...).
    value : str
        Column shown: ``sentence_share`` (shown in %, default), ``doc_share`` (%), ``rate``
        (per 1,000 tokens) or ``count``.
    concepts : list of str, optional
        Concepts to show, in this order (default: all, in lexicon order).
    label : str or None
        Column with row labels (``label_en``); ``None`` shows concept ids.
    annotate : bool
        Write the value in each cell.
    scale : {"row", "global"}
        Colour each row relative to its largest value (default: frequent and rare concepts
        are both readable; the numbers keep the absolute values) or on one global scale.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    if scale not in ("row", "global"):
        raise ValueError(f"scale must be 'row' or 'global', not {scale!r}")
    if group_col not in counts.columns:
        raise KeyError(f"counts has no column {group_col!r}; compute concept_counts(..., by={group_col!r})")
    order = concepts or list(dict.fromkeys(counts["concept"]))
    wide = counts.pivot_table(index="concept", columns=group_col, values=value, aggfunc="sum", observed=False)
    wide = wide.reindex(order)
    pct = value in ("sentence_share", "doc_share")
    data = wide.to_numpy(float) * (100 if pct else 1)
    names = _labels(counts, "concept", label)
    rows = [f"{names.get(c, c)}" for c in wide.index]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.1 * wide.shape[1] + 4.5), max(3.0, 0.32 * len(rows) + 1.5)))
    shade = data
    if scale == "row" and data.size:
        top_row = np.nanmax(np.where(np.isfinite(data), data, 0), axis=1, keepdims=True)
        shade = np.divide(data, top_row, out=np.zeros_like(data), where=top_row > 0)
    im = ax.imshow(shade, aspect="auto", cmap="YlOrRd", vmin=0)
    ax.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    unit = {"sentence_share": "% of sentences", "doc_share": "% of documents", "rate": "per 1,000 tokens",
            "count": "matches"}.get(value, value)
    fig.colorbar(im, ax=ax, label="share of the row's largest value" if scale == "row" else unit, shrink=0.8)
    if annotate and data.size:
        top = np.nanmax(shade) if np.isfinite(shade).any() else 0
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                v = data[i, j]
                if np.isfinite(v):
                    txt = f"{int(v)}" if value == "count" else f"{v:.2f}" if abs(v) < 1 else f"{v:.1f}"
                    ax.text(j, i, txt, ha="center", va="center",
                            fontsize=7, color="white" if top and shade[i, j] > 0.6 * top else "black")
    ax.set_xlabel(group_col)
    ax.set_title(title or f"Reform concepts by {group_col} ({unit})")
    fig.tight_layout()
    return fig


def _one_comparison(keyness: pd.DataFrame, group) -> pd.DataFrame:
    groups = list(dict.fromkeys(keyness["group"]))
    if not groups:
        raise ValueError("the keyness table is empty")
    group = groups[0] if group is None else str(group)
    sub = keyness[keyness["group"] == group]
    if not len(sub):
        raise KeyError(f"group {group!r} not in the keyness table; groups are {groups}")
    refs = list(dict.fromkeys(sub["reference"]))
    return sub[sub["reference"] == refs[0]]


@_with_fonts
def plot_keyness_bars(keyness: pd.DataFrame, *, group=None, top: int = 15, labels: dict | None = None,
                      title: str | None = None):
    """Return diverging bars of the most distinctive items on each side of one comparison.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`corpuslib.compare.keyness`.
    group : str, optional
        Which group's comparison to show (default: the first).
    top : int
        Items shown per side (largest positive z: typical of the group; most negative:
        typical of the reference).
    labels : dict, optional
        Display names of items (e.g. concept id -> English label).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    sub = _one_comparison(keyness, group)
    pos = sub[sub["z"] > 0].nlargest(top, "z")
    neg = sub[sub["z"] < 0].nsmallest(top, "z")
    show = pd.concat([pos, neg]).sort_values("z")
    names = [str((labels or {}).get(t, t)) for t in show["term_or_concept"]]
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.3 * len(show) + 1.5)))
    colors = [_SIDE_COLORS[0] if z > 0 else _SIDE_COLORS[1] for z in show["z"]]
    ax.barh(range(len(show)), show["z"], color=colors)
    ax.set_yticks(range(len(show)), names)
    ax.axvline(0, color="black", lw=0.8)
    for x in (-1.96, 1.96):
        ax.axvline(x, color="grey", lw=0.6, ls="--")
    g, ref = sub["group"].iloc[0], sub["reference"].iloc[0]
    stat = sub["statistic"].iloc[0]
    ax.set_xlabel("z-score (log-odds, informative Dirichlet prior)" if stat == "logodds" else "signed sqrt(G2)")
    ax.set_title(title or f"{g} (right, red) vs {ref} (left, blue)")
    fig.tight_layout()
    return fig


@_with_fonts
def plot_fightin_words(keyness: pd.DataFrame, *, group=None, label_top: int = 8, labels: dict | None = None,
                       title: str | None = None):
    """Return the "fightin' words" scatter: z-score against frequency, distinctive items labelled.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`corpuslib.compare.keyness`.
    group : str, optional
        Which group's comparison to show (default: the first).
    label_top : int
        Label this many items on each side (largest |z|).
    labels : dict, optional
        Display names of items.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    sub = _one_comparison(keyness, group)
    freq = (sub["count"] + sub["count_ref"]).to_numpy(float)
    z = sub["z"].to_numpy(float)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    sig = np.abs(z) >= 1.96
    ax.scatter(freq[~sig], z[~sig], s=10, color="#bbbbbb", label="|z| < 1.96")
    ax.scatter(freq[sig & (z > 0)], z[sig & (z > 0)], s=14, color=_SIDE_COLORS[0], label=str(sub["group"].iloc[0]))
    ax.scatter(freq[sig & (z < 0)], z[sig & (z < 0)], s=14, color=_SIDE_COLORS[1], label=str(sub["reference"].iloc[0]))
    ax.set_xscale("log")
    for y in (-1.96, 1.96):
        ax.axhline(y, color="grey", lw=0.6, ls="--")
    picks = pd.concat([sub[sub["z"] > 0].nlargest(label_top, "z"), sub[sub["z"] < 0].nsmallest(label_top, "z")])
    for r in picks.itertuples(index=False):
        ax.annotate(str((labels or {}).get(r.term_or_concept, r.term_or_concept)), (r.count + r.count_ref, r.z),
                    fontsize=7, xytext=(3, 2), textcoords="offset points")
    ax.set_xlabel("frequency in both groups (log scale)")
    ax.set_ylabel("z-score")
    ax.legend(loc="best", fontsize=8)
    ax.set_title(title or f"Fightin' words: {sub['group'].iloc[0]} vs {sub['reference'].iloc[0]}")
    fig.tight_layout()
    return fig


@_with_fonts
def plot_rates_over_time(rates: pd.DataFrame, *, concepts: list[str] | None = None, by: str | None = "outlet",
                         value: str = "sentence_share", top: int = 6, ncols: int = 3, label: str | None = "label_en",
                         title: str | None = None):
    """Return small multiples of concept rates over time, one line per outlet.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`corpuslib.compare.concept_rates_over_time`.
    concepts : list of str, optional
        Concepts to show (default: the ``top`` most frequent).
    by : str or None
        Column drawn as separate lines (default ``outlet``).
    value : str
        ``sentence_share`` (shown in %), ``doc_share`` (%), ``rate`` or ``count``.
    top, ncols : int
        Number of concepts by default; panels per row.
    label : str or None
        Column with panel titles.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Periods without documents of an outlet are gaps, not zeros.
    """
    plt = _plt()
    if concepts is None:
        concepts = list(rates.groupby("concept", sort=False)["count"].sum().sort_values(ascending=False).index[:top])
    names = _labels(rates, "concept", label)
    n = max(1, len(concepts))
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.8 * nrows), sharex=True, squeeze=False)
    pct = value in ("sentence_share", "doc_share")
    groups = list(dict.fromkeys(rates[by])) if by else [None]
    for k, concept in enumerate(concepts):
        ax = axes[k // ncols][k % ncols]
        sub = rates[rates["concept"] == concept]
        for g in groups:
            line = sub if g is None else sub[sub[by] == g]
            y = line[value].astype(float).where(line["n_docs"] > 0) * (100 if pct else 1)
            ax.plot(line["period_start"], y, marker="o", ms=2.5, lw=1.2, label=None if g is None else str(g))
        ax.set_title(str(names.get(concept, concept)), fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=7)
        if k % ncols == 0:
            ax.set_ylabel({"sentence_share": "% of sentences", "doc_share": "% of documents",
                           "rate": "per 1,000 tokens"}.get(value, value), fontsize=8)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if by:
        handles, labs = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labs, loc="lower center", ncol=min(len(labs), 6), fontsize=8, title=by)
    fig.suptitle(title or "Reform concepts over time", y=1.0)
    fig.autofmt_xdate()
    fig.tight_layout(rect=(0, 0.06 if by else 0, 1, 0.97))
    return fig
