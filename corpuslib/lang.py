"""Language of a text body: ISO 639-1 code and a confidence, or ``und``."""
from __future__ import annotations

import functools
import unicodedata

#: Below this many letters a text is too short to call.
MIN_LETTERS = 12
#: Below this normalized probability the call is ``und``.
MIN_CONFIDENCE = 0.50


@functools.cache
def _identifier():
    # py3langid ships its model inside the wheel: no download, deterministic.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def script_profile(text: str) -> dict[str, float]:
    """Return the share of letters per script (``han``, ``kana``, ``hangul``, ``cyrillic``, ``latin``, ``other``)."""
    counts = {"han": 0, "kana": 0, "hangul": 0, "cyrillic": 0, "latin": 0, "other": 0}
    total = 0
    for ch in text:
        if not ch.isalpha():
            continue
        total += 1
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF:
            counts["han"] += 1
        elif 0x3040 <= o <= 0x30FF:
            counts["kana"] += 1
        elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
            counts["hangul"] += 1
        elif 0x0400 <= o <= 0x052F:
            counts["cyrillic"] += 1
        elif o < 0x250 or 0x1E00 <= o <= 0x1EFF:
            counts["latin"] += 1
        else:
            counts["other"] += 1
    if not total:
        return {k: 0.0 for k in counts}
    return {k: v / total for k, v in counts.items()}


def detect_language(text: str) -> tuple[str, float]:
    """Return ``(lang, confidence)`` for a body of text.

    Parameters
    ----------
    text : str
        The body, without captions and credits (callers strip those first so a Latin photo
        credit cannot outvote a Chinese body).

    Returns
    -------
    tuple of (str, float)
        ISO 639-1 code (``und`` when undecidable) and a confidence in 0..1.
    """
    text = unicodedata.normalize("NFC", text or "")
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return "und", 0.0
    prof = script_profile(text)
    # Scripts settle Han/kana/hangul cheaply and more reliably than n-grams on short text.
    if prof["kana"] > 0.05:
        return "ja", round(min(1.0, prof["kana"] + prof["han"]), 3)
    if prof["hangul"] > 0.3:
        return "ko", round(prof["hangul"], 3)
    if prof["han"] > 0.5:
        return "zh", round(prof["han"], 3)
    # Long inputs: the n-gram model converges well before 20k characters.
    lang, conf = _identifier().classify(text[:20000])
    if conf < MIN_CONFIDENCE:
        return "und", round(float(conf), 3)
    return lang, round(float(conf), 3)
