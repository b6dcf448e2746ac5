"""Figures of the documents table (notebook 01): languages, outlets and publication dates."""
from __future__ import annotations

import pandas as pd

from .style import pyplot


def plot_overview(documents: pd.DataFrame, rejected: pd.DataFrame | None = None):
    """Return a figure with documents per language, per outlet, and publication dates by outlet.

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
    dated = documents.dropna(subset=["published"])
    labels = documents["outlet"].fillna("(no outlet found)")
    order = sorted(labels.unique())
    ypos = {o: i for i, o in enumerate(order)}
    for lang, grp in dated.groupby(dated["lang"].fillna("und")):
        ax.scatter(grp["published"], [ypos[labels[i]] for i in grp.index], label=lang, s=60, zorder=3)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(-0.7, len(order) - 0.3)
    n_undated = len(documents) - len(dated)
    ax.set_title(f"Publication dates by outlet ({len(dated)} dated, {n_undated} undated)")
    ax.set_xlabel("published")
    ax.grid(axis="x", alpha=0.3)
    if len(dated):
        ax.legend(title="language", loc="best", fontsize=8)
        ax.tick_params(axis="x", labelrotation=30)
    if rejected is not None and len(rejected):
        fig.suptitle(f"{len(documents)} documents loaded, {len(rejected)} inputs rejected", y=1.02)
    else:
        fig.suptitle(f"{len(documents)} documents loaded, none rejected", y=1.02)
    fig.tight_layout()
    return fig
