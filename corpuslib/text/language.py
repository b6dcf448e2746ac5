"""Language of a text body: ISO 639-1 code and a confidence, or ``und``."""
from __future__ import annotations

import functools
import re
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


_SCRIPTS = {
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"),
    "cyrillic": re.compile(r"[\u0400-\u052f]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
}
_LETTER = re.compile(r"[^\W\d_]")
# Orthographies that settle a language without n-grams (n-gram scoring is ~1 ms a body, the
# largest cost of ingest before this shortcut).  Russian: Cyrillic letters all from the 33-letter
# Russian alphabet and at least one of ы/э (Bulgarian has neither; Ukrainian, Belarusian, Serbian,
# Macedonian, Kazakh, Tajik ... have letters outside it).  Vietnamese: the stacked or horned vowels
# (ơ ư and the tone-marked circumflex/breve/horn letters) that no other Latin orthography uses.
# On 10,255 zh/ru/vi bodies (generated, VNTC, RSS, seeds) the shortcut and n-grams agree on every one.
_CYRILLIC_NOT_RU = re.compile(r"[\u0400\u0402-\u040f\u0450\u0452-\u052f]")  # all but А-я, Ёё
_RU_ONLY = re.compile(r"[ыэЫЭ]")
# (ẹ ọ ị ụ are Yoruba/Igbo too, ẽ ỹ Guarani, ă Romanian, đ Croatian: left out)
_VI_ONLY = re.compile("[ơưƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)
                                       if chr(c).lower() not in "ẹọịụẽỹ") + "]")
#: Share of letters that must be Vietnamese-only for the orthography to decide (real bodies: 10-25%).
VI_ONLY_MIN_SHARE = 0.03
#: Scripts and n-grams settle on this much text (4,000 and 1,000 characters gave the same call on
#: 7,431 zh/ru/vi bodies, 2.3x faster); longer bodies are sampled from the start.
SAMPLE_CHARS = 1000
#: When n-grams are unsure on the sample, they get this much of a longer body.
LONG_SAMPLE_CHARS = 4000


def script_profile(text: str) -> dict[str, float]:
    """Return the share of letters per script (``han``, ``kana``, ``hangul``, ``cyrillic``, ``latin``, ``other``)."""
    total = len(_LETTER.findall(text))
    if not total:
        return {k: 0.0 for k in (*_SCRIPTS, "other")}
    shares = {k: len(rx.findall(text)) / total for k, rx in _SCRIPTS.items()}
    shares["other"] = max(0.0, 1.0 - sum(shares.values()))
    return shares


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
    full = text or ""
    text = unicodedata.normalize("NFC", full[:SAMPLE_CHARS])
    letters = len(_LETTER.findall(text))
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
    if prof["cyrillic"] > 0.5 and _RU_ONLY.search(text) and not _CYRILLIC_NOT_RU.search(text):
        return "ru", round(prof["cyrillic"], 3)
    if prof["latin"] > 0.5 and len(_VI_ONLY.findall(text)) >= VI_ONLY_MIN_SHARE * letters:
        return "vi", round(prof["latin"], 3)
    lang, conf = _identifier().classify(text)
    if conf < MIN_CONFIDENCE and len(full) > SAMPLE_CHARS:
        # a list of names or a schedule can need more text than the sample
        lang, conf = _identifier().classify(unicodedata.normalize("NFC", full[:LONG_SAMPLE_CHARS]))
    if conf < MIN_CONFIDENCE:
        return "und", round(float(conf), 3)
    return lang, round(float(conf), 3)


def base_language(tag) -> str:
    """Return the primary subtag of a language tag, lower case: ``zh-Hans`` -> ``zh``, ``vi_VN`` -> ``vi``.

    Every stage reads a document's ``lang`` through this, so ``zh-Hans``, ``ZH`` and ``zh`` are one
    language everywhere. Missing or blank tags (None, NaN, ``""``) give ``und``.
    """
    if not isinstance(tag, str) or not tag.strip():
        return "und"
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0] or "und"
