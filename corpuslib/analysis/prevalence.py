"""Topic prevalence: how much of each group's (outlet, language, period) documents each topic holds.

:func:`topic_prevalence` turns the ``doc_topics`` table of :class:`corpuslib.analysis.topics.TopicModel`
into one row per group and topic: the mean topic weight of the group's documents and the share of
them whose dominant topic it is.
"""
from __future__ import annotations

import math

from corpuslib.analysis.topics import dominant_topics

__all__ = ["topic_prevalence"]

_UNKNOWN = "(none)"
_UNDATED = "(undated)"


def _group_labels(documents: "pd.DataFrame", col: str, period: str | None):
    """Return (labels Series, ordered list of all levels incl. empty periods, period starts or None)."""
    import pandas as pd

    s = documents[col]
    is_date = pd.api.types.is_datetime64_any_dtype(s)
    if not is_date and col in ("published", "date") and s.notna().any():
        conv = pd.to_datetime(s, errors="coerce")
        is_date = conv.notna().any()
        s = conv if is_date else s
    if is_date and period:
        p = s.dt.to_period(period)
        valid = p.dropna()
        levels = []
        starts = {}
        if len(valid):
            rng = pd.period_range(valid.min(), valid.max(), freq=period)
            levels = [str(x) for x in rng]
            starts = {str(x): x.start_time for x in rng}
        labels = p.map(lambda x: str(x) if pd.notna(x) else _UNDATED)
        if labels.eq(_UNDATED).any():
            levels.append(_UNDATED)
        return labels.astype(str), levels, starts
    labels = s.map(lambda v: _UNKNOWN if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                   or (isinstance(v, str) and not v.strip()) else str(v))
    return labels.astype(str), sorted(labels.unique()), None


def topic_prevalence(doc_topics: "pd.DataFrame", documents: "pd.DataFrame", by: str | list[str] = "outlet", *,
                     period: str | None = "M") -> "pd.DataFrame":
    """Return the mean topic weight of the documents of each group (outlet, language, period, ...).

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        ``doc_id, topic, weight`` (as :meth:`TopicModel.doc_topics` returns). Not modified.
    documents : pandas.DataFrame
        The documents table, with ``doc_id`` and the ``by`` columns.
    by : str or list of str, default "outlet"
        Document column(s) to group by. A date column (``published``) is cut into ``period``\\s and
        every period between the first and the last is listed, empty ones included.
    period : str or None, default "M"
        pandas period alias for date columns (``D``, ``W``, ``M``, ``Q``, ``Y``).

    Returns
    -------
    pandas.DataFrame
        ``*by, topic, weight, documents, dominant, share, group_documents`` (+ ``period_start``
        when a date column was cut): ``weight`` is the mean weight of the topic over the group's
        documents that its model covers (with per-language models, the group's documents of the
        topic's language; NaN when there is none, e.g. an empty period), ``documents`` how many
        documents that mean is over, ``dominant`` how many of them the topic dominates, ``share``
        ``dominant / documents`` (NaN without documents), ``group_documents`` the group's documents
        in every language. Missing values become ``(none)`` (``(undated)`` for dates). One row per
        group and topic, sorted.
    """
    import itertools

    import numpy as np
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in ["doc_id", *by] if c not in documents.columns]
    if missing:
        raise ValueError(f"documents lacks column(s) {missing}")
    docs = documents.drop_duplicates("doc_id").copy()
    docs["doc_id"] = docs["doc_id"].astype(str)
    docs = docs[docs["doc_id"].isin(set(doc_topics["doc_id"].astype(str)))]
    levels, starts = {}, {}
    keys = pd.DataFrame({"doc_id": docs["doc_id"].to_numpy()})
    for col in by:
        labels, lv, st = _group_labels(docs, col, period)
        keys[col] = labels.to_numpy()
        levels[col] = lv
        if st is not None:
            starts[col] = st
    dt = doc_topics.assign(doc_id=doc_topics["doc_id"].astype(str))
    topics = sorted(dt["topic"].astype(str).unique())
    # NaN where a document has no row for a topic (a topic of another language's model)
    wide = dt.pivot_table(index="doc_id", columns="topic", values="weight", aggfunc="sum")
    wide = wide.reindex(index=keys["doc_id"], columns=topics)
    dom = dominant_topics(dt).set_index("doc_id")["topic"].reindex(keys["doc_id"])
    grid = pd.DataFrame(list(itertools.product(*(levels[c] for c in by))), columns=by) if by else pd.DataFrame()
    rows = []
    values = wide.to_numpy(dtype=np.float64)
    gkeys = keys[by].astype(str).agg("\x1f".join, axis=1).to_numpy()
    for _, g in grid.iterrows():
        gk = "\x1f".join(str(g[c]) for c in by)
        mask = gkeys == gk
        block = values[mask]
        ns = np.isfinite(block).sum(axis=0)
        with np.errstate(invalid="ignore"):
            means = np.where(ns > 0, np.nansum(block, axis=0) / np.maximum(ns, 1), np.nan)
        doms = dom.to_numpy()[mask]
        for t, mval, n in zip(topics, means, ns):
            n_dom = int(sum(1 for x in doms if x == t))
            rows.append([*(g[c] for c in by), t, float(mval), int(n), n_dom, n_dom / n if n else float("nan"),
                         int(mask.sum())])
    out = pd.DataFrame(rows, columns=[*by, "topic", "weight", "documents", "dominant", "share", "group_documents"])
    for col, st in starts.items():
        out["period_start"] = out[col].map(st)
    out = out.astype({"topic": "str", "weight": "float64", "documents": "int64", "dominant": "int64",
                      "share": "float64", "group_documents": "int64"})
    # keep the grid order (periods in time order, "(undated)" last), topics sorted within a group
    return out.reset_index(drop=True)
