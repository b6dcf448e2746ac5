"""Comparing sources: concept counts and rates, keyness between groups, concordances, trends.

Every function takes a documents table (``doc_id, lang, text``; ``title``, ``outlet``,
``published`` when present) and returns a new tidy table; none modifies its input.

Counting is done sentence by sentence (see :func:`corpuslib.text.lexicon.find_concepts`), and two
rates are reported because token counts are not comparable across languages (jieba words,
Vietnamese multi-syllable words and Russian lemmas differ in length):

* ``rate``: matches per 1,000 tokens (tokens of :func:`corpuslib.text.tokens.tokenize_text`,
  stop words kept) -- comparable within one language;
* ``sentence_share``: share of sentences that mention the concept -- the language-robust
  measure, since a sentence carries roughly the same content in a text and its translation.

Keyness follows Monroe, Colaresi & Quinn (2008, "Fightin' words", Political Analysis 16(4),
eq. 16-22): the weighted log-odds ratio with an informative Dirichlet prior and its z-score,
and Dunning's (1993) log-likelihood G2 as used by Rayson & Garside (2000), with Hardie's
(2014) log ratio as the effect size.
"""
from __future__ import annotations

import math
import re
import unicodedata
from typing import Iterable

import numpy as np
import pandas as pd

from ..text.language import base_language
from .intervals import _check_ci, _cluster_interval, adjust_pvalues, share_differences, share_intervals
from ..text.lexicon import LEXICON_LANGS, Lexicon, _fields, find_concepts, load_lexicon
from ..text.sentences import sentence_spans

MISSING = "(missing)"
_PERIODS = {"M": "M", "month": "M", "Q": "Q", "quarter": "Q", "Y": "Y", "A": "Y", "year": "Y"}


# ---------------------------------------------------------------------------------------
# Per-document denominators
# ---------------------------------------------------------------------------------------
def _fallback_count(text: str, lang: str) -> int:
    if lang == "zh":
        import jieba

        return sum(1 for w in jieba.cut(text) if re.search(r"\w", w))
    return len(re.findall(r"\w+", text))


def document_sizes(documents: pd.DataFrame, *, tokens: pd.DataFrame | None = None,
                   include_title: bool = True) -> pd.DataFrame:
    """Return the denominators of the rates: tokens and sentences per document.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text``; ``title`` is used when present.
    tokens : pandas.DataFrame, optional
        A tokens table (``doc_id, token``); when given, ``n_tokens`` counts its rows.
        Otherwise the text (and title) is tokenized with stop words kept.
    include_title : bool
        Count the title too (as :func:`corpuslib.text.lexicon.find_concepts` matches it).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, lang, n_tokens, n_sentences`` in the documents' row order.
    """
    rows, joined = [], []
    for doc in documents.to_dict("records"):
        lang = base_language(doc.get("lang"))
        fields = _fields(doc, include_title)
        rows.append((doc["doc_id"], lang, sum(len(sentence_spans(t, lang)) for _, t in fields)))
        joined.append("\n".join(t for _, t in fields))
    out = pd.DataFrame(rows, columns=["doc_id", "lang", "n_sentences"]).astype({"doc_id": object})
    if tokens is not None:
        n = tokens.groupby("doc_id").size()
        out["n_tokens"] = out["doc_id"].map(n).fillna(0).astype("int64")
    else:
        frame = pd.DataFrame({"doc_id": out["doc_id"], "lang": out["lang"], "text": joined})
        try:
            from ..text.tokens import token_lists

            lists = token_lists(frame, stopwords=False)
            out["n_tokens"] = np.array([len(x) for x in lists.tolist()], dtype="int64")
        except ImportError:  # tokens module not installed: count words with a simple rule
            out["n_tokens"] = [_fallback_count(t, lg) for t, lg in zip(joined, out["lang"])]
    out["n_sentences"] = out["n_sentences"].astype("int64")
    return out[["doc_id", "lang", "n_tokens", "n_sentences"]]


def _reuse_sizes(sizes: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`document_sizes` table for these documents, in their order (all must be there)."""
    missing = {"doc_id", "lang", "n_tokens", "n_sentences"} - set(sizes.columns)
    if missing:
        raise KeyError(f"sizes is not a document_sizes table: it lacks {sorted(missing)}")
    ids = documents["doc_id"].astype(object)
    table = sizes.drop_duplicates("doc_id").set_index(sizes.drop_duplicates("doc_id")["doc_id"].astype(object))
    absent = ids[~ids.isin(table.index)]
    if len(absent):
        raise KeyError(f"sizes lacks {len(absent)} of the documents, e.g. {absent.iloc[0]!r}")
    out = table.loc[ids.to_numpy(), ["lang", "n_tokens", "n_sentences"]].reset_index(drop=True)
    out.insert(0, "doc_id", ids.to_numpy())
    return out.astype({"doc_id": object})


def _lexicon(lexicon) -> Lexicon:
    if lexicon is None:
        return load_lexicon()
    if isinstance(lexicon, Lexicon):
        return lexicon
    return Lexicon.from_terms(lexicon)


def select_lexicon(path: str | None = "", concepts: Iterable[str] | None = None) -> Lexicon:
    """Return a lexicon file (default: the shipped one) restricted to some concepts.

    Parameters
    ----------
    path : str, optional
        A lexicon CSV; ``""`` or ``None`` means the shipped lexicon; relative paths resolve
        from the project root.
    concepts : iterable of str, optional
        Concept ids to keep; empty or ``None`` keeps all.

    Returns
    -------
    Lexicon

    Raises
    ------
    KeyError
        When a concept is not in the lexicon (the message lists the known ones).
    """
    from ..core.paths import resolve

    lexicon = load_lexicon(resolve(path) if path else None)
    concepts = [concepts] if isinstance(concepts, str) else list(concepts or [])
    if not concepts:
        return lexicon
    known = list(lexicon.concepts["concept"])
    unknown = [c for c in concepts if c not in known]
    if unknown:
        raise KeyError(f"concept(s) {unknown} not in the lexicon {lexicon.path or ''}; known: {known}")
    return lexicon.select(concepts=concepts)


def concept_labels(lexicon: Lexicon | None = None) -> dict:
    """Return ``{concept id: English label}`` of a lexicon (default: the shipped one)."""
    meta = _lexicon(lexicon).concepts
    return dict(zip(meta["concept"], meta["label_en"]))


def title_and_text(documents: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the documents whose ``text`` starts with the title, as concepts are matched.

    Tokenizing this table counts the same words that :func:`concept_counts` and :func:`kwic`
    see: the title is prepended (on its own line) unless the body already contains it.
    Headline corpora (RSS title + summary) carry much of their content in the title.
    """
    texts = ["\n".join(t for _, t in _fields(doc, True)) for doc in documents.to_dict("records")]
    return documents.assign(text=pd.Series(texts, index=documents.index, dtype=object))


def split_groups(groups: Iterable | None) -> dict:
    """Return the ``target`` and ``reference`` arguments of :func:`keyness` for a list of groups.

    ``[]`` compares every group with the rest, ``[a]`` group ``a`` with the rest, ``[a, b]``
    group ``a`` with group ``b``.

    Raises
    ------
    ValueError
        For more than two groups (use ``[]`` to compare each group with the rest).
    """
    groups = [groups] if isinstance(groups, str) else list(groups or [])
    if len(groups) > 2:
        raise ValueError(f"name at most two groups to compare (target, reference), got {groups}; "
                         "use [] to compare every group with the rest")
    if len(groups) == 2 and groups[0] == groups[1]:
        raise ValueError(f"cannot compare group {groups[0]!r} with itself")
    return {"target": groups[:1] or None, "reference": groups[1:] or None}


# ---------------------------------------------------------------------------------------
# Concept counts
# ---------------------------------------------------------------------------------------
def _group_levels(values: pd.Series) -> tuple[pd.Series, list]:
    """Return the group values (missing -> '(missing)') and all levels to fill, in order."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
        if values.isna().any():
            values = values.cat.add_categories([MISSING]).fillna(MISSING)
            levels.append(MISSING)
        return values.astype(object), levels
    if values.isna().any():
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            values = values.astype(object)
        values = values.where(values.notna(), MISSING)
    levels = sorted(values.unique(), key=lambda v: (v == MISSING, str(v)))
    return values, levels


_BOUND_COLUMNS = ("sentence_share_low", "sentence_share_high", "doc_share_low", "doc_share_high")


def _share_bounds(per_doc: pd.DataFrame, by: list[str], keys: list[str], *, ci: float, method: str, n_boot: int,
                  random_state: int) -> pd.DataFrame:
    """Return the document-level intervals of ``sentence_share`` and ``doc_share`` per group and item.

    ``per_doc`` has one row per document and item (``sentences, n_sentences, _mentions`` and the
    ``by`` columns). The cluster interval is analytic; the bootstrap draws one multinomial weight
    matrix per group of documents and applies it to every item at once (a matrix product), so its
    cost does not grow with a Python loop over resamples or items.
    """
    work = per_doc[[*by, *keys, "doc_id", "sentences", "n_sentences", "_mentions"]].assign(_one=1)
    cells = by + keys
    sent = share_intervals(work, by=cells, numerator="sentences", denominator="n_sentences", ci=ci)
    docs = share_intervals(work, by=cells, numerator="_mentions", denominator="_one", ci=ci)
    out = sent[cells].copy()
    out["sentence_share_low"], out["sentence_share_high"] = sent["low"].to_numpy(), sent["high"].to_numpy()
    docs = out[cells].merge(docs, on=cells, how="left")
    out["doc_share_low"], out["doc_share_high"] = docs["low"].to_numpy(), docs["high"].to_numpy()
    if method == "bootstrap":
        out = _bootstrap_share_bounds(work, out, by, keys, ci=ci, n_boot=n_boot, random_state=random_state,
                                      estimates={"sentence_share": sent["estimate"].to_numpy(),
                                                 "doc_share": docs["estimate"].to_numpy()})
    return out


def _bootstrap_share_bounds(work: pd.DataFrame, out: pd.DataFrame, by: list[str], keys: list[str], *, ci: float,
                            n_boot: int, random_state: int, estimates: dict) -> pd.DataFrame:
    """Replace the bounds of ``out`` by percentile-bootstrap bounds where the share is strictly inside (0, 1)."""
    if int(n_boot) < 100:
        raise ValueError(f"n_boot must be at least 100 for a {ci:.0%} interval, not {n_boot!r}")
    rng = np.random.default_rng(random_state)
    alpha = (1 - ci) / 2
    out = out.copy()
    pos = pd.Series(np.arange(len(out)), index=pd.MultiIndex.from_frame(out[by + keys]) if keys else None)
    work = work.assign(_item=pd.MultiIndex.from_frame(work[keys]).to_flat_index())
    for _, grp in work.groupby(by, sort=True, dropna=False, observed=True):
        docs = pd.Index(sorted(grp["doc_id"].astype(str).unique()))
        items = pd.Index(sorted(grp["_item"].unique()))
        r = docs.get_indexer(grp["doc_id"].astype(str))
        c = items.get_indexer(grp["_item"])
        n = len(docs)
        if n < 2:
            continue
        shape = (n, len(items))
        y_s, x_s, y_d, x_d = (np.zeros(shape) for _ in range(4))
        y_s[r, c] = grp["sentences"].to_numpy(float)
        x_s[r, c] = grp["n_sentences"].to_numpy(float)
        y_d[r, c] = grp["_mentions"].to_numpy(float)
        x_d[r, c] = 1.0
        step = max(1, min(int(n_boot), 10_000_000 // max(n * len(items), 1)))
        draws = {"sentence_share": [], "doc_share": []}
        for start in range(0, int(n_boot), step):
            w = rng.multinomial(n, np.full(n, 1.0 / n), size=min(step, int(n_boot) - start)).astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                draws["sentence_share"].append((w @ y_s) / (w @ x_s))
                draws["doc_share"].append((w @ y_d) / (w @ x_d))
        key_rows = [tuple(grp[by].iloc[0]) + (k if isinstance(k, tuple) else (k,)) for k in items]
        rows = pos.reindex(pd.MultiIndex.from_tuples(key_rows, names=by + keys)).to_numpy()
        for measure, parts in draws.items():
            lo, hi = np.nanquantile(np.concatenate(parts), [alpha, 1 - alpha], axis=0)
            est = estimates[measure][rows]
            inner = (est > 0) & (est < 1) & np.isfinite(lo)
            out.loc[out.index[rows[inner]], f"{measure}_low"] = lo[inner]
            out.loc[out.index[rows[inner]], f"{measure}_high"] = hi[inner]
    return out


def concept_counts(documents: pd.DataFrame, lexicon: Lexicon | None = None, *, by: str | list[str] | None = None,
                   level: str = "concept", tokens: pd.DataFrame | None = None, hits: pd.DataFrame | None = None,
                   include_title: bool = True, ci: float = 0.95, interval: str | None = "cluster",
                   n_boot: int = 1000, random_state: int = 0, sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return concept (or term) counts and rates per document or per group of documents.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text``; ``title`` is matched when present; the ``by``
        columns must be in it.
    lexicon : Lexicon, optional
        Default: the shipped reform lexicon.
    by : str or list of str, optional
        Document column(s) to aggregate by (``outlet``, ``lang``, a period...). Every
        combination of their levels appears, empty ones with zeros (and ``n_docs`` 0); the
        levels of a categorical column are all its categories; missing values form the group
        ``'(missing)'``.
    level : {"concept", "term"}
        Count concepts, or each term of the lexicon separately (``term`` and ``term_lang``
        columns added; a document only gets the terms of its own language).
    tokens : pandas.DataFrame, optional
        Tokens table to take ``n_tokens`` from (see :func:`document_sizes`).
    hits : pandas.DataFrame, optional
        Output of :func:`corpuslib.text.lexicon.find_concepts` for these documents, to reuse.
    include_title : bool
        Match and count the title too.
    ci : float
        Level of the intervals of grouped shares (0.95: 95 %).
    interval : {"cluster", "bootstrap"} or None
        How the intervals of grouped shares are computed, the **document** being the unit (the
        sentences of one article are not independent): ``"cluster"`` (default) the cluster-robust
        logit interval of :func:`corpuslib.analysis.intervals.share_intervals` (analytic; a share of
        0 gets a Jeffreys upper bound on the documents); ``"bootstrap"`` the document-level
        percentile bootstrap, resampling the documents of each group once for all concepts
        (seeded by ``random_state``; shares of 0 or 1 keep the Jeffreys bounds); ``None`` no interval.
    n_boot : int
        Bootstrap resamples (``interval="bootstrap"``).
    random_state : int
        Seed of the bootstrap.
    sizes : pandas.DataFrame, optional
        :func:`document_sizes` of these documents (or of more), to reuse: sentence splitting and
        tokenizing are most of the cost.

    Returns
    -------
    pandas.DataFrame
        Per document: ``doc_id, lang, concept, theme, label_en, count, sentences, n_tokens,
        n_sentences, rate, sentence_share``; per group: the ``by`` columns instead of
        ``doc_id, lang`` plus ``docs`` (documents mentioning the concept), ``n_docs`` and
        ``doc_share``, each share followed by its interval ``sentence_share_low``,
        ``sentence_share_high``, ``doc_share_low``, ``doc_share_high`` (NaN for a group without
        documents). ``count`` is the number of matches, ``sentences`` the number of sentences with
        at least one, ``rate`` matches per 1,000 tokens, ``sentence_share``
        ``sentences / n_sentences``. Rates of empty groups are 0.
    """
    if level not in ("concept", "term"):
        raise ValueError(f"level must be 'concept' or 'term', not {level!r}")
    if interval not in (None, "cluster", "bootstrap"):
        raise ValueError(f"interval must be 'cluster', 'bootstrap' or None, not {interval!r}")
    _check_ci(ci)
    lexicon = _lexicon(lexicon)
    if hits is None:
        hits = find_concepts(documents, lexicon, include_title=include_title)
    sizes = _reuse_sizes(sizes, documents) if sizes is not None else \
        document_sizes(documents, tokens=tokens, include_title=include_title)
    meta = lexicon.concepts

    if level == "concept":
        keys = ["concept"]
        items = meta[["concept"]].assign(_k=1)
        doc_items = sizes.assign(_k=1).merge(items, on="_k").drop(columns="_k")
    else:
        keys = ["concept", "term_lang", "term"]
        terms = lexicon.terms()[["concept", "lang", "term"]].rename(columns={"lang": "term_lang"})
        doc_items = sizes.merge(terms, left_on="lang", right_on="term_lang", how="inner")
        hits = hits.rename(columns={"lang": "term_lang"}) if len(hits) else hits.assign(term_lang=pd.Series(dtype=str))
    hits = hits.astype({"doc_id": object})
    grouped = hits.groupby(["doc_id", *keys], sort=False) if len(hits) else None
    if grouped is not None:
        agg = grouped.agg(count=("start", "size"), sentences=("sentence", "nunique")).reset_index()
    else:
        agg = pd.DataFrame(columns=["doc_id", *keys, "count", "sentences"])
    per_doc = doc_items.merge(agg, on=["doc_id", *keys], how="left")
    per_doc[["count", "sentences"]] = per_doc[["count", "sentences"]].fillna(0).astype("int64")
    per_doc = per_doc.merge(meta, on="concept", how="left")

    if by is None:
        out = per_doc
        lead = ["doc_id", "lang"]
    else:
        by = [by] if isinstance(by, str) else list(by)
        missing = [c for c in by if c not in documents.columns]
        if missing:
            raise KeyError(f"documents table lacks the 'by' column(s) {missing}")
        groups = documents[["doc_id"]].astype(object)
        all_levels = []
        for col in by:
            groups[col], levels = _group_levels(documents[col])
            all_levels.append(levels)
        per_doc = per_doc.drop(columns=[c for c in by if c in per_doc.columns]).merge(groups, on="doc_id", how="left")
        per_doc["_mentions"] = (per_doc["count"] > 0).astype("int64")
        item_cols = keys + ["theme", "label_en"]
        sums = per_doc.groupby(by + item_cols, sort=False, dropna=False).agg(
            count=("count", "sum"), sentences=("sentences", "sum"), docs=("_mentions", "sum"),
            n_docs=("doc_id", "size"), n_tokens=("n_tokens", "sum"), n_sentences=("n_sentences", "sum"),
        ).reset_index()
        # every combination of group levels x items, so empty groups show as zeros
        grid = pd.MultiIndex.from_product(all_levels, names=by).to_frame(index=False)
        item_table = per_doc[item_cols].drop_duplicates() if level == "term" else meta[item_cols]
        full = grid.assign(_k=1).merge(item_table.assign(_k=1), on="_k").drop(columns="_k")
        key_types = {c: object for c in by}
        out = full.astype(key_types).merge(sums.astype(key_types), on=by + item_cols, how="left")
        for col in ("count", "sentences", "docs", "n_docs", "n_tokens", "n_sentences"):
            out[col] = out[col].fillna(0).astype("int64")
        if interval is not None:
            bounds = _share_bounds(per_doc, by, keys, ci=ci, method=interval, n_boot=n_boot,
                                   random_state=random_state)
            out = out.merge(bounds.astype(key_types), on=by + keys, how="left")
        for col, levels in zip(by, all_levels):  # give the group columns their own types back
            if isinstance(documents[col].dtype, pd.CategoricalDtype):
                out[col] = pd.Categorical(out[col], categories=levels)
            else:
                try:
                    out[col] = out[col].astype(documents[col].dtype)
                except (TypeError, ValueError):
                    pass
        out["doc_share"] = np.where(out["n_docs"] > 0, out["docs"] / out["n_docs"].clip(lower=1), 0.0)
        lead = by
    out["rate"] = np.where(out["n_tokens"] > 0, 1000.0 * out["count"] / out["n_tokens"].clip(lower=1), 0.0)
    out["sentence_share"] = np.where(out["n_sentences"] > 0, out["sentences"] / out["n_sentences"].clip(lower=1), 0.0)
    bounded = by is not None and interval is not None
    tail = ["count", "sentences"] + (["docs", "n_docs"] if by is not None else []) + [
        "n_tokens", "n_sentences", "rate", "sentence_share"] + (
        ["sentence_share_low", "sentence_share_high"] if bounded else []) + (
        ["doc_share"] if by is not None else []) + (["doc_share_low", "doc_share_high"] if bounded else [])
    cols = lead + keys + ["theme", "label_en"] + tail
    order = {c: i for i, c in enumerate(meta["concept"])}
    out = out[cols].sort_values(lead + keys, key=lambda s: s.map(order) if s.name == "concept" else s.astype(str),
                                kind="stable")
    return out.reset_index(drop=True)


def concept_rates_over_time(documents: pd.DataFrame, lexicon: Lexicon | None = None, *, period: str = "M",
                            by: str | list[str] | None = "outlet", tokens: pd.DataFrame | None = None,
                            hits: pd.DataFrame | None = None, include_title: bool = True, ci: float = 0.95,
                            interval: str | None = "cluster", n_boot: int = 1000,
                            random_state: int = 0, sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return concept counts and rates per period (and per outlet), empty periods filled, with intervals.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``published`` (datetime); undated documents are left out and counted in
        ``result.attrs["undated"]``.
    lexicon : Lexicon, optional
    period : {"M", "Q", "Y"}
        Month, quarter or year.
    by : str or list of str or None
        Further grouping columns (default ``outlet``); every outlet gets every period.
    tokens, hits, include_title, ci, interval, n_boot, random_state, sizes
        As for :func:`concept_counts`.

    Returns
    -------
    pandas.DataFrame
        ``period`` (label such as ``2025-08``, ``2025Q3``, ``2025``), ``period_start``
        (timestamp), the ``by`` columns, then the columns of grouped :func:`concept_counts`
        (with the intervals of ``sentence_share`` and ``doc_share``: a month with few documents
        shows as a wide interval, an empty one as NaN).
    """
    if period not in _PERIODS:
        raise ValueError(f"period must be one of M, Q, Y, not {period!r}")
    freq = _PERIODS[period]
    if "published" not in documents.columns:
        raise KeyError("documents table lacks the 'published' column")
    published = pd.to_datetime(documents["published"], errors="coerce")
    dated = documents.loc[published.notna()].copy()
    per = published[published.notna()].dt.to_period(freq)
    if len(per):
        span = pd.period_range(per.min(), per.max(), freq=freq)
    else:
        span = pd.PeriodIndex([], freq=freq)
    labels = [str(p) for p in span]
    dated["period"] = pd.Categorical(per.astype(str), categories=labels)
    groups = ([] if by is None else ([by] if isinstance(by, str) else list(by))) + ["period"]
    if hits is not None:
        hits = hits[hits["doc_id"].isin(dated["doc_id"])]
    out = concept_counts(dated, lexicon, by=groups, tokens=tokens, hits=hits, include_title=include_title, ci=ci,
                         interval=interval, n_boot=n_boot, random_state=random_state, sizes=sizes)
    starts = {str(p): p.start_time for p in span}
    out.insert(0, "period_start", out["period"].map(starts).astype("datetime64[ns]"))
    out = out[["period"] + [c for c in out.columns if c != "period"]]
    out = out.sort_values(["period_start"] + groups[:-1], kind="stable").reset_index(drop=True)
    out.attrs["undated"] = int(published.isna().sum())
    return out


# ---------------------------------------------------------------------------------------
# Differences between groups and periods, with intervals and tests
# ---------------------------------------------------------------------------------------
DIFFERENCE_COLUMNS = ["concept", "theme", "label_en", "group", "reference", "measure", "estimate",
                      "reference_estimate", "difference", "low", "high", "p", "q", "significant", "n_docs",
                      "reference_n_docs", "note"]
_MEASURES = {"sentence_share": ("sentences", "n_sentences"), "doc_share": ("_mentions", "_one")}


def period_labels(published, period: str = "M") -> pd.Series:
    """Return the period label (``2025-08``, ``2025Q3``, ``2025``) of each date; missing dates stay missing."""
    if period not in _PERIODS:
        raise ValueError(f"period must be one of M, Q, Y, not {period!r}")
    dates = pd.to_datetime(pd.Series(published), errors="coerce")
    labels = dates.dt.to_period(_PERIODS[period]).astype(str)
    return labels.where(dates.notna(), None).astype(object)


def select_dates(documents: pd.DataFrame, date_from: str | None = "", date_to: str | None = "") -> pd.DataFrame:
    """Return the documents published between two ISO dates (inclusive), undated ones counted in ``attrs``.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``published`` when a bound is given.
    date_from, date_to : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date means its whole period (``date_to="2025-06"``
        keeps June). ``""`` or ``None``: no bound.

    Returns
    -------
    pandas.DataFrame
        A new table (the input is not modified). With a bound, undated documents cannot be placed and
        are left out; ``result.attrs["undated_left_out"]`` and ``["outside_dates"]`` count what was dropped.

    Raises
    ------
    ValueError
        For a bound that is not an ISO date, or ``date_from`` after ``date_to``.
    """
    from ..core.values import iso_bounds

    bounds = []
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value in (None, ""):
            bounds.append(None)
            continue
        b = iso_bounds(str(value))
        if b is None:
            raise ValueError(f"{name} must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not {value!r}")
        bounds.append(b[0] if name == "date_from" else b[1])
    out = documents.copy()
    out.attrs.update(undated_left_out=0, outside_dates=0)
    if bounds == [None, None]:
        return out
    if bounds[0] and bounds[1] and bounds[0] > bounds[1]:
        raise ValueError(f"date_from {date_from!r} is after date_to {date_to!r}")
    if "published" not in documents.columns:
        raise KeyError("documents table lacks the 'published' column needed by date_from/date_to")
    day = pd.to_datetime(documents["published"], errors="coerce")
    if day.dt.tz is not None:  # the calendar day where it was published
        day = day.dt.tz_localize(None)
    day = day.dt.normalize()
    inside = day.notna()
    if bounds[0]:
        inside &= day >= pd.Timestamp(bounds[0])
    if bounds[1]:
        inside &= day <= pd.Timestamp(bounds[1])
    out = documents.loc[inside.to_numpy()].reset_index(drop=True)
    out.attrs.update(undated_left_out=int(day.isna().sum()), outside_dates=int((day.notna() & ~inside).sum()))
    return out


def concept_differences(documents: pd.DataFrame, lexicon: Lexicon | None = None, *, by: str = "outlet",
                        target=None, reference=None, measure: str = "sentence_share", period: str = "M",
                        ci: float = 0.95, alpha: float = 0.05, min_docs: int = 20, hits: pd.DataFrame | None = None,
                        include_title: bool = True, sizes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return, for each concept, each group's share minus its reference's, with interval, p and BH q.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text`` and the ``by`` column (``published`` for ``by="period"``).
    lexicon : Lexicon, optional
        Default: the shipped reform lexicon.
    by : str
        The document column of the groups (``outlet``, ``lang``...) or ``"period"``: the periods of
        ``published`` (``period`` sets month, quarter or year; undated documents are left out and
        counted in ``result.attrs["undated"]``), so that periods are compared with periods.
    target : str or list, optional
        Group(s) to describe, each compared separately. Default: every group with enough documents.
    reference : str or list, optional
        Group(s) pooled as the reference (e.g. two earlier quarters). Default: the other groups with
        enough documents (``"rest"``).
    measure : {"sentence_share", "doc_share"}
        Share of sentences that mention the concept, or share of documents.
    period : {"M", "Q", "Y"}
        Periods of ``by="period"``.
    ci : float
        Level of the intervals.
    alpha : float
        False discovery rate of ``significant`` (``q < alpha``).
    min_docs : int
        Groups with fewer documents are left out (a row with its ``note``), never compared nor
        pooled into "rest".
    hits : pandas.DataFrame, optional
        :func:`corpuslib.text.lexicon.find_concepts` of these documents, to reuse.
    include_title : bool
        Match and count the title too.
    sizes : pandas.DataFrame, optional
        :func:`document_sizes` of the documents, to reuse.

    Returns
    -------
    pandas.DataFrame
        ``concept, theme, label_en, group, reference, measure, estimate, reference_estimate,
        difference, low, high, p, q, significant, n_docs, reference_n_docs, note``. The shares and
        their intervals are document-level (:func:`corpuslib.analysis.intervals.share_intervals`:
        the sentences of one article are not independent); ``low``/``high`` is Newcombe's hybrid
        interval of the difference, ``p`` a Welch test on the cluster-robust variances, ``q`` the
        Benjamini-Hochberg adjusted p over the whole table. Sorted by group, reference, q, concept.

    Raises
    ------
    ValueError, KeyError
        For an unknown measure, period or group, or a group that is both target and reference.
    """
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {sorted(_MEASURES)}, not {measure!r}")
    if isinstance(min_docs, bool) or not isinstance(min_docs, (int, np.integer)) or min_docs < 1:
        raise ValueError(f"min_docs must be an integer >= 1, not {min_docs!r}")
    _check_ci(ci)
    lexicon = _lexicon(lexicon)
    undated = 0
    if by == "period" and "period" not in documents.columns:
        if "published" not in documents.columns:
            raise KeyError("documents table lacks the 'published' column needed by by='period'")
        labels = period_labels(documents["published"], period).to_numpy()
        undated = int(pd.isna(labels).sum())
        documents = documents.assign(period=labels).loc[pd.notna(labels)]
    elif by not in documents.columns:
        raise KeyError(f"documents table lacks the 'by' column {by!r}")
    if hits is not None:
        hits = hits[hits["doc_id"].isin(documents["doc_id"])]
    if sizes is None:  # tokens are not needed: the shares count sentences and documents
        sizes = document_sizes(documents, tokens=pd.DataFrame({"doc_id": [], "token": []}),
                               include_title=include_title)
    per_doc = concept_counts(documents, lexicon, hits=hits, include_title=include_title, interval=None, sizes=sizes)
    group_of = pd.Series(_group_levels(documents[by])[0].to_numpy(), index=documents["doc_id"].astype(str))
    per_doc = per_doc.assign(_group=per_doc["doc_id"].astype(str).map(group_of),
                             _mentions=(per_doc["count"] > 0).astype("int64"), _one=1)
    sizes = group_of.value_counts()
    groups = sorted(sizes.index, key=str)

    def as_list(v):
        return None if v is None else [v] if isinstance(v, str) or not hasattr(v, "__iter__") else list(v)

    targets, refs = as_list(target), as_list(reference)
    for g in (targets or []) + (refs or []):
        if g not in groups:
            raise KeyError(f"group {g!r} not found in {by!r}; groups are {groups}")
    small = {g for g in groups if sizes[g] < min_docs}
    numerator, denominator = _MEASURES[measure]
    meta = lexicon.concepts
    parts, notes = [], []
    for t in (targets or groups):
        named = refs if refs is not None else [g for g in groups if g != t]
        if t in named:
            raise ValueError(f"group {t!r} is both target and reference")
        left_out = ([t] if t in small else []) + ([g for g in named if g in small] if refs is not None else [])
        ref = [g for g in named if g not in small]
        label = ref[0] if refs is not None and len(ref) == 1 else "rest" if refs is None else "+".join(map(str, named))
        if left_out or not ref:
            why = ", ".join(f"{g} has {_plural(sizes[g], 'document')}" for g in left_out) or \
                "no other group has enough documents"
            notes.append({"group": t, "reference": label, "measure": measure, "n_docs": int(sizes[t]),
                          "reference_n_docs": int(sizes.reindex(named).fillna(0).sum()),
                          "note": f"left out: {why} (fewer than min_docs={min_docs})"})
            continue
        a = share_intervals(per_doc[per_doc["_group"] == t], by=["concept"], numerator=numerator,
                            denominator=denominator, ci=ci)
        b = share_intervals(per_doc[per_doc["_group"].isin(ref)], by=["concept"], numerator=numerator,
                            denominator=denominator, ci=ci)
        d = share_differences(a, b, on=["concept"], ci=ci)
        d = d.assign(group=t, reference=label, measure=measure, n_docs=int(sizes[t]),
                     reference_n_docs=int(sizes[ref].sum()), note="")
        parts.append(d.drop(columns=["n_units", "reference_n_units"]))
    if not parts and not notes:
        out = pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    else:
        out = pd.concat(parts + ([pd.DataFrame(notes)] if notes else []), ignore_index=True)
    out = out.merge(meta, on="concept", how="left") if "concept" in out and len(parts) else out
    for c in DIFFERENCE_COLUMNS:
        if c not in out.columns:
            out[c] = np.nan
    out["concept"] = out["concept"].astype(object).fillna("")
    out["note"] = out["note"].fillna("")
    out["q"], out["significant"] = adjust_pvalues(out["p"].to_numpy(float), alpha=alpha)
    out["significant"] = out["significant"].astype(bool)
    out[["group", "reference"]] = out[["group", "reference"]].astype(str)
    order = {c: i for i, c in enumerate(meta["concept"])}
    out = out.assign(_c=out["concept"].map(order).fillna(len(order)))
    out = out.sort_values(["group", "reference", "q", "_c"], kind="stable", na_position="last")
    out = out[DIFFERENCE_COLUMNS].reset_index(drop=True)
    out.attrs["undated"] = undated
    return out


def _plural(n, word: str) -> str:
    return f"{int(n):,} {word}{'' if int(n) == 1 else 's'}"


def concepts(lexicon: Lexicon | str | None = None) -> pd.DataFrame:
    """Return the concepts of a lexicon: id, English label, theme, languages and number of terms.

    Parameters
    ----------
    lexicon : Lexicon or str, optional
        A lexicon or the path of a lexicon CSV; default: the shipped reform lexicon.

    Returns
    -------
    pandas.DataFrame
        ``concept, label_en, theme, langs`` (the languages with terms, comma-separated, sorted)
        and ``n_terms``, one row per concept in file order. The ids are what ``concepts=`` and
        ``kwic_concepts`` take.
    """
    lex = select_lexicon(lexicon) if isinstance(lexicon, str) or lexicon is None else _lexicon(lexicon)
    terms = lex.terms()
    langs = terms.groupby("concept")["lang"].agg(lambda s: ",".join(sorted(set(s))))
    n_terms = terms.groupby("concept").size()
    out = lex.concepts[["concept", "label_en", "theme"]].copy()
    out["langs"] = out["concept"].map(langs).fillna("")
    out["n_terms"] = out["concept"].map(n_terms).fillna(0).astype("int64")
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Keyness
# ---------------------------------------------------------------------------------------
def log_odds_dirichlet(y_i, n_i, y_j, n_j, alpha_w, alpha_0):
    """Return the weighted log-odds ratio and its z-score (Monroe et al. 2008, eq. 16-22).

    Parameters
    ----------
    y_i, y_j : array-like
        Counts of each item in group i and group j.
    n_i, n_j : float or array-like
        Total counts of group i and group j.
    alpha_w : array-like
        Dirichlet prior of each item (pseudo-counts).
    alpha_0 : float
        Sum of the prior over the whole vocabulary.

    Returns
    -------
    delta, z : numpy.ndarray
        ``delta = log((y_i+a_w)/(n_i+a_0-y_i-a_w)) - log((y_j+a_w)/(n_j+a_0-y_j-a_w))``,
        ``z = delta / sqrt(1/(y_i+a_w) + 1/(y_j+a_w))``.
    """
    y_i, y_j, a_w = (np.asarray(v, dtype=float) for v in (y_i, y_j, alpha_w))
    n_i, n_j = np.asarray(n_i, dtype=float), np.asarray(n_j, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((y_i + a_w) / (n_i + alpha_0 - y_i - a_w))
                 - np.log((y_j + a_w) / (n_j + alpha_0 - y_j - a_w)))
        sigma = np.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
        z = delta / sigma
    return delta, z


def log_likelihood_g2(a, n_i, b, n_j):
    """Return Dunning's log-likelihood G2 of a 2x2 table (item vs. rest, group i vs. j).

    Parameters
    ----------
    a, b : array-like
        Counts of the item in group i and group j.
    n_i, n_j : float or array-like
        Total counts of group i and group j.

    Returns
    -------
    numpy.ndarray
        ``G2 = 2 * sum(O * ln(O / E))`` over the four cells ``a, b, n_i - a, n_j - b``
        (``0 * ln 0 = 0``), with ``E`` from the margins.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n_i, n_j = np.asarray(n_i, dtype=float), np.asarray(n_j, dtype=float)
    c, d = n_i - a, n_j - b
    total = n_i + n_j
    g2 = np.zeros(np.broadcast(a, b, n_i, n_j).shape)
    for obs, row, col in ((a, n_i, a + b), (b, n_j, a + b), (c, n_i, c + d), (d, n_j, c + d)):
        exp = row * col / total
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(obs > 0, obs * np.log(obs / exp), 0.0)
        g2 = g2 + term
    return 2.0 * g2


def log_ratio(a, n_i, b, n_j):
    """Return Hardie's log ratio: ``log2`` of the ratio of relative frequencies (0 -> 0.5)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a = np.where(a == 0, 0.5, a)
    b = np.where(b == 0, 0.5, b)
    return np.log2((a / np.asarray(n_i, float)) / (b / np.asarray(n_j, float)))


# columns of concept_counts that are measures or item labels, not grouping keys
_MEASURE_COLUMNS = {"concept", "term", "term_lang", "theme", "label_en", "count", "sentences", "docs", "n_docs",
                    "n_tokens", "n_sentences", "rate", "sentence_share", "doc_share", "period_start",
                    *_BOUND_COLUMNS}


def _is_concept_table(table: pd.DataFrame) -> bool:
    return {"concept", "count", "sentences", "n_sentences", "n_tokens"} <= set(table.columns)


def _group_column(table: pd.DataFrame, group_col: str, documents: pd.DataFrame | None) -> pd.DataFrame:
    """Return ``table`` with ``group_col`` (looked up in ``documents`` by doc_id if needed), missing -> '(missing)'."""
    if group_col not in table.columns:
        if documents is None or "doc_id" not in table.columns:
            raise KeyError(f"{group_col!r} is not a column of the table; pass documents= to look it up by doc_id")
        if group_col not in documents.columns:
            raise KeyError(f"neither the table nor the documents have the column {group_col!r}")
        lookup = documents[["doc_id", group_col]].astype({"doc_id": str})
        table = table.assign(_doc=table["doc_id"].astype(str)).merge(
            lookup.rename(columns={"doc_id": "_doc"}), on="_doc", how="left").drop(columns="_doc")
    table = table.copy()
    table[group_col], _ = _group_levels(table[group_col])
    return table


def _dtm_counts(dtm, groups: pd.Series, langs: pd.Series | None, group_col: str, item: str):
    """Sum the rows of a DocumentTermMatrix per group (and language): long counts, totals and documents.

    ``groups`` (and ``langs``) map doc_id -> group (language). Documents of the matrix without a
    group are left out; the counting itself is the matrix's (:mod:`corpuslib.analysis.dtm`).
    """
    import scipy.sparse as sp

    ids = pd.Index([str(d) for d in dtm.doc_ids])
    g = groups.reindex(ids)
    keep = g.notna().to_numpy().copy()
    lang_vals = langs.reindex(ids) if langs is not None else None
    key = pd.DataFrame({group_col: g.to_numpy()})
    if lang_vals is not None:
        key["_lang"] = lang_vals.fillna("und").to_numpy()
    key = key[keep]
    matrix = dtm.matrix[np.flatnonzero(keep)]
    cols = [group_col] + (["_lang"] if lang_vals is not None else [])
    grouped = key.groupby(cols, sort=True, dropna=False)
    codes = grouped.ngroup().to_numpy()
    totals = grouped.size().index.to_frame(index=False) if len(key) else pd.DataFrame(columns=cols)
    onehot = sp.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(totals), len(codes)))
    summed = (onehot @ matrix).tocoo()
    totals["n"] = np.asarray(onehot @ matrix.sum(axis=1)).ravel()
    # a document counts for a group when it has at least one term of the matrix
    totals["docs"] = np.asarray(onehot @ (np.asarray(matrix.sum(axis=1)).ravel() > 0).astype(float)).ravel()
    long = pd.DataFrame({c: totals[c].to_numpy()[summed.row] for c in cols})
    long[item] = np.asarray(dtm.terms, dtype=object)[summed.col]
    long["y"] = summed.data.astype("int64")
    return long[long["y"] > 0].reset_index(drop=True), totals


def _long_counts(table, group_col, item, count, total, unit, documents):
    """Return (long counts, totals with documents, item name, language key) of a keyness input.

    The input is declared by its type and columns, not guessed: a DocumentTermMatrix or a tokens
    table (``doc_id, token``) gives terms, counted by the matrix; a :func:`concept_counts` table
    gives concepts (``unit`` chooses sentences or tokens); any other table needs ``item`` and
    ``count``.
    """
    from .dtm import DocumentTermMatrix, count_matrix

    if isinstance(table, DocumentTermMatrix):
        if documents is None or group_col not in documents.columns:
            raise KeyError(f"a DocumentTermMatrix needs documents= with the column {group_col!r}")
        docs = _group_column(documents[["doc_id", group_col] + (["lang"] if "lang" in documents else [])],
                             group_col, None)
        ids = docs["doc_id"].astype(str)
        groups = pd.Series(docs[group_col].to_numpy(), index=ids)
        langs = docs["lang"].map(base_language) if "lang" in docs else None
        per_lang = langs is not None and langs.nunique() > 1
        langs = pd.Series(langs.to_numpy(), index=ids) if per_lang else None
        item = item or "term"
        long, totals = _dtm_counts(table, groups, langs, group_col, item)
        lang_key = ["_lang"] if per_lang else []
        return long, totals, item, lang_key
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"keyness takes a DataFrame or a DocumentTermMatrix, not {type(table).__name__}")
    if "token" in table.columns and item in (None, "token"):
        if "doc_id" not in table.columns:
            raise KeyError("a tokens table needs doc_id and token columns")
        table = _group_column(table, group_col, documents)
        per_lang = "lang" in table.columns and table["lang"].nunique() > 1
        parts = []
        for lang, sub in (table.groupby("lang", sort=True) if per_lang else [(None, table)]):
            dtm = count_matrix(sub[["doc_id", "token"] + (["position"] if "position" in sub else [])])
            groups = sub.drop_duplicates("doc_id").set_index(sub.drop_duplicates("doc_id")["doc_id"].astype(str))[
                group_col]
            langs = pd.Series(lang, index=groups.index) if per_lang else None
            parts.append(_dtm_counts(dtm, groups, langs, group_col, "token"))
        long = pd.concat([p[0] for p in parts], ignore_index=True)
        totals = pd.concat([p[1] for p in parts], ignore_index=True)
        return long, totals, "token", ["_lang"] if per_lang else []
    table = _group_column(table, group_col, documents)
    if item is None:
        if not _is_concept_table(table):
            raise ValueError("keyness takes a tokens table (doc_id, token), a DocumentTermMatrix or a concept_counts "
                             f"table; for another table name its item= and count= columns (it has {list(table.columns)})")
        item = "concept"
    if item not in table.columns:
        raise KeyError(f"item column {item!r} not in the table")
    if count is None:
        if not _is_concept_table(table):
            raise ValueError(f"name the count= column of the table (it has {list(table.columns)})")
        count = {"sentences": "sentences", "tokens": "count"}.get(unit)
        if count is None:
            raise ValueError(f"unit must be 'sentences' or 'tokens', not {unit!r}")
    if count not in table.columns:
        raise KeyError(f"count column {count!r} not in the table")
    long = table.groupby([group_col, item], sort=False)[count].sum().rename("y").reset_index()
    if total is None and _is_concept_table(table) and count in ("sentences", "count"):
        total = "n_sentences" if count == "sentences" else "n_tokens"
    # one denominator (and one document count) per document or per group row, however many items it has
    keys = ["doc_id"] if "doc_id" in table.columns else [c for c in table.columns if c not in _MEASURE_COLUMNS
                                                          and c not in (item, count, total)]
    if group_col not in keys:
        keys = keys + [group_col]
    once = table.drop_duplicates(keys)
    if total is None:
        totals = long.groupby(group_col)["y"].sum().rename("n").reset_index()
    else:
        totals = once.groupby(group_col)[total].sum().rename("n").reset_index()
    if "doc_id" in table.columns:
        docs = table.groupby(group_col)["doc_id"].nunique()
    elif "n_docs" in table.columns:
        docs = once.groupby(group_col)["n_docs"].sum()
    else:
        docs = None
    totals["docs"] = totals[group_col].map(docs).astype(float) if docs is not None else np.nan
    return long, totals, item, []


KEYNESS_COLUMNS = ["group", "reference", "term_or_concept", "statistic", "value", "z", "p", "q", "significant",
                   "log_ratio", "count", "count_ref", "total", "total_ref", "rate", "rate_ref", "n_docs", "n_docs_ref",
                   "note"]


def keyness(table, group_col: str, *, target=None, reference=None, measure: str = "logodds",
            item: str | None = None, count: str | None = None, total: str | None = None,
            unit: str = "sentences", documents: pd.DataFrame | None = None, prior: float = 1.0,
            min_count: int = 1, min_docs: int = 20, alpha: float = 0.05) -> pd.DataFrame:
    """Return the keyness of terms or concepts between groups of documents, with BH-adjusted tests.

    Parameters
    ----------
    table : pandas.DataFrame or DocumentTermMatrix
        Declared by what it is, never guessed from loose columns:

        * a :class:`~corpuslib.analysis.dtm.DocumentTermMatrix` (terms; ``documents`` gives each
          row's group and language);
        * a tokens table (``doc_id, token[, lang]``), counted by the same document-term matrix;
        * a :func:`concept_counts` table, per document or per group (concepts across languages;
          ``unit`` picks sentences or tokens);
        * any other long table, with its ``item`` and ``count`` (and optionally ``total``) columns named.

        Terms are counted within each language when several are present.
    group_col : str
        Column holding the groups (``outlet``, ``lang``, ``period``...). When it is not in
        ``table``, it is looked up in ``documents`` by ``doc_id``.
    target : str or list, optional
        Group(s) to describe. Default: every group, each against the rest.
    reference : str or list, optional
        Group(s) to compare with. Default: all other groups with enough documents ("rest").
    measure : {"logodds", "g2"}
        ``logodds``: weighted log-odds ratio with an informative Dirichlet prior; ``value`` is
        the log-odds ratio delta and ``z`` its z-score. ``g2``: log-likelihood G2 (value) with
        ``z = sign * sqrt(G2)``. Both report ``p`` (two-sided) and ``log_ratio``
        (log2 ratio of relative frequencies, the effect size).
    item, count, total : str, optional
        Column names of the item, its count and the group total, for a table that is neither
        tokens nor concept counts.
    unit : {"sentences", "tokens"}
        For concept tables: count sentences mentioning a concept out of all sentences
        (default, comparable across languages) or matches out of tokens.
    documents : pandas.DataFrame, optional
        To look up ``group_col`` (and, for a matrix, ``lang``) by ``doc_id``.
    prior : float
        Scale of the informative prior: ``alpha_w = prior * (count of w in the whole table)``
        and ``alpha_0 = prior * (total of the whole table)``, i.e. the pooled corpus as the
        background. ``prior=1`` weighs it like the data; smaller values shrink less.
    min_count : int
        Drop items with fewer occurrences in target and reference together.
    min_docs : int
        Groups with fewer documents (in a language, for terms) are left out: never ranked nor
        pooled into a "rest", but listed with a ``note``. A table that cannot tell documents
        (an aggregated item/count table) needs ``min_docs=1``.
    alpha : float
        False discovery rate of ``significant``: ``q < alpha``, ``q`` being the Benjamini-Hochberg
        adjusted ``p`` over every item and comparison of the table.

    Returns
    -------
    pandas.DataFrame
        ``group, reference, term_or_concept, statistic, value, z, p, q, significant, log_ratio,
        count, count_ref, total, total_ref, rate, rate_ref, n_docs, n_docs_ref, note`` (rates
        per 1,000 units; plus ``lang`` after ``reference`` for multilingual terms), sorted by
        group then z (descending). A left-out comparison is one row with an empty item, no
        statistic and its ``note``.

    Raises
    ------
    ValueError
        For an unknown measure, a table whose kind cannot be told, or ``min_docs > 1`` on a table
        without documents.
    """
    from scipy import stats

    if measure not in ("logodds", "g2"):
        raise ValueError(f"measure must be 'logodds' or 'g2', not {measure!r}")
    if isinstance(min_docs, bool) or not isinstance(min_docs, (int, np.integer)) or min_docs < 1:
        raise ValueError(f"min_docs must be an integer >= 1, not {min_docs!r}")
    long, totals, item, lang_key = _long_counts(table, group_col, item, count, total, unit, documents)
    if int(min_docs) > 1 and totals["docs"].isna().any():
        raise ValueError("this table does not tell how many documents each group has; pass a table with doc_id or "
                         "n_docs, or min_docs=1")
    groups = sorted(totals[group_col].unique(), key=str)

    def as_list(v):
        return None if v is None else [v] if not isinstance(v, (list, tuple, set)) else list(v)

    targets, refs = as_list(target), as_list(reference)
    for g in (targets or []) + (refs or []):
        if g not in groups:
            raise KeyError(f"group {g!r} not found in {group_col!r}; groups are {groups}")
    comparisons = []
    for t in (targets or groups):
        ref = refs if refs is not None else [g for g in groups if g != t]
        if t in ref:
            raise ValueError(f"group {t!r} is both target and reference")
        comparisons.append((t, ref))

    def ref_label(ref):
        return ref[0] if len(ref) == 1 and refs is not None else ("rest" if refs is None else "+".join(map(str, ref)))

    parts, notes = [], []
    lang_groups = long.groupby(lang_key, sort=True) if lang_key else [((None,), long)]
    for lang_val, sub in lang_groups:
        tot = totals if not lang_key else totals[totals[lang_key[0]] == lang_val[0]]
        tot = tot.set_index(group_col)
        small = {g for g in tot.index if tot.loc[g, "docs"] < min_docs}
        large = [g for g in tot.index if g not in small]
        kept = sub[sub[group_col].isin(large)]
        wide = kept.pivot_table(index=item, columns=group_col, values="y", aggfunc="sum", fill_value=0,
                                observed=False) if len(kept) else pd.DataFrame(index=pd.Index([], name=item))
        n_by_group = tot.loc[large, "n"]
        pooled_y = wide.sum(axis=1)
        pooled_n = float(n_by_group.sum())
        for t, ref in comparisons:
            present = [g for g in ref if g in tot.index]
            if t not in tot.index or not present:
                continue
            # a small target, or a small named reference, is left out; a small group is never pooled into "rest"
            left_out = ([t] if t in small else []) + ([g for g in present if g in small] if refs is not None else [])
            ref = [g for g in present if g not in small]
            if left_out or not ref:
                docs = {g: int(tot.loc[g, "docs"]) for g in left_out}
                why = ", ".join(f"{g} has {n} document{'s' if n != 1 else ''}" for g, n in docs.items()) or \
                    "no other group has enough documents"
                notes.append({"group": t, "reference": ref_label(present), "_lang": lang_val[0],
                              "statistic": measure, "n_docs": float(tot.loc[t, "docs"]),
                              "n_docs_ref": float(tot.loc[present, "docs"].sum()),
                              "note": f"left out: {why} (fewer than min_docs={min_docs})"})
                continue
            y_i = wide[t] if t in wide.columns else pd.Series(0, index=wide.index)
            y_j = wide[[g for g in ref if g in wide.columns]].sum(axis=1) if any(g in wide.columns for g in ref) \
                else pd.Series(0, index=wide.index)
            n_i, n_j = float(n_by_group[t]), float(n_by_group[ref].sum())
            keep = (y_i + y_j) >= max(min_count, 1)
            y_i, y_j = y_i[keep], y_j[keep]
            if not len(y_i) or n_i <= 0 or n_j <= 0:
                continue
            lr = log_ratio(y_i, n_i, y_j, n_j)
            if measure == "logodds":
                alpha_w = prior * pooled_y[keep].to_numpy(float)
                value, z = log_odds_dirichlet(y_i, n_i, y_j, n_j, alpha_w, prior * pooled_n)
                p = 2 * stats.norm.sf(np.abs(z))
            else:
                value = log_likelihood_g2(y_i, n_i, y_j, n_j)
                z = np.sign(y_i.to_numpy(float) / n_i - y_j.to_numpy(float) / n_j) * np.sqrt(value)
                p = stats.chi2.sf(value, df=1)
            part = pd.DataFrame({
                "group": t, "reference": ref_label(ref),
                "term_or_concept": y_i.index.astype(str), "statistic": measure, "value": value, "z": z, "p": p,
                "log_ratio": lr, "count": y_i.to_numpy("int64"), "count_ref": y_j.to_numpy("int64"),
                "total": n_i, "total_ref": n_j,
                "rate": 1000.0 * y_i.to_numpy(float) / n_i, "rate_ref": 1000.0 * y_j.to_numpy(float) / n_j,
                "n_docs": float(tot.loc[t, "docs"]), "n_docs_ref": float(tot.loc[ref, "docs"].sum()), "note": "",
            })
            if lang_key:
                part["_lang"] = lang_val[0]
            parts.append(part)
    cols = KEYNESS_COLUMNS[:2] + (["lang"] if lang_key else []) + KEYNESS_COLUMNS[2:]
    if not parts and not notes:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts + ([pd.DataFrame(notes)] if notes else []), ignore_index=True)
    if lang_key:
        out = out.rename(columns={"_lang": "lang"})
    out["term_or_concept"] = out["term_or_concept"].astype(object).fillna("") if "term_or_concept" in out else ""
    for c in cols:
        if c not in out.columns:
            out[c] = np.nan
    out["note"] = out["note"].fillna("")
    out["q"], out["significant"] = adjust_pvalues(out["p"].to_numpy(float), alpha=alpha)
    out["significant"] = out["significant"].astype(bool)
    for c in ("count", "count_ref"):
        out[c] = out[c].astype("Int64") if out[c].isna().any() else out[c].astype("int64")
    out = out[cols]
    out["group"] = out["group"].astype(str)
    out["reference"] = out["reference"].astype(str)
    sort_keys = ["group"] + (["lang"] if lang_key else [])
    out = out.sort_values(sort_keys + ["z", "term_or_concept"], ascending=[True] * len(sort_keys) + [False, True],
                          kind="stable", na_position="last")
    return out.reset_index(drop=True)


def stack_keyness(**tables: pd.DataFrame) -> pd.DataFrame:
    """Return several keyness tables as one, with their ``level`` and each item's ``rank``.

    Parameters
    ----------
    **tables : pandas.DataFrame
        Outputs of :func:`keyness` by level name, e.g. ``concept=..., term=...``.

    Returns
    -------
    pandas.DataFrame
        ``level, rank, group, reference, lang`` then the other keyness columns (``lang`` is
        empty where a table has none: concepts are compared across languages).
        ``rank`` numbers the items of one comparison (level, group, reference, language)
        from 1 = most typical of the group (largest z) to most typical of the reference; it is
        empty on the ``note`` row of a comparison left out for lack of documents.
    """
    parts = [t.assign(level=name) for name, t in tables.items() if len(t)]
    cols = [c for t in tables.values() for c in t.columns if c != "lang"]
    cols = list(dict.fromkeys(["level", "rank", "group", "reference", "lang"] + cols))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    # the language of a term comparison is part of its key; concepts are compared across languages
    out["lang"] = out["lang"].fillna("") if "lang" in out.columns else ""
    keys = ["level", "group", "reference", "lang"]
    out = out.sort_values(keys + ["z", "term_or_concept"], ascending=[True] * len(keys) + [False, True],
                          kind="stable")
    out["rank"] = (out.groupby(keys, sort=False).cumcount() + 1).astype("Int64")
    if "note" in out.columns:  # a left-out comparison is never ranked
        out["note"] = out["note"].fillna("")
        out.loc[out["note"] != "", "rank"] = pd.NA
    return out[cols].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Concordance
# ---------------------------------------------------------------------------------------
def _context(text: str, start: int, end: int, lang: str, window: int, window_chars: int) -> tuple[str, str]:
    left, right = text[:start], text[end:]
    if lang == "zh":
        left = re.sub(r"\s+", " ", left)[-window_chars:].lstrip()
        right = re.sub(r"\s+", " ", right)[:window_chars].rstrip()
        return left, right
    lw = left.split()
    rw = right.split()
    return (" ".join(lw[-window:]) if window else ""), (" ".join(rw[:window]) if window else "")


def wildcard_pattern(wildcard: str, lang: str | None = None) -> str:
    """Return the regular expression of a wildcard: ``*`` any letters, ``?`` one letter, a space any spaces.

    Outside Chinese the match is a whole word (or words): ``cán bộ*`` matches ``cán bộ`` and
    ``cán bộc`` but not ``xcán bộ``; Chinese text has no word boundaries.
    """
    if not isinstance(wildcard, str) or not wildcard.strip():
        raise ValueError(f"a wildcard must be a non-empty string, not {wildcard!r}")
    body = ""
    for ch in unicodedata.normalize("NFC", wildcard.strip()):
        body += r"\w*" if ch == "*" else r"\w" if ch == "?" else r"\s+" if ch.isspace() else re.escape(ch)
    body = re.sub(r"(\\s\+)+", r"\\s+", body)
    return body if base_language(lang) == "zh" else rf"(?<!\w){body}(?!\w)"


def find_pattern(documents: pd.DataFrame, *, regex: str | None = None, wildcard: str | None = None,
                 label: str | None = None, include_title: bool = True, ignore_case: bool = True) -> pd.DataFrame:
    """Return every match of a regular expression or a wildcard, sentence by sentence, as concept hits.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text``; ``title`` is matched when present.
    regex : str, optional
        A Python regular expression, matched within each sentence (NFC text).
    wildcard : str, optional
        A wildcard (see :func:`wildcard_pattern`); give ``regex`` or ``wildcard``, not both.
    label : str, optional
        The ``concept`` of the hits (default: the pattern as given).
    include_title : bool
        Match the title too.
    ignore_case : bool
        Match regardless of case.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`corpuslib.text.lexicon.find_concepts` (``doc_id, lang, field, sentence,
        concept, term, start, end, match``); empty matches are skipped.

    Raises
    ------
    ValueError
        For neither or both patterns, or a regular expression that does not compile.
    """
    from ..text.lexicon import HIT_COLUMNS

    if (regex is None) == (wildcard is None):
        raise ValueError("give one of regex= or wildcard=")
    given = regex if regex is not None else wildcard
    flags = re.IGNORECASE if ignore_case else 0
    compiled: dict = {}

    def pattern_for(lang):
        if lang not in compiled:
            text = unicodedata.normalize("NFC", regex) if regex is not None else wildcard_pattern(wildcard, lang)
            try:
                compiled[lang] = re.compile(text, flags)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression {given!r}: {exc}") from None
        return compiled[lang]

    rows = []
    for doc in documents.to_dict("records"):
        lang = base_language(doc.get("lang"))
        rx = pattern_for(lang)
        n = 0
        for fname, ftext in _fields(doc, include_title):
            for a, b in sentence_spans(ftext, lang):
                for m in rx.finditer(ftext, a, b):
                    if m.end() > m.start():
                        rows.append((doc["doc_id"], lang, fname, n, label or given, given, m.start(), m.end(),
                                     m.group()))
                n += 1
    return pd.DataFrame(rows, columns=HIT_COLUMNS)


def kwic(documents: pd.DataFrame, terms=None, *, window: int = 10, window_chars: int = 30,
         concepts: Iterable[str] | None = None, hits: pd.DataFrame | None = None, include_title: bool = True,
         max_per_item: int | None = None, random_state: int | None = 0, regex: str | None = None,
         wildcard: str | None = None) -> pd.DataFrame:
    """Return a keyword-in-context concordance of concepts or terms.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id``, ``lang``, ``text``; ``title``, ``outlet``, ``published`` are used
        when present.
    terms : Lexicon, str, list of str or dict, optional
        A lexicon (default: the shipped one), or terms matched by the rules of each
        document's language (a list: each term its own item; a dict: ``{label: [terms]}``).
    window : int
        Words of context on each side (vi: syllables; ru, en: words).
    window_chars : int
        Characters of context on each side for Chinese.
    concepts : iterable of str, optional
        Keep only these concepts (or labels).
    hits : pandas.DataFrame, optional
        Output of :func:`corpuslib.text.lexicon.find_concepts` to reuse (with the same lexicon).
    include_title : bool
        Match the title too.
    max_per_item : int, optional
        At most this many lines per concept (a reproducible random sample).
    random_state : int, optional
        Seed of that sample.
    regex : str, optional
        Instead of terms, a regular expression matched in each sentence (case ignored), e.g.
        ``r"tinh (gọn|giản)"``; the lines' ``concept_or_term`` is the expression.
    wildcard : str, optional
        Instead of terms, a wildcard: ``*`` any letters, ``?`` one letter (``"cán bộ*"``).
        Lexicon terms take a final ``*`` too (``оптимиз*``: a stem).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, outlet, published, lang, concept_or_term, term, field, sentence, start,
        end, left, match, right``; ``match`` is the text as written, ``start``/``end`` its
        offsets in ``field`` (``title`` or ``text``), sorted by ``doc_id``, ``field``, ``start``.
    """
    if regex is not None or wildcard is not None:
        if terms is not None or hits is not None:
            raise ValueError("give terms (or hits) or a regex/wildcard, not both")
        hits = find_pattern(documents, regex=regex, wildcard=wildcard, include_title=include_title)
        lexicon = None
    elif terms is None or isinstance(terms, Lexicon):
        lexicon = _lexicon(terms)
    else:
        langs = [lg for lg in documents["lang"].dropna().unique() if lg in LEXICON_LANGS] or list(LEXICON_LANGS)
        lexicon = Lexicon.from_terms(terms, langs=sorted(langs))
    if concepts is not None:
        concepts = [concepts] if isinstance(concepts, str) else list(concepts)
        lexicon = lexicon.select(concepts=concepts) if lexicon is not None else None
    if hits is None:
        hits = find_concepts(documents, lexicon, include_title=include_title)
    elif concepts is not None:
        hits = hits[hits["concept"].isin(concepts)]
    cols = ["doc_id", "outlet", "published", "lang", "concept_or_term", "term", "field", "sentence", "start", "end",
            "left", "match", "right"]
    if not len(hits):
        return pd.DataFrame(columns=cols)
    if max_per_item is not None:
        hits = pd.concat([g.sample(n=min(len(g), max_per_item), random_state=random_state)
                          for _, g in hits.groupby("concept", sort=True)])
    docs = documents.set_index("doc_id")
    rows = []
    for h in hits.itertuples(index=False):
        doc = docs.loc[h.doc_id]
        fields = dict(_fields({**doc.to_dict(), "doc_id": h.doc_id}, include_title))
        text = fields.get(h.field, "")
        left, right = _context(text, h.start, h.end, h.lang, window, window_chars)
        rows.append((h.doc_id, doc.get("outlet", None), doc.get("published", pd.NaT), h.lang, h.concept, h.term,
                     h.field, h.sentence, h.start, h.end, left, text[h.start:h.end], right))
    out = pd.DataFrame(rows, columns=cols)
    if "published" in documents.columns:
        out["published"] = pd.to_datetime(out["published"], errors="coerce")
    field_order = out["field"].map({"title": 0, "text": 1})
    out = out.assign(_f=field_order).sort_values(["doc_id", "_f", "start", "concept_or_term"], kind="stable")
    return out.drop(columns="_f").reset_index(drop=True)
