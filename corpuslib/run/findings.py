"""Findings: the short Markdown text that ends a notebook's section, computed from its tables.

Each function takes the tables a notebook has just computed and returns a :class:`Findings` text:
what the corpus holds (01), which topics lead where and when (02), which differences are
significant, with their intervals (03), which events lead the timeline (04). Every number in the
text is read from the tables, never typed; a column a table does not have (yet) is left out of the
text rather than guessed. Scraped strings (outlets, labels, titles) are escaped, so they show as
text in JupyterLab, the exported notebook and ``report.html``.

A notebook cell that ends with one of these calls shows the text as Markdown; papermill keeps it
in the executed notebook (tagged ``{"corpuslib": {"findings": true}}`` in the output's metadata),
and the run's report shows it under the notebook's question.
"""
from __future__ import annotations

import json
import math
import re
from typing import Iterable

import pandas as pd

from ..core.tables import split_list

#: Names of the languages the loaders tag most often.
LANGUAGES = {"vi": "Vietnamese", "zh": "Chinese", "ru": "Russian", "en": "English", "und": "undetermined"}
#: Output metadata that marks a findings text (the report looks for it).
METADATA = {"corpuslib": {"findings": True}}
# what makes inline Markdown markup or HTML, and what starts a block (a list item, a quote) at the head of
# a text; each is backslash-escaped, which every CommonMark renderer reads as the character itself
_MD_PUNCT = re.compile(r"([\\`*_\[\]#|~$<>&])")
_MD_BLOCK = re.compile(r"^(?:([-+>=])|(\d+)([.)]))")


class Findings(str):
    """Markdown text of a notebook's findings; displayed as Markdown, printed as itself."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": str(self), "text/plain": str(self)}, dict(METADATA)

    def __repr__(self) -> str:
        return str(self)


def escape(text) -> str:
    """Return scraped text as Markdown that shows it literally (no emphasis, link, heading or HTML)."""
    text = _MD_PUNCT.sub(r"\\\1", " ".join(str(text).split()))
    return _MD_BLOCK.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def _n(x) -> str:
    return f"{int(x):,}"


def _many(x, word: str) -> str:
    """``1 document``, ``2 documents``."""
    return f"{_n(x)} {word}{'' if int(x) == 1 else 's'}"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT


def _pct(x, digits: int = 1) -> str:
    return "–" if _missing(x) else f"{100 * float(x):.{digits}f} %"


def _interval(row, low: str, high: str, fmt=_pct) -> str:
    """`` (95 % lo–hi)`` when the row has both bounds, else ''."""
    lo, hi = row.get(low), row.get(high)
    return "" if _missing(lo) or _missing(hi) else f" (95 % {fmt(lo)} – {fmt(hi)})"


def _counts(values: pd.Series, top: int = 3) -> str:
    """``a 12, b 3, c 1`` of the most frequent values (ties by name)."""
    vc = values.value_counts()
    items = sorted(vc.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
    more = len(vc) - len(items)
    return ", ".join(f"{escape(k)} {_n(v)}" for k, v in items) + (f" and {more} more" if more > 0 else "")


def _join(lines: Iterable[str]) -> Findings:
    return Findings("\n".join(line for line in lines if line is not None).strip() + "\n")


# ---------------------------------------------------------------------------------------
# 01: what the corpus holds
# ---------------------------------------------------------------------------------------
def corpus_findings(documents: pd.DataFrame, rejected: pd.DataFrame | None = None) -> Findings:
    """Return what the corpus holds: documents by language and outlet, the dates, what was rejected or removed.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (``doc_id``; ``lang, outlet, published, date_method, removed`` when present).
    rejected : pandas.DataFrame, optional
        The rejected table (``reason``).
    """
    n = len(documents)
    lines = [f"**What the corpus holds.** {_n(n)} document{'s' if n != 1 else ''}"
             + (f" and {_n(len(rejected))} rejected input{'s' if len(rejected) != 1 else ''}"
                + (f" ({_counts(rejected['reason'], 4)})" if len(rejected) and "reason" in rejected else "")
                if rejected is not None else "") + "."]
    if not n:
        return _join(lines)
    if "lang" in documents:
        langs = documents["lang"].fillna("und").value_counts()
        parts = [f"{LANGUAGES.get(k, escape(k))} {_n(v)} ({_pct(v / n, 0)})" for k, v in
                 sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines.append(f"- Languages (of the body): {', '.join(parts)}.")
    if "outlet" in documents:
        outlets = documents["outlet"].where(documents["outlet"].notna() & (documents["outlet"] != ""))
        named = outlets.dropna()
        lines.append(f"- {_n(named.nunique())} outlet{'s' if named.nunique() != 1 else ''}"
                     + (f"; the largest: {_counts(named, 3)}" if len(named) else "")
                     + (f"; {_n(n - len(named))} document{'s' if n - len(named) != 1 else ''} without an outlet"
                        if len(named) < n else "") + ".")
    if "published" in documents:
        published = pd.to_datetime(documents["published"], errors="coerce")
        dated = published.dropna()
        text = f"- {_n(len(dated))} dated"
        if len(dated):
            text += f", from {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}"
            if "date_method" in documents:
                text += f" (found by {_counts(documents.loc[published.notna(), 'date_method'].fillna('?'), 3)})"
        text += f"; {_n(n - len(dated))} without a date" if len(dated) < n else ""
        lines.append(text + ".")
    lines += _near_duplicate_lines(documents, rejected)
    if "removed" in documents:
        reasons = pd.Series([item.get("reason", "?") for raw in documents["removed"]
                             for item in json.loads(raw or "[]")], dtype=object)
        if len(reasons):
            touched = int(documents["removed"].map(lambda r: bool(json.loads(r or "[]"))).sum())
            lines.append(f"- Cleaning removed {_n(len(reasons))} line{'s' if len(reasons) != 1 else ''} or fragments "
                         f"from {_n(touched)} document{'s' if touched != 1 else ''}: {_counts(reasons, 4)}.")
    return _join(lines)


def _near_duplicate_lines(documents: pd.DataFrame, rejected: pd.DataFrame | None) -> list[str]:
    """One line on reposts and updates: how many are kept and flagged, or were dropped."""
    dropped = int((rejected["reason"] == "near_duplicate").sum()) if rejected is not None and "reason" in rejected else 0
    if dropped:
        return [f"- {_n(dropped)} near-duplicate{'s' if dropped != 1 else ''} (reposts or updated versions of a "
                f"story already in the corpus) dropped (`drop_near_duplicates`), listed in the rejected table."]
    if "near_duplicate_of" not in documents:
        return []
    flagged = documents["near_duplicate_of"].notna()
    k = int(flagged.sum())
    if not k:
        return ["- No near-duplicates (reposts or updated versions of one story) found."]
    text = (f"- {_n(k)} near-duplicate{'s' if k != 1 else ''} ({_pct(k / len(documents), 1)}: reposts or updated "
            f"versions of a story already in the corpus")
    if "outlet" in documents:
        outlet = documents.set_index(documents["doc_id"].astype(str))["outlet"]
        orig = documents.loc[flagged, "near_duplicate_of"].astype(str).map(outlet)
        across = int((orig.fillna("") != documents.loc[flagged, "outlet"].fillna("")).sum())
        text += f"; {_n(across)} across outlets"
    return [text + ") are kept and flagged in `near_duplicate_of`; `drop_near_duplicates=True` drops them."]


# ---------------------------------------------------------------------------------------
# 02: which topics lead where, and when
# ---------------------------------------------------------------------------------------
def _labels(info: pd.DataFrame | None) -> dict:
    if info is None or "label" not in info:
        return {}
    return dict(zip(info["topic"].astype(str), info["label"].astype(str)))


def _topic(topic, labels: dict) -> str:
    label = labels.get(str(topic))
    return f"{escape(topic)} *{escape(label)}*" if label else escape(topic)


def _leaders(table: pd.DataFrame, key: str, value: str) -> pd.DataFrame:
    """The row of the largest value per ``key`` (ties: the smaller topic id)."""
    rows = table[table[value].notna()].sort_values([key, value, "topic"], ascending=[True, False, True],
                                                   key=lambda s: s.astype(str) if s.name != value else s)
    return rows.drop_duplicates(key, keep="first")


def topic_findings(info: pd.DataFrame, prevalence: pd.DataFrame, *, group_by: str = "outlet",
                   value: str = "share", max_groups: int = 8) -> Findings:
    """Return which topic leads each group, with its share (and interval when the table has one).

    Parameters
    ----------
    info : pandas.DataFrame
        ``topic_info`` (``topic, label``; ``documents`` and ``frex`` when present: the largest topic's
        FREX words are quoted).
    prevalence : pandas.DataFrame
        ``topic_prevalence`` by ``group_by`` (``topic``, ``value``; ``<value>_low``/``_high`` and
        ``group_documents`` when present).
    value : {"share", "weight"}
        The prevalence measure.
    max_groups : int
        Groups listed (the largest).
    """
    labels = _labels(info)
    what = ("the leading topic and the share of the group's documents it dominates" if value == "share"
            else "the leading topic and its mean weight in the group's documents")
    lines = [f"**Which topics lead where.** {_n(len(info))} topic{'s' if len(info) != 1 else ''}."]
    if "documents" in info and len(info):
        top = info.sort_values(["documents", "topic"], ascending=[False, True], key=lambda s: s if s.name ==
                               "documents" else s.astype(str)).iloc[0]
        lines[0] += f" The largest, {_topic(top['topic'], labels)}, dominates {_many(top['documents'], 'document')}."
        if isinstance(top.get("frex"), str) and top["frex"]:
            # FREX words tell a topic from the others better than its top words, which other topics share
            lines[0] += f" Its most distinctive words (FREX): {escape(top['frex'].replace(' · ', ', '))}."
    if group_by not in prevalence or value not in prevalence or not len(prevalence):
        return _join(lines)
    leaders = _leaders(prevalence, group_by, value)
    if "group_documents" in leaders:
        leaders = leaders.sort_values(["group_documents", group_by], ascending=[False, True],
                                      key=lambda s: s if s.name == "group_documents" else s.astype(str))
    fmt = _pct if value == "share" else (lambda x: f"{float(x):.3f}")
    lines.append(f"By {escape(group_by)}, {what}:")
    for _, r in leaders.head(max_groups).iterrows():
        size = f" of {_many(r['group_documents'], 'document')}" if not _missing(r.get("group_documents")) else ""
        lines.append(f"- {escape(r[group_by])}: {_topic(r['topic'], labels)}, {fmt(r[value])}"
                     f"{_interval(r, f'{value}_low', f'{value}_high', fmt)}{size}.")
    if len(leaders) > max_groups:
        lines.append(f"- … and {_n(len(leaders) - max_groups)} smaller groups (see the table).")
    if not any(f"{value}_low" in c for c in prevalence.columns):
        lines.append("\nNo interval is computed for these shares yet: read small groups with care.")
    return _join(lines)


def _ci_text(lo, hi, fmt=_pct, ci: float = 0.95) -> str:
    """`` (95 % lo – hi)``, or '' without both bounds."""
    return "" if _missing(lo) or _missing(hi) else f" ({100 * ci:.0f} % {fmt(lo)} – {fmt(hi)})"


def topic_trend_findings(info: pd.DataFrame, over_time: pd.DataFrame, *, value: str = "share",
                         max_runs: int = 6, ci: float = 0.95, sparse: int = 5) -> Findings:
    """Return which topic leads each period, as runs of consecutive periods (``2025-08 – 2026-03: t01``).

    With the table's intervals (``<value>_low``, ``<value>_high``) each run quotes its leader at its
    peak with the interval, and the text says in how many periods the leader's interval overlaps the
    runner-up's (a lead that is not clear) and how many periods have fewer than ``sparse`` documents.
    """
    labels = _labels(info)
    key = "published" if "published" in over_time else over_time.columns[0]
    dated = over_time[~over_time[key].astype(str).str.startswith("(")]
    lines = ["**Which topics lead when.**"]
    if not len(dated) or value not in dated:
        return _join(lines + ["No dated documents: nothing to say about time."])
    low, high = f"{value}_low", f"{value}_high"
    has_ci = low in dated and high in dated
    leaders = _leaders(dated, key, value).sort_values(key, key=lambda s: s.astype(str))
    runs: list[list] = []
    for _, r in leaders.iterrows():
        if runs and runs[-1][2] == r["topic"]:
            runs[-1][1] = r[key]
        else:
            runs.append([r[key], r[key], r["topic"], []])
        runs[-1][3].append(r)
    periods = leaders[key].nunique()
    most = leaders["topic"].value_counts()
    best = sorted(most.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
    measure = "share of the period's documents" if value == "share" else "mean weight in the period"
    if best[1] > 1 or periods == 1:
        lines[0] += f" Over {_many(periods, 'period')}, {_topic(best[0], labels)} leads {_n(best[1])} of them."
    else:
        lines[0] += f" Over {_many(periods, 'period')}, no topic leads more than one."
    lines[0] += f" The leader of each run of periods, with its {measure}:"
    fmt = _pct if value == "share" else (lambda x: f"{float(x):.3f}")
    for start, end, topic, rows in runs[:max_runs]:
        span = escape(start) if start == end else f"{escape(start)} – {escape(end)}"
        values = [r[value] for r in rows]
        text = f"- {span}: {_topic(topic, labels)} ({fmt(min(values))}" + \
            (f" – {fmt(max(values))})" if len(values) > 1 else ")")
        if has_ci:
            peak = max(rows, key=lambda r: r[value])
            if len(rows) > 1:
                text += f", at its peak in {escape(peak[key])} {fmt(peak[value])}"
            text += _ci_text(peak[low], peak[high], fmt, ci)
        lines.append(text)
    if len(runs) > max_runs:
        lines.append(f"- … {_n(len(runs) - max_runs)} more changes of leader (see the figure).")
    if has_ci:
        unclear = 0
        for _, g in dated[dated[value].notna()].groupby(key):
            g = g.sort_values([value, "topic"], ascending=[False, True], key=lambda s: s if s.name == value
                              else s.astype(str))
            if len(g) > 1 and not g.iloc[0][low] > g.iloc[1][high]:
                unclear += 1
        lines.append(f"\nIn {_n(unclear)} of {_many(periods, 'period')} the leader's {100 * ci:.0f} % interval "
                     "overlaps the runner-up's: there the lead is not clear.")
        size = "group_documents" if "group_documents" in dated else ("documents" if "documents" in dated else None)
        if size:
            per = dated.groupby(key)[size].max()
            thin = int(((per > 0) & (per < sparse)).sum())
            if thin:
                lines.append(f"{_many(thin, 'period')} with fewer than {sparse} documents: read their leaders "
                             "as anecdotes.")
    else:
        lines.append("\nNo interval is computed for these shares: read periods of few documents with care.")
    return _join(lines)


def topic_effect_findings(effects: pd.DataFrame, info: pd.DataFrame | None = None, *, outlet: str = "outlet",
                          time: str = "published", ci: float = 0.95, top: int = 6) -> Findings:
    """Return which topics differ by outlet and which move over time, from ``topic_effects``, with intervals.

    Parameters
    ----------
    effects : pandas.DataFrame
        :func:`corpuslib.analysis.prevalence.topic_effects` output.
    info : pandas.DataFrame, optional
        ``topic_info`` (``topic, label``).
    outlet, time : str
        The covariates of the table (rows ``<outlet>``, ``<outlet>_difference``, ``<time>``).
    ci : float
        Level the intervals were computed at.
    top : int
        Differences (and trends) listed, the largest first.
    """
    labels = _labels(info)
    lines = [f"**What differs by {escape(outlet)} and over time** (topic effects: expected topic shares, "
             f"{100 * ci:.0f} % intervals over resampled documents and refitted models)."]
    if effects is None or not len(effects):
        return _join(lines + ["No topic effects were computed."])
    eff = effects.copy()
    eff["topic"] = eff["topic"].astype(str)
    at = eff[eff["covariate"] == outlet].set_index(["topic", "level"])
    diff = eff[(eff["covariate"] == f"{outlet}_difference") & eff["estimate"].notna()]
    if len(diff):
        clear = diff[(diff["low"] > 0) | (diff["high"] < 0)]
        ref = escape(diff["reference"].dropna().iloc[0])
        lines.append(f"Against {ref} (the reference), {_n(len(clear))} of {_n(len(diff))} differences have an "
                     "interval that excludes 0 (not adjusted for the many comparisons)"
                     + (":" if len(clear) else "."))
        clear = clear.assign(_size=clear["estimate"].abs()).sort_values(["_size", "topic", "level"],
                                                                         ascending=[False, True, True])
        for _, r in clear.head(top).iterrows():
            mine = at.loc[(r["topic"], r["level"]), "estimate"] if (r["topic"], r["level"]) in at.index else None
            theirs = at.loc[(r["topic"], r["reference"]), "estimate"] if (r["topic"], r["reference"]) in at.index \
                else None
            shares = f"{_pct(mine)} against {_pct(theirs)}, " if mine is not None and theirs is not None else ""
            lines.append(f"- {escape(r['level'])}: {_topic(r['topic'], labels)}, {shares}difference "
                         f"{100 * r['estimate']:+.1f} points{_ci_text(100 * r['low'], 100 * r['high'], _points, ci)}.")
        if len(clear) > top:
            lines.append(f"- … and {_n(len(clear) - top)} more (see the table).")
    left = eff[(eff["covariate"] == outlet) & eff["estimate"].isna()]["level"].astype(str).unique()
    if len(left):
        lines.append(f"Left out, too few documents: {', '.join(escape(x) for x in sorted(left))}.")
    curve = eff[(eff["covariate"] == time) & eff["estimate"].notna()]
    moves = []
    for t, g in curve.groupby("topic"):
        lo_row, hi_row = g.loc[g["estimate"].idxmin()], g.loc[g["estimate"].idxmax()]
        if hi_row["low"] > lo_row["high"]:     # the intervals at the low and the peak do not overlap
            moves.append((hi_row["estimate"] - lo_row["estimate"], t, lo_row, hi_row))
    if len(curve):
        lines.append(f"Over time, {_n(len(moves))} of {_n(curve['topic'].nunique())} topics move beyond their "
                     "intervals (lowest and highest period apart)" + (":" if moves else "."))
        for _, t, lo_row, hi_row in sorted(moves, key=lambda m: (-m[0], m[1]))[:top]:
            rises = str(lo_row["level"]) < str(hi_row["level"])
            a, b = (lo_row, hi_row) if rises else (hi_row, lo_row)
            ends = ("its low", "its peak") if rises else ("its peak", "its low")
            first = f"{_pct(a['estimate'])} in {escape(a['level'])}{_ci_text(a['low'], a['high'], _pct, ci)}"
            then = f"{_pct(b['estimate'])} in {escape(b['level'])}{_ci_text(b['low'], b['high'], _pct, ci)}"
            lines.append(f"- {_topic(t, labels)} {'rises' if rises else 'falls'} from {ends[0]}, {first}, "
                         f"to {ends[1]}, {then}.")
    if "stability" in eff and eff["stability"].notna().any():
        stab = eff.groupby("topic")["stability"].first()
        shaky = stab[stab < 0.5]
        if len(shaky):
            lines.append(f"Unstable across refits (term similarity < 0.5, wide intervals): "
                         f"{', '.join(_topic(t, labels) for t in sorted(shaky.index))}.")
        else:
            lines.append(f"Every topic came back in the refits (term similarity at least {stab.min():.2f}).")
    return _join(lines)


def _points(x) -> str:
    return f"{float(x):+.1f}"


# ---------------------------------------------------------------------------------------
# 03: which differences are significant
# ---------------------------------------------------------------------------------------
def _significant(table: pd.DataFrame, alpha: float = 0.05) -> tuple[pd.Series, str]:
    """Which rows are significant, and how that was decided (q, else p, else |z|)."""
    if "significant" in table:
        return table["significant"].astype(bool), f"q < {alpha}"
    if "q" in table:
        return table["q"] < alpha, f"q < {alpha}"
    if "p" in table:
        return table["p"] < alpha, f"p < {alpha}, not adjusted for the many comparisons"
    return table["z"].abs() > 1.96, "|z| > 1.96, not adjusted for the many comparisons"


def _tests_only(table: pd.DataFrame) -> pd.DataFrame:
    """The rows that are tests, not the note of a comparison left out for lack of documents."""
    return table[table["note"].fillna("") == ""] if "note" in table else table


def _left_out(table: pd.DataFrame) -> list[str]:
    """One line naming the comparisons left out for lack of documents (none: no line)."""
    if "note" not in table:
        return []
    notes = table[table["note"].fillna("") != ""]
    if not len(notes):
        return []
    items = list(dict.fromkeys(f"{escape(r['group'])} vs {escape(r['reference'])}"
                               + (f" ({LANGUAGES.get(r['lang'], escape(r['lang']))})"
                                  if "lang" in notes and isinstance(r.get("lang"), str) and r.get("lang") else "")
                               + f": {escape(re.sub(r'^left out: ', '', str(r['note'])))}"
                               for _, r in notes.iterrows()))
    more = f"; … and {_n(len(items) - 4)} more" if len(items) > 4 else ""
    return [f"\nLeft out, never ranked: {'; '.join(items[:4])}{more}."]


def _share_of(counts: pd.DataFrame | None, group_by: str, group, concept) -> str:
    """``4.1 % (95 % 3.0 – 5.3 %)``: the group's sentences that mention the concept, from concept_counts.

    A reference ``rest`` (or ``a+b``) pools the other groups' (or the named groups') sentences; an
    interval is shown where the table has one for that row.
    """
    if counts is None or group_by not in counts or "sentence_share" not in counts:
        return ""
    mine = counts[counts["concept"] == concept]
    names = mine[group_by].astype(str)
    row = mine[names == str(group)]
    if len(row):
        r = row.iloc[0]
        return f"{_pct(r['sentence_share'])}{_interval(r, 'sentence_share_low', 'sentence_share_high')}"
    if not {"sentences", "n_sentences"} <= set(mine.columns):
        return ""
    pooled = mine[names != str(group)] if str(group) == "rest" else mine[names.isin(str(group).split("+"))]
    total = pooled["n_sentences"].sum()
    return _pct(pooled["sentences"].sum() / total) if total else ""


def _reference_share(counts, group_by, group, reference, concept) -> str:
    """The reference's share; for ``rest``, the groups other than ``group``."""
    if str(reference) != "rest" or counts is None or group_by not in counts:
        return _share_of(counts, group_by, reference, concept)
    others = "+".join(sorted(set(counts[group_by].astype(str)) - {str(group)}))
    return _share_of(counts, group_by, others, concept)


def difference_findings(differences: pd.DataFrame, counts: pd.DataFrame | None = None, *, group_by: str = "outlet",
                        labels: dict | None = None, top: int = 6) -> Findings:
    """Return which concepts differ significantly between groups, with their shares and intervals.

    Parameters
    ----------
    differences : pandas.DataFrame
        ``concept_differences`` (``concept, group, reference, difference, low, high, p, q,
        significant``) or, where the run has none, the concept ``keyness`` table (``group, reference,
        term_or_concept, z, p``; ``q`` when present).
    counts : pandas.DataFrame, optional
        ``concept_counts`` by ``group_by``: each group's sentence share (and interval) of a concept.
    labels : dict, optional
        Concept id -> label.
    top : int
        Differences listed (the largest in absolute value, or in |z|).
    """
    labels = labels or {}
    title = f"**Which differences are significant** (by {escape(group_by)})."
    if differences is None or not len(differences):
        return _join([title, "Nothing to compare: fewer than two groups."])
    table = differences.rename(columns={"term_or_concept": "concept"})
    left_out = _left_out(table)
    table = _tests_only(table)
    if not len(table):
        return _join([title, "Nothing was compared: every group has too few documents."] + left_out)
    sig, rule = _significant(table)
    name = lambda c: f"*{escape(labels.get(c, c))}*"  # noqa: E731
    size = "difference" if "difference" in table else "z"
    chosen = table[sig].assign(_a=lambda t: t[size].abs()).sort_values(["_a", "concept"], ascending=[False, True])
    lines = [title + f" {_n(int(sig.sum()))} of {_n(len(table))} comparisons ({rule})."]
    for _, r in chosen.head(top).iterrows():
        a = _share_of(counts, group_by, r["group"], r["concept"])
        b = _reference_share(counts, group_by, r["group"], r["reference"], r["concept"])
        if not _missing(r.get("reference_estimate")):  # the pooled reference's share, as the test used it
            b = _pct(r["reference_estimate"])
        ref = "the others'" if str(r["reference"]) == "rest" else f"{escape(r['reference'])}'s"
        shares = f": {a} of {escape(r['group'])}'s sentences vs {b} of {ref}" if a and b else ""
        if "difference" in table:
            effect = (f"difference {100 * r['difference']:+.1f} points"
                      f"{_interval(r, 'low', 'high', lambda x: f'{100 * float(x):+.1f}')}")
        else:
            effect = f"z {r['z']:+.1f}"
        support = f", q = {r['q']:.3g}" if "q" in table and not _missing(r.get("q")) else (
            f", p = {r['p']:.3g}" if "p" in table else "")
        lines.append(f"- {name(r['concept'])}, {escape(r['group'])} vs {escape(r['reference'])}{shares}; "
                     f"{effect}{support}.")
    if not len(chosen):
        nearest = table.assign(_a=table[size].abs()).sort_values(["_a", "concept"], ascending=[False, True])
        if len(nearest):
            r = nearest.iloc[0]
            lines.append(f"- No significant difference; the largest is {name(r['concept'])}, {escape(r['group'])} vs "
                         f"{escape(r['reference'])}" + (f" ({_share_of(counts, group_by, r['group'], r['concept'])}"
                                                        f" vs {_reference_share(counts, group_by, r['group'], r['reference'], r['concept'])})"
                                                        if counts is not None and "sentence_share" in counts else "")
                         + (f", p = {r['p']:.3g}" if "p" in table else "") + ".")
    elif len(chosen) > top:
        lines.append(f"- … and {_n(len(chosen) - top)} more (see the table).")
    lines.extend(left_out)
    if counts is not None and "sentence_share" in counts and "sentence_share_low" not in counts:
        lines.append("\nShares are sentences that mention the concept out of the group's sentences; no "
                     "document-level interval is in the table yet.")
    return _join(lines)


def word_findings(keyness: pd.DataFrame, *, top: int = 5, max_comparisons: int = 6) -> Findings:
    """Return the words most typical of each group (significant ones first), with z and counts."""
    lines = ["**Which words are typical of each group** (compared within each language)."]
    if keyness is None or not len(keyness):
        return _join(lines + ["No comparison: each language has one group only."])
    left_out = _left_out(keyness)
    keyness = _tests_only(keyness)
    if not len(keyness):
        return _join(lines + ["Nothing was compared: every group has too few documents."] + left_out)
    sig, rule = _significant(keyness)
    table = keyness.assign(_sig=sig.to_numpy())
    keys = ["group", "reference"] + (["lang"] if "lang" in table else [])
    if "lang" in table:
        table["lang"] = table["lang"].fillna("")
    shown = 0
    for key, part in table.groupby(keys, sort=True, dropna=False):
        key = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        best = part[part["_sig"] & (part["z"] > 0)].sort_values(["z", "term_or_concept"], ascending=[False, True])
        if not len(best):
            continue
        shown += 1
        if shown > max_comparisons:
            continue
        words = ", ".join(f"*{escape(r['term_or_concept'])}* (z {r['z']:.1f}; {_n(r['count'])} vs {_n(r['count_ref'])})"
                          for _, r in best.head(top).iterrows())
        lang = f", {LANGUAGES.get(key['lang'], escape(key['lang']))}" if key.get("lang") else ""
        lines.append(f"- {escape(key['group'])} vs {escape(key['reference'])}{lang}: {words}.")
    lines[0] += f" {_n(int(sig.sum()))} of {_n(len(keyness))} word tests are significant ({rule})."
    if not shown:
        lines.append(f"- No word is significantly typical of a group ({rule}).")
    else:
        lines[0] += " Counts are occurrences in the group vs its reference."
        if shown > max_comparisons:
            lines.append(f"- … and {_n(shown - max_comparisons)} more comparisons (see the table).")
    lines.extend(left_out)
    return _join(lines)


# ---------------------------------------------------------------------------------------
# 04: which events lead the timeline
# ---------------------------------------------------------------------------------------
def timeline_findings(timeline: pd.DataFrame, *, top: int = 5) -> Findings:
    """Return how many events the timeline holds, of which kinds, and which lead it.

    Events lead by ``salience`` when the table has it, else by the number of articles reporting them
    (``n_sources``), then the Party documents they name. Planned events are counted, with how many of
    them were later reported held (``held_as``).
    """
    n = len(timeline)
    lines = [f"**Which events lead the timeline.** {_n(n)} event{'s' if n != 1 else ''}"]
    if not n:
        return _join([lines[0] + "."])
    starts = pd.to_datetime(timeline.get("date_start", timeline.get("date")), errors="coerce").dropna()
    if len(starts):
        lines[0] += f" from {starts.min():%Y-%m-%d} to {starts.max():%Y-%m-%d}"
    lines[0] += f": {_counts(timeline['kind'], 5)}." if "kind" in timeline else "."
    if "body" in timeline and timeline["body"].notna().any():
        bodies = timeline["body"][timeline["body"].notna() & (timeline["body"] != "")]
        if len(bodies):
            lines.append(f"- Bodies: {_counts(bodies, 4)}.")
    if "planned" in timeline:
        is_planned = timeline["planned"].astype(str).str.lower().isin(["true", "1"])
        planned = int(is_planned.sum())
        if planned:
            line = f"- {_n(planned)} announced but not yet held when reported (planned)"
            if "held_as" in timeline:
                held = int(timeline.loc[is_planned, "held_as"].map(lambda v: len(split_list(v)) > 0).sum())
                line += f"; {_n(held)} of them later reported held (`held_as` names the rows)"
            lines.append(line + ".")
    order = [c for c in ("salience", "n_sources") if c in timeline]
    if not order:
        return _join(lines)
    if "salience" in timeline:
        from ..analysis.timeline import KIND_WEIGHTS

        kinds = ", ".join(f"{k} {w:g}" for k, w in sorted(KIND_WEIGHTS.items(), key=lambda kv: -kv[1])[:3])
        lines.append(f"- Salience = articles + outlets + a weight for the kind ({kinds}, ...) and one for the body "
                     "(`event_bodies.csv`); a planned row held in another row counts half.")
    ranked = timeline.assign(_docs=timeline["documents"].map(lambda v: len(split_list(v))) if "documents" in timeline
                             else 0)
    ranked = ranked.sort_values(order + ["_docs", "date_start" if "date_start" in ranked else "date"],
                                ascending=[False] * len(order) + [False, True], kind="stable")
    lines.append(f"The leading events (by {' then '.join(order)}):")
    for _, r in ranked.head(top).iterrows():
        outlets = split_list(r.get("outlets"))
        score = f", salience {float(r['salience']):.2f}" if "salience" in r and not _missing(r["salience"]) else ""
        lines.append(f"- {escape(r.get('date', ''))} · {escape(r.get('kind', ''))} · {escape(r.get('label', ''))} "
                     f"({_n(r.get('n_sources', 0) or 0)} article{'s' if int(r.get('n_sources', 0) or 0) != 1 else ''}"
                     + (f" in {', '.join(escape(o) for o in outlets)}" if outlets else "") + f"{score}).")
    return _join(lines)
