"""Figures of the documents table (notebook 01): languages, outlets and publication dates."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .style import pyplot


def plot_overview(documents: pd.DataFrame, rejected: pd.DataFrame | None = None):
    """Return a figure with documents per language, per outlet, and a histogram of dates by outlet.

    Undated documents and those without an outlet are shown as such, not dropped, so the figure
    accounts for every document.
    """
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), gridspec_kw={"width_ratios": [1, 1.4, 2.2]})
    langs = documents["lang"].fillna("und").value_counts().sort_index()
    ax = axes[0]
    ax.bar(langs.index, langs.values, color="#4c72b0")
    ax.set_title("Documents per language")
    ax.set_xlabel("language (ISO 639-1)")
    ax.set_ylabel("documents")
    ax.yaxis.get_major_locator().set_params(integer=True)

    outlets = documents["outlet"].fillna("(no outlet found)").value_counts().sort_values()
    ax = axes[1]
    ax.barh(outlets.index, outlets.values, color="#55a868")
    ax.set_title("Documents per outlet")
    ax.set_xlabel("documents")
    ax.xaxis.get_major_locator().set_params(integer=True)

    ax = axes[2]
    n_dated, n_undated, unit = plot_dates_histogram(documents, ax=ax)
    ax.set_title(f"Documents per {unit} by outlet ({n_dated:,} dated, {n_undated:,} undated)")
    if rejected is not None and len(rejected):
        fig.suptitle(f"{len(documents)} documents loaded, {len(rejected)} inputs rejected", y=1.02)
    else:
        fig.suptitle(f"{len(documents)} documents loaded, none rejected", y=1.02)
    fig.tight_layout()
    return fig


#: Outlets drawn on their own in the date histogram; the others are pooled as "other outlets".
MAX_OUTLETS = 8


def _period(span_days: float) -> tuple[str, str]:
    """The bin of the date histogram for a span of dates: (pandas frequency, word)."""
    if span_days > 3 * 365:
        return "Y", "year"
    if span_days > 120:
        return "M", "month"
    if span_days > 21:
        return "W", "week"
    return "D", "day"


def plot_dates_histogram(documents: pd.DataFrame, *, ax=None, max_outlets: int = MAX_OUTLETS):
    """Draw documents per period (day, week, month or year, by the span of dates) stacked by outlet.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``published``; ``outlet`` when present (missing: "(no outlet found)").
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    max_outlets : int
        The largest outlets get their own colour; the others are pooled as "other outlets".

    Returns
    -------
    tuple
        ``(dated documents, undated documents, the period's name)``. A strip of one dot per
        document turns into one solid bar on a corpus of thousands; counts per period show how
        many documents each month (and outlet) holds, and where months are sparse.
    """
    if ax is None:
        plt = pyplot()
        _, ax = plt.subplots(figsize=(8, 4))
    published = pd.to_datetime(documents["published"], errors="coerce") if "published" in documents else \
        pd.Series(pd.NaT, index=documents.index)
    if getattr(published.dt, "tz", None) is not None:
        published = published.dt.tz_localize(None)
    outlets = documents["outlet"].fillna("(no outlet found)").astype(str) if "outlet" in documents else \
        pd.Series("(no outlet found)", index=documents.index)
    dated = published.notna()
    n_dated, n_undated = int(dated.sum()), int((~dated).sum())
    if not n_dated:
        ax.text(0.5, 0.5, "no dated document", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
        return n_dated, n_undated, "period"
    span = (published[dated].max() - published[dated].min()).days
    freq, unit = _period(span)
    periods = published[dated].dt.to_period(freq)
    top = outlets[dated].value_counts()
    keep = sorted(top.index[:max_outlets]) if len(top) > max_outlets + 1 else sorted(top.index)
    names = outlets[dated].where(outlets[dated].isin(keep), "other outlets")
    table = pd.crosstab(periods, names)
    full = pd.period_range(periods.min(), periods.max(), freq=freq)
    table = table.reindex(full, fill_value=0)
    cols = [c for c in keep if c in table.columns] + (["other outlets"] if "other outlets" in table.columns else [])
    table = table[cols]
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    for col in cols:
        ax.bar(x, table[col].to_numpy(), bottom=bottom, width=0.85, label=col, zorder=3)
        bottom += table[col].to_numpy()
    step = max(1, int(np.ceil(len(table) / 14)))
    ax.set_xticks(x[::step], [str(p) for p in table.index[::step]], rotation=30, ha="right")
    ax.set_xlim(-0.6, len(table) - 0.4)
    ax.set_ylabel(f"documents per {unit}")
    ax.set_xlabel("published")
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="outlet", fontsize=8, loc="best")
    return n_dated, n_undated, unit
