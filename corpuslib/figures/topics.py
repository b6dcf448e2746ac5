"""Figures of topic models: top terms, prevalence by group and over time, doc-topic heatmap, choice of k.

Each function takes the tidy tables of :mod:`corpuslib.analysis.topics` and returns a matplotlib
``Figure`` (save it with :func:`corpuslib.figures.style.save_figure`). Chinese and Cyrillic glyphs render
through :func:`corpuslib.figures.fonts.use_cjk_font` (DejaVu Sans first, Noto Sans CJK SC as fallback).
"""
from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

from .style import hide_unused_panels, pyplot

__all__ = ["plot_top_terms", "plot_prevalence", "plot_prevalence_over_time", "plot_prevalence_trends",
           "plot_doc_topics", "plot_k_selection"]

_MAX_LABEL = 38


def _short(text, n: int = _MAX_LABEL) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _topic_title(topic: str, labels: Mapping | None) -> str:
    if labels and topic in labels:
        return f"{topic}  {_short(labels[topic])}"
    return str(topic)


def _wrapped_title(topic: str, labels: Mapping | None, width: int = 34) -> str:
    """Topic id and label on at most two lines of ``width`` characters (panels sit side by side)."""
    text = f"{topic}  {labels[topic]}" if labels and topic in labels else str(topic)
    return "\n".join(textwrap.wrap(text, width, max_lines=2, placeholder=" …")) or str(topic)


def _group_names(groups, sizes, width: int = 16) -> list[str]:
    """Group names wrapped on at most three lines, with their number of documents below."""
    out = []
    for g, n in zip(groups, sizes):
        name = "\n".join(textwrap.wrap(str(g), width, max_lines=3, placeholder="…")) or str(g)
        out.append(f"{name}\n(n={int(n)})")
    return out


def _group_sizes(prevalence: "pd.DataFrame", by: str):
    """Documents of each group, all languages (``group_documents``; older tables: the largest ``documents``)."""
    col = "group_documents" if "group_documents" in prevalence.columns else "documents"
    return prevalence.groupby(by, sort=False)[col].max()


def _values(prevalence: "pd.DataFrame", value: str):
    """The column plotted for ``value``: mean weight, or the share of documents the topic dominates."""
    if value not in _VALUES:
        raise ValueError(f"value must be one of {tuple(_VALUES)}, got {value!r}")
    if value == "share" and "share" not in prevalence.columns:
        docs = prevalence["documents"].where(prevalence["documents"] > 0)
        return prevalence["dominant"] / docs
    return prevalence[_VALUES[value][0]]


#: value -> (column of the prevalence table, axis label)
_VALUES = {
    "weight": ("weight", "mean topic weight"),
    "share": ("share", "share of documents (dominant topic)"),
}


def plot_top_terms(topic_terms: "pd.DataFrame", *, n: int = 8, ncols: int = 4, labels: Mapping | None = None,
                   frex: "pd.DataFrame | None" = None, title: str = "Top terms per topic") -> "Figure":
    """Return a grid of horizontal bar charts: the ``n`` top terms of each topic and their weights.

    Parameters
    ----------
    topic_terms : pandas.DataFrame
        ``topic, rank, term, weight`` (:meth:`corpuslib.analysis.topics.TopicModel.topic_terms`).
    n : int, default 8
        Terms per topic.
    ncols : int, default 4
        Panels per row.
    labels : mapping, optional
        ``topic -> label`` shown in the panel titles (wrapped on two lines).
    frex : pandas.DataFrame, optional
        ``topic, rank, term`` (:meth:`corpuslib.analysis.topics.TopicModel.frex_terms`): the first
        five FREX words (frequent and exclusive) are written under each panel.
    title : str
        Figure title.
    """
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    topics = sorted(topic_terms["topic"].astype(str).unique())
    if not topics:
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "no topics", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = math.ceil(len(topics) / ncols)
    extra = 0.5 if frex is not None else 0.0  # room for the FREX line under each panel
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.9 * ncols, 0.3 * n * nrows + (1.2 + extra) * nrows + 0.6),
                             squeeze=False)
    for ax, topic in zip(axes.ravel(), topics):
        g = topic_terms[topic_terms["topic"].astype(str) == topic].sort_values("rank").head(n)
        terms = [_short(t.replace("_", " "), 24) for t in g["term"]]
        ax.barh(range(len(g)), g["weight"], color="#4C72B0")
        ax.set_yticks(range(len(g)), terms, fontsize=9)
        ax.invert_yaxis()
        ax.set_title(_wrapped_title(topic, labels), fontsize=10, loc="left")
        # three ticks at most: small weights (0.0025) otherwise run into each other
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("weight", fontsize=8)
        if frex is not None:
            words = frex[frex["topic"].astype(str) == topic].sort_values("rank")["term"].head(5)
            line = "FREX: " + ", ".join(str(w).replace("_", " ") for w in words)
            ax.text(0.0, -0.16 - 0.6 / max(n, 1), "\n".join(textwrap.wrap(line, 40)), transform=ax.transAxes,
                    fontsize=8, va="top", color="#555555")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes.ravel()[len(topics):]:
        ax.set_axis_off()
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def plot_prevalence(prevalence: "pd.DataFrame", by: str = "outlet", *, value: str = "weight",
                    labels: Mapping | None = None, title: str | None = None, min_support: int = 10,
                    ci: float = 0.95) -> "Figure":
    """Return a heatmap of topic prevalence per group (rows: topics, columns: groups).

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`corpuslib.analysis.prevalence.topic_prevalence` output with ``by`` as its group column.
    by : str, default "outlet"
        The group column.
    value : {"weight", "share"}, default "weight"
        ``"weight"``: mean topic weight of the group's documents; ``"share"``: share of them whose
        dominant topic it is (clear with clustered topics, whose weights are fuzzy and flat).
    labels : mapping, optional
        ``topic -> label``, shown beside the topic ids.
    title : str, optional
    min_support : int, default 10
        Cells measured over fewer documents are hatched grey (their value is printed, but is not
        to be compared).
    ci : float, default 0.95
        Level of the table's intervals (for the title).

    Notes
    -----
    Columns are labelled with the group's number of documents in every language; a blank cell
    means the group has no document of the topic's model (language). Every cell is coloured by
    the value it prints, on one scale for the whole figure; when the table has the interval
    (``<value>_low``, ``<value>_high``) it is printed under the value.
    """
    import numpy as np

    plt = pyplot()
    p = prevalence.assign(_value=_values(prevalence, value).to_numpy())
    # topics as rows, so their labels read horizontally; groups as columns
    wide = p.pivot_table(index="topic", columns=by, values="_value", aggfunc="mean", sort=True, dropna=False)
    wide = wide.reindex(columns=[c for c in dict.fromkeys(prevalence[by])])

    def cells(col):
        w = p.pivot_table(index="topic", columns=by, values=col, aggfunc="mean", sort=True, dropna=False)
        return w.reindex(index=wide.index, columns=wide.columns).to_numpy(dtype=float)

    support = cells("documents") if "documents" in p.columns else np.full(wide.shape, np.inf)
    bounds = (cells(f"{value}_low"), cells(f"{value}_high")) if f"{value}_low" in p.columns else None
    sizes = _group_sizes(prevalence, by).reindex(wide.columns).fillna(0)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * wide.shape[1] + 5.0), max(3.0, 0.42 * wide.shape[0] + 2.4)))
    data = wide.to_numpy(dtype=float)
    top = np.nanmax(data) if np.isfinite(data).any() else 1.0
    im = ax.imshow(np.ma.masked_invalid(data), aspect="auto", cmap="Blues", vmin=0, vmax=max(top, 1e-9))
    rows = [str(r) for r in wide.index]
    ax.set_yticks(range(len(rows)), [_topic_title(r, labels) for r in rows], fontsize=8)
    many = wide.shape[1] > 6
    ax.set_xticks(range(len(wide.columns)), _group_names(wide.columns, sizes), rotation=45 if many else 0,
                  ha="right" if many else "center", fontsize=8)
    fmt = "{:.0%}" if value == "share" else "{:.2f}"
    from matplotlib.patches import Rectangle

    thin = np.isfinite(data) & (support < min_support)
    for i, j in zip(*np.nonzero(thin)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#E6E6E6", edgecolor="#9A9A9A", hatch="///",
                               lw=0))
    with_bounds = bounds is not None and data.size <= 160
    if data.size <= 600:  # numbers in the cells while they stay legible
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                if np.isfinite(data[i, j]):
                    text = fmt.format(data[i, j])
                    if with_bounds and np.isfinite(bounds[0][i, j]):
                        text += f"\n{fmt.format(bounds[0][i, j])}–{fmt.format(bounds[1][i, j])}"
                    dark = data[i, j] > 0.6 * top and not thin[i, j]
                    ax.text(j, i, text, ha="center", va="center", fontsize=6.5 if with_bounds else 7,
                            color="white" if dark else ("#555555" if thin[i, j] else "black"),
                            linespacing=1.0)
    fig.colorbar(im, ax=ax, label=_VALUES[value][1])
    what = "share of documents per topic" if value == "share" else "mean topic weight"
    notes = []
    if with_bounds:
        notes.append(f"below: {ci * 100:.0f} % interval")
    if thin.any():
        notes.append(f"hatched: fewer than {min_support} documents")
    if np.isnan(data).any():
        notes.append("blank: no document of the topic's language")
    note = f"\n({'; '.join(notes)})" if notes else ""
    ax.set_title(title or f"Topic prevalence by {by}: {what}{note}", fontsize=11)
    fig.tight_layout()
    return fig


def plot_prevalence_over_time(prevalence: "pd.DataFrame", date_col: str = "published", *, value: str = "weight",
                              labels: Mapping | None = None, topics: list[str] | None = None,
                              title: str | None = None, min_support: int = 5, ci: float = 0.95) -> "Figure":
    """Return topic prevalence per period: stacked bars of documents, or lines of mean weight.

    ``value="share"``: one bar per period, as high as the number of dated documents, split by
    their dominant topic (bars stay readable when a period has one or two documents, where
    shares would jump between 0 and 1). ``value="weight"``: one line per topic of its mean
    weight, broken by periods without documents, with its interval as a ribbon when the table has
    one (``weight_low``, ``weight_high``) and the number of documents per period below. Periods
    with fewer than ``min_support`` documents are flagged: hatched bars, hollow markers.
    Undated documents are left out (the title says how many).

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`corpuslib.analysis.prevalence.topic_prevalence` output grouped by a date column (has ``period_start``).
    date_col : str, default "published"
    value : {"weight", "share"}, default "weight"
    labels : mapping, optional
        ``topic -> label`` for the legend.
    topics : list of str, optional
        Topics to draw: lines (default: at most 12 by overall weight); bars (default: all, beyond
        19 the smallest are pooled as "other topics").
    title : str, optional
    min_support : int, default 5
        Periods with fewer documents are flagged as sparse.
    ci : float, default 0.95
        Level of the table's intervals (for the title).
    """
    import numpy as np
    import pandas as pd

    plt = pyplot()
    _values(prevalence, value)  # checks value
    undated = prevalence[prevalence[date_col] == "(undated)"]
    p = prevalence[prevalence[date_col] != "(undated)"].copy()
    if "period_start" not in p.columns:
        p["period_start"] = pd.to_datetime(p[date_col], errors="coerce")
    size_col = "group_documents" if "group_documents" in prevalence.columns else "documents"
    per = p.groupby("period_start", sort=True)[size_col].max()
    n_dated, n_undated = int(per.sum()), int(undated[size_col].max()) if len(undated) else 0
    starts = per.index.to_series()
    width = (starts.diff().dt.days.median() or 20) * 0.8 if len(per) > 1 else 20
    counts = f"{n_dated} dated documents" + (f", {n_undated} undated left out" if n_undated else "")
    if value == "share":
        fig, ax = plt.subplots(figsize=(10, 4.8))
        axes = [ax]
    else:
        fig, (ax, axn) = plt.subplots(2, 1, figsize=(10, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        axes = [ax, axn]
    if p.empty or n_dated == 0:
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center", transform=ax.transAxes)
    elif value == "share":
        wide = p.pivot_table(index="period_start", columns="topic", values="dominant", aggfunc="sum", fill_value=0)
        wide = wide.reindex(index=per.index, fill_value=0)
        chosen = topics if topics is not None else list(wide.sum().sort_values(ascending=False, kind="stable").index)
        kept = sorted(str(t) for t in chosen[:19] if t in wide.columns) if len(chosen) > 20 else \
            sorted(str(t) for t in chosen if t in wide.columns)
        cmap = plt.get_cmap("tab20" if len(kept) > 10 else "tab10")
        bottom = np.zeros(len(wide))
        for i, t in enumerate(kept):
            # an edge of the bar's colour keeps one-month bars visible on an axis of decades
            ax.bar(wide.index, wide[t].to_numpy(), width=width, bottom=bottom, color=cmap(i % cmap.N),
                   edgecolor=cmap(i % cmap.N), linewidth=0.6, label=_topic_title(t, labels))
            bottom += wide[t].to_numpy()
        rest = [c for c in wide.columns if c not in kept]
        if rest:
            ax.bar(wide.index, wide[rest].sum(axis=1).to_numpy(), width=width, bottom=bottom, color="#BBBBBB",
                   label=f"{len(rest)} other topics")
            bottom += wide[rest].sum(axis=1).to_numpy()
        thin = (per.to_numpy() > 0) & (per.to_numpy() < min_support)
        if thin.any():  # a period of one or two documents: its split says nothing of the topics' shares
            ax.bar(per.index[thin], bottom[thin], width=width, fill=False, hatch="///", edgecolor="#555555",
                   lw=0, label=f"fewer than {min_support} documents")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel("documents, by dominant topic")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    else:
        if topics is None:
            overall = (p["weight"].fillna(0) * p["documents"]).groupby(p["topic"]).sum().sort_values(ascending=False)
            topics = list(overall.index[:12])
        cmap = plt.get_cmap("tab20" if len(topics) > 10 else "tab10")
        ribbons = {"weight_low", "weight_high"} <= set(p.columns)
        for i, t in enumerate(sorted(topics)):
            g = p[p["topic"] == t].sort_values("period_start")
            has = g["documents"].to_numpy() > 0
            y = np.where(has, g["weight"], np.nan)
            color = cmap(i % cmap.N)
            ax.plot(g["period_start"], y, lw=1.5, color=color, label=_topic_title(t, labels))
            thin = has & (g["documents"].to_numpy() < min_support)
            ax.scatter(g["period_start"][has & ~thin], y[has & ~thin], s=9, color=color, zorder=3)
            ax.scatter(g["period_start"][thin], y[thin], s=14, facecolors="white", edgecolors=[color], zorder=3)
            if ribbons:
                ax.fill_between(g["period_start"], np.where(has, g["weight_low"], np.nan),
                                np.where(has, g["weight_high"], np.nan), color=color, alpha=0.12, lw=0)
        sparse = (per.to_numpy() > 0) & (per.to_numpy() < min_support)
        axn.bar(per.index[~sparse], per.to_numpy()[~sparse], width=width, color="#999999")
        if sparse.any():
            axn.bar(per.index[sparse], per.to_numpy()[sparse], width=width, color="white", edgecolor="#555555",
                    hatch="///", lw=0.6, label=f"fewer than {min_support} documents (hollow markers)")
            axn.legend(fontsize=7, frameon=False, loc="upper left")
        axn.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        ax.set_ylabel(_VALUES["weight"][1])
        axn.set_ylabel("documents")
    what = "documents by dominant topic" if value == "share" else "mean topic weight"
    if value == "weight" and {"weight_low", "weight_high"} <= set(p.columns):
        what += f" (ribbons: {ci * 100:.0f} % interval)"
    ax.set_title(title or f"Topics over time: {what}\n({counts})", fontsize=12)
    for a in axes:
        for side in ("top", "right"):
            a.spines[side].set_visible(False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def plot_prevalence_trends(prevalence: "pd.DataFrame", date_col: str = "published", *, value: str = "share",
                           labels: Mapping | None = None, topics: list[str] | None = None, max_topics: int = 12,
                           ncols: int = 3, min_support: int = 5, ci: float = 0.95,
                           title: str | None = None) -> "Figure":
    """Return one small panel per topic: its prevalence per period as a line, its interval as a ribbon.

    Periods with fewer than ``min_support`` documents are shaded grey (their ribbon is wide, their
    value an anecdote); periods without documents break the line. All panels share one y scale.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`corpuslib.analysis.prevalence.topic_prevalence` grouped by a date column, with
        ``<value>_low``, ``<value>_high``.
    date_col : str, default "published"
    value : {"share", "weight"}, default "share"
    labels : mapping, optional
        ``topic -> label`` for the panel titles.
    topics : list of str, optional
        Topics to draw (default: the ``max_topics`` largest by documents dominated).
    ncols : int, default 3
    min_support : int, default 5
    ci : float, default 0.95
        Level of the table's intervals (for the axis label).
    title : str, optional
    """
    import numpy as np
    import pandas as pd
    from matplotlib.ticker import PercentFormatter

    plt = pyplot()
    _values(prevalence, value)  # checks value
    col = _VALUES[value][0]
    low, high = f"{col}_low", f"{col}_high"
    if low not in prevalence.columns:
        raise ValueError(f"the prevalence table has no interval of {col!r} ({low}, {high}): "
                         "compute it with corpuslib.analysis.prevalence.topic_prevalence")
    p = prevalence[prevalence[date_col] != "(undated)"].copy()
    if "period_start" not in p.columns:
        p["period_start"] = pd.to_datetime(p[date_col], errors="coerce")
    size_col = "group_documents" if "group_documents" in p.columns else "documents"
    if topics is None:
        order = p.groupby("topic")["dominant"].sum().sort_values(ascending=False, kind="stable")
        topics = sorted(order.index[:max_topics])
    topics = [str(t) for t in topics]
    if p.empty or not topics:
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = -(-len(topics) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols + 0.8, 2.2 * nrows + 1.3), sharex=True,
                             sharey=True, squeeze=False)
    per = p.groupby("period_start", sort=True)[size_col].max()
    half = (per.index.to_series().diff().median() / 2) if len(per) > 1 else pd.Timedelta(days=10)
    thin = per[(per > 0) & (per < min_support)].index
    top = float(p[p["topic"].isin(topics)][high].max()) if p[high].notna().any() else 1.0
    for ax, t in zip(axes.ravel(), topics):
        g = p[p["topic"].astype(str) == t].sort_values("period_start")
        has = g["documents"].to_numpy() > 0
        y = np.where(has, g[col], np.nan)
        ax.fill_between(g["period_start"], np.where(has, g[low], np.nan), np.where(has, g[high], np.nan),
                        color="#4C72B0", alpha=0.25, lw=0)
        ax.plot(g["period_start"], y, color="#4C72B0", lw=1.5, marker="o", ms=2.5)
        for when in thin:
            ax.axvspan(when - half, when + half, color="#BBBBBB", alpha=0.45, lw=0)
        ax.set_title(_wrapped_title(t, labels), fontsize=8, loc="left")
        ax.set_ylim(0, max(top, 1e-6) * 1.05)
        ax.tick_params(labelsize=7)
        ax.tick_params(axis="x", labelrotation=30)
        if value == "share":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    hide_unused_panels(axes, len(topics), ncols)
    fig.supylabel(f"{_VALUES[value][1]} ({ci * 100:.0f} % interval)", fontsize=9)
    flag = f"; grey: periods with fewer than {min_support} documents" if len(thin) else ""
    fig.suptitle(title or f"Topic prevalence per period with {ci * 100:.0f} % intervals{flag}", fontsize=11)
    fig.tight_layout()
    return fig


def plot_doc_topics(doc_topics: "pd.DataFrame", documents: "pd.DataFrame | None" = None, *, max_docs: int = 60,
                    labels: Mapping | None = None, title: str = "Documents and their topics") -> "Figure":
    """Return how clearly documents belong to their topic and which topic comes second for them.

    Left: per topic, the weight its documents (those it dominates) put on it, as a box (quartiles,
    whiskers at 1.5 IQR) with each document a dot and the number of documents beside it; a topic
    whose documents hardly prefer it is a blurred one. Right: for the documents of each dominant
    topic (rows), the share whose second strongest topic is each other topic (columns), with the
    number of documents in the cell; the diagonal and topics of another language's model are
    blank. The neighbours show which topics share vocabulary (a block diagonal of weight 1 would
    say nothing). ``documents`` and ``max_docs`` are accepted for compatibility and not used:
    every document counts.
    """
    import numpy as np

    plt = pyplot()
    wide = doc_topics.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum")
    cols = sorted(str(c) for c in wide.columns)
    wide = wide.reindex(columns=cols)
    data = wide.to_numpy(dtype=float)
    filled = np.nan_to_num(data, nan=-1.0)
    keep = filled.max(axis=1) > 0 if len(filled) else np.zeros(0, bool)
    filled, data = filled[keep], data[keep]
    k = len(cols)
    fig, (left, right) = plt.subplots(1, 2, figsize=(max(9.0, 0.5 * k + 7.5), max(3.4, 0.34 * k + 2.0)),
                                      gridspec_kw={"width_ratios": [1.0, 1.3]})
    if not len(filled) or k == 0:
        for ax in (left, right):
            ax.text(0.5, 0.5, "no documents with topics", ha="center", va="center")
            ax.set_axis_off()
        return fig
    order = np.argsort(-filled, axis=1, kind="stable")
    dom = order[:, 0]
    top = filled[np.arange(len(filled)), dom]
    names = [f"{c}  {_short(labels.get(c, ''), 26)}" if labels else c for c in cols]
    boxes = [top[dom == j] for j in range(k)]
    shown = [j for j in range(k) if len(boxes[j])]
    left.boxplot([boxes[j] for j in shown], positions=shown, orientation="horizontal", widths=0.6, showfliers=False,
                 medianprops={"color": "#C44E52"})
    rng = np.random.default_rng(0)  # fixed jitter: the same figure every run
    for j in shown:
        left.scatter(boxes[j], j + rng.uniform(-0.18, 0.18, len(boxes[j])), s=4, color="#4C72B0", alpha=0.35, zorder=3)
        left.text(1.01, j, f"n={len(boxes[j])}", transform=left.get_yaxis_transform(), va="center", fontsize=7.5)
    left.set_yticks(range(k), names, fontsize=8)
    left.set_ylim(k - 0.5, -0.5)
    left.set_xlabel("weight of each document on its dominant topic", fontsize=9)
    left.set_title("How clearly documents belong to their topic", fontsize=10, loc="left")
    for side in ("top", "right"):
        left.spines[side].set_visible(False)
    second = np.full((k, k), np.nan)
    counts = np.zeros((k, k), int)
    has_second = filled.shape[1] > 1
    for j in range(k):
        rows = dom == j
        if not rows.any():
            continue
        possible = np.isfinite(data[rows]).all(axis=0)   # topics of the same model as the row's documents
        second[j, possible] = 0.0
        if has_second:
            sec = order[rows, 1]
            sec = sec[filled[rows][np.arange(rows.sum()), sec] >= 0]
            for c, n in zip(*np.unique(sec, return_counts=True)):
                counts[j, c] = n
                second[j, c] = n / rows.sum()
        second[j, j] = np.nan
    im = right.imshow(np.ma.masked_invalid(second), aspect="auto", cmap="Blues", vmin=0,
                      vmax=max(float(np.nanmax(second)) if np.isfinite(second).any() else 1.0, 1e-9))
    for j in range(k):
        for c in range(k):
            if counts[j, c]:
                dark = second[j, c] > 0.6 * np.nanmax(second)
                right.text(c, j, str(counts[j, c]), ha="center", va="center", fontsize=7,
                           color="white" if dark else "#222222")
    right.set_xticks(range(k), cols, rotation=90 if k > 12 else 45, ha="center" if k > 12 else "right", fontsize=8)
    right.set_yticks(range(k), cols, fontsize=8)
    right.set_xlabel("second strongest topic", fontsize=9)
    right.set_ylabel("dominant topic", fontsize=9)
    right.set_title("Which topic comes second (share of the row's documents; n in the cell)", fontsize=10, loc="left")
    fig.colorbar(im, ax=right, label="share of the row's documents", shrink=0.9)
    fig.suptitle(f"{title} ({len(filled)} documents)", fontsize=12)
    fig.tight_layout()
    return fig


def plot_k_selection(scores: "pd.DataFrame", *, chosen: int | None = None,
                     title: str = "Choosing the number of topics") -> "Figure":
    """Return coherence, stability and their combined score against k, with a warning when k is at the grid's edge.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`corpuslib.analysis.topics.evaluate_k` output (``k, seed, coherence, stability``):
        each seed's run is a dot, the mean over seeds a line.
    chosen : int, optional
        The k used (e.g. :func:`corpuslib.analysis.topics.choose_k`), marked by a dashed line. When
        it is the smallest or the largest k of the grid the title says so in red: the best k may
        lie outside the grid.
    """
    import numpy as np

    plt = pyplot()
    panels = [("coherence", "coherence (NPMI of top terms)"),
              ("stability", "stability (ARI across resamples)")]
    fig, axes = plt.subplots(1, len(panels) + 1, figsize=(13, 3.9))
    ks = sorted(int(k) for k in scores["k"].unique())
    for ax, (col, name) in zip(axes, panels):
        mean = scores.groupby("k")[col].mean()
        ax.scatter(scores["k"], scores[col], s=14, color="#999999", label="one resample (seed)", zorder=2)
        ax.plot(mean.index, mean.to_numpy(), marker="o", color="#C44E52", label="mean over resamples", zorder=3)
        ax.set_ylabel(name)
    scaled = []
    for col, _ in panels:
        m = scores.groupby("k")[col].mean().reindex(ks).to_numpy(dtype=float)
        if np.isfinite(m).any():
            lo, hi = np.nanmin(m), np.nanmax(m)
            scaled.append((m - lo) / (hi - lo) if hi > lo else np.ones_like(m))
    axes[-1].bar(ks, np.nanmean(scaled, axis=0) if scaled else np.zeros(len(ks)), color="#4C72B0", width=0.8)
    axes[-1].set_ylabel("score (mean of both, rescaled 0-1)")
    for ax in axes:
        if chosen is not None:
            ax.axvline(chosen, ls="--", color="#333333", lw=1)
            ax.text(chosen, ax.get_ylim()[1], f" k={chosen}", va="top", fontsize=9)
        ax.set_xlabel("k (topics per model)")
        ax.set_xticks(ks)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].legend(fontsize=8, frameon=False)
    edge = chosen is not None and len(ks) > 1 and chosen in (ks[0], ks[-1])
    fig.suptitle(title, fontsize=12)
    if edge:
        fig.text(0.5, 0.89, f"k={chosen} is at the edge of the grid ({ks[0]}-{ks[-1]}): a k outside it may do "
                 "better, widen k_grid", ha="center", color="#B22222", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.88 if edge else 0.95))
    return fig
