"""Interactive pages of a run, under ``<out_dir>/explorer/``: self-contained HTML that opens offline.

Three pages, each written by one notebook's cell:

* ``terms.html`` (notebook 03): two groups of documents (outlets, languages or periods) as a
  scattertext-style term explorer: every word (and every concept of the lexicon) a point placed by its
  frequency rank in each group and coloured by its keyness z; hover for counts and scores, click for its
  concordance lines in both groups.
* ``timeline.html`` (notebook 04): the timeline, zoomable (wheel, drag, buttons), filterable by kind,
  body and outlet; each event opens its evidence sentences and its source articles.
* ``topics.html`` (notebook 02): topic prevalence over time and by group, each topic's top terms and the
  articles that show it best.

Every script and style is read from ``corpuslib/run/data/explorer*.{js,css}`` and written inside the
page; nothing is loaded from the network, and a Content-Security-Policy allows only those scripts (by
hash), so no other script can run in the page. Scraped text is data: it travels as JSON inside a
``<script type="application/json">`` element (``<``, ``>``, ``&``, U+2028 and U+2029 escaped) and the
page's script renders it with ``textContent``, never as markup.

The page builders return an :class:`ExplorerPage`, which JupyterLab displays as the live page (an
iframe, served by the Jupyter server from the project root), so the same figures are interactive inside
the notebook; in an executed copy (papermill) it is a link to the page.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.paths import package_data, project_root, resolve
from ..core.tables import split_list

#: Folder of a run's output that holds the pages.
EXPLORER = "explorer"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


# ---------------------------------------------------------------------------------------
# The page shell
# ---------------------------------------------------------------------------------------
def _plain(value):
    """Return ``value`` as JSON-ready Python: numpy scalars unwrapped, NaN/NaT as None, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(value) else round(float(value), 6)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def embed_json(data) -> str:
    """Return ``data`` as JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` (so no ``</script>`` or ``<!--`` can end the element) and the line
    separators U+2028/U+2029 are written as ``\\uXXXX`` escapes; ``JSON.parse`` reads them back unchanged.
    """
    text = json.dumps(_plain(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def _asset(name: str) -> str:
    text = package_data(f"run/{name}").read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"asset {name} would end its own element")
    return text


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render_page(kind: str, title: str, data: dict) -> str:
    """Return the HTML of one explorer page: its data, the shared and the page's script and style, inline.

    Parameters
    ----------
    kind : {"terms", "timeline", "topics"}
        Which page script draws the data (``corpuslib/run/data/explorer_<kind>.js``).
    title : str
        The page title (escaped).
    data : dict
        What the script draws; serialized by :func:`embed_json`.
    """
    css = _asset("explorer.css")
    script = _asset("explorer.js") + "\n" + _asset(f"explorer_{kind}.js")
    csp = (f"default-src 'none'; script-src 'sha256-{_sha256(script)}'; style-src 'sha256-{_sha256(css)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body data-page="{html.escape(kind)}">\n'
        "<noscript>This page draws its figures with JavaScript; the same numbers are in the run's tables/.</noscript>\n"
        '<div id="app"></div>\n'
        f'<script type="application/json" id="explorer-data">{embed_json({"title": title, **data})}</script>\n'
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


class ExplorerPage:
    """A written explorer page; shown by JupyterLab as the live page, by ``print`` as its path and size."""

    def __init__(self, path: str | os.PathLike, out_dir: str | os.PathLike):
        self.path = Path(path)
        self.out_dir = resolve(out_dir)

    def src(self) -> str:
        """Return the page's address relative to the notebook that shows it.

        In JupyterLab the kernel runs in the notebook's folder, so the address is relative to the
        working folder. ``corpuslib run`` runs notebooks from the project root and keeps the executed
        copies in ``<out_dir>/notebooks/``, so there it is relative to that folder.
        """
        cwd = Path.cwd().resolve()
        base = self.out_dir.resolve() / "notebooks" if cwd == project_root().resolve() else cwd
        return Path(os.path.relpath(self.path.resolve(), base)).as_posix()

    def __repr__(self) -> str:
        size = self.path.stat().st_size if self.path.exists() else 0
        return f"explorer page {EXPLORER}/{self.path.name} ({size / 1024:,.0f} kB): open it in a browser"

    def _repr_html_(self) -> str:
        """The live page in an iframe inside a Jupyter server session (JupyterLab), plus a link to open it.

        Elsewhere (papermill, the exported notebook, whose policy forbids frames) only the link.
        """
        src = html.escape(self.src(), quote=True)
        link = (f'<p><a href="{src}" target="_blank" rel="noopener">{html.escape(self.path.name)}</a>'
                " (interactive page; open it in its own tab)</p>")
        if not os.environ.get("JPY_SESSION_NAME"):  # set by jupyter_server for a notebook's kernel
            return link
        return (f'<iframe src="{src}" title="{html.escape(self.path.name)}" width="100%" height="760" '
                f'style="border:1px solid #dde3e8;border-radius:4px"></iframe>' + link)


def write_page(kind: str, title: str, data: dict, out_dir: str | os.PathLike, name: str | None = None) -> ExplorerPage:
    """Write ``<out_dir>/explorer/<name>`` (default ``<kind>.html``) and return it as an :class:`ExplorerPage`."""
    folder = resolve(out_dir) / EXPLORER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or f"{kind}.html")
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(render_page(kind, title, data), encoding="utf-8")
    tmp.replace(target)
    return ExplorerPage(target, out_dir)


# ---------------------------------------------------------------------------------------
# Documents shared by the pages: one row per article a page refers to
# ---------------------------------------------------------------------------------------
def _date_text(value) -> str | None:
    ts = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(ts) else ts.strftime("%Y-%m-%d")


def _safe_url(value) -> str | None:
    """Return an http(s) address as given, or None: a page never links ``javascript:`` or ``data:``."""
    text = str(value or "").strip()
    return text if re.match(r"https?://[^\s\"'<>]+$", text, re.IGNORECASE) else None


class _DocIndex:
    """Numbers the articles a page refers to; ``rows()`` gives ``[doc_id, title, outlet, date, lang, url]``."""

    def __init__(self, documents: pd.DataFrame):
        cols = [c for c in ("title", "outlet", "published", "lang", "url") if c in documents.columns]
        self._meta = documents.drop_duplicates("doc_id").set_index("doc_id")[cols]
        self._index: dict[str, int] = {}

    def __call__(self, doc_id) -> int:
        doc_id = str(doc_id)
        if doc_id not in self._index:
            self._index[doc_id] = len(self._index)
        return self._index[doc_id]

    def rows(self) -> list[list]:
        out = []
        for doc_id in self._index:
            m = self._meta.loc[doc_id] if doc_id in self._meta.index else pd.Series(dtype=object)
            out.append([doc_id, m.get("title"), m.get("outlet"), _date_text(m.get("published")), m.get("lang"),
                        _safe_url(m.get("url"))])
        return out


# ---------------------------------------------------------------------------------------
# terms.html
# ---------------------------------------------------------------------------------------
def group_column(documents: pd.DataFrame, by: str, *, period: str = "M") -> pd.Series:
    """Return the group of each document: the column ``by`` (missing as ``(missing)``), or ``by="period"``:
    the ``period`` (``M``, ``Q``, ``Y``) of ``published`` (undated documents in no group)."""
    from ..analysis.compare import MISSING, _PERIODS

    if by == "period":
        if period not in _PERIODS:
            raise ValueError(f"period must be one of M, Q, Y, not {period!r}")
        published = pd.to_datetime(documents["published"], errors="coerce")
        labels = published.dt.to_period(_PERIODS[period]).astype(str)
        return labels.where(published.notna(), None).astype(object)
    if by not in documents.columns:
        raise KeyError(f"the documents table has no column {by!r}; group by one of {sorted(documents.columns)} "
                       "or 'period'")
    values = documents[by].astype(object)
    return values.where(values.notna() & (values.astype(str) != ""), MISSING).astype(str)


def choose_groups(groups: pd.Series, wanted=None) -> list[str]:
    """Return the two groups a term page compares.

    ``wanted`` names two groups (those), one (it and the largest other group) or none (the two groups
    with most documents; ties by name; documents without a value, ``(missing)``, only when needed).

    Raises
    ------
    ValueError
        When ``wanted`` names more than two groups, one twice, a group that does not exist, or the
        documents form fewer than two groups.
    """
    sizes = groups.dropna().value_counts()
    wanted = [str(g) for g in ([wanted] if isinstance(wanted, str) else list(wanted or []))]
    if len(wanted) > 2 or len(set(wanted)) != len(wanted):
        raise ValueError(f"name one or two different groups to compare, not {wanted}")
    unknown = [g for g in wanted if g not in sizes.index]
    if unknown:
        raise ValueError(f"group(s) {unknown} not found; the groups are {sorted(sizes.index)}")
    from ..analysis.compare import MISSING

    # documents without the column's value form a group too, but the last one chosen
    ranked = [g for g, _ in sorted(sizes.items(), key=lambda kv: (kv[0] == MISSING, -kv[1], kv[0])) if g not in wanted]
    chosen = wanted + ranked[: 2 - len(wanted)]
    if len(chosen) < 2:
        raise ValueError(f"the documents form {len(sizes)} group(s) ({sorted(sizes.index)}): nothing to compare")
    return chosen


def _percentile_ranks(counts: pd.Series, terms: pd.Series) -> np.ndarray:
    """Frequency rank in 0..1, ties broken alphabetically (scattertext's ``percentile_alphabetical``)."""
    order = pd.DataFrame({"c": counts.to_numpy(), "t": terms.to_numpy()}).sort_values(["c", "t"], kind="stable")
    ranks = np.empty(len(order))
    ranks[order.index.to_numpy()] = np.arange(len(order))
    return ranks / max(len(order) - 1, 1)


def _doc_frequency(table: pd.DataFrame, item: str, group: pd.Series) -> pd.DataFrame:
    """Documents mentioning each item, per group: ``item, docs_a, docs_b`` (group is 0 or 1 by doc_id)."""
    pairs = table[["doc_id", item]].drop_duplicates()
    pairs = pairs.assign(_g=pairs["doc_id"].map(group))
    wide = pairs.groupby([item, "_g"]).size().unstack(fill_value=0)
    return pd.DataFrame({"docs_a": wide.get(0, 0), "docs_b": wide.get(1, 0)}).reset_index()


def _items(keyed: pd.DataFrame, top_n: int, extremes: int) -> pd.DataFrame:
    """The items a page draws: the ``top_n`` most frequent, plus the ``extremes`` most distinctive each way."""
    total = keyed["count"] + keyed["count_ref"]
    frequent = keyed.assign(_n=total).sort_values(["_n", "term_or_concept"], ascending=[False, True]).head(top_n)
    often = keyed[total >= 2]
    z_sorted = often.sort_values(["z", "term_or_concept"], ascending=[False, True])
    chosen = pd.concat([frequent, z_sorted.head(extremes), z_sorted.tail(extremes)])
    return chosen.drop_duplicates("term_or_concept").drop(columns="_n", errors="ignore").reset_index(drop=True)


def _item_rows(items: pd.DataFrame, docfreq: pd.DataFrame, labels: dict | None = None) -> list[list]:
    """``[item, label, count_a, count_b, rate_a, rate_b, docs_a, docs_b, x, y, z, p, q]`` per item."""
    items = items.merge(docfreq.rename(columns={docfreq.columns[0]: "term_or_concept"}), on="term_or_concept",
                        how="left").fillna({"docs_a": 0, "docs_b": 0})
    x = _percentile_ranks(items["count"], items["term_or_concept"])
    y = _percentile_ranks(items["count_ref"], items["term_or_concept"])
    q = items["q"] if "q" in items.columns else pd.Series(np.nan, index=items.index)
    return [
        [r.term_or_concept, (labels or {}).get(r.term_or_concept), r.count, r.count_ref, r.rate, r.rate_ref,
         r.docs_a, r.docs_b, xi, yi, r.z, r.p, qi]
        for r, xi, yi, qi in zip(items.itertuples(index=False), x, y, q)
    ]


def _lines(kw: pd.DataFrame, docs: _DocIndex, group: pd.Series) -> dict[str, list]:
    """Concordance lines by item: ``[doc index, group 0/1, left, match, right]``, in document order."""
    out: dict[str, list] = {}
    for r in kw.itertuples(index=False):
        out.setdefault(str(r.concept_or_term), []).append([docs(r.doc_id), int(group[r.doc_id]), r.left, r.match,
                                                           r.right])
    return out


def _sample_hits(hits: pd.DataFrame, group: pd.Series, lines: int) -> pd.DataFrame:
    """Up to ``lines`` matches per item and group: a seeded sample, back in document order."""
    if not len(hits):
        return hits
    shuffled = hits.sample(frac=1.0, random_state=0)
    picked = shuffled.groupby([shuffled["concept"], shuffled["doc_id"].map(group)], sort=False).head(lines)
    return picked.sort_values(["doc_id", "field", "start"], kind="stable")


def _word_lexicon(terms: list[str], langs: list[str]):
    """An ad-hoc lexicon of words, without those its rules cannot match as words (a code, a symbol)."""
    from ..text.lexicon import Lexicon, LexiconError

    try:
        return Lexicon.from_terms(terms, langs=langs), list(terms)
    except LexiconError:
        usable = []
        for t in terms:
            try:
                Lexicon.from_terms([t], langs=langs)
                usable.append(t)
            except LexiconError:
                continue
        return (Lexicon.from_terms(usable, langs=langs) if usable else None), usable


def _term_kwic(documents: pd.DataFrame, terms: list[str], group: pd.Series, lines: int, window: int) -> pd.DataFrame:
    """Concordance lines of words in one language: up to ``lines`` per word and group (a seeded sample)."""
    from ..analysis.compare import kwic
    from ..text.lexicon import find_concepts

    langs = sorted(documents["lang"].dropna().unique())
    lex, usable = _word_lexicon(terms, langs) if terms and langs else (None, [])
    if lex is None or not len(documents):
        return pd.DataFrame(columns=["doc_id", "concept_or_term", "left", "match", "right"])
    hits = _sample_hits(find_concepts(documents, lex), group, lines)
    return kwic(documents, usable, hits=hits, window=window, window_chars=window * 4)


def terms_data(documents: pd.DataFrame, tokens: pd.DataFrame, *, by: str = "outlet", groups=None, period: str = "M",
               top_n: int = 300, lines: int = 10, window: int = 8, lexicon=None, hits: pd.DataFrame | None = None,
               measure: str = "logodds") -> dict:
    """Return the data of ``terms.html``: two groups, their words and concepts, scores and concordances.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (``doc_id, lang, text``; ``title, outlet, published`` shown when present).
    tokens : pandas.DataFrame
        Its tokens (``doc_id, token, lang``), as notebook 03 counts them.
    by : str
        The document column the groups come from, or ``"period"`` (periods of ``published``).
    groups : list of str, optional
        The two groups (one: it and the largest other group; default: the two with most documents).
    period : {"M", "Q", "Y"}
        The period unit when ``by="period"``.
    top_n : int
        Words drawn per language (the most frequent in the two groups), plus the 25 most typical of each
        group; every concept of the lexicon is drawn.
    lines : int
        Concordance lines kept per item and group (a seeded sample when there are more).
    window : int
        Words of context on each side of a concordance match (Chinese: four characters per word).
    lexicon : Lexicon, optional
        The concept lexicon (default: the shipped one); ``hits`` its matches, to reuse.
    measure : {"logodds", "g2"}
        The keyness statistic whose z colours the points.

    Returns
    -------
    dict
        ``groups, n_docs, by, measure, levels`` (``term``: per language, ``concept``: across languages;
        each ``items`` as in :func:`_item_rows` and ``totals``), ``lines`` by level and item, ``docs``.
    """
    from ..analysis import compare
    from ..text.lexicon import find_concepts

    for name, value in (("top_n", top_n), ("lines", lines), ("window", window)):
        if not isinstance(value, int) or isinstance(value, bool) or value < (0 if name == "window" else 1):
            raise ValueError(f"{name} must be an int >= {0 if name == 'window' else 1}, not {value!r}")
    names = group_column(documents, by, period=period)
    a, b = choose_groups(names, groups)
    keep = names.isin([a, b]).to_numpy()
    docs = documents.loc[keep].copy()
    docs["_group"] = names[keep].to_numpy()
    group = pd.Series((docs["_group"] == b).astype(int).to_numpy(), index=docs["doc_id"].astype(str))
    toks = tokens[tokens["doc_id"].astype(str).isin(group.index)]
    index = _DocIndex(docs)
    levels: dict = {"term": {}, "concept": {}}
    all_lines: dict = {"term": {}, "concept": {}}

    # the page shows every word of two chosen groups with its counts, however few documents they have
    term_k = compare.keyness(toks, "_group", documents=docs, target=[a], reference=[b], measure=measure, min_docs=1)
    if "lang" not in term_k.columns:
        langs = toks["lang"].dropna().unique() if "lang" in toks.columns else []
        term_k = term_k.assign(lang=langs[0] if len(langs) == 1 else "")
    for lang, part in term_k.groupby("lang", sort=True):
        items = _items(part, top_n, 25)
        docfreq = _doc_frequency(toks[toks["token"].isin(items["term_or_concept"])], "token", group)
        first = part.iloc[0]
        levels["term"][str(lang)] = {"items": _item_rows(items, docfreq),
                                     "totals": [first["total"], first["total_ref"]]}
        kw = _term_kwic(docs[docs["lang"] == lang], list(items["term_or_concept"]), group, lines, window)
        all_lines["term"][str(lang)] = _lines(kw, index, group)

    lex = compare.select_lexicon(lexicon) if lexicon is None or isinstance(lexicon, str) else lexicon
    hits = find_concepts(docs, lex) if hits is None else hits[hits["doc_id"].astype(str).isin(group.index)]
    counts = compare.concept_counts(docs, lex, by="_group", hits=hits)
    concept_k = compare.keyness(counts, "_group", target=[a], reference=[b], measure=measure, min_docs=1)
    if len(concept_k):
        docfreq = _doc_frequency(hits.rename(columns={"concept": "item"}), "item", group)
        first = concept_k.iloc[0]
        levels["concept"][""] = {"items": _item_rows(concept_k, docfreq, compare.concept_labels(lex)),
                                 "totals": [first["total"], first["total_ref"]]}
        kw = compare.kwic(docs, lex, hits=_sample_hits(hits, group, lines), window=window,
                          window_chars=window * 4)
        all_lines["concept"][""] = _lines(kw, index, group)
    return {
        "by": by if by != "period" else f"period ({period})", "groups": [a, b],
        "n_docs": [int((docs["_group"] == a).sum()), int((docs["_group"] == b).sum())],
        "measure": measure, "levels": levels, "lines": all_lines, "docs": index.rows(),
        "lines_per_group": lines,
    }


def write_terms_page(documents: pd.DataFrame, tokens: pd.DataFrame, out_dir: str | os.PathLike, **options) -> ExplorerPage:
    """Write ``<out_dir>/explorer/terms.html`` (see :func:`terms_data` for the options) and return it."""
    data = terms_data(documents, tokens, **options)
    a, b = data["groups"]
    return write_page("terms", f"Words and concepts: {a} vs {b}", data, out_dir)


# ---------------------------------------------------------------------------------------
# timeline.html
# ---------------------------------------------------------------------------------------
_EVIDENCE = re.compile(r"^\[([^\]]+)\]\s*(.*)$", re.DOTALL)


def timeline_data(timeline: pd.DataFrame, documents: pd.DataFrame | None = None) -> dict:
    """Return the data of ``timeline.html``: one entry per event, with its evidence and source articles.

    Parameters
    ----------
    timeline : pandas.DataFrame
        The timeline table (``date_start, date_end, kind, label``; ``body, outlets, doc_ids, evidence,
        n_sources, planned, salience, held_as, confidence, granularity, date, date_note, documents, langs``
        are used when present).
    documents : pandas.DataFrame, optional
        The documents table, for the titles, outlets, dates and addresses of the sources.

    Returns
    -------
    dict
        ``events`` (``id, start, end, date, granularity, kind, body, label, outlets, langs, n_sources,
        planned, salience, confidence, note, documents, held_as [event id], evidence [[doc, sentence]],
        sources [doc]``) and
        ``docs`` (``[doc_id, title, outlet, date, lang, url]``).
    """
    index = _DocIndex(documents if documents is not None else pd.DataFrame({"doc_id": pd.Series(dtype=object)}))
    events = []
    records = sorted(timeline.to_dict("records"), key=lambda r: tuple(str(r.get(c, "")) for c in (
        "date_start", "date_end", "kind", "label", "event_id")))  # the table's order, or its CSV's: the same page
    for i, r in enumerate(records):
        start, end = _date_text(r.get("date_start", r.get("date"))), _date_text(r.get("date_end", r.get("date")))
        if start is None:
            continue
        evidence = []
        for item in split_list(r.get("evidence")):
            m = _EVIDENCE.match(str(item))
            evidence.append([index(m.group(1)), m.group(2)] if m else [None, str(item)])
        salience = r.get("salience")
        events.append({
            "id": str(r.get("event_id") or i), "start": start, "end": end or start,
            "date": str(r.get("date") or start), "granularity": r.get("granularity") or "day",
            "kind": r.get("kind") or "event", "body": r.get("body") or None, "label": r.get("label") or "",
            "outlets": split_list(r.get("outlets")), "langs": split_list(r.get("langs")),
            "n_sources": int(r.get("n_sources") or len(split_list(r.get("doc_ids"))) or 1),
            "planned": str(r.get("planned")).lower() in ("true", "1"),
            "salience": None if salience is None or pd.isna(salience) else float(salience),
            "confidence": r.get("confidence") or None, "note": r.get("date_note") or None,
            "documents": split_list(r.get("documents")), "held_as": [str(x) for x in split_list(r.get("held_as"))],
            "evidence": evidence,
            "sources": [index(d) for d in split_list(r.get("doc_ids"))],
        })
    return {"events": events, "docs": index.rows()}


def write_timeline_page(timeline: pd.DataFrame, documents: pd.DataFrame | None, out_dir: str | os.PathLike, *,
                        title: str = "Timeline of the corpus") -> ExplorerPage:
    """Write ``<out_dir>/explorer/timeline.html`` from a timeline table and return it."""
    return write_page("timeline", title, timeline_data(timeline, documents), out_dir)


# ---------------------------------------------------------------------------------------
# topics.html
# ---------------------------------------------------------------------------------------
def _prevalence_rows(table: pd.DataFrame, key: str, value: str) -> list[list]:
    """``[group, topic, value, low, high, documents]`` per row of a prevalence table."""
    low, high = (f"{value}_low", f"{value}_high")
    rows = []
    for r in table.to_dict("records"):
        rows.append([str(r[key]), str(r["topic"]), r.get(value), r.get(low), r.get(high),
                     r.get("group_documents", r.get("documents"))])
    return rows


def topics_data(info: pd.DataFrame, terms: pd.DataFrame, prevalence: pd.DataFrame, over_time: pd.DataFrame,
                documents: pd.DataFrame | None = None, examples: pd.DataFrame | None = None, *,
                group_by: str = "outlet", value: str = "share") -> dict:
    """Return the data of ``topics.html``: topics, their terms, prevalence by group and over time, examples.

    Parameters
    ----------
    info, terms : pandas.DataFrame
        ``TopicModel.topic_info()`` (``topic, label``, ``lang, documents, coherence`` when present) and
        ``topic_terms()`` (``topic, rank, term, weight``).
    prevalence, over_time : pandas.DataFrame
        :func:`corpuslib.analysis.prevalence.topic_prevalence` by ``group_by`` and by ``published``
        (``<value>_low``/``_high`` drawn as intervals when present).
    documents, examples : pandas.DataFrame, optional
        The documents table and the representative documents (``topic, doc_id, snippet``).
    value : {"share", "weight"}
        The prevalence measure drawn.
    """
    index = _DocIndex(documents if documents is not None else pd.DataFrame({"doc_id": pd.Series(dtype=object)}))
    topics = []
    by_topic = {t: g.sort_values("rank") for t, g in terms.groupby("topic", sort=False)}
    for r in info.to_dict("records"):
        t = str(r["topic"])
        g = by_topic.get(r["topic"], pd.DataFrame(columns=["term", "weight"]))
        topics.append({"id": t, "label": r.get("label") or t, "lang": r.get("lang"), "documents": r.get("documents"),
                       "coherence": r.get("coherence"), "terms": [[x.term, x.weight] for x in g.itertuples()]})
    time_key = "published" if "published" in over_time.columns else over_time.columns[0]
    dated = over_time[~over_time[time_key].astype(str).str.startswith("(")]
    examples_rows = []
    if examples is not None and len(examples):
        for r in examples.to_dict("records"):
            examples_rows.append([str(r["topic"]), index(r["doc_id"]), r.get("weight"), r.get("snippet")])
    return {
        "group_by": group_by, "value": value, "topics": topics,
        "by_group": _prevalence_rows(prevalence, group_by, value),
        "over_time": _prevalence_rows(dated, time_key, value),
        "undated": int(over_time.loc[over_time[time_key].astype(str).str.startswith("("), "group_documents"].max())
        if "group_documents" in over_time.columns and len(over_time) > len(dated) else 0,
        "examples": examples_rows, "docs": index.rows(),
    }


def write_topics_page(info: pd.DataFrame, terms: pd.DataFrame, prevalence: pd.DataFrame, over_time: pd.DataFrame,
                      out_dir: str | os.PathLike, **options) -> ExplorerPage:
    """Write ``<out_dir>/explorer/topics.html`` (see :func:`topics_data`) and return it."""
    return write_page("topics", "Topics over time and by group", topics_data(info, terms, prevalence, over_time,
                                                                             **options), out_dir)
