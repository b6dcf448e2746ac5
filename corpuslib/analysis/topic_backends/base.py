"""What every topic backend shares: document-term weighting, seeds of the restarts, the backend interface.

A backend turns one weighted document-term matrix into topics: ``fit`` returns the topic-term
weights (rows summing to 1), the document-topic weights (rows summing to 1) and a ``state``
dict that ``transform`` uses for new documents. The per-language wrapper
(:class:`corpuslib.analysis.topics.TopicModel`) prepares the matrices, orders and labels the
topics and builds the tables; a backend knows nothing of languages, ids or tables, as each
sub-model of BERTopic (embedding, clustering, topic words) knows nothing of the others.
"""
from __future__ import annotations

from typing import Any

__all__ = ["WEIGHTINGS", "TopicBackend", "weigh", "run_seeds", "normalize_rows", "empty_rows", "BM25_K1", "BM25_B"]

#: Document-term weightings a backend can be fitted on.
WEIGHTINGS = ("tfidf", "bm25", "counts")
#: BM25 term-frequency saturation (Robertson & Zaragoza 2009's usual value).
BM25_K1 = 1.2
#: BM25 length normalisation (0: none, 1: full).
BM25_B = 0.75


def weigh(counts, weighting: str, fitted: dict | None = None):
    """Return ``(weighted matrix, fitted)`` of a count matrix; ``fitted`` holds what new documents reuse.

    Parameters
    ----------
    counts : scipy.sparse matrix
        Document-term counts.
    weighting : {"tfidf", "bm25", "counts"}
        ``tfidf``: ``(1 + log tf) * idf`` with the smoothed idf ``log((1 + n) / (1 + df)) + 1``;
        ``bm25``: ``tf (k1 + 1) / (tf + k1 (1 - b + b len / mean len)) * log(1 + (n - df + 0.5) / (df + 0.5))``
        with :data:`BM25_K1`, :data:`BM25_B`; rows of both have unit length. ``counts``: float counts.
    fitted : dict, optional
        ``{"idf": ..., "avgdl": ...}`` of an earlier call (new documents are weighted with the
        fitted corpus's idf and mean length); None computes them from ``counts``.

    Returns
    -------
    (scipy.sparse.csr_matrix, dict or None)
    """
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    X = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    if weighting == "counts":
        return X, None
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")
    n = X.shape[0]
    lengths = np.asarray(X.sum(axis=1)).ravel()
    if fitted is None:
        df = np.bincount(X.indices, minlength=X.shape[1])
        if weighting == "tfidf":
            idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        else:
            idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        fitted = {"idf": idf, "avgdl": float(lengths.mean()) if n else 1.0}
    if weighting == "tfidf":
        X.data = 1.0 + np.log(X.data)
    else:
        rows = np.repeat(np.arange(n), np.diff(X.indptr))
        norm = 1.0 - BM25_B + BM25_B * lengths[rows] / max(fitted.get("avgdl", 1.0), 1e-12)
        X.data = X.data * (BM25_K1 + 1.0) / (X.data + BM25_K1 * norm)
    X = X @ sp.diags(fitted["idf"])
    return normalize(sp.csr_matrix(X), norm="l2"), fitted


def run_seeds(random_state, n: int) -> list[int | None]:
    """Return ``n`` integer seeds derived from ``random_state`` (None stays random)."""
    import numpy as np
    from sklearn.utils import check_random_state

    if random_state is None:
        return [None] * n
    rng = check_random_state(random_state)
    return [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=n)]


def normalize_rows(a):
    """Return ``a`` with each row divided by its sum (rows summing to 0 stay 0)."""
    import numpy as np

    s = a.sum(axis=1, keepdims=True)
    return np.divide(a, s, out=np.zeros_like(a, dtype=np.float64), where=s > 0)


def empty_rows(n_terms: int):
    """Return an empty ``(0, n_terms)`` sparse matrix."""
    import scipy.sparse as sp

    return sp.csr_matrix((0, n_terms))


class TopicBackend:
    """Interface of a topic backend (one algorithm); subclasses set the defaults and implement fit/transform.

    Attributes
    ----------
    name : str
        The ``method`` name.
    weighting : str
        Default document-term weighting (one of :data:`WEIGHTINGS`).
    weightings : tuple of str
        Weightings it accepts.
    n_init, max_iter : int
        Default restarts and iterations of a fit on the whole matrix.
    n_init_minibatch, max_iter_minibatch : int
        The same with ``batch_size`` (``max_iter`` then counts passes over the data).
    hard : bool
        True when each document belongs to one topic (a cluster) and its weights only say how
        close it is to the other topics.
    incremental : bool
        True when :meth:`online_model` exists (``TopicModel.partial_fit``).
    """

    name = ""
    weighting = "tfidf"
    weightings: tuple = ("tfidf", "bm25", "counts")
    n_init = 1
    max_iter = 100
    n_init_minibatch = 1
    max_iter_minibatch = 20
    hard = False
    incremental = False

    def k_max(self, n_docs: int, n_terms: int) -> int:
        """Return the most topics ``n_docs`` documents with terms and ``n_terms`` terms allow."""
        return min(n_docs, n_terms)

    def fit(self, X, counts, k: int, seeds: dict, seeds_of_runs: list, max_iter: int,
            batch_size: int | None = None, cache: dict | None = None) -> "tuple[Any, Any, dict]":
        """Return ``(components (k, terms), weights (docs, k), state)`` of ``X`` (documents with terms only).

        ``seeds`` maps a topic slot to ``(key, term columns)``; ``seeds_of_runs`` holds one
        random seed per restart; ``cache`` may keep what does not depend on ``k`` (an embedding)
        between fits of the same matrix and seed.
        """
        raise NotImplementedError

    def transform(self, state: dict, X):
        """Return the topic weights (rows summing to 1) of weighted documents ``X`` under a fitted ``state``."""
        raise NotImplementedError
