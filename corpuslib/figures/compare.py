"""Figures of the comparison tables: concept heatmap, keyness bars, fightin' words, trends.

Each function takes a table from :mod:`corpuslib.analysis.compare` and returns a matplotlib Figure
(nothing is shown or saved; use :func:`corpuslib.figures.style.save_figure`). Chinese labels render
with the CJK font registered by :func:`corpuslib.figures.fonts.use_cjk_font`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .style import pyplot

_SIDE_COLORS = ("#c44e52", "#4c72b0")  # over-represented in the group / in the reference


def _message_figure(plt, message: str, title: str | None = None):
    """Return a small figure that says why there is nothing to draw (instead of an empty panel)."""
    fig, ax = plt.subplots(figsize=(7, 2.2))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, wrap=True, transform=ax.transAxes)
    if title:
        ax.set_title(title, fontsize=12)
    return fig


def _repel_labels(ax, annotations, *, pad: float = 1.5, max_iter: int = 30) -> None:
    """Move annotation labels vertically until no two overlap (leader lines show their points).

    Labels above zero are pushed down and labels below zero up (toward the middle of the
    plot), so they stay inside the axes. Labels on one line need a clear gap (``8 * pad``
    pixels), or two words read as one phrase. Offsets are in points, so the layout survives
    saving at another dpi; call this after ``tight_layout``.
    """
    if len(annotations) < 2:
        return
    from matplotlib.text import Text

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_points = 72.0 / fig.dpi

    def box(a):
        # the text alone: an annotation's own extent includes its leader line, which grows as it moves
        a.update_positions(renderer)
        return Text.get_window_extent(a, renderer)

    for side in (1, -1):
        group = [a for a in annotations if np.sign(a.xy[1]) == side or (side == 1 and a.xy[1] == 0)]
        # the label farthest from zero stays; the others move toward zero past their neighbours
        group.sort(key=lambda a: -side * a.xy[1])
        for _ in range(max_iter):
            moved = False
            boxes = [box(a) for a in group]
            for i in range(1, len(group)):
                for j in range(i):
                    bi, bj = boxes[i], boxes[j]
                    apart_x = bi.x1 + 8 * pad <= bj.x0 or bj.x1 + 8 * pad <= bi.x0
                    if apart_x or bi.y1 + pad <= bj.y0 or bj.y1 + pad <= bi.y0:
                        continue
                    shift = (bi.y1 - bj.y0 + pad) if side == 1 else -(bj.y1 - bi.y0 + pad)
                    x, y = group[i].xyann
                    group[i].xyann = (x, y - shift * to_points)
                    boxes[i] = box(group[i])
                    moved = True
            if not moved:
                break


def _comparisons(keyness: pd.DataFrame, group) -> list[pd.DataFrame]:
    """Return the rows of each comparison (group vs reference) to draw, in table order."""
    if not len(keyness):
        return []
    available = list(dict.fromkeys(keyness["group"].astype(str)))
    if group is None:
        wanted = available
    else:
        wanted = [str(g) for g in ([group] if isinstance(group, str) or not hasattr(group, "__iter__") else group)]
        missing = [g for g in wanted if g not in available]
        if missing:
            raise KeyError(f"group(s) {missing} not in the keyness table; groups are {available}")
    out = []
    for g in wanted:
        sub = keyness[keyness["group"].astype(str) == g]
        for ref in dict.fromkeys(sub["reference"]):
            out.append(sub[sub["reference"] == ref])
    return out


def _lang_note(sub: pd.DataFrame) -> str:
    """Return ", terms in vi" for a comparison of terms (counted within each language)."""
    if "lang" not in sub.columns or not sub["lang"].notna().any():
        return ""
    return ", terms in " + "+".join(sorted(sub["lang"].dropna().astype(str).unique()))


def _grid(plt, n: int, ncols: int, width: float, height: float):
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _labels(table: pd.DataFrame, key: str, label: str | None) -> pd.Series:
    """Return display labels per key value (``label_en (key)`` or the key)."""
    if label and label in table.columns:
        lab = table.drop_duplicates(key).set_index(key)[label]
        return lab.where(lab.notna() & (lab != ""), lab.index.to_series())
    return pd.Series(table[key].unique(), index=table[key].unique())


def plot_concept_heatmap(counts: pd.DataFrame, group_col: str, *, value: str = "sentence_share",
                         concepts: list[str] | None = None, label: str | None = "label_en",
                         annotate: bool = True, scale: str = "row", title: str | None = None):
    """Return a heatmap of concepts (rows) by groups (columns).

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`corpuslib.analysis.compare.concept_counts` grouped ``by=group_col``.
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
        The number of documents of each group is written above its column (``n=``), so a
        large share from a single document is seen as such. Without any group a figure
        says so.
    """
    plt = pyplot()
    if scale not in ("row", "global"):
        raise ValueError(f"scale must be 'row' or 'global', not {scale!r}")
    if group_col not in counts.columns:
        raise KeyError(f"counts has no column {group_col!r}; compute concept_counts(..., by={group_col!r})")
    unit = {"sentence_share": "% of sentences", "doc_share": "% of documents", "rate": "per 1,000 tokens",
            "count": "matches"}.get(value, value)
    title = title or f"Reform concepts by {group_col} ({unit})"
    if not len(counts):
        return _message_figure(plt, f"No documents or no concepts: nothing to compare by {group_col!r}.", title)
    order = concepts or list(dict.fromkeys(counts["concept"]))
    wide = counts.pivot_table(index="concept", columns=group_col, values=value, aggfunc="sum", observed=False)
    wide = wide.reindex(order)
    pct = value in ("sentence_share", "doc_share")
    data = wide.to_numpy(float) * (100 if pct else 1)
    names = _labels(counts, "concept", label)
    rows = [f"{names.get(c, c)}" for c in wide.index]
    fig, ax = plt.subplots(figsize=(max(5.5, 1.2 * wide.shape[1] + 5), max(3.0, 0.34 * len(rows) + 2)))
    shade = data
    if scale == "row" and data.size:
        top_row = np.nanmax(np.where(np.isfinite(data), data, 0), axis=1, keepdims=True)
        shade = np.divide(data, top_row, out=np.zeros_like(data), where=top_row > 0)
    im = ax.imshow(shade, aspect="auto", cmap="YlOrRd", vmin=0)
    ax.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    if "n_docs" in counts.columns:
        n_docs = counts.groupby(group_col, observed=False)["n_docs"].max().reindex(wide.columns).fillna(0)
        top = ax.secondary_xaxis("top")
        top.set_xticks(range(wide.shape[1]), [f"n={int(n):,}" for n in n_docs], fontsize=8)
        top.tick_params(length=0)
    fig.colorbar(im, ax=ax, label="share of the row's largest value" if scale == "row" else unit, shrink=0.6)
    if annotate and data.size:
        top_shade = np.nanmax(shade) if np.isfinite(shade).any() else 0
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                v = data[i, j]
                if np.isfinite(v):
                    txt = f"{int(v)}" if value == "count" else f"{v:.2f}" if abs(v) < 1 else f"{v:.1f}"
                    ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                            color="white" if top_shade and shade[i, j] > 0.6 * top_shade else "black")
    ax.set_xlabel(f"{group_col} (n = documents)" if "n_docs" in counts.columns else group_col)
    ax.set_title(title, pad=18 if "n_docs" in counts.columns else 6)
    fig.tight_layout()
    return fig


def _no_keyness(plt, keyness: pd.DataFrame, title: str | None):
    return _message_figure(
        plt, "No comparison to draw: keyness needs at least two groups with text\n"
        "(in one language, for terms). Check group_by and groups.", title or "Keyness")


def plot_keyness_bars(keyness: pd.DataFrame, *, group=None, top: int = 15, labels: dict | None = None,
                      title: str | None = None, ncols: int = 2):
    """Return diverging bars of the most distinctive items on each side of each comparison.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`corpuslib.analysis.compare.keyness`.
    group : str or list, optional
        Which group(s) to show (default: every comparison in the table, one panel each).
    top : int
        Items shown per side (largest positive z: typical of the group, red, right; most
        negative: typical of the reference, blue, left).
    labels : dict, optional
        Display names of items (e.g. concept id -> English label).
    title : str, optional
        Title of the figure.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        A figure that says so when the table has no comparison.
    """
    plt = pyplot()
    comps = _comparisons(keyness, group)
    if not comps:
        return _no_keyness(plt, keyness, title)
    shown = []
    for sub in comps:
        pos = sub[sub["z"] > 0].nlargest(top, "z")
        neg = sub[sub["z"] < 0].nsmallest(top, "z")
        shown.append(pd.concat([pos, neg]).sort_values("z"))
    n_rows = max(len(s) for s in shown)
    fig, axes = _grid(plt, len(comps), ncols, 6.8, max(2.5, 0.28 * n_rows + 1.4))
    stat = comps[0]["statistic"].iloc[0]
    for ax, sub, show in zip(axes, comps, shown):
        names = [str((labels or {}).get(t, t)) for t in show["term_or_concept"]]
        if "lang" in show.columns and show["lang"].nunique() > 1:
            names = [f"{n} ({lg})" for n, lg in zip(names, show["lang"])]
        colors = [_SIDE_COLORS[0] if z > 0 else _SIDE_COLORS[1] for z in show["z"]]
        ax.barh(range(len(show)), show["z"], color=colors)
        ax.set_yticks(range(len(show)), names, fontsize=9)
        ax.set_ylim(-0.7, max(len(show), 1) - 0.3)
        ax.axvline(0, color="black", lw=0.8)
        for x in (-1.96, 1.96):
            ax.axvline(x, color="grey", lw=0.6, ls="--")
        g, ref = sub["group"].iloc[0], sub["reference"].iloc[0]
        ax.set_title(f"{g} (red) vs {ref} (blue){_lang_note(sub)}", fontsize=10)
        ax.set_xlabel("z-score (log-odds, informative Dirichlet prior)" if stat == "logodds" else "signed sqrt(G2)",
                      fontsize=9)
        if not len(show):
            ax.text(0.5, 0.5, "no items", ha="center", va="center", transform=ax.transAxes)
    fig.suptitle(title or "Most distinctive items\nred = typical of the group, blue = typical of the reference; "
                 "dashed lines at |z| = 1.96", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.6 / fig.get_figheight()))  # room for the suptitle
    return fig


def plot_fightin_words(keyness: pd.DataFrame, *, group=None, label_top: int = 8, labels: dict | None = None,
                       title: str | None = None, ncols: int = 2):
    """Return the "fightin' words" scatter: z-score against frequency, distinctive items labelled.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`corpuslib.analysis.compare.keyness`.
    group : str or list, optional
        Which group(s) to show (default: every comparison in the table, one panel each).
    label_top : int
        Label this many items on each side (largest |z|); labels are moved apart so that
        none overlap, with a thin line to their point.
    labels : dict, optional
        Display names of items.
    title : str, optional
        Title of the figure.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        A figure that says so when the table has no comparison.
    """
    plt = pyplot()
    comps = _comparisons(keyness, group)
    if not comps:
        return _no_keyness(plt, keyness, title)
    fig, axes = _grid(plt, len(comps), ncols, 7.2, 5.4)
    placed = []
    for ax, sub in zip(axes, comps):
        freq = (sub["count"] + sub["count_ref"]).to_numpy(float)
        z = sub["z"].to_numpy(float)
        sig = np.abs(z) >= 1.96
        g, ref = str(sub["group"].iloc[0]), str(sub["reference"].iloc[0])
        ax.scatter(freq[~sig], z[~sig], s=9, color="#bbbbbb")
        ax.scatter(freq[sig & (z > 0)], z[sig & (z > 0)], s=14, color=_SIDE_COLORS[0])
        ax.scatter(freq[sig & (z < 0)], z[sig & (z < 0)], s=14, color=_SIDE_COLORS[1])
        ax.set_xscale("log")
        for y in (-1.96, 1.96):
            ax.axhline(y, color="grey", lw=0.6, ls="--")
        ax.axhline(0, color="black", lw=0.5)
        picks = pd.concat([sub[sub["z"] > 0].nlargest(label_top, "z"), sub[sub["z"] < 0].nsmallest(label_top, "z")])
        notes = []
        for r in picks.itertuples(index=False):
            notes.append(ax.annotate(
                str((labels or {}).get(r.term_or_concept, r.term_or_concept)), (r.count + r.count_ref, r.z),
                fontsize=8, xytext=(4, 0), textcoords="offset points", va="center",
                arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#777777", "shrinkA": 0, "shrinkB": 2}))
        placed.append((ax, notes))
        ymax = max(2.5, float(np.nanmax(np.abs(z))) * 1.15) if len(z) else 2.5
        ax.set_ylim(-ymax, ymax)
        ax.set_xlabel("frequency in both groups (log scale)", fontsize=9)
        ax.set_ylabel(f"z-score ({'log-odds' if sub['statistic'].iloc[0] == 'logodds' else 'signed sqrt(G2)'})",
                      fontsize=9)
        if len(freq):  # room on the right for the labels of the most frequent items
            ax.set_xlim(0.7, max(10.0, float(np.nanmax(freq))) * 3)
        ax.set_title(f"{g} (up, red) vs {ref} (down, blue){_lang_note(sub)}", fontsize=10)
    fig.suptitle(title or "Fightin' words: how distinctive against how frequent\nred = typical of the group "
                 "(z > 1.96), blue = typical of the reference (z < -1.96), grey = neither", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.6 / fig.get_figheight()))  # room for the suptitle
    for ax, notes in placed:
        _repel_labels(ax, notes)
    return fig


def plot_rates_over_time(rates: pd.DataFrame, *, concepts: list[str] | None = None, by: str | None = "outlet",
                         value: str = "sentence_share", top: int = 6, ncols: int = 3, label: str | None = "label_en",
                         title: str | None = None):
    """Return small multiples of concept rates over time, one line per outlet.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`corpuslib.analysis.compare.concept_rates_over_time`.
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
        Periods without documents of an outlet are gaps, not zeros (a period between two
        gaps is a lone dot). Documents without a date (``rates.attrs["undated"]``) are
        counted in the title; without any dated document a figure says so.
    """
    plt = pyplot()
    undated = int(rates.attrs.get("undated", 0) or 0)
    note = f" ({undated} undated document{'s' if undated != 1 else ''} not shown)" if undated else ""
    title = (title or "Reform concepts over time") + note
    if not len(rates) or not int(rates["n_docs"].sum()):
        return _message_figure(plt, "No dated documents: nothing to draw over time.", title)
    if concepts is None:
        concepts = list(rates.groupby("concept", sort=False)["count"].sum().sort_values(ascending=False).index[:top])
    names = _labels(rates, "concept", label)
    n = max(1, len(concepts))
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.0 * nrows), sharex=True, squeeze=False)
    pct = value in ("sentence_share", "doc_share")
    groups = list(dict.fromkeys(rates[by])) if by else [None]
    for k, concept in enumerate(concepts):
        ax = axes[k // ncols][k % ncols]
        sub = rates[rates["concept"] == concept]
        for g in groups:
            line = sub if g is None else sub[sub[by] == g]
            y = line[value].astype(float).where(line["n_docs"] > 0) * (100 if pct else 1)
            ax.plot(line["period_start"], y, marker="o", ms=3.5, lw=1.3, label=None if g is None else str(g))
        ax.set_title(str(names.get(concept, concept)), fontsize=10)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
        if k % ncols == 0:
            ax.set_ylabel({"sentence_share": "% of sentences", "doc_share": "% of documents",
                           "rate": "per 1,000 tokens"}.get(value, value), fontsize=9)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if by:
        handles, labs = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labs, loc="lower center", ncol=min(len(labs), 6), fontsize=9, title=by)
    fig.suptitle(title, y=1.0)
    fig.autofmt_xdate()
    height = fig.get_figheight()  # margins in inches, so one row of panels keeps room for the legend
    fig.tight_layout(rect=(0, min(0.3, 0.75 / height) if by else 0, 1, 1 - 0.35 / height))
    return fig


def style_kwic(lines: pd.DataFrame, *, columns: tuple = ("doc_id", "outlet", "published", "lang", "left", "match",
                                                          "right"), max_rows: int = 200):
    """Return concordance lines styled for a notebook: left context right-aligned, match in bold.

    Parameters
    ----------
    lines : pandas.DataFrame
        Output of :func:`corpuslib.analysis.compare.kwic`.
    columns : tuple of str
        Columns shown (those present).
    max_rows : int
        Show at most this many lines; the caption gives the total.

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    shown = lines[[c for c in columns if c in lines.columns]].head(max_rows)
    n = len(lines)
    caption = f"{n} concordance line{'s' if n != 1 else ''}" + (f", the first {max_rows} shown" if n > max_rows else "")
    # escape: the Styler writes cell text into its HTML as it is (scraped text is data, never markup)
    styler = shown.style.hide(axis="index").set_caption(caption).format(na_rep="", escape="html")
    if "left" in shown.columns:
        styler = styler.set_properties(subset=["left"], **{"text-align": "right"})
    if "match" in shown.columns:
        styler = styler.set_properties(subset=["match"], **{"font-weight": "bold", "text-align": "center"})
    return styler
