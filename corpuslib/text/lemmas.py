"""Russian lemmas: one pymorphy3 reading for tokens and for lexicon matching.

Tokens (``кадровую`` -> ``кадровый``) and the lexicon's Russian terms and sentences are lemmatized by
:func:`ru_lemma`, so a term matches exactly the forms that tokenize to its lemma.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["ru_lemma"]

_CYRILLIC = re.compile("[\u0400-\u04ff]")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # heavy: loaded on the first Russian word

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=500_000)
def ru_lemma(word: str) -> str:
    """Return the pymorphy3 lemma of a lower-case Russian word form, with ``ё`` written ``е``.

    Words without a Cyrillic letter are returned as given. A word the dictionary does not know is
    mostly a Vietnamese name written in Russian (``Куангнинь``, ``Тханг``): it is read as its own
    lemma when pymorphy3 offers that, else as a noun, never as a guessed verb (``куангнинуть``).

    Parameters
    ----------
    word : str
        One word form, lower case (memoized: parsing is slow).

    Returns
    -------
    str
        The lemma, lower case.
    """
    if not _CYRILLIC.search(word):
        return word
    morph = _morph()
    parses = morph.parse(word)
    best = parses[0]
    if not morph.word_is_known(word):
        best = next((p for p in parses if p.normal_form == word),
                    next((p for p in parses if "NOUN" in p.tag), best))
    return best.normal_form.replace("ё", "е")
