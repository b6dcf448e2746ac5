"""Unicode normalization of article text: NFC, one Vietnamese tone placement, invisible characters."""
from __future__ import annotations

import re
import unicodedata

from .numerals import FULLWIDTH_ASCII

__all__ = ["normalize_text", "normalize_tone_marks", "TONE_STYLES", "decode_entities", "html_to_text", "looks_like_html"]

#: ``"new"``: tone on the first vowel of open oa/oe/uy (hóa, khỏe, thủy, Ủy), the press's usual spelling;
#: ``"old"``: tone on the second (hoá, khoẻ, thuỷ, Uỷ); ``"none"`` (or ``None``) leaves placement as written.
TONE_STYLES = ("new", "old", "none", None)

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


# The only change tone placement makes: in a WORD that is a whole Vietnamese syllable of the shape
# initial consonant(s) + open o+a, o+e or u+y (hóa/hoá, khỏe/khoẻ, thủy/thuỷ, ủy/uỷ), with exactly
# one tone mark on one of the two vowels, the mark moves to the other vowel. Everything else stays
# as written: a word with any other letter or mark (hoặc: ă; ngoặt: closed; Chloé: no Vietnamese
# initial "chl"; nhiềuý: not one syllable; quý: q+u is the initial), every other word of the text.
# The pattern works on NFC text, where each toned vowel is one character, so a word boundary is
# "no letter and no combining mark" on either side.
def _toned(base: str) -> dict[str, tuple[str, str]]:
    """NFC letter -> (base letter, tone mark) for ``base`` and its five toned forms, both cases."""
    out = {}
    for b in base + base.upper():
        out[b] = (b, "")
        for t in _TONES:
            out[unicodedata.normalize("NFC", b + t)] = (b, t)
    return out


_VOWELS = {**_toned("o"), **_toned("a"), **_toned("e"), **_toned("u"), **_toned("y")}
_COMPOSE = {v: k for k, v in _VOWELS.items()}  # (base, tone) -> NFC letter
_O, _A, _E, _U, _Y = ("".join(c for c, (b, _) in _VOWELS.items() if b.lower() == x) for x in "oaeuy")
# Vietnamese initial consonants (q is left out: in quy the u belongs to the initial qu).
_INITIAL = r"(?i:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|[bcdđghklmnprstvx])?"
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_SYLLABLE = re.compile(
    r"(?<![^\W\d_])(?<![" + _MARKS + r"])(?P<pre>" + _INITIAL + r")"
    r"(?P<pair>[" + _O + r"][" + _A + _E + r"]|[" + _U + r"][" + _Y + r"])"
    r"(?![^\W\d_])(?![" + _MARKS + r"])"
)
# Fast path: a text without a toned o/a/e/u/y has nothing to move (a Russian or Chinese body).
_TONED = re.compile("[" + "".join(c for c, (_, t) in _VOWELS.items() if t) + "]")


def _move_tone(m: re.Match, style: str) -> str:
    (b1, t1), (b2, t2) = _VOWELS[m["pair"][0]], _VOWELS[m["pair"][1]]
    tone = t1 or t2
    if not tone or (t1 and t2):
        return m.group(0)  # nothing to move, or two marks: not ours to decide
    pair = _COMPOSE[b1, tone] + b2 if style == "new" else b1 + _COMPOSE[b2, tone]
    return m["pre"] + pair


def normalize_tone_marks(text: str, style: str | None = "new") -> str:
    """Return ``text`` in NFC with one Vietnamese tone-mark placement for open oa/oe/uy syllables.

    Decided word by word: a tone mark moves only within a word that is one open syllable
    initial + oa/oe/uy (hoá -> hóa, thuỷ -> thủy, Uỷ -> Ủy); every other word is left exactly as
    written (hoặc, ngoặt, Chloé, nhiềuý, quý), so the output differs from the NFC input only by
    the position of such a mark.

    Parameters
    ----------
    text : str
        Any text; non-Vietnamese words are not touched.
    style : {"new", "old", "none", None}
        ``"new"`` writes hóa, thủy, Ủy; ``"old"`` writes hoá, thuỷ, Uỷ; ``"none"`` or ``None``
        only composes (NFC).

    Returns
    -------
    str
        NFC text.
    """
    if style not in TONE_STYLES:
        raise ValueError(f"tone style must be 'new', 'old' or 'none', not {style!r}")
    nfc = unicodedata.normalize("NFC", text)
    if style in (None, "none") or not _TONED.search(nfc):
        return nfc
    return _SYLLABLE.sub(lambda m: _move_tone(m, style), nfc)


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
    entities decoded once, as a browser does (``&nbsp;`` becomes a space, ``&amp;lt;`` is ``&lt;``)."""
    import html

    text = _HTML_DROP.sub(" ", text)
    text = _HTML_BLOCK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return html.unescape(text)  # after the tags: an escaped "&lt;p&gt;" is text, not a tag


# A character reference with its semicolon: named (``&agrave;``), decimal (``&#039;``) or hex (``&#x27;``).
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,7});")


def decode_entities(text: str) -> str:
    """Return ``text`` with its HTML character references decoded, once.

    For text that is not HTML (table cells, plain articles) scraped from HTML: ``C&agrave; Mau`` is
    ``Cà Mau``, ``&gt;&gt;`` is ``>>``, ``&amp;lt;`` is ``&lt;`` (one pass: what a decoded reference
    yields is never read again). Only references closed by ``;`` are read, and unknown names stay
    (``NN&PTNT;``, ``R&D``, ``&notes``), unlike :func:`html.unescape`, which reads ``&not`` in
    ``&notes`` as a browser would in a page.
    """
    if "&" not in text:
        return text
    import html

    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
