"""Figures of the comparison tables: concept heatmap, differences, keyness bars, fightin' words, trends.

Each function takes a table from :mod:`corpuslib.analysis.compare` and returns a matplotlib Figure
(nothing is shown or saved; use :func:`corpuslib.figures.style.save_figure`). Chinese labels render
with the CJK font registered by :func:`corpuslib.figures.fonts.use_cjk_font`.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from .style import pyplot

_SIDE_COLORS = ("#c44e52", "#4c72b0")  # over-represented in the group / in the reference


def _message_figure(plt, message: str, title: str | None = None):
    """Return a small figure that says why there is nothing to draw (instead of an empty panel)."""
    fig, ax = plt.subplots(figsize=(7, 2.2))
    ax.axis("off")
    # wrapped here, not by matplotlib: its wrap=True measures text as mathtext whatever text.parse_math
    # says, so a "$" in a named outlet would stop the figure
    lines = "\n".join(textwrap.fill(part, 90) for part in str(message).split("\n"))
    ax.text(0.5, 0.5, lines, ha="center", va="center", fontsize=11, transform=ax.transAxes)
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


def _tested(keyness: pd.DataFrame) -> pd.DataFrame:
    """The rows that are tests (not the note of a comparison left out for lack of documents)."""
    if "note" not in keyness.columns:
        return keyness
    return keyness[keyness["note"].fillna("") == ""]


def _left_out_note(keyness: pd.DataFrame) -> str:
    """``Left out: A has 3 documents; ...`` from the note rows of a keyness table ('' when none)."""
    if "note" not in keyness.columns:
        return ""
    notes = keyness.loc[keyness["note"].fillna("") != ""]
    if not len(notes):
        return ""
    text = "; ".join(dict.fromkeys(f"{r.group} vs {r.reference}" for r in notes.itertuples()))
    return f"Left out (too few documents, never ranked): {text}"


def _significance(sub: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Which rows are significant, and the rule in words (BH q when the table has it)."""
    if "significant" in sub.columns:
        return sub["significant"].fillna(False).astype(bool).to_numpy(), "q < 0.05, Benjamini-Hochberg"
    return (sub["z"].abs() >= 1.96).to_numpy(), "|z| > 1.96, not adjusted"


def _comparisons(keyness: pd.DataFrame, group) -> list[pd.DataFrame]:
    """Return the rows of each comparison (group vs reference) to draw, in table order."""
    keyness = _tested(keyness)
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


def _fmt_value(v: float, value: str) -> str:
    return f"{int(round(v))}" if value == "count" else f"{v:.2f}" if abs(v) < 1 else f"{v:.1f}"


def plot_concept_heatmap(counts: pd.DataFrame, group_col: str, *, value: str = "sentence_share",
                         concepts: list[str] | None = None, label: str | None = "label_en",
                         annotate: bool = True, min_docs: int = 20, min_mentions: int = 3,
                         title: str | None = None):
    """Return a heatmap of concepts (rows) by groups (columns), coloured by the value it prints.

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
        Write the value in each cell, and under it its interval when the table has one
        (``<value>_low``, ``<value>_high``).
    min_docs : int
        A group with fewer documents is greyed out: its shares are not comparable.
    min_mentions : int
        A cell whose concept is mentioned in fewer documents (``docs``) is hatched: its share
        rests on one or two articles.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Every cell is coloured on ONE scale for the whole figure (a square-root colour scale, so
        that rare and frequent concepts both show, with the printed values on the colour bar),
        so equal colours mean equal values. The number of documents of each group is written
        above its column (``n=``). Without any group a figure says so.
    """
    from matplotlib.colors import PowerNorm

    plt = pyplot()
    if group_col not in counts.columns:
        raise KeyError(f"counts has no column {group_col!r}; compute concept_counts(..., by={group_col!r})")
    unit = {"sentence_share": "% of sentences", "doc_share": "% of documents", "rate": "per 1,000 tokens",
            "count": "matches"}.get(value, value)
    title = title or f"Reform concepts by {group_col} ({unit})"
    if not len(counts):
        return _message_figure(plt, f"No documents or no concepts: nothing to compare by {group_col!r}.", title)
    order = concepts or list(dict.fromkeys(counts["concept"]))
    pct = value in ("sentence_share", "doc_share")
    scale = 100 if pct else 1

    def wide_of(col):
        w = counts.pivot_table(index="concept", columns=group_col, values=col, aggfunc="sum", observed=False)
        return w.reindex(order)

    wide = wide_of(value)
    data = wide.to_numpy(float) * scale
    has_interval = annotate and {f"{value}_low", f"{value}_high"} <= set(counts.columns)
    if has_interval:
        lows = wide_of(f"{value}_low").reindex(columns=wide.columns).to_numpy(float) * scale
        highs = wide_of(f"{value}_high").reindex(columns=wide.columns).to_numpy(float) * scale
    names = _labels(counts, "concept", label)
    rows = [f"{names.get(c, c)}" for c in wide.index]
    cell_h = 0.5 if has_interval else 0.34
    fig, ax = plt.subplots(figsize=(max(6.0, 1.35 * wide.shape[1] + 5.5), max(3.0, cell_h * len(rows) + 2.4)))
    finite = data[np.isfinite(data)]
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = PowerNorm(gamma=0.5, vmin=0, vmax=vmax)
    cmap = plt.get_cmap("YlOrRd")
    im = ax.imshow(np.where(np.isfinite(data), data, 0), aspect="auto", cmap=cmap, norm=norm)
    ax.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    n_docs = None
    if "n_docs" in counts.columns:
        n_docs = counts.groupby(group_col, observed=False)["n_docs"].max().reindex(wide.columns).fillna(0)
        top = ax.secondary_xaxis("top")
        top.set_xticks(range(wide.shape[1]), [f"n={int(n):,}" for n in n_docs], fontsize=8)
        top.tick_params(length=0)
    fig.colorbar(im, ax=ax, label=f"{unit} (one scale for every cell)", shrink=0.6)
    mentions = wide_of("docs").reindex(columns=wide.columns).to_numpy(float) if "docs" in counts.columns else None
    greyed = hatched = 0
    for j in range(wide.shape[1]):
        small_group = n_docs is not None and n_docs.iloc[j] < min_docs
        if small_group:  # grey the whole column: its shares rest on too few documents
            ax.add_patch(plt.Rectangle((j - 0.5, -0.5), 1, len(rows), facecolor="#d9d9d9", edgecolor="none",
                                       zorder=2))
            greyed += 1
        for i in range(data.shape[0]):
            v = data[i, j]
            few = mentions is not None and np.isfinite(mentions[i, j]) and 0 < mentions[i, j] < min_mentions
            if few and not small_group:
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="////", edgecolor="#888888",
                                           lw=0, zorder=2))
                hatched += 1
            if annotate and np.isfinite(v):
                dark = not small_group and norm(v) > 0.62
                txt = _fmt_value(v, value)
                if has_interval and np.isfinite(lows[i, j]) and np.isfinite(highs[i, j]):
                    txt += f"\n{_fmt_value(lows[i, j], value)}–{_fmt_value(highs[i, j], value)}"
                ax.text(j, i, txt, ha="center", va="center", fontsize=7.5 if has_interval else 8, zorder=3,
                        color="white" if dark else "#555555" if small_group else "black", linespacing=0.95)
    notes = []
    if has_interval:
        notes.append("each cell: value, and under it its 95 % interval (documents as the unit)")
    if hatched:
        notes.append(f"hatched: fewer than {min_mentions} documents mention the concept")
    if greyed:
        notes.append(f"grey: group with fewer than {min_docs} documents")
    ax.set_xlabel((f"{group_col} (n = documents)" if n_docs is not None else group_col)
                  + ("\n" + "; ".join(notes) if notes else ""), fontsize=9)
    ax.set_title(title, pad=18 if n_docs is not None else 6)
    fig.tight_layout()
    return fig


def _no_keyness(plt, keyness: pd.DataFrame, title: str | None):
    note = _left_out_note(keyness)
    return _message_figure(
        plt, "No comparison to draw: keyness needs at least two groups with text\n"
        "(in one language, for terms) and enough documents. Check group_by, groups and min_docs."
        + (f"\n{note}" if note else ""), title or "Keyness")


def plot_keyness_bars(keyness: pd.DataFrame, *, group=None, top: int = 15, labels: dict | None = None,
                      title: str | None = None, ncols: int = 2, only_significant: bool = True):
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
    only_significant : bool
        Draw only the significant items (default); ``False`` draws the ``top`` items whatever their
        test, the non-significant ones in grey.

    Returns
    -------
    matplotlib.figure.Figure
        Significant items (``significant``: Benjamini-Hochberg ``q < 0.05`` over the table) are
        coloured, the others grey; each panel says how many items were tested and how many are
        significant, and each bar ends with its support (occurrences in the group / in the
        reference). Comparisons left out for lack of documents are named under the title. A figure
        says so when the table has no comparison.
    """
    plt = pyplot()
    comps = _comparisons(keyness, group)
    if not comps:
        return _no_keyness(plt, keyness, title)
    shown = []
    for sub in comps:
        sig, _ = _significance(sub)
        pool = sub[sig] if only_significant else sub
        pos = pool[pool["z"] > 0].nlargest(top, "z")
        neg = pool[pool["z"] < 0].nsmallest(top, "z")
        shown.append(pd.concat([pos, neg]).sort_values("z"))
    n_rows = max(max(len(s) for s in shown), 1)
    fig, axes = _grid(plt, len(comps), ncols, 7.2, max(2.5, 0.28 * n_rows + 1.6))
    stat = comps[0]["statistic"].iloc[0]
    rule = _significance(comps[0])[1]
    for ax, sub, show in zip(axes, comps, shown):
        names = [str((labels or {}).get(t, t)) for t in show["term_or_concept"]]
        if "lang" in show.columns and show["lang"].nunique() > 1:
            names = [f"{n} ({lg})" for n, lg in zip(names, show["lang"])]
        sig, _ = _significance(show)
        colors = [(_SIDE_COLORS[0] if z > 0 else _SIDE_COLORS[1]) if s else "#cccccc"
                  for z, s in zip(show["z"], sig)]
        ax.barh(range(len(show)), show["z"], color=colors)
        ax.set_yticks(range(len(show)), names, fontsize=9)
        ax.set_ylim(-0.7, max(len(show), 1) - 0.3)
        ax.axvline(0, color="black", lw=0.8)
        for x in (-1.96, 1.96):
            ax.axvline(x, color="grey", lw=0.6, ls="--")
        if len(show):
            zmax = float(np.nanmax(np.abs(show["z"])))
            ax.set_xlim(-zmax * 1.35 - 0.5, zmax * 1.35 + 0.5)  # room for the support labels
            for k, r in enumerate(show.itertuples(index=False)):
                ax.text(r.z + (0.03 * zmax if r.z > 0 else -0.03 * zmax), k, f"{r.count:,}/{r.count_ref:,}",
                        va="center", ha="left" if r.z > 0 else "right", fontsize=7, color="#444444")
        g, ref = sub["group"].iloc[0], sub["reference"].iloc[0]
        n_sig = int(_significance(sub)[0].sum())
        ax.set_title(f"{g} (red) vs {ref} (blue){_lang_note(sub)}\n{n_sig:,} of {len(sub):,} tested significant",
                     fontsize=10)
        ax.set_xlabel("z-score (log-odds, informative Dirichlet prior)" if stat == "logodds" else "signed sqrt(G2)",
                      fontsize=9)
        if not len(show):
            biggest = sub.loc[sub["z"].abs().idxmax()] if len(sub) else None
            msg = "no items" if biggest is None else (
                f"no significant item\n(largest: {(labels or {}).get(biggest['term_or_concept'], biggest['term_or_concept'])}, "
                f"z = {biggest['z']:+.2f})" if only_significant else "no items")
            ax.text(0.5, 0.5, msg, ha="center", va="center", transform=ax.transAxes, fontsize=9)
            ax.set_yticks([])
    note = _left_out_note(keyness)
    head = title or ("Most distinctive items: " + ("only the significant ones (" + rule + ")" if only_significant
                                                   else "coloured = significant (" + rule + "), grey = not")
                     + "\nred = typical of the group, blue = of the reference; bar labels: count in group/reference")
    fig.suptitle(head + (f"\n{note}" if note else ""), fontsize=10.5)
    lines = head.count("\n") + 1 + bool(note)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.25 * lines / fig.get_figheight()))  # room for the suptitle
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
        Label this many items on each side (largest |z|, significant ones only when the table
        says which are); labels are moved apart so that none overlap, with a thin line to their point.
    labels : dict, optional
        Display names of items.
    title : str, optional
        Title of the figure.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        Significant items (Benjamini-Hochberg ``q < 0.05`` when the table has ``significant``)
        in colour, the rest grey; each panel says how many were tested. A figure says so when
        the table has no comparison.
    """
    plt = pyplot()
    comps = _comparisons(keyness, group)
    if not comps:
        return _no_keyness(plt, keyness, title)
    fig, axes = _grid(plt, len(comps), ncols, 7.2, 5.4)
    placed = []
    rule = _significance(comps[0])[1]
    for ax, sub in zip(axes, comps):
        freq = (sub["count"] + sub["count_ref"]).to_numpy(float)
        z = sub["z"].to_numpy(float)
        sig, _ = _significance(sub)
        g, ref = str(sub["group"].iloc[0]), str(sub["reference"].iloc[0])
        ax.scatter(freq[~sig], z[~sig], s=9, color="#bbbbbb")
        ax.scatter(freq[sig & (z > 0)], z[sig & (z > 0)], s=14, color=_SIDE_COLORS[0])
        ax.scatter(freq[sig & (z < 0)], z[sig & (z < 0)], s=14, color=_SIDE_COLORS[1])
        ax.set_xscale("log")
        for y in (-1.96, 1.96):
            ax.axhline(y, color="grey", lw=0.6, ls="--")
        ax.axhline(0, color="black", lw=0.5)
        pick_from = sub[sig] if "significant" in sub.columns else sub
        picks = pd.concat([pick_from[pick_from["z"] > 0].nlargest(label_top, "z"),
                           pick_from[pick_from["z"] < 0].nsmallest(label_top, "z")])
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
        ax.set_title(f"{g} (up, red) vs {ref} (down, blue){_lang_note(sub)}\n"
                     f"{int(sig.sum()):,} of {len(sub):,} tested significant", fontsize=10)
    note = _left_out_note(keyness)
    head = title or ("Fightin' words: how distinctive against how frequent\nred = typical of the group, "
                     f"blue = of the reference (significant: {rule}), grey = neither")
    fig.suptitle(head + (f"\n{note}" if note else ""), fontsize=10.5)
    lines = head.count("\n") + 1 + bool(note)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.25 * lines / fig.get_figheight()))  # room for the suptitle
    for ax, notes in placed:
        _repel_labels(ax, notes)
    return fig


def plot_rates_over_time(rates: pd.DataFrame, *, concepts: list[str] | None = None, by: str | None = "outlet",
                         value: str = "sentence_share", top: int = 6, ncols: int = 3, label: str | None = "label_en",
                         min_docs: int = 20, title: str | None = None):
    """Return small multiples of concept rates over time, one line per outlet, with interval ribbons.

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
    min_docs : int
        A period with fewer documents of a group is flagged: a hollow marker, no ribbon, and the
        line dotted into it (its share rests on too few articles to compare).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        Each line carries the ribbon of its 95 % interval when the table has ``<value>_low`` /
        ``<value>_high`` (document-level, so a month of three articles shows as the wide band it
        is). Periods without documents of an outlet are gaps, not zeros. Documents without a date
        (``rates.attrs["undated"]``) are counted in the title; without any dated document a
        figure says so.
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
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.8 * ncols, 3.2 * nrows), sharex=True, squeeze=False)
    pct = value in ("sentence_share", "doc_share")
    scale = 100 if pct else 1
    ribbons = {f"{value}_low", f"{value}_high"} <= set(rates.columns)
    groups = list(dict.fromkeys(rates[by])) if by else [None]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    flagged = 0
    for k, concept in enumerate(concepts):
        ax = axes[k // ncols][k % ncols]
        sub = rates[rates["concept"] == concept]
        for gi, g in enumerate(groups):
            line = sub if g is None else sub[sub[by] == g]
            color = colors[gi % len(colors)]
            has = (line["n_docs"] > 0).to_numpy()
            enough = (line["n_docs"] >= min_docs).to_numpy()
            y = line[value].astype(float).where(has).to_numpy() * scale
            x = line["period_start"].to_numpy()
            # dotted through every period with documents, solid where each has enough of them
            ax.plot(x, y, ls=":", lw=1.0, color=color)
            ax.plot(x, np.where(enough, y, np.nan), marker="o", ms=3.5, lw=1.4, color=color,
                    label=None if g is None else str(g))
            sparse = has & ~enough
            flagged += int(sparse.sum())
            ax.plot(x[sparse], y[sparse], ls="none", marker="o", ms=4, mfc="white", mec=color, mew=1.0)
            if ribbons:
                lo = line[f"{value}_low"].astype(float).to_numpy() * scale
                hi = line[f"{value}_high"].astype(float).to_numpy() * scale
                ax.fill_between(x, np.where(enough, lo, np.nan), np.where(enough, hi, np.nan), color=color,
                                alpha=0.15, lw=0)
        ax.set_title(str(names.get(concept, concept)), fontsize=10)
        ax.set_ylim(bottom=0)
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
    how = ("bands: 95 % intervals (documents as the unit); " if ribbons else "") + \
        (f"hollow dots: fewer than {min_docs} documents in the period" if flagged else "")
    fig.suptitle(title + (f"\n{how.rstrip('; ')}" if how else ""), y=1.0, fontsize=11)
    fig.autofmt_xdate()
    height = fig.get_figheight()  # margins in inches, so one row of panels keeps room for the legend
    fig.tight_layout(rect=(0, min(0.3, 0.75 / height) if by else 0, 1, 1 - (0.6 if how else 0.35) / height))
    return fig


def plot_differences(differences: pd.DataFrame, *, labels: dict | None = None, top: int = 12, ncols: int = 2,
                     title: str | None = None):
    """Return each comparison's largest concept differences as points with their intervals.

    Parameters
    ----------
    differences : pandas.DataFrame
        Output of :func:`corpuslib.analysis.compare.concept_differences`.
    labels : dict, optional
        Concept id -> display label.
    top : int
        Concepts shown per comparison: the significant ones first, then the largest |difference|.
    ncols : int
        Panels per row.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One panel per comparison (group vs reference): the difference of shares in percentage
        points with its 95 % interval; significant differences (Benjamini-Hochberg ``q < 0.05``
        over the table) in colour, the others grey. Each panel says how many concepts were tested
        and how many differ; comparisons left out for lack of documents are named under the title.
    """
    plt = pyplot()
    tested = _tested(differences)
    tested = tested[tested["difference"].notna()] if len(tested) else tested
    head = title or "How much the share of each concept differs (percentage points, 95 % intervals)"
    left = _left_out_note(differences)
    if not len(tested):
        return _message_figure(plt, "No difference to draw: it needs two groups with enough documents "
                               "(see min_docs)." + (f"\n{left}" if left else ""), head)
    measure = str(tested["measure"].iloc[0]) if "measure" in tested else "sentence_share"
    comps = [g for _, g in tested.groupby(["group", "reference"], sort=True)]
    shown = []
    for sub in comps:
        ranked = sub.assign(_a=sub["difference"].abs()).sort_values(["significant", "_a"], ascending=[False, False])
        shown.append(ranked.head(top).sort_values("difference"))
    n_rows = max(len(s) for s in shown)
    fig, axes = _grid(plt, len(comps), ncols, 7.0, max(2.4, 0.3 * n_rows + 1.5))
    for ax, sub, show in zip(axes, comps, shown):
        y = np.arange(len(show))
        d, lo, hi = (show[c].to_numpy(float) * 100 for c in ("difference", "low", "high"))
        sig = show["significant"].to_numpy(bool)
        colors = np.where(sig, np.where(d > 0, _SIDE_COLORS[0], _SIDE_COLORS[1]), "#aaaaaa")
        for yi, a, b, c in zip(y, lo, hi, colors):
            ax.plot([a, b], [yi, yi], color=c, lw=2)
        ax.scatter(d, y, color=colors, zorder=3, s=22)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, [str((labels or {}).get(c, c)) for c in show["concept"]], fontsize=9)
        ax.set_ylim(-0.7, max(len(show), 1) - 0.3)
        g, ref = sub["group"].iloc[0], sub["reference"].iloc[0]
        n_docs, n_ref = int(sub["n_docs"].iloc[0]), int(sub["reference_n_docs"].iloc[0])
        ax.set_title(f"{g} ({n_docs:,} docs) minus {ref} ({n_ref:,} docs)\n"
                     f"{int(sub['significant'].sum()):,} of {len(sub):,} concepts differ significantly", fontsize=10)
        ax.set_xlabel("difference in " + ("% of sentences" if measure == "sentence_share" else "% of documents")
                      + " (points)", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    sub_head = "red/blue = significant (q < 0.05, Benjamini-Hochberg over the table), grey = not"
    fig.suptitle(head + "\n" + sub_head + (f"\n{left}" if left else ""), fontsize=10.5)
    lines = 2 + bool(left)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.22 * lines / fig.get_figheight()))
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
