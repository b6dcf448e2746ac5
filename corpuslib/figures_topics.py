"""Figures of topic models: top terms, prevalence by group and over time, doc-topic heatmap, choice of k.

Each function takes the tidy tables of :mod:`corpuslib.topics` and returns a matplotlib
``Figure`` (save it with :func:`corpuslib.plots.save_figure`). Chinese and Cyrillic glyphs render
through :func:`corpuslib.fonts.use_cjk_font` (DejaVu Sans first, Noto Sans CJK SC as fallback).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["plot_top_terms", "plot_prevalence", "plot_prevalence_over_time", "plot_doc_topics", "plot_k_selection"]

_MAX_LABEL = 38


def _pyplot():
    from corpuslib.fonts import use_cjk_font

    use_cjk_font()
    import matplotlib.pyplot as plt

    return plt


def _short(text, n: int = _MAX_LABEL) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _topic_title(topic: str, labels: Mapping | None) -> str:
    if labels and topic in labels:
        return f"{topic}  {_short(labels[topic])}"
    return str(topic)


def plot_top_terms(topic_terms: "pd.DataFrame", *, n: int = 8, ncols: int = 4, labels: Mapping | None = None,
                   title: str = "Top terms per topic") -> "Figure":
    """Return a grid of horizontal bar charts: the ``n`` top terms of each topic and their weights.

    Parameters
    ----------
    topic_terms : pandas.DataFrame
        ``topic, rank, term, weight`` (:meth:`corpuslib.topics.TopicModel.topic_terms`).
    n : int, default 8
        Terms per topic.
    ncols : int, default 4
        Panels per row.
    labels : mapping, optional
        ``topic -> label`` shown in the panel titles.
    title : str
        Figure title.
    """
    plt = _pyplot()
    topics = sorted(topic_terms["topic"].astype(str).unique())
    if not topics:
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "no topics", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = math.ceil(len(topics) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 0.32 * n * nrows + 1.0 * nrows + 0.6), squeeze=False)
    for ax, topic in zip(axes.ravel(), topics):
        g = topic_terms[topic_terms["topic"].astype(str) == topic].sort_values("rank").head(n)
        terms = [_short(t.replace("_", " "), 24) for t in g["term"]]
        ax.barh(range(len(g)), g["weight"], color="#4C72B0")
        ax.set_yticks(range(len(g)), terms, fontsize=9)
        ax.invert_yaxis()
        ax.set_title(_topic_title(topic, labels), fontsize=10, loc="left")
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("weight", fontsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes.ravel()[len(topics):]:
        ax.set_axis_off()
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def plot_prevalence(prevalence: "pd.DataFrame", by: str = "outlet", *, labels: Mapping | None = None,
                    title: str | None = None) -> "Figure":
    """Return a heatmap of the mean topic weight per group (rows: groups, columns: topics).

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`corpuslib.topics.topic_prevalence` output with ``by`` as its group column.
    by : str, default "outlet"
        The group column.
    labels : mapping, optional
        ``topic -> label``, shown under the topic ids.
    title : str, optional
    """
    import numpy as np

    plt = _pyplot()
    # topics as rows, so their labels read horizontally; groups as columns
    wide = prevalence.pivot_table(index="topic", columns=by, values="weight", aggfunc="mean", sort=True, dropna=False)
    wide = wide.reindex(columns=[c for c in dict.fromkeys(prevalence[by])])
    sizes = prevalence.groupby(by)["documents"].max().reindex(wide.columns)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * wide.shape[1] + 5.0), max(3.0, 0.42 * wide.shape[0] + 2.2)))
    data = wide.to_numpy(dtype=float)
    im = ax.imshow(np.ma.masked_invalid(data), aspect="auto", cmap="Blues", vmin=0,
                   vmax=max(np.nanmax(data), 1e-9) if np.isfinite(data).any() else 1)
    rows = [str(r) for r in wide.index]
    ax.set_yticks(range(len(rows)), [_topic_title(r, labels) for r in rows], fontsize=8)
    ax.set_xticks(range(len(wide.columns)), [f"{_short(g, 24)}\n(n={int(s)})" for g, s in zip(wide.columns, sizes)],
                  rotation=30 if wide.shape[1] > 4 else 0, ha="right" if wide.shape[1] > 4 else "center", fontsize=8)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if np.isfinite(data[i, j]):
                ax.text(j, i, f"{data[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if data[i, j] > 0.6 * np.nanmax(data) else "black")
    fig.colorbar(im, ax=ax, label="mean topic weight")
    ax.set_title(title or f"Topic prevalence by {by} (blank: no document of the topic's model)", fontsize=11)
    fig.tight_layout()
    return fig


def plot_prevalence_over_time(prevalence: "pd.DataFrame", date_col: str = "published", *, labels: Mapping | None = None,
                              topics: list[str] | None = None, title: str | None = None) -> "Figure":
    """Return lines of the mean topic weight per period, with the number of documents per period below.

    Periods without documents (``documents == 0``) break the lines instead of being drawn as 0.

    Parameters
    ----------
    prevalence : pandas.DataFrame
        :func:`corpuslib.topics.topic_prevalence` output grouped by a date column (has ``period_start``).
    date_col : str, default "published"
    labels : mapping, optional
        ``topic -> label`` for the legend.
    topics : list of str, optional
        Topics to draw (default: all, at most 12 by overall weight).
    title : str, optional
    """
    import numpy as np
    import pandas as pd

    plt = _pyplot()
    p = prevalence[prevalence[date_col] != "(undated)"].copy()
    if "period_start" not in p.columns:
        p["period_start"] = pd.to_datetime(p[date_col], errors="coerce")
    fig, (ax, axn) = plt.subplots(2, 1, figsize=(10, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    if p.empty:
        ax.text(0.5, 0.5, "no dated documents", ha="center", va="center", transform=ax.transAxes)
    else:
        if topics is None:
            overall = (p["weight"].fillna(0) * p["documents"]).groupby(p["topic"]).sum().sort_values(ascending=False)
            topics = list(overall.index[:12])
        cmap = plt.get_cmap("tab20" if len(topics) > 10 else "tab10")
        for i, t in enumerate(sorted(topics)):
            g = p[p["topic"] == t].sort_values("period_start")
            y = np.where(g["documents"] > 0, g["weight"], np.nan)
            ax.plot(g["period_start"], y, marker="o", ms=3, lw=1.5, color=cmap(i % cmap.N),
                    label=_topic_title(t, labels))
        per = p.drop_duplicates("period_start").sort_values("period_start")
        width = (per["period_start"].diff().dt.days.median() or 20) * 0.8 if len(per) > 1 else 20
        axn.bar(per["period_start"], per["documents"], width=width, color="#999999")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_ylabel("mean topic weight")
    axn.set_ylabel("documents")
    ax.set_title(title or "Topic prevalence over time", fontsize=12)
    for a in (ax, axn):
        for side in ("top", "right"):
            a.spines[side].set_visible(False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def plot_doc_topics(doc_topics: "pd.DataFrame", documents: "pd.DataFrame | None" = None, *, max_docs: int = 60,
                    labels: Mapping | None = None, title: str = "Document-topic weights") -> "Figure":
    """Return a heatmap of document-topic weights (rows: documents, columns: topics).

    Documents are sorted by dominant topic then weight; with more than ``max_docs`` documents the
    ones most strongly dominated by their topic are shown (the title says how many). Rows are
    labelled with the document title when ``documents`` has one, else the doc_id.
    """
    import numpy as np

    plt = _pyplot()
    wide = doc_topics.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=sorted(wide.columns))
    total = len(wide)
    dom = wide.to_numpy().argmax(axis=1) if total else np.array([], int)
    top = wide.to_numpy().max(axis=1) if total else np.array([])
    order = np.lexsort((-top, dom))
    wide = wide.iloc[order]
    if total > max_docs:
        keep = wide.to_numpy().max(axis=1).argsort()[::-1][:max_docs]
        wide = wide.iloc[np.sort(keep)]
    names = list(wide.index)
    if documents is not None and "title" in documents.columns:
        titles = documents.drop_duplicates("doc_id").set_index(documents.drop_duplicates("doc_id")["doc_id"].astype(str))["title"]
        names = [_short(titles.get(d) if isinstance(titles.get(d), str) and titles.get(d) else d, 44) for d in names]
    else:
        names = [_short(d, 44) for d in names]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.55 * wide.shape[1] + 5.0), max(3.2, 0.3 * len(names) + 2.0)))
    im = ax.imshow(wide.to_numpy(), aspect="auto", cmap="viridis", vmin=0, vmax=1)
    cols = [str(c) for c in wide.columns]
    # topic ids only on the axis (labels are long); the key goes under the plot
    ax.set_xticks(range(len(cols)), cols, rotation=90 if len(cols) > 12 else 45, ha="center" if len(cols) > 12
                  else "right", fontsize=8)
    if labels:
        key = "   ".join(f"{c}: {_short(labels.get(c, ''), 30)}" for c in cols[:24])
        import textwrap

        fig.text(0.01, 0.0, "\n".join(textwrap.wrap(key, 150)), fontsize=7, va="top", ha="left")
    ax.set_yticks(range(len(names)), names, fontsize=8)
    fig.colorbar(im, ax=ax, label="weight")
    shown = f" ({len(names)} of {total} documents)" if total > len(names) else ""
    ax.set_title(title + shown, fontsize=12)
    fig.tight_layout()
    return fig


def plot_k_selection(scores: "pd.DataFrame", *, chosen: int | None = None,
                     title: str = "Choosing the number of topics") -> "Figure":
    """Return coherence (NPMI) and stability against k: mean over seeds with each seed's run as a dot.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`corpuslib.topics.evaluate_k` output (``k, seed, coherence, stability``).
    chosen : int, optional
        A k to mark (e.g. :func:`corpuslib.topics.choose_k`).
    """
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for ax, col, name in zip(axes, ("coherence", "stability"), ("coherence (NPMI)", "stability (top-term Jaccard)")):
        mean = scores.groupby("k")[col].mean()
        ax.scatter(scores["k"], scores[col], s=14, color="#999999", label="one seed", zorder=2)
        ax.plot(mean.index, mean.to_numpy(), marker="o", color="#C44E52", label="mean over seeds", zorder=3)
        if chosen is not None:
            ax.axvline(chosen, ls="--", color="#333333", lw=1)
            ax.text(chosen, ax.get_ylim()[1], f" k={chosen}", va="top", fontsize=9)
        ax.set_xlabel("k (topics per model)")
        ax.set_ylabel(name)
        ax.set_xticks(sorted(scores["k"].unique()))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].legend(fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig
