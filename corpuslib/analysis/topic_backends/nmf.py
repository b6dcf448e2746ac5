"""NMF backend: non-negative matrix factorisation of the weighted document-term matrix (scikit-learn).

Coordinate descent, Frobenius loss. The first run starts from NNDSVD (deterministic), the
``n_init - 1`` others from random starts; the run with the smallest reconstruction error is kept.
A document's weight on a topic is its share of the document's reconstructed mass
(``W[d, j] * sum(H[j])``, rows summing to 1). Seeded topics start from their seed words and are
pulled towards them by multiplicative updates (:func:`guided_nmf`).
"""
from __future__ import annotations

import math
import warnings

from corpuslib.analysis.topic_backends.base import TopicBackend, normalize_rows

__all__ = ["NMFBackend", "nmf_weights", "nmf_seeded_start", "guided_nmf", "SEED_STRENGTH"]

#: Strength of the pull of a seeded NMF topic towards its seed words (relative to the data term).
SEED_STRENGTH = 1.0


def nmf_weights(W, H):
    """Return the document weights of an NMF: each topic's share of the document's reconstructed mass."""
    return normalize_rows(W * H.sum(axis=1)[None, :])


def _better_fit(best, X, sq: float, model, W):
    """Return ``(error, model, W)`` of the better of ``best`` and this NMF run (ties keep the earlier run)."""
    import numpy as np

    H = model.components_
    # ||X - WH||^2 = ||X||^2 - 2 <X, WH> + ||WH||^2, without forming WH
    err = max(0.0, sq - 2.0 * float(np.sum(np.asarray(X @ H.T) * W)) + float(np.sum((W.T @ W) * (H @ H.T))))
    if best is None or err < best[0] - 1e-9 * max(sq, 1.0):
        return err, model, W
    return best


def nmf_seeded_start(X, k, seeds, seed):
    """Return ``(W0, H0)``: the NNDSVD start with the seeded topics replaced by their seed words."""
    import numpy as np

    try:
        from sklearn.decomposition._nmf import _initialize_nmf

        W0, H0 = _initialize_nmf(X, k, init="nndsvda", random_state=seed)
    except Exception:  # pragma: no cover - private helper moved: fall back to a flat start
        rng = np.random.default_rng(seed)
        avg = math.sqrt(X.mean() / k)
        W0, H0 = avg * rng.random((X.shape[0], k)), avg * rng.random((k, X.shape[1]))
    seed_cols = sorted({c for _, cols in seeds.values() for c in cols})
    H0[:, seed_cols] = 0.0
    top = float(H0.max()) if H0.size and H0.max() > 0 else 1.0
    for j, (_, cols) in seeds.items():
        H0[j, :] = 0.0
        H0[j, cols] = top
        mass = np.asarray(X[:, cols].sum(axis=1)).ravel()
        W0[:, j] = mass / (top * len(cols)) if mass.max() > 0 else 0.0
    return np.ascontiguousarray(W0), np.ascontiguousarray(H0)


def guided_nmf(X, W, H, seeds, max_iter):
    """Return ``(W, H)`` of an NMF by multiplicative updates with seeded topic rows pulled towards their seed words.

    Minimises ``||X - WH||^2 + lam * sum (H_jw - s)^2`` over the seed words ``w`` of each seeded
    topic ``j``, with ``s`` the weight of a typical topic's top term at the start; ``lam`` is
    :data:`SEED_STRENGTH` times the mean squared document loading, so the pull keeps its weight
    whatever the scale of the data.
    """
    import numpy as np

    eps = 1e-12
    W, H = W.copy() + eps, H.copy() + eps
    # only the seed cells are pulled (towards the weight of a typical topic's top term); the other
    # terms of a seeded topic are free, so it can gather the words that go with its seeds
    unseeded = [j for j in range(H.shape[0]) if j not in seeds]
    target = float(np.median(H[unseeded].max(axis=1))) if unseeded else float(H.max())
    mask = np.zeros_like(H)
    for j, (_, cols) in seeds.items():
        mask[j, cols] = 1.0
    S = target * mask
    XT = X.T.tocsr()
    for _ in range(max_iter):
        lam = SEED_STRENGTH * float((W ** 2).sum(axis=0).mean())
        WtX = np.asarray((XT @ W).T)
        H *= (WtX + lam * S) / (W.T @ W @ H + lam * mask * H + eps)
        XHt = np.asarray(X @ H.T)
        W *= XHt / (W @ (H @ H.T) + eps)
    return W, H


class _FixedNMF:
    """Transforms new documents with fixed topics (non-negative least squares of the NMF)."""

    def __init__(self, H, max_iter):
        self.components_ = H
        self.max_iter = max_iter

    def transform(self, X):
        from sklearn.decomposition import non_negative_factorization

        W, _, _ = non_negative_factorization(X, H=self.components_, n_components=self.components_.shape[0],
                                             init="custom", update_H=False, max_iter=self.max_iter)
        return W


class NMFBackend(TopicBackend):
    """NMF of tf-idf: NNDSVD plus random restarts (default 4 runs, 400 iterations), smallest error kept."""

    name = "nmf"
    weighting = "tfidf"
    n_init = 4
    max_iter = 400
    n_init_minibatch = 1
    max_iter_minibatch = 200
    incremental = True

    def fit(self, X, counts, k, seeds, seeds_of_runs, max_iter, batch_size=None, cache=None):
        """Return ``(components, weights, state)``; see :meth:`TopicBackend.fit`."""
        import numpy as np
        from sklearn.decomposition import NMF, MiniBatchNMF

        if seeds and not batch_size:
            W0, H0 = nmf_seeded_start(X, k, seeds, seeds_of_runs[0])
            W, H = guided_nmf(X, W0, H0, seeds, max_iter)
            return normalize_rows(H), nmf_weights(W, H), {"nmf": _FixedNMF(H, max_iter)}
        best = None
        sq = float(X.multiply(X).sum())
        for i, seed in enumerate(seeds_of_runs):
            custom = bool(seeds) and i == 0
            if batch_size:
                model = MiniBatchNMF(n_components=k, batch_size=batch_size, random_state=seed, max_iter=max_iter,
                                     tol=1e-4, init="custom" if custom else ("nndsvda" if i == 0 else "random"))
            else:
                model = NMF(n_components=k, init="nndsvd" if i == 0 else "random", random_state=seed,
                            max_iter=max_iter, tol=1e-4)
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                # sklearn's own error can be sqrt(-tiny) on exact fits; ours is clipped at 0
                warnings.simplefilter("ignore", RuntimeWarning)
                if custom:
                    W0, H0 = nmf_seeded_start(X, k, seeds, seed)
                    W = model.fit_transform(X, W=W0, H=H0)
                else:
                    W = model.fit_transform(X)
            best = _better_fit(best, X, sq, model, W)
        _, model, W = best
        H = model.components_
        return normalize_rows(H), nmf_weights(W, H), {"nmf": model}

    def transform(self, state, X):
        """Return the topic weights of new weighted documents (non-negative least squares on the topics)."""
        model = state["nmf"]
        return nmf_weights(model.transform(X), model.components_)

    def online_model(self, k: int, batch_size: int, seed, max_iter: int):
        """Return the scikit-learn model updated chunk by chunk (``MiniBatchNMF``)."""
        from sklearn.decomposition import MiniBatchNMF

        return MiniBatchNMF(n_components=k, batch_size=batch_size, init="nndsvda", random_state=seed,
                            max_iter=max_iter, tol=1e-4)

    def online_weights(self, model, X):
        """Return the document weights of an online model."""
        return nmf_weights(model.transform(X), model.components_)
