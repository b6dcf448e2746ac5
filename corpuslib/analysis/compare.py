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
from typing import Iterable

import numpy as np
import pandas as pd

from ..text.language import base_language
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


def concept_counts(documents: pd.DataFrame, lexicon: Lexicon | None = None, *, by: str | list[str] | None = None,
                   level: str = "concept", tokens: pd.DataFrame | None = None, hits: pd.DataFrame | None = None,
                   include_title: bool = True) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Per document: ``doc_id, lang, concept, theme, label_en, count, sentences, n_tokens,
        n_sentences, rate, sentence_share``; per group: the ``by`` columns instead of
        ``doc_id, lang`` plus ``docs`` (documents mentioning the concept), ``n_docs`` and
        ``doc_share``. ``count`` is the number of matches, ``sentences`` the number of
        sentences with at least one, ``rate`` matches per 1,000 tokens, ``sentence_share``
        ``sentences / n_sentences``. Rates of empty groups are 0.
    """
    if level not in ("concept", "term"):
        raise ValueError(f"level must be 'concept' or 'term', not {level!r}")
    lexicon = _lexicon(lexicon)
    if hits is None:
        hits = find_concepts(documents, lexicon, include_title=include_title)
    sizes = document_sizes(documents, tokens=tokens, include_title=include_title)
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
    tail = ["count", "sentences"] + (["docs", "n_docs"] if by is not None else []) + [
        "n_tokens", "n_sentences", "rate", "sentence_share"] + (["doc_share"] if by is not None else [])
    cols = lead + keys + ["theme", "label_en"] + tail
    order = {c: i for i, c in enumerate(meta["concept"])}
    out = out[cols].sort_values(lead + keys, key=lambda s: s.map(order) if s.name == "concept" else s.astype(str),
                                kind="stable")
    return out.reset_index(drop=True)


def concept_rates_over_time(documents: pd.DataFrame, lexicon: Lexicon | None = None, *, period: str = "M",
                            by: str | list[str] | None = "outlet", tokens: pd.DataFrame | None = None,
                            hits: pd.DataFrame | None = None, include_title: bool = True) -> pd.DataFrame:
    """Return concept counts and rates per period (and per outlet), empty periods filled.

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
    tokens, hits, include_title
        As for :func:`concept_counts`.

    Returns
    -------
    pandas.DataFrame
        ``period`` (label such as ``2025-08``, ``2025Q3``, ``2025``), ``period_start``
        (timestamp), the ``by`` columns, then the columns of grouped :func:`concept_counts`.
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
    out = concept_counts(dated, lexicon, by=groups, tokens=tokens, hits=hits, include_title=include_title)
    starts = {str(p): p.start_time for p in span}
    out.insert(0, "period_start", out["period"].map(starts).astype("datetime64[ns]"))
    out = out[["period"] + [c for c in out.columns if c != "period"]]
    out = out.sort_values(["period_start"] + groups[:-1], kind="stable").reset_index(drop=True)
    out.attrs["undated"] = int(published.isna().sum())
    return out


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
                    "n_tokens", "n_sentences", "rate", "sentence_share", "doc_share", "period_start"}


def _long_counts(table, group_col, item, count, total, unit, documents):
    """Return (long table group/item/y [/lang], totals group -> n [per lang], item name)."""
    if group_col not in table.columns:
        if documents is None or "doc_id" not in table.columns:
            raise KeyError(f"{group_col!r} is not a column of the table; pass documents= to look it up by doc_id")
        table = table.merge(documents[["doc_id", group_col]], on="doc_id", how="left")
    table = table.copy()
    table[group_col], _ = _group_levels(table[group_col])
    if item is None:
        item = "token" if "token" in table.columns else "term" if "term" in table.columns and "concept" not in table.columns \
            else "concept" if "concept" in table.columns else None
        if item is None:
            raise ValueError("cannot tell the item column; pass item=")
    per_lang = item == "token" and "lang" in table.columns and table["lang"].nunique() > 1
    lang_key = ["lang"] if per_lang else []
    if per_lang and group_col == "lang":
        # words are compared within a language; grouped by language, each language is its own
        # only group, so there is nothing to compare (a separate key keeps the two roles apart)
        table["_lang"] = table["lang"]
        lang_key = ["_lang"]
    if item == "token" and count is None:
        long = table.groupby([group_col, *lang_key, item], sort=False).size().rename("y").reset_index()
        totals = long.groupby([group_col, *lang_key])["y"].sum().rename("n").reset_index()
        return long, totals, item, lang_key
    if count is None:
        count = {"sentences": "sentences", "tokens": "count"}[unit] if unit in ("sentences", "tokens") else "count"
        if count not in table.columns:
            count = "count"
    long = table.groupby([group_col, *lang_key, item], sort=False)[count].sum().rename("y").reset_index()
    if total is None and unit in ("sentences", "tokens") and {"n_sentences", "n_tokens"} <= set(table.columns):
        total = "n_sentences" if unit == "sentences" else "n_tokens"
    if total is None:
        totals = long.groupby([group_col, *lang_key])["y"].sum().rename("n").reset_index()
    else:
        # one denominator per document (or per group row), however many items it has
        keys = ["doc_id"] if "doc_id" in table.columns else [c for c in table.columns if c not in _MEASURE_COLUMNS
                                                              and c not in (item, count, total)]
        if group_col not in keys:
            keys = keys + [group_col]
        once = table.drop_duplicates(keys)
        totals = once.groupby([group_col, *lang_key])[total].sum().rename("n").reset_index()
    return long, totals, item, lang_key


def keyness(table: pd.DataFrame, group_col: str, *, target=None, reference=None, measure: str = "logodds",
            item: str | None = None, count: str | None = None, total: str | None = None,
            unit: str = "sentences", documents: pd.DataFrame | None = None, prior: float = 1.0,
            min_count: int = 1) -> pd.DataFrame:
    """Return the keyness of terms or concepts between groups of documents.

    Parameters
    ----------
    table : pandas.DataFrame
        One of: a tokens table (``doc_id, token[, lang]``: terms, counted within each
        language when several are present); a :func:`concept_counts` table, per document
        or per group (concepts across languages); any long table with an item column and a
        count column.
    group_col : str
        Column holding the groups (``outlet``, ``lang``, ``period``...). When it is not in
        ``table``, it is looked up in ``documents`` by ``doc_id``.
    target : str or list, optional
        Group(s) to describe. Default: every group, each against the rest.
    reference : str or list, optional
        Group(s) to compare with. Default: all groups other than the target ("rest").
    measure : {"logodds", "g2"}
        ``logodds``: weighted log-odds ratio with an informative Dirichlet prior; ``value`` is
        the log-odds ratio delta and ``z`` its z-score. ``g2``: log-likelihood G2 (value) with
        ``z = sign * sqrt(G2)``. Both report ``p`` (two-sided) and ``log_ratio``
        (log2 ratio of relative frequencies, the effect size).
    item, count, total : str, optional
        Column names of the item, its count and the group total, when not guessed.
    unit : {"sentences", "tokens"}
        For concept tables: count sentences mentioning a concept out of all sentences
        (default, comparable across languages) or matches out of tokens.
    documents : pandas.DataFrame, optional
        To look up ``group_col`` by ``doc_id``.
    prior : float
        Scale of the informative prior: ``alpha_w = prior * (count of w in the whole table)``
        and ``alpha_0 = prior * (total of the whole table)``, i.e. the pooled corpus as the
        background. ``prior=1`` weighs it like the data; smaller values shrink less.
    min_count : int
        Drop items with fewer occurrences in target and reference together.

    Returns
    -------
    pandas.DataFrame
        ``group, reference, term_or_concept, statistic, value, z, p, log_ratio, count,
        count_ref, total, total_ref, rate, rate_ref`` (rates per 1,000 units; plus ``lang``
        for multilingual tokens), sorted by group then z (descending).
    """
    from scipy import stats

    if measure not in ("logodds", "g2"):
        raise ValueError(f"measure must be 'logodds' or 'g2', not {measure!r}")
    long, totals, item, lang_key = _long_counts(table, group_col, item, count, total, unit, documents)
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

    parts = []
    lang_groups = long.groupby(lang_key, sort=True) if lang_key else [((None,), long)]
    for lang_val, sub in lang_groups:
        tot = totals if not lang_key else totals[totals[lang_key[0]] == lang_val[0]]
        wide = sub.pivot_table(index=item, columns=group_col, values="y", aggfunc="sum", fill_value=0, observed=False)
        n_by_group = tot.set_index(group_col)["n"]
        pooled_y = wide.sum(axis=1)
        pooled_n = float(n_by_group.sum())
        for t, ref in comparisons:
            ref = [g for g in ref if g in n_by_group.index]
            if t not in n_by_group.index or not ref:
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
                "group": t, "reference": ref[0] if len(ref) == 1 and refs is not None else
                ("rest" if refs is None else "+".join(map(str, ref))),
                "term_or_concept": y_i.index.astype(str), "statistic": measure, "value": value, "z": z, "p": p,
                "log_ratio": lr, "count": y_i.to_numpy("int64"), "count_ref": y_j.to_numpy("int64"),
                "total": n_i, "total_ref": n_j,
                "rate": 1000.0 * y_i.to_numpy(float) / n_i, "rate_ref": 1000.0 * y_j.to_numpy(float) / n_j,
            })
            if lang_key:
                part.insert(2, "lang", lang_val[0])
            parts.append(part)
    cols = ["group", "reference", *(["lang"] if lang_key else []), "term_or_concept", "statistic", "value", "z", "p",
            "log_ratio", "count", "count_ref", "total", "total_ref", "rate", "rate_ref"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)[cols]
    out["group"] = out["group"].astype(str)
    sort_keys = ["group"] + (["lang"] if lang_key else [])
    out = out.sort_values(sort_keys + ["z", "term_or_concept"], ascending=[True] * len(sort_keys) + [False, True],
                          kind="stable")
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
        from 1 = most typical of the group (largest z) to most typical of the reference.
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
    out["rank"] = out.groupby(keys, sort=False).cumcount() + 1
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


def kwic(documents: pd.DataFrame, terms=None, *, window: int = 10, window_chars: int = 30,
         concepts: Iterable[str] | None = None, hits: pd.DataFrame | None = None, include_title: bool = True,
         max_per_item: int | None = None, random_state: int | None = 0) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        ``doc_id, outlet, published, lang, concept_or_term, term, field, sentence, start,
        end, left, match, right``; ``match`` is the text as written, ``start``/``end`` its
        offsets in ``field`` (``title`` or ``text``), sorted by ``doc_id``, ``field``, ``start``.
    """
    if terms is None or isinstance(terms, Lexicon):
        lexicon = _lexicon(terms)
    else:
        langs = [lg for lg in documents["lang"].dropna().unique() if lg in LEXICON_LANGS] or list(LEXICON_LANGS)
        lexicon = Lexicon.from_terms(terms, langs=sorted(langs))
    if concepts is not None:
        concepts = [concepts] if isinstance(concepts, str) else list(concepts)
        lexicon = lexicon.select(concepts=concepts)
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
