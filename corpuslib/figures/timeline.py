"""Figures of the timeline (notebook 04): one lane per outlet or per kind, labels that do not overlap.

The time axis spans the corpus's publication period when it is given; events dated outside it (the issue
dates of older documents the articles cite) go to a separate strip with its own axis, so a few old dates
do not squeeze a year of news into a sliver.

A handful of events is drawn one row per event (and lane), label beside its marker, so no two labels
can collide. Hundreds of events are summarized: a month × lane heat map of event counts above the top
events (most sources first) drawn the same row-per-event way.
"""
from __future__ import annotations

import pandas as pd

from .style import pyplot

#: One colour per event kind (colour-blind-safe Tableau 10 order).
KIND_COLORS = {
    "plenum": "#4e79a7", "congress": "#f28e2b", "seminar": "#59a14f", "dialogue": "#b07aa1",
    "conference": "#e15759", "meeting": "#76b7b2", "appointment": "#edc948", "decision": "#9c755f",
    "document": "#7f7f7f",
}
_UNKNOWN_OUTLET = "(outlet unknown)"


def _to_ts(v):
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return pd.NaT
    return pd.Timestamp(v)


def _lane_rows(timeline: pd.DataFrame, lanes: str) -> pd.DataFrame:
    """One row per (event, lane): an event reported by two outlets appears in both outlet lanes."""
    if lanes not in ("outlet", "kind"):
        raise ValueError(f"lanes must be 'outlet' or 'kind', not {lanes!r}")
    df = timeline.copy()
    if lanes == "outlet":
        df["lane"] = df["outlets"].map(lambda xs: list(xs) if xs is not None and len(xs) else [_UNKNOWN_OUTLET])
        df = df.explode("lane")
    else:
        df["lane"] = df["kind"]
    df["x0"] = df["date_start"].map(_to_ts)
    df["x1"] = df["date_end"].map(_to_ts)
    return df.dropna(subset=["x0"]).reset_index(drop=True)


def _width(s: str) -> float:
    """Approximate width in Latin characters (CJK characters are about 1.7 wide)."""
    return sum(1.7 if ord(c) >= 0x2E80 else 1.0 for c in s)


def _short(s: str, n: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _draw_rows(ax, rows: pd.DataFrame, lanes: str, label_chars: int, span=None) -> None:
    """Draw one event per row, grouped in lane bands; labels go on the side with more room.

    ``span`` (start, end timestamps) fixes the time axis; by default it spans the rows.
    """
    import matplotlib.dates as mdates

    order = (rows.groupby("lane")["x0"].min().sort_values().index.tolist())
    rows = rows.assign(_lane=rows["lane"].map(order.index)).sort_values(["_lane", "x0", "kind", "label"])
    n = len(rows)
    y = list(range(n, 0, -1))
    lo, hi = rows["x0"].min(), rows["x1"].fillna(rows["x0"]).max()
    if span is not None:
        lo, hi = min(lo, span[0]), max(hi, span[1])
    if hi - lo < pd.Timedelta(days=60):   # a lone event: a two-month axis, not hours
        mid = lo + (hi - lo) / 2
        lo, hi = mid - pd.Timedelta(days=30), mid + pd.Timedelta(days=30)
    span = max((hi - lo).days, 30)
    pad = pd.Timedelta(days=span * 0.04)
    ax.set_xlim(lo - pad, hi + pad)
    xmin, xmax = lo - pad, hi + pad
    total = xmax - xmin
    # about 0.068 in per character at 8 pt; the axes take about 80 % of the figure width
    chars_across = ax.figure.get_size_inches()[0] * 0.8 / 0.068
    ticks, names = [], []
    for k, (lane, grp) in enumerate(rows.groupby("_lane", sort=True)):
        ys = [y[i] for i in range(n) if rows["_lane"].iloc[i] == lane]
        top, bottom = max(ys) + 0.5, min(ys) - 0.5
        if k % 2 == 0:
            ax.axhspan(bottom, top, color="#f2f2f2", zorder=0)
        ticks.append((top + bottom) / 2)
        names.append(_short(order[lane], 28))
    for yi, r in zip(y, rows.itertuples(index=False)):
        color = KIND_COLORS.get(r.kind, "#333333")
        low = r.confidence == "low"
        x0 = r.x0
        if r.granularity != "day" and pd.notna(r.x1) and r.x1 > r.x0:
            ax.plot([r.x0, r.x1], [yi, yi], color=color, lw=5, alpha=0.6, solid_capstyle="butt", zorder=2)
        ax.scatter([x0], [yi], s=42, zorder=3, color="white" if low else color, edgecolors=color, linewidths=1.5)
        n_src = int(r.n_sources) if pd.notna(r.n_sources) else 1
        planned = str(getattr(r, "planned", False)).lower() in ("true", "1")
        prefix = f"{r.date}{' ?' if low else ''}{' (planned)' if planned else ''}  "
        suffix = f" ({n_src} sources)" if n_src > 1 else ""
        if lanes == "outlet":
            suffix += f"  [{r.kind}]"
        elif r.outlets is not None and len(r.outlets):
            suffix += f"  [{', '.join(r.outlets)}]"
        label = _short(r.label, label_chars)
        # room on each side in characters; the label goes where it fits (its text cut when neither side does)
        xend = r.x1 if pd.notna(r.x1) and r.x1 > x0 else x0
        room_right = (xmax - xend) / total * chars_across
        room_left = (x0 - xmin) / total * chars_across
        need = _width(prefix + label + suffix)
        right = room_right >= need or (room_left < need and room_right >= room_left)
        room = (room_right if right else room_left) - 2
        while _width(prefix + label + suffix) > room and len(label) > 20:
            label = _short(label, len(label) - 4)
        text = prefix + label + suffix
        xt = xend + pad / 3 if right else x0 - pad / 3
        ax.text(xt, yi, text, va="center", ha="left" if right else "right", fontsize=8, zorder=4,
                clip_on=False)
    ax.set_yticks(ticks, names)
    ax.set_ylim(0.4, n + 0.6)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", alpha=0.3)
    loc = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _legend(fig, kinds, *, anchor_y: float) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color=KIND_COLORS.get(k, "#333"), label=k) for k in kinds]
    handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="white", markeredgecolor="#555",
                          label="date uncertain (?)"))
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, anchor_y))


def _rank(timeline: pd.DataFrame) -> pd.DataFrame:
    """Most salient (else most reported) first, then more certain, then earlier."""
    conf = timeline["confidence"].map({"high": 0, "medium": 1, "low": 2}).fillna(3)
    score = timeline["salience"] if "salience" in timeline else timeline["n_sources"]
    return timeline.assign(_n=-pd.to_numeric(score, errors="coerce").fillna(0), _c=conf).sort_values(
        ["_n", "_c", "date_start"], kind="stable").drop(columns=["_n", "_c"])


def _split_period(timeline: pd.DataFrame, period) -> tuple[pd.DataFrame, pd.DataFrame, tuple | None]:
    """(rows inside the publication period, rows outside it, the period as timestamps)."""
    if period is None:
        return timeline, timeline.iloc[0:0], None
    lo, hi = _to_ts(period[0]), _to_ts(period[1])
    if pd.isna(lo) or pd.isna(hi) or hi < lo:
        raise ValueError(f"period must be two dates, the first not after the second, not {period!r}")
    # a month's grace after the last article: events announced for the weeks after it stay on the axis
    hi_grace = hi + pd.Timedelta(days=31)
    start = timeline["date_start"].map(_to_ts)
    end = timeline["date_end"].map(_to_ts).fillna(start)
    inside = (end >= lo) & (start <= hi_grace)
    return timeline[inside], timeline[~inside], (lo, hi)


def plot_timeline(timeline: pd.DataFrame, lanes: str = "outlet", *, max_events: int = 30,
                  label_chars: int = 70, title: str | None = None, period=None, top_n: int = 0):
    """Return a timeline figure with one lane per outlet (``lanes="outlet"``) or per event kind.

    Parameters
    ----------
    timeline : pandas.DataFrame
        Output of :func:`corpuslib.analysis.timeline.build_timeline` (possibly filtered).
    lanes : {"outlet", "kind"}
        What a lane is. An event several outlets reported appears in each of their lanes.
    max_events : int
        Up to this many events are all drawn, one row each. Beyond it the figure shows a month × lane heat
        map of event counts and, below it, the ``max_events`` events reported by the most articles (one row
        each, grouped by kind, outlets named in the label).
    label_chars : int
        Labels are cut to this many characters.
    title : str, optional
        Figure title (default says how many events and sources are shown).
    period : (date, date), optional
        The corpus's publication period (first and last article). The time axis spans it; events dated
        outside it (older documents the articles cite, plans years ahead) are drawn in a separate strip
        above, with their own axis. By default the axis spans the events.
    top_n : int
        Draw only the ``top_n`` most salient events of the period (and, in the strip, the most salient
        quarter as many from outside it, at least 5); 0 draws every event.

    Returns
    -------
    matplotlib.figure.Figure
        Marker colour = kind; hollow marker and ``?`` = date of low confidence; bars = month, quarter,
        year or multi-day precision.
    """
    plt = pyplot()
    if timeline is None or not len(timeline):
        fig, ax = plt.subplots(figsize=(8, 2))
        ax.text(0.5, 0.5, "no dated events in the selection", ha="center", va="center")
        ax.set_axis_off()
        return fig
    n_docs = len({d for ds in timeline["doc_ids"] for d in ds})
    kinds = [k for k in KIND_COLORS if k in set(timeline["kind"])]
    inside, outside, span = _split_period(timeline, period)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 0:
        raise ValueError(f"top_n must be a non-negative int, not {top_n!r}")
    if top_n:
        # the period's most salient events; the strip keeps a few, so old dates do not crowd out the period
        inside = _rank(inside).head(top_n).sort_values("date_start", kind="stable")
        outside = _rank(outside).head(max(5, top_n // 4)).sort_values("date_start", kind="stable")
    if len(outside) > max_events:
        outside = _rank(outside).head(max_events)
    strip = _lane_rows(outside, "kind") if len(outside) else None
    h_strip = 0.3 * len(strip) + 1.2 if strip is not None else 0.0
    period_text = f" ({span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d})" if span else ""
    n_docs_out = int((outside["kind"] == "document").sum()) if len(outside) else 0
    strip_title = (f"{len(outside)} event(s) dated outside the publication period{period_text}: "
                   f"{n_docs_out} issue date(s) of documents the articles cite, {len(outside) - n_docs_out} other")

    if len(inside) <= max_events:
        rows = _lane_rows(inside, lanes) if len(inside) else None
        h_rows = 0.3 * len(rows) + 1.6 if rows is not None else 1.0
        if strip is None:
            fig, ax = plt.subplots(figsize=(14, h_rows))
            axes = [ax]
        else:
            fig, axes = plt.subplots(2, 1, figsize=(14, h_strip + h_rows + 0.6),
                                     gridspec_kw={"height_ratios": [h_strip, h_rows]})
            _draw_rows(axes[0], strip, "kind", label_chars)
            axes[0].set_title(strip_title, loc="left", fontsize=10)
        ax = axes[-1]
        if rows is not None:
            _draw_rows(ax, rows, lanes, label_chars, span=span)
        else:
            ax.text(0.5, 0.5, "no events in the publication period", ha="center", va="center")
            ax.set_axis_off()
        shown = f"the {len(inside) + len(outside)} most salient of {len(timeline)}" if top_n else f"{len(timeline)}"
        fig.suptitle(title or f"{shown} events from {n_docs} articles, one lane per {lanes}"
                     + (f"; time axis = publication period{period_text}" if span else ""),
                     x=0.01, y=0.998, ha="left", va="top", fontsize=11)
        top = 1 - 0.4 / fig.get_size_inches()[1]   # room for the title above the axes
        fig.tight_layout(rect=(0, 0.06 if strip is None else 0.04, 1, top))
        _legend(fig, kinds, anchor_y=0.0)
        return fig

    # the top events once each (grouped by kind); the heat map above keeps the requested lanes
    top = _rank(inside).head(max_events)
    rows = _lane_rows(top, "kind")
    heat = _month_counts(inside, lanes, span=span)
    h_heat = 0.45 * len(heat) + 1.6
    h_rows = 0.3 * len(rows) + 1.2
    heights = ([h_strip] if strip is not None else []) + [h_heat, h_rows]
    fig, axes = plt.subplots(len(heights), 1, figsize=(14, sum(heights) + 0.8),
                             gridspec_kw={"height_ratios": heights})
    if strip is not None:
        _draw_rows(axes[0], strip, "kind", label_chars)
        axes[0].set_title(strip_title, loc="left", fontsize=10)
    ax0, ax1 = axes[-2], axes[-1]
    _draw_heat(ax0, heat)
    ax0.set_title(title or f"{len(timeline)} events from {n_docs} articles: events per month and {lanes}"
                  + period_text, loc="left", fontsize=11)
    _draw_rows(ax1, rows, "kind", label_chars, span=span)
    ax1.set_title(f"The {len(top)} most salient events of the period (sources, outlets, kind; one lane per kind)",
                  loc="left", fontsize=10)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    _legend(fig, kinds, anchor_y=0.0)
    return fig


def _month_counts(timeline: pd.DataFrame, lanes: str, max_lanes: int = 12, span=None) -> pd.DataFrame:
    """Events per month (rows: lanes, most events first; columns: every month of the span)."""
    rows = _lane_rows(timeline, lanes)
    rows = rows[rows["granularity"].isin(["day", "month", "range"])]
    if not len(rows):
        return pd.DataFrame()
    rows = rows.assign(month=rows["x0"].dt.to_period("M"))
    counts = rows.groupby(["lane", "month"]).size().unstack(fill_value=0)
    order = counts.sum(axis=1).sort_values(ascending=False).index
    counts = counts.loc[order]
    if len(counts) > max_lanes:
        rest = counts.iloc[max_lanes - 1:].sum().rename("(other)")
        counts = pd.concat([counts.iloc[: max_lanes - 1], rest.to_frame().T])
    first, last = counts.columns.min(), counts.columns.max()
    if span is not None:
        first, last = min(first, span[0].to_period("M")), max(last, span[1].to_period("M"))
    months = pd.period_range(first, last, freq="M")
    return counts.reindex(columns=months, fill_value=0)


def _draw_heat(ax, heat: pd.DataFrame) -> None:
    if not len(heat):
        ax.text(0.5, 0.5, "no events with day or month precision", ha="center", va="center")
        ax.set_axis_off()
        return
    im = ax.imshow(heat.values, aspect="auto", cmap="Blues", vmin=0)
    ax.set_yticks(range(len(heat)), [_short(i, 28) for i in heat.index])
    step = max(1, len(heat.columns) // 24)
    ax.set_xticks(range(0, len(heat.columns), step), [str(p) for p in heat.columns[::step]], rotation=45,
                  ha="right", fontsize=8)
    vmax = heat.values.max()
    if heat.shape[1] <= 40:
        for i in range(heat.shape[0]):
            for j in range(heat.shape[1]):
                v = heat.values[i, j]
                if v:
                    ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                            color="white" if v > vmax * 0.6 else "black")
    ax.figure.colorbar(im, ax=ax, fraction=0.02, pad=0.01, label="events")
