"""Unicode normalization of article text: NFC, one Vietnamese tone placement, invisible characters."""
from __future__ import annotations

import re
import unicodedata

from .numerals import FULLWIDTH_ASCII

__all__ = ["normalize_text", "normalize_tone_marks", "TONE_STYLES"]

#: ``"new"``: tone on the first vowel of open oa/oe/uy (hóa, khỏe, thủy, Ủy), the press's usual spelling;
#: ``"old"``: tone on the second (hoá, khoẻ, thuỷ, Uỷ); ``None`` leaves placement as written.
TONE_STYLES = ("new", "old", None)

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000"), " ")
# Full-width digits, Latin letters and the code punctuation "/-" (document codes, dates in Chinese text);
# other full-width punctuation is kept as Chinese typography.
_FULLWIDTH = {c: a for c, a in FULLWIDTH_ASCII.items() if a.isalnum() or a in "/-."}
_ODD = re.compile("[" + "".join(map(chr, [*_ZERO_WIDTH, *_SPACES, *_FULLWIDTH])) + "]")
# One replacement per odd character (the three maps have disjoint keys): str.translate walks every
# character of a 50 MB dump in Python-level lookups, a regex touches only the few odd ones.
_ODD_MAP = {chr(k): (chr(v) if isinstance(v, int) else v or "") for k, v in {**_ZERO_WIDTH, **_SPACES, **_FULLWIDTH}.items()}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# A vowel pair whose tone placement differs between the two styles: o+a, o+e, u+y with nothing but
# consonants before (q+u is a consonant, so "quý" is left alone) and no letter after (open syllable).
_LETTER = r"[^\W\d_]"
_PAIR = re.compile(
    r"(?<![qQ\w])(?P<pre>[bcdghklmnprstvxđBCDGHKLMNPRSTVXĐ]{0,3})"
    r"(?P<v1>[oOuU][" + _TONES + r"]?)(?P<v2>[aAeEyY][" + _TONES + r"]?)(?!" + _LETTER + r"|[" + _TONES + r"])"
)

# NFC letters that decompose to o/u/a/e/y + one tone mark: without one, no pair can move (a Russian or
# Chinese body skips the NFD round trip, a third of its normalization time).
_TONED = re.compile("[" + "".join(
    c for c in map(chr, range(0xC0, 0x1EFA))
    if len(d := unicodedata.normalize("NFD", c)) == 2 and d[0] in "oOuUaAeEyY" and d[1] in _TONES) + "]")


def _move_tone(m: re.Match, style: str) -> str:
    v1, v2 = m["v1"], m["v2"]
    if v1[0] in "uU" and v2[0] not in "yY" or v1[0] in "oO" and v2[0] in "yY":
        return m.group(0)
    tone = (v1[1:] or v2[1:])
    if not tone or (v1[1:] and v2[1:]):
        return m.group(0)
    b1, b2 = v1[0], v2[0]
    out = b1 + tone + b2 if style == "new" else b1 + b2 + tone
    return m["pre"] + out


def normalize_tone_marks(text: str, style: str | None = "new") -> str:
    """Return ``text`` with one Vietnamese tone-mark placement for open oa/oe/uy syllables.

    Parameters
    ----------
    text : str
        Any text; non-Vietnamese words are not touched (the pattern needs a tone mark on o/a/e/u/y).
    style : {"new", "old", None}
        ``"new"`` writes hóa, thủy, Ủy; ``"old"`` writes hoá, thuỷ, Uỷ; ``None`` returns ``text``.

    Returns
    -------
    str
        NFC text.
    """
    if style not in ("new", "old", None):
        raise ValueError(f"tone style must be 'new', 'old' or None, not {style!r}")
    nfc = unicodedata.normalize("NFC", text)
    if style is None or not _TONED.search(nfc):
        return nfc
    nfd = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _PAIR.sub(lambda m: _move_tone(m, style), nfd))


def normalize_text(text: str, *, tone_style: str | None = "new") -> str:
    """Return ``text`` in the library's canonical form.

    NFC; CRLF and CR to LF; zero-width characters and soft hyphens removed; non-breaking and other
    typographic spaces to a plain space; full-width digits, Latin letters and ``/ - .`` to ASCII;
    C0/C1 control characters dropped; one Vietnamese tone placement (``tone_style``); trailing
    spaces per line removed. Idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.
    """
    if not text:
        return ""
    # NFC first: it maps some odd spaces to others (U+2000 to U+2002), which must then become " "
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD.sub(lambda m: _ODD_MAP[m.group()], text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = normalize_tone_marks(text, tone_style)
    text = re.sub(r"[ ]{2,}", " ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


_HTML_HINT = re.compile(r"(?i)<(?:p|div|br|table|td|tr|span|img|a|li|h[1-6]|html|body|font|b|i|strong)\b[^>]*>")
_HTML_DROP = re.compile(r"(?is)<(script|style|noscript|iframe)\b.*?</\1\s*>|<!--.*?-->")
_HTML_BLOCK = re.compile(r"(?i)</?(?:p|div|br|tr|li|ul|ol|table|tbody|thead|h[1-6]|blockquote|section|article|header|footer)\b[^>]*>")
_HTML_TAG = re.compile(r"(?s)<[^<>]{1,2000}>")


def looks_like_html(text: str) -> bool:
    """Return whether ``text`` carries HTML markup (at least three tags)."""
    return len(_HTML_HINT.findall(text[:20000])) >= 3


def html_to_text(text: str) -> str:
    """Return the text of an HTML fragment: scripts and styles dropped, block tags as line breaks,
    entities unescaped (``&nbsp;`` becomes a space)."""
    import html

    text = _HTML_DROP.sub(" ", text)
    text = _HTML_BLOCK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text)
