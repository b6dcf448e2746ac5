"""Topic prevalence and topic effects: how much of each group's documents each topic holds, with intervals.

:func:`topic_prevalence` turns the ``doc_topics`` table of :class:`corpuslib.analysis.topics.TopicModel`
into one row per group (outlet, language, period) and topic: the mean topic weight of the group's
documents and the share of them whose dominant topic it is, each with a document-level interval
(:func:`corpuslib.analysis.intervals.share_intervals`; the document is the unit).

:func:`topic_effects` is stm's ``estimateEffect``: each topic's document shares regressed on the outlet
and a spline of time, with intervals that pool resampled documents and refits of the topic model
(topics matched across fits by :func:`align_topics`, Hungarian matching of their term vectors), so a
topic that does not come back from fit to fit gets wide intervals. Simulated check
(``tests/analysis/test_prevalence.py``, ``benchmarks/topic_effects.py coverage``): the intervals of known
outlet differences cover the truth in about 90-95 % of repetitions (the percentile bootstrap is a little
narrow).
"""
from __future__ import annotations

import math

from corpuslib.analysis.topics import dominant_topics

__all__ = ["topic_prevalence", "topic_effects", "align_topics", "EFFECT_COLUMNS"]

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
                     period: str | None = "M", ci: float = 0.95, method: str = "cluster", n_boot: int = 2000,
                     random_state: int = 0) -> "pd.DataFrame":
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
    ci : float, default 0.95
        Level of the intervals of ``weight`` and ``share``.
    method : {"cluster", "bootstrap"}, default "cluster"
        How the intervals are computed, with the document as the unit
        (:func:`corpuslib.analysis.intervals.share_intervals`): the cluster-robust logit interval
        (analytic), or the document-level percentile bootstrap (``n_boot`` resamples, seeded by
        ``random_state``).
    n_boot, random_state : int
        Bootstrap resamples and seed (``method="bootstrap"`` only).

    Returns
    -------
    pandas.DataFrame
        ``*by, topic, weight, weight_low, weight_high, documents, dominant, share, share_low,
        share_high, group_documents`` (+ ``period_start``
        when a date column was cut): ``weight`` is the mean weight of the topic over the group's
        documents that its model covers (with per-language models, the group's documents of the
        topic's language; NaN when there is none, e.g. an empty period), ``documents`` how many
        documents that mean is over, ``dominant`` how many of them the topic dominates, ``share``
        ``dominant / documents`` (NaN without documents), ``group_documents`` the group's documents
        in every language. Missing values become ``(none)`` (``(undated)`` for dates). One row per
        group and topic, sorted. ``*_low``/``*_high`` bound the ``ci`` interval of the measure over
        the group's documents (NaN without documents; a share of 0 still gets an upper bound).
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
    out = _with_intervals(out, keys, wide, dom, by, topics, ci=ci, method=method, n_boot=n_boot,
                          random_state=random_state)
    # keep the grid order (periods in time order, "(undated)" last), topics sorted within a group
    return out.reset_index(drop=True)


def _with_intervals(out, keys, wide, dom, by, topics, *, ci, method, n_boot, random_state):
    """Add ``weight_low/high`` and ``share_low/high``: document-level intervals of each group's measure."""
    import numpy as np
    import pandas as pd

    from corpuslib.analysis.intervals import share_intervals

    values = wide.to_numpy(dtype=np.float64)
    rows, cols = np.nonzero(np.isfinite(values))   # the documents each topic's model covers
    long = keys.iloc[rows][by].reset_index(drop=True)
    long["topic"] = np.asarray(topics, dtype=object)[cols]
    # float noise can put a weight a hair above 1; the share of a document is in [0, 1]
    long["weight"] = np.clip(values[rows, cols], 0.0, 1.0)
    long["dominant"] = (dom.to_numpy()[rows].astype(object) == long["topic"].to_numpy()).astype(np.float64)
    long["one"] = 1.0
    new = out
    for measure in ("weight", "dominant"):
        name = "share" if measure == "dominant" else measure
        iv = share_intervals(long, by=[*by, "topic"], numerator=measure, denominator="one", ci=ci,
                             method=method, n_boot=n_boot, random_state=random_state)
        iv = iv[[*by, "topic", "low", "high"]].rename(columns={"low": f"{name}_low", "high": f"{name}_high"})
        new = new.merge(iv, on=[*by, "topic"], how="left", validate="one_to_one")
    order = []
    for c in out.columns:
        order.append(c)
        if c in ("weight", "share"):
            order += [f"{c}_low", f"{c}_high"]
    return new[order].astype({f"{m}_{e}": "float64" for m in ("weight", "share") for e in ("low", "high")})


# ---------------------------------------------------------------------------------------------
# Topic effects (stm's estimateEffect)
# ---------------------------------------------------------------------------------------------

#: Columns of :func:`topic_effects`.
EFFECT_COLUMNS = ("topic", "covariate", "level", "reference", "time", "estimate", "low", "high", "documents",
                  "stability", "note")


def _doc_topic_matrix(model) -> "pd.DataFrame":
    """Documents x topics of a fitted model (NaN where a topic's model does not cover the document).

    With a clustering backend (k-means) a document's weights say how near it lies to each cluster,
    not what it is made of, and they are spread thin over all clusters, which would shrink every
    effect toward 0: there the document counts wholly for its own (dominant) topic, so an effect is
    a change in the share of documents, as in :func:`topic_prevalence`'s ``share``.
    """
    import numpy as np
    import pandas as pd

    from .topic_backends import BACKENDS, get_backend

    dt = model.doc_topics()
    wide = dt.assign(doc_id=dt["doc_id"].astype(str)).pivot_table(
        index="doc_id", columns="topic", values="weight", aggfunc="sum")
    wide = wide.reindex(columns=[str(t) for t in model.topic_ids_]).sort_index()
    if getattr(model, "method", None) in BACKENDS and get_backend(model.method).hard and wide.size:
        values = wide.to_numpy(dtype=float)
        covered = ~np.isnan(values)
        has = (np.nan_to_num(values) > 0).any(axis=1)
        hard = np.where(covered, 0.0, np.nan)
        rows = np.flatnonzero(has)
        hard[rows, np.nanargmax(np.where(covered[rows], values[rows], -np.inf), axis=1)] = 1.0
        wide = pd.DataFrame(hard, index=wide.index, columns=wide.columns)
    return wide


def align_topics(reference, other) -> "pd.DataFrame":
    """Return the topic of ``other`` matched to each topic of ``reference`` (Hungarian matching, cosine).

    Parameters
    ----------
    reference, other : TopicModel
        Fitted models (``components_``, ``terms_``, ``topic_ids_``, ``topic_langs_``) of the same
        documents, e.g. two ``random_state``\\s. Topics are matched only within one language's model.

    Returns
    -------
    pandas.DataFrame
        ``topic, matched, similarity``: the cosine similarity of the two topics' term vectors
        (1 = the same topic; ``matched`` is NA and similarity 0 when ``other`` has no topic left).
    """
    import numpy as np
    import pandas as pd
    from scipy.optimize import linear_sum_assignment

    terms = sorted(set(map(str, reference.terms_)) | set(map(str, other.terms_)))
    index = {t: j for j, t in enumerate(terms)}

    def unit(m):
        a = np.zeros((len(m.topic_ids_), len(terms)))
        a[:, [index[str(t)] for t in m.terms_]] = np.asarray(m.components_, dtype=float)
        return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-300)

    sim = unit(reference) @ unit(other).T
    lang_r = np.asarray([str(x) for x in reference.topic_langs_], dtype=object)
    lang_o = np.asarray([str(x) for x in other.topic_langs_], dtype=object)
    matched = [pd.NA] * len(reference.topic_ids_)
    score = np.zeros(len(reference.topic_ids_))
    for lang in sorted(set(lang_r)):
        r, o = np.flatnonzero(lang_r == lang), np.flatnonzero(lang_o == lang)
        if not len(o):
            continue
        rows, cols = linear_sum_assignment(-sim[np.ix_(r, o)])
        for i, j in zip(rows, cols):
            matched[r[i]] = str(other.topic_ids_[o[j]])
            score[r[i]] = sim[r[i], o[j]]
    return pd.DataFrame({"topic": [str(t) for t in reference.topic_ids_], "matched": matched,
                         "similarity": np.clip(score, 0.0, 1.0)})


def _refit_seeds(model, n: int, random_state: int) -> list[int]:
    base = model.random_state if isinstance(getattr(model, "random_state", None), int) else random_state
    return [int(base) + i for i in range(1, n)]


def topic_effects(model, documents: "pd.DataFrame", tokens=None, *, outlet: str | None = "outlet",
                  time: str | None = "published", refits=None, n_refits: int = 3, n_resamples: int = 200,
                  n_knots: int = 4, period: str = "M", reference: str | None = None, min_docs: int = 20,
                  ci: float = 0.95, random_state: int = 0) -> "pd.DataFrame":
    """Return the effect of outlet and time on each topic's document share, with intervals (stm's estimateEffect).

    Each topic's document weights (its share of each document) are regressed, by least squares, on
    the outlet (one indicator per outlet but the ``reference``) and a smooth function of the
    publication time (a cubic B-spline, :class:`sklearn.preprocessing.SplineTransformer`, with
    ``n_knots`` uniform knots). The uncertainty has two sources, pooled as in stm's "method of
    composition": documents resampled with replacement (``n_resamples`` cluster-bootstrap
    resamples, the document the unit) and the topic model refitted with other ``random_state``\\s
    (``n_refits`` fits in all, topics matched to the given model's by :func:`align_topics`), so a
    topic that changes from fit to fit gets wide intervals. Bounds are percentiles of the pooled
    draws; the estimate is the given model's fit on all documents.

    Parameters
    ----------
    model : TopicModel
        A fitted :class:`corpuslib.analysis.topics.TopicModel` (its ``doc_topics()`` are the shares).
    documents : pandas.DataFrame
        The documents table (``doc_id`` and the ``outlet``/``time`` columns). Not modified.
    tokens : pandas.DataFrame, optional
        The tokens the model was fitted on; needed to refit it (``n_refits > 1`` without ``refits``).
    outlet, time : str or None
        Document columns of the group and of the date; None leaves the covariate out. Documents
        without a date are left out when ``time`` is used (a ``note`` on each row says how many);
        when fewer than half of them are dated, time is left out instead (the note says so).
    refits : list of TopicModel, optional
        Other fits of the same documents to use instead of refitting (``n_refits`` is then ignored).
    n_refits : int, default 3
        Fits of the topic model in all (the given one included; refits use ``random_state`` + 1, + 2 ...
        of the model).
    n_resamples : int, default 200
        Document resamples per fit (at least 50).
    n_knots : int, default 4
        Knots of the time spline (more knots: a more flexible curve, wider ribbons).
    period : str, default "M"
        pandas period alias of the time grid the curve is reported on (one row per period).
    reference : str, optional
        Outlet the differences are taken against (default: the outlet with most documents).
    min_docs : int, default 20
        Outlets with fewer documents (in a topic's model) are left out of that topic's regression;
        their rows carry NaN and a ``note``, never an estimate.
    ci : float, default 0.95
        Level of the intervals.
    random_state : int, default 0
        Seed of the document resamples.

    Returns
    -------
    pandas.DataFrame
        ``topic, covariate, level, reference, time, estimate, low, high, documents, stability, note``:
        ``covariate = <outlet>``: the expected share of the topic in a document of outlet ``level``
        (at the corpus's mean time basis); ``<outlet>_difference``: that share minus the
        ``reference`` outlet's; ``<time>``: the expected share in period ``level`` (starting at
        ``time``) at the corpus's outlet mix. ``documents``: the documents behind the row (of the
        outlet, of the period); ``stability``: mean cosine similarity of the topic to its match in
        the refits (1 without refits). Sorted by topic, covariate, level.
    """
    import numpy as np
    import pandas as pd
    from sklearn.base import clone

    from corpuslib.analysis.intervals import _check_ci

    ci = _check_ci(ci)
    if int(n_resamples) < 50:
        raise ValueError(f"n_resamples must be at least 50 for a {ci:.0%} interval, not {n_resamples!r}")
    if int(n_knots) < 2:
        raise ValueError(f"n_knots must be at least 2, not {n_knots!r}")
    if outlet is None and time is None:
        raise ValueError("topic_effects needs a covariate: outlet, time or both")
    for col in (outlet, time):
        if col is not None and col not in documents.columns:
            raise KeyError(f"documents lacks the column {col!r}; it has {list(documents.columns)}")
    if refits is None:
        if int(n_refits) < 1:
            raise ValueError(f"n_refits must be at least 1, not {n_refits!r}")
        if int(n_refits) > 1 and tokens is None:
            raise ValueError("refitting the topic model needs its tokens (or give refits=[...])")
        import warnings

        from corpuslib.analysis.topics import TopicModelWarning

        with warnings.catch_warnings():
            # the given model's fit has said it already (k capped, too few documents)
            warnings.simplefilter("ignore", TopicModelWarning)
            refits = [clone(model).set_params(random_state=s).fit(tokens, documents)
                      for s in _refit_seeds(model, int(n_refits), random_state)]
    ref_wide = _doc_topic_matrix(model)
    topic_ids = list(ref_wide.columns)
    wides, sims = [ref_wide], [np.ones(len(topic_ids))]
    for other in refits:
        al = align_topics(model, other)
        w = _doc_topic_matrix(other).reindex(index=ref_wide.index)
        cols = {m: t for t, m in zip(al["topic"], al["matched"]) if m is not pd.NA}
        w = w[list(cols)].rename(columns=cols).reindex(columns=topic_ids)
        wides.append(w)
        sims.append(al["similarity"].to_numpy(dtype=float))
    stability = dict(zip(topic_ids, np.mean(sims, axis=0)))

    docs = documents.drop_duplicates("doc_id").assign(doc_id=lambda d: d["doc_id"].astype(str))
    docs = docs.set_index("doc_id").reindex(ref_wide.index)
    note_all = ""
    keep = np.ones(len(docs), dtype=bool)
    t_days = None
    if time is not None:
        when = pd.to_datetime(docs[time], errors="coerce")
        if getattr(when.dt, "tz", None) is not None:
            when = when.dt.tz_localize(None)
        dated = when.notna().to_numpy()
        if outlet is not None and dated.sum() < len(docs) / 2:
            # most documents undated: the outlet comparison keeps them all and time is left out
            time = None
            note_all = f"time left out: {int(dated.sum())} of {len(docs)} documents dated"
        elif dated.sum() and when[dated].max() > when[dated].min():
            keep &= dated
            if (~keep).any():
                note_all = f"{int((~keep).sum())} undated documents left out"
            t_days = ((when - when[keep].min()).dt.total_seconds() / 86400.0).to_numpy()
        else:
            time = None  # one date: no curve to draw
    groups = None
    if outlet is not None:
        groups = _group_labels(docs.reset_index(), outlet, None)[0].to_numpy().astype(object)
    rng = np.random.default_rng(random_state)
    n = len(docs)
    # one set of resampling weights per fit, shared by every topic: a draw is a whole resampled corpus
    weights = [rng.multinomial(int(keep.sum()), np.full(int(keep.sum()), 1.0 / max(int(keep.sum()), 1)),
                               size=int(n_resamples)).astype(float) for _ in wides]
    full_w = []
    for w in weights:
        fw = np.zeros((int(n_resamples), n))
        fw[:, keep] = w
        full_w.append(fw)
    ys = [w.to_numpy(dtype=float) for w in wides]
    # topics whose models cover the same documents share one regression
    covered = np.isfinite(ys[0])
    patterns: dict[bytes, list[int]] = {}
    for j in range(len(topic_ids)):
        patterns.setdefault(covered[:, j].tobytes(), []).append(j)
    rows = []
    alpha = (1 - ci) / 2
    for cols in patterns.values():
        use = keep & covered[:, cols[0]]
        rows += _effect_rows([topic_ids[j] for j in cols], [y[np.ix_(use, cols)] for y in ys],
                             [fw[:, use] for fw in full_w], groups[use] if groups is not None else None,
                             t_days[use] if t_days is not None else None,
                             when[use] if time is not None else None, outlet, time, period, reference,
                             int(min_docs), int(n_knots), alpha)
    out = pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
    out["stability"] = out["topic"].map(stability).astype(float)
    if note_all:
        out["note"] = [f"{x}; {note_all}" if x else note_all for x in out["note"]]
    out = out.astype({"topic": "str", "covariate": "str", "level": "str", "estimate": "float64", "low": "float64",
                      "high": "float64", "documents": "int64"})
    return out.sort_values(["topic", "covariate", "level"], kind="stable").reset_index(drop=True)


def _effect_rows(topics, ys, ws, groups, t_days, when, outlet, time, period, reference, min_docs, n_knots, alpha):
    """Rows of :func:`topic_effects` for topics whose models cover the same documents."""
    import numpy as np
    import pandas as pd
    from sklearn.preprocessing import SplineTransformer

    n = len(ys[0])
    rows = []
    levels, small, ref = [], [], None
    keep = np.ones(n, dtype=bool)
    if groups is not None:
        sizes = pd.Series(groups).value_counts()
        small = sorted(str(g) for g, c in sizes.items() if c < min_docs)
        big = sizes[sizes >= min_docs]
        if len(big):
            keep &= np.isin(groups, big.index.to_numpy())
        # no outlet is big enough: the time curve is still fitted, over every document
        if len(big):
            ref = reference if reference is not None else sorted(big.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
            if ref not in big.index:
                raise ValueError(f"reference {ref!r} is not an outlet with at least {min_docs} documents: "
                                 f"{sorted(map(str, big.index))}")
            levels = sorted(map(str, big.index))
    if int(keep.sum()) < min_docs:
        # too few documents in the topic's model for any regression: say so, estimate nothing
        rows = []
        for topic in topics:
            for lv in small:
                rows.append([topic, outlet, lv, None, None, np.nan, np.nan, np.nan, int((groups == lv).sum()), np.nan,
                             f"fewer than {min_docs} documents: left out"])
            if t_days is not None:
                rows.append([topic, time, "(all)", None, None, np.nan, np.nan, np.nan, n, np.nan,
                             f"fewer than {min_docs} documents in the topic's model: no curve"])
        return rows
    # refit on the documents of the outlets kept
    ys = [y[keep] for y in ys]
    ws = [w[:, keep] for w in ws]
    n = int(keep.sum())
    parts = [np.ones((n, 1))]
    others = [lv for lv in levels if lv != ref]
    if groups is not None and others:
        g = groups[keep]
        parts.append(np.column_stack([(g == lv).astype(float) for lv in others]))
    spline = None
    if t_days is not None and n:
        td = t_days[keep]
        spline = SplineTransformer(n_knots=n_knots, degree=3, include_bias=False, extrapolation="constant")
        parts.append(spline.fit_transform(td.reshape(-1, 1)))
    X = np.hstack(parts)
    p = X.shape[1]
    n_dummies = len(others)
    basis_mean = X[:, 1 + n_dummies:].mean(axis=0) if n else np.zeros(p - 1 - n_dummies)
    # prediction rows: each outlet at the mean time basis; each period at the outlet mix
    pred, meta = [], []
    for lv in levels:
        x = np.zeros(p)
        x[0] = 1
        if lv != ref:
            x[1 + others.index(lv)] = 1
        x[1 + n_dummies:] = basis_mean
        pred.append(x)
        meta.append((outlet, lv, None, None, int((groups[keep] == lv).sum())))
    if spline is not None:
        w_all = when[keep]
        per = w_all.dt.to_period(period)
        grid = pd.period_range(per.min(), per.max(), freq=period)
        counts = per.value_counts()
        t0 = t_days[keep].min()
        start = w_all.min() - pd.Timedelta(days=float(t0))
        mix = X[:, 1:1 + n_dummies].mean(axis=0)
        for pr in grid:
            mid = pr.start_time + (pr.end_time - pr.start_time) / 2
            td = float(np.clip((mid - start) / pd.Timedelta(days=1), t_days[keep].min(), t_days[keep].max()))
            x = np.concatenate([[1.0], mix, spline.transform(np.array([[td]]))[0]])
            pred.append(x)
            meta.append((time, str(pr), None, pr.start_time, int(counts.get(pr, 0))))
    P = np.asarray(pred).reshape(-1, p)
    ridge = 1e-9 * np.eye(p)

    def solve(XtX, XtY):
        return np.linalg.solve(XtX + ridge, XtY)

    # the estimate: the given model, all documents; draws: every fit x every resample
    y0 = np.nan_to_num(ys[0])
    beta0 = solve(X.T @ X, X.T @ y0) if n else np.full((p, len(topics)), np.nan)
    est = P @ beta0
    draws_pred, draws_beta = [], []
    for y, w in zip(ys, ws):
        y = np.nan_to_num(y)     # a topic without a match in a refit counts as absent (share 0)
        XtWX = np.einsum("bn,np,nq->bpq", w, X, X, optimize=True)
        XtWY = np.einsum("bn,np,nk->bpk", w, X, y, optimize=True)
        B = np.linalg.solve(XtWX + ridge, XtWY)       # resamples x p x topics
        draws_beta.append(B)
        draws_pred.append(np.einsum("rp,bpk->brk", P, B))
    D = np.concatenate(draws_pred) if draws_pred else np.zeros((0, len(P), len(topics)))
    lo, hi = (np.quantile(D, [alpha, 1 - alpha], axis=0) if len(D) and n else
              (np.full(est.shape, np.nan), np.full(est.shape, np.nan)))
    Bd = np.concatenate(draws_beta) if draws_beta else None
    for k, topic in enumerate(topics):
        for r, (cov, lv, refv, t, nd) in enumerate(meta):
            rows.append([topic, cov, lv, refv, t, est[r, k], lo[r, k], hi[r, k], nd, np.nan, ""])
        for lv in small:
            rows.append([topic, outlet, lv, None, None, np.nan, np.nan, np.nan, int((groups == lv).sum()), np.nan,
                         f"fewer than {min_docs} documents: left out"])
        for i, lv in enumerate(others):
            d = Bd[:, 1 + i, k]
            dl, dh = np.quantile(d, [alpha, 1 - alpha])
            rows.append([topic, f"{outlet}_difference", lv, ref, None, beta0[1 + i, k], dl, dh,
                         int((groups[keep] == lv).sum()), np.nan, ""])
    return rows
