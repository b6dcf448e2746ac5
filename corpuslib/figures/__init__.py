"""Stage 4, figures: one module per notebook's figures, one shared style.

- :mod:`~corpuslib.figures.style`: pyplot setup, the CJK font, :func:`save_figure`
- :mod:`~corpuslib.figures.documents` (notebook 01), :mod:`~corpuslib.figures.topics` and :mod:`~corpuslib.figures.effects` (02),
  :mod:`~corpuslib.figures.compare` (03), :mod:`~corpuslib.figures.timeline` (04)
"""
from ..core.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(__name__, ("compare", "documents", "effects", "style", "timeline", "topics"))
