"""Stage 0, the plumbing every stage stands on; imports nothing above it.

- :mod:`~corpuslib.core.paths`: project root, shipped data (``corpuslib/<stage>/data``), caches, how tables name files
- :mod:`~corpuslib.core.cache`: the SQLite key-value caches (a failure is a miss, never an error)
- :mod:`~corpuslib.core.parallel`: worker pools with results in input order
- :mod:`~corpuslib.core.tables`: writing result tables (sorted rows, fixed float format, atomic)
- :mod:`~corpuslib.core.values`: missing values, dates and ISO partial dates in table cells
- :mod:`~corpuslib.core.schema`: the column contracts of the tables
"""
from .lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, ("cache", "lazy", "parallel", "paths", "schema", "tables", "values"))
