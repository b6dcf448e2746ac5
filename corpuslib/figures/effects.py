"""Figure of topic effects (notebook 02): expected topic shares by outlet and over time, with intervals.

:func:`plot_topic_effects` draws the table of :func:`corpuslib.analysis.prevalence.topic_effects`:
on the left, each topic's expected share per outlet as a point with its interval (filled when the
outlet's difference from the reference outlet excludes 0); on the right, one small panel per topic
with the expected share over time as a line and its interval as a ribbon, periods with few
documents shaded grey. Every estimate is drawn with its interval.
"""
from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

from .style import hide_unused_panels, pyplot

__all__ = ["plot_topic_effects"]


def _label(topic: str, labels: Mapping | None, width: int = 30) -> str:
    text = f"{topic}  {labels[topic]}" if labels and topic in labels else str(topic)
    return "\n".join(textwrap.wrap(text, width, max_lines=2, placeholder=" …")) or str(topic)


def plot_topic_effects(effects: "pd.DataFrame", *, outlet: str = "outlet", time: str = "published",
                       labels: Mapping | None = None, topics: list[str] | None = None, max_topics: int = 12,
                       sparse: int = 5, ncols: int = 3, ci: float = 0.95, title: str | None = None) -> "Figure":
    """Return point ranges of each topic's expected share by outlet and ribbons of it over time.

    Parameters
    ----------
    effects : pandas.DataFrame
        :func:`corpuslib.analysis.prevalence.topic_effects` output (``topic, covariate, level,
        reference, time, estimate, low, high, documents, stability``).
    outlet, time : str
        The covariate names used there (rows ``covariate == outlet``, ``<outlet>_difference``, ``time``).
    labels : mapping, optional
        ``topic -> label``.
    topics : list of str, optional
        Topics to draw (default: the ``max_topics`` with the largest mean expected share).
    sparse : int, default 5
        Periods with fewer documents are shaded grey in the time panels (their ribbon is wide for a reason).
    ncols : int, default 3
        Time panels per row.
    ci : float, default 0.95
        Level of the intervals (for the axis labels).
    title : str, optional
    """
    import numpy as np

    plt = pyplot()
    eff = effects.copy()
    eff["topic"] = eff["topic"].astype(str)
    by_outlet = eff[(eff["covariate"] == outlet) & eff["estimate"].notna()]
    diffs = eff[eff["covariate"] == f"{outlet}_difference"]
    over = eff[(eff["covariate"] == time) & eff["estimate"].notna()].copy()
    if topics is None:
        pool = by_outlet if len(by_outlet) else over
        mean = pool.groupby("topic")["estimate"].mean().sort_values(ascending=False, kind="stable")
        topics = sorted(mean.index[:max_topics])
    topics = [str(t) for t in topics]
    has_outlet, has_time = len(by_outlet) > 0, len(over) > 0
    if not topics or not (has_outlet or has_time):
        fig, ax = plt.subplots(figsize=(6, 2))
        ax.text(0.5, 0.5, "no topic effects to draw", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ncols = max(1, min(ncols, len(topics)))
    nrows = -(-len(topics) // ncols) if has_time else 0
    width_l = (5.2 if has_time else 8.0) if has_outlet else 0
    width_r = 3.1 * ncols if has_time else 0
    height = max(0.55 * len(topics) + 2.0, 2.1 * nrows + 1.4)
    fig = plt.figure(figsize=(width_l + width_r, height), layout="constrained")
    ratios = [r for r in (width_l, width_r) if r]
    subs = fig.subfigures(1, len(ratios), width_ratios=ratios, squeeze=False)[0]
    pct = ci * 100
    if has_outlet:
        ax = subs[0].subplots()
        levels = sorted(by_outlet["level"].astype(str).unique())
        ref = diffs["reference"].dropna().astype(str)
        ref = ref.iloc[0] if len(ref) else None
        from matplotlib.lines import Line2D

        cmap = plt.get_cmap("tab10")
        handles = []
        step = 0.7 / max(len(levels), 1)
        for i, lv in enumerate(levels):
            rows = by_outlet[by_outlet["level"].astype(str) == lv].set_index("topic").reindex(topics)
            d = diffs[diffs["level"].astype(str) == lv].set_index("topic").reindex(topics)
            clear = ((d["low"] > 0) | (d["high"] < 0)).to_numpy()
            y = np.arange(len(topics))[::-1] + (i - (len(levels) - 1) / 2) * step
            est = rows["estimate"].to_numpy(float)
            err = np.vstack([est - rows["low"].to_numpy(float), rows["high"].to_numpy(float) - est])
            color = cmap(i % 10)
            name = f"{lv} (reference)" if lv == ref else lv
            ax.errorbar(est, y, xerr=np.nan_to_num(err), fmt="none", ecolor=color, elinewidth=1.4, capsize=0)
            face = [color if (c or lv == ref) else "white" for c in clear]
            ax.scatter(est, y, s=28, facecolors=face, edgecolors=[color], linewidths=1.2, zorder=3, label=name)
            # the legend shows the outlet's colour filled, whatever its first point is
            handles.append(Line2D([], [], ls="", marker="o", ms=6, color=color, label=name))
        ax.set_yticks(np.arange(len(topics))[::-1], [_label(t, labels) for t in topics], fontsize=8)
        ax.set_xlabel(f"expected topic share of a document ({pct:.0f} % interval)", fontsize=9)
        ax.set_xlim(left=0)
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(topics) > 4 else -0.25),
                  ncol=min(3, len(levels)), frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        left_note = "hollow: difference from the reference includes 0" if ref else ""
        small = eff[(eff["covariate"] == outlet) & eff["estimate"].isna()]["level"].astype(str).unique()
        if len(small):
            left_note += ("\n" if left_note else "") + "left out (too few documents): " + \
                textwrap.shorten(", ".join(sorted(small)), 70, placeholder=" …")
        notes = " ".join(eff["note"].dropna().astype(str)) if "note" in eff else ""
        when = "time left out (most documents undated)" if "time left out" in notes else \
            ("at the corpus's mean time" if has_time else "time not in the model")
        subs[0].suptitle(f"By {outlet}, {when}" + (f"\n{left_note}" if left_note else ""), fontsize=10)
    if has_time:
        sub = subs[-1]
        axes = sub.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
        over["time"] = over["time"].astype("datetime64[ns]")
        top = float(over[over["topic"].isin(topics)]["high"].max())
        for ax, t in zip(axes.ravel(), topics):
            g = over[over["topic"] == t].sort_values("time")
            ax.fill_between(g["time"], g["low"], g["high"], color="#4C72B0", alpha=0.25, lw=0)
            ax.plot(g["time"], g["estimate"], color="#4C72B0", lw=1.6)
            few = g[g["documents"] < sparse]
            if len(g) > 1:
                half = (g["time"].diff().median()) / 2
                for when in few["time"]:
                    ax.axvspan(when - half, when + half, color="#BBBBBB", alpha=0.45, lw=0)
            ax.set_title(_label(t, labels, 34), fontsize=8, loc="left")
            ax.set_ylim(0, max(top, 1e-6) * 1.05)
            ax.tick_params(labelsize=7)
            ax.tick_params(axis="x", labelrotation=30)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        hide_unused_panels(axes, len(topics), ncols)
        sub.supylabel(f"expected share ({pct:.0f} % interval)", fontsize=9)
        grey = f"; grey: periods with fewer than {sparse} documents" if (over["documents"] < sparse).any() else ""
        sub.suptitle(f"Over time ({time}), at the corpus's {outlet} mix{grey}", fontsize=10)
    stab = eff.groupby("topic")["stability"].first()
    unstable = [t for t in topics if t in stab and stab[t] < 0.5]
    extra = f"; unstable across refits (similarity < 0.5): {', '.join(unstable)}" if unstable else ""
    fig.suptitle(title or f"Topic effects: expected shares with {pct:.0f} % intervals (documents resampled, "
                 f"model refitted){extra}", fontsize=11)
    return fig
