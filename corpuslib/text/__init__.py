"""Stage 1, text: every text step, implemented once and used by every later stage.

- :mod:`~corpuslib.text.normalize`: Unicode normalization, Vietnamese tone placement, HTML fragments to text
- :mod:`~corpuslib.text.language`: the language of a body (ISO 639-1 and a confidence); language tags (``zh-Hans`` is ``zh``)
- :mod:`~corpuslib.text.sentences`: the sentence splitter (vi, zh, ru, en) of concepts, dates, references, timeline
- :mod:`~corpuslib.text.numerals`: Roman and Chinese numerals, full-width forms
- :mod:`~corpuslib.text.codes`: Party and state document codes (``18-NQ/TW``), as written and canonical
- :mod:`~corpuslib.text.lemmas`: Russian lemmas (pymorphy3) of tokens and of lexicon matching
- :mod:`~corpuslib.text.dates`: dates in datelines, cells, URLs and running text (vi, zh, ru, en)
- :mod:`~corpuslib.text.lexicon`: the reform-rhetoric lexicon and sentence-level concept matching
- :mod:`~corpuslib.text.tokens`: language-aware tokens (pyvi, jieba, pymorphy3), cached by content
"""
from ..core.lazy import lazy_attributes

__getattr__, __dir__ = lazy_attributes(
    __name__, ("codes", "dates", "language", "lemmas", "lexicon", "normalize", "numerals", "sentences", "tokens"))
