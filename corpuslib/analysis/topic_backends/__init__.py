"""Topic backends, one module per method: ``nmf``, ``lda``, ``kmeans`` (see :mod:`.base` for the interface).

:class:`corpuslib.analysis.topics.TopicModel` picks one by its ``method`` and wraps it per
language; the backends know nothing of languages, topic ids or tables.
"""
from __future__ import annotations

from corpuslib.analysis.topic_backends.base import WEIGHTINGS, TopicBackend
from corpuslib.analysis.topic_backends.kmeans import KMeansBackend
from corpuslib.analysis.topic_backends.lda import LDABackend
from corpuslib.analysis.topic_backends.nmf import NMFBackend

__all__ = ["BACKENDS", "METHODS", "WEIGHTINGS", "TopicBackend", "get_backend"]

#: method name -> backend class.
BACKENDS = {"nmf": NMFBackend, "lda": LDABackend, "kmeans": KMeansBackend}
#: Topic model algorithms.
METHODS = tuple(BACKENDS)


def get_backend(method: str) -> TopicBackend:
    """Return the backend of ``method`` (one of :data:`METHODS`)."""
    try:
        return BACKENDS[method]()
    except KeyError:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}") from None
