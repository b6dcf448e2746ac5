"""Stage 2, documents: raw files to the documents table (:func:`corpuslib.ingest`).

The stage is named after what it produces; ``corpuslib.ingest`` is the function that runs it.

- :mod:`~corpuslib.documents.readers`: find files, read them, split tables into rows, record what cannot be read
- :mod:`~corpuslib.documents.encodings`: detect and decode any encoding, repair mojibake
- :mod:`~corpuslib.documents.boilerplate`: photo files, captions, credits, widgets and footers out of the body
- :mod:`~corpuslib.documents.metadata`: what the page says about itself (headline, outlet, byline, date)
- :mod:`~corpuslib.documents.table`: the documents table (:func:`ingest`, :func:`read_corpus`) and its rejections
- :mod:`~corpuslib.documents.synthetic`: seeded synthetic corpora for benchmarks
"""
from ..core.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(
    __name__, ("boilerplate", "encodings", "metadata", "readers", "synthetic", "table"))
