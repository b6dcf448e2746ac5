"""Stage 3, analysis: from documents and tokens to results tables.

- :mod:`~corpuslib.analysis.dtm`: document-term matrices (the one counting implementation)
- :mod:`~corpuslib.analysis.compare`: concept counts and rates, keyness, concordances (kwic), trends
- :mod:`~corpuslib.analysis.topics`: topic models (``TopicModel``), choice of k, prevalence
- :mod:`~corpuslib.analysis.references`: Party documents cited in the text, resolved to the reference table
- :mod:`~corpuslib.analysis.timeline`: dated events, the timeline, the Party documents and their dates
"""
from ..core.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, ("compare", "dtm", "references", "timeline", "topics"))
