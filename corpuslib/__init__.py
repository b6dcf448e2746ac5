"""corpuslib: load, normalize and analyse multilingual news corpora on reform rhetoric.

The library follows the data: raw files -> documents table (:func:`ingest`, :func:`read_corpus`)
-> tokens (:func:`corpuslib.tokens.tokenize`) -> document-term matrix -> results tables and figures.
Submodules are imported on first use so ``import corpuslib`` stays cheap.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "ingest": "documents",
    "read_corpus": "documents",
    "read_documents": "documents",
    "write_documents": "documents",
    "tokenize": "tokens",
    "write_table": "tables",
    "run_notebooks": "run",
    "output_dirs": "run",
}
_SUBMODULES = {
    "boilerplate", "cli", "compare", "dates", "documents", "dtm", "encodings", "fonts", "io", "lang",
    "figures_timeline", "lexicon", "manifest", "metadata", "params", "report", "normalize", "paths", "plots", "references", "run", "schema", "tables",
    "timeline", "tokens", "topics", "figures_compare", "figures_topics",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'corpuslib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS) | _SUBMODULES)
