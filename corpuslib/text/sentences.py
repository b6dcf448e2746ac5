"""Sentences: the one sentence splitter every stage uses (vi, zh, ru, en).

Concept counts, key words in context, dates, timeline evidence and document references all
cut a text into sentences with :func:`sentence_spans`, so a sentence is the same unit in every
table. The splitter is rule-based and offline. Field libraries were weighed: nltk's punkt needs
a model download; pysbd ships rules for ru, en and zh but none for Vietnamese, nor the
Vietnamese abbreviations of news text (``TP.``, ``TS.``, ``Q.``); underthesea's splitter is a
Punkt-style abbreviation list and would add a large dependency for it. The rules below are
written for news text in the four languages, and line breaks carry most of the structure
(readers keep one paragraph, headline or caption a line).

Rules, in order
---------------
1. A line break (``\n``, ``\r``, U+2028, U+2029) always ends a sentence: lines are paragraphs, headlines, captions and
   datelines, never hard-wrapped prose (on the shared corpora, 40 of 14,540 line pairs go
   on in lower case, and those are list items).
2. ``。！？`` end a sentence wherever they stand, in any language, together with the closing
   quotes and brackets right after them (``”」』）》``). ``；`` and ``;`` do not: they join
   clauses of one sentence (lists of tasks).
3. ``. ! ? …`` (and runs such as ``...``, ``?!``) end a sentence when white space (or the end
   of the text) follows them and any closing quotes or brackets, and the next character is
   not a lower-case letter nor ``, ; : % ) ]``. So ``TP.HCM``, ``T.Ư``, ``Q.1``, ``1.000``,
   ``20.1.2026`` and ``baonghean.vn`` never split (no space), and ``В 2024 г. весь`` does not
   (lower case next). After Chinese characters, ``!`` and ``?`` end a sentence without a space.
4. A single ``.`` does not end a sentence after
   - an abbreviation that stands before a name or number (:data:`PREFIX_ABBREVIATIONS`,
     compared case-sensitively: ``TP. Hải Phòng``, ``TS. Nguyễn``, ``ул. Ленина``,
     ``Dr. Smith``, ``Oct. 25``). Russian ``г.`` is *город* before a name (``г. Ханой``: no
     split) but *год* after a number (``в 2024 г. В Ханое``: splits);
   - an initial: a capital letter of a name (``В. И. Ленин``, ``John F. Kennedy``, ``anh T. cho
     biết``); not a Vietnamese capital (``Như Ý. Các``), nor a letter before an opening quote, nor
     a letter after a lower-case word and before a Vietnamese one (``độ C. Ngoài``): :func:`_is_initial`;
   - a list number or letter opening a line or sentence (``1. Tăng cường``, ``II. Nhiệm vụ``,
     ``a. Về``).
   Other abbreviations (``т.д.``, ``т.п.``, ``и др.``, ``v.v.``, ``etc.``, ``тыс.``) close
   lists and numbers: like ordinary words, they end a sentence before a capital letter.
   ``Ông`` / ``ông`` is a word, not an abbreviation: ``... phát biểu. Ông Nguyễn`` splits.
5. Quotations are not kept whole: a quoted speech of several sentences is split into them,
   the closing quote staying with the last.

Spans exclude surrounding white space; empty sentences are dropped.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .language import base_language

__all__ = ["PREFIX_ABBREVIATIONS", "sentence_spans", "split_sentences", "sentence_at"]

#: Abbreviations that stand before a name or a number, so a period after them never ends a
#: sentence; per language, compared case-sensitively. A language not listed uses all of them.
PREFIX_ABBREVIATIONS: dict[str, frozenset[str]] = {
    # thành phố, thị xã, thị trấn, tiến sĩ, thạc sĩ, (phó) giáo sư, bác sĩ, kỹ sư, luật sư,
    # nghệ sĩ / nhà giáo nhân dân / ưu tú, đồng chí, trang, quận, phường; foreign titles (St. Peterburg)
    "vi": frozenset("TP Tp TX Tx TT TS ThS Th.S PGS GS PGS.TS GS.TS BS KS LS NSND NSƯT NGND NGƯT "
                    "Đ/c đ/c tr Q P Mr Mrs Ms Dr St Prof".split()),
    # город (not after a number), улица, имени, дом, переулок, площадь, статья, пункт, часть, том,
    # товарищ, смотри, сравни, профессор, академик, доцент, страница/село, рисунок, то есть, так как,
    # так называемый, в том числе
    "ru": frozenset("г ул им д пер пл ст п ч т тов см ср проф акад доц с рис т.е т.к т.н т.ч".split()),
    "en": frozenset("Mr Mrs Ms Dr Prof St Mt Ft No Nos Nr Gen Gov Sen Rep Lt Col Capt Sgt Rev Hon "
                    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec vs v cf e.g i.e approx Fig fig "
                    "p pp Vol vol Art".split()),
}
_ALL_PREFIXES = frozenset().union(*PREFIX_ABBREVIATIONS.values())
# Russian "т. е." / "т. к." / "т. н." / "т. ч." written with a space: the second letter is checked
# against the first.
_RU_SPACED = frozenset("екнч")

_CLOSERS = "\"'”’»)\\]}」』）》〕】"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BREAK = re.compile(
    rf"\r\n?|[\n\u2028\u2029]|[。！？]+[!?！？。]*[{_CLOSERS}]*"           # rules 1 and 2
    rf"|(?P<latin>[.!?…]+)[{_CLOSERS}]*")            # rule 3 (checked below)
_OPENERS = "\"'“‘«([{「『（《"
_NOT_A_START = ",;:%)]}"
_ROMAN = re.compile(r"[IVXLC]{1,6}")
_NUMBER = re.compile(r"\d[\d.,]*")
_NEXT_WORD = re.compile(r"[ \t]*(\S+)")


def _word_before(text: str, line_start: int, end: int) -> tuple[str, int]:
    """Return the white-space token that ends at ``end`` (opening brackets stripped) and its start."""
    i = end
    while i > line_start and not text[i - 1].isspace():
        i -= 1
    word = text[i:end]
    stripped = word.lstrip(_OPENERS)
    return stripped, i + (len(word) - len(stripped))


def _previous_token(text: str, line_start: int, start: int) -> str:
    j = start
    while j > line_start and text[j - 1].isspace():
        j -= 1
    return _word_before(text, line_start, j)[0]


def _is_initial(letter: str, before: str, after: str) -> bool:
    """Whether a capital ``letter`` and its period, between the tokens ``before`` and ``after``, are an initial.

    Initials stand in foreign names (``John F. Kennedy``, ``В. И. Ленин``) and in the press's way of
    naming people it does not name (``anh T. cho biết``, ``thăm T. (ĐH Nông Lâm)``). A Vietnamese
    capital (``Như Ý.``) is a word; an opening quote and a capital start a new sentence (``trên mạng
    X. “Chúng tôi``, but ``H. "bật mí" cho tôi`` goes on); so does a capitalized Vietnamese word after a letter that follows a lower-case word (a
    unit or a label: ``độ C. Ngoài``, ``nhóm B. Hạt``, ``chữ V. Còn``).
    """
    if not ("A" <= letter <= "Z" or "А" <= letter <= "Я" or letter == "Ё"):
        return False
    if not after:
        return False
    if after[0] in "\"“«‘„":
        return not after[1:2].isupper()  # "H. "bật mí" cho tôi" goes on
    vietnamese = after[0].isupper() and any(c.isalpha() and not c.isascii() and not "\u0400" <= c <= "\u04ff"
                                            for c in after)
    return not ("A" <= letter <= "Z" and vietnamese and before[:1].islower())


def _period_continues(text: str, line_start: int, dot: int, prefixes: frozenset[str]) -> bool:
    """Whether the single period at ``dot`` belongs to an abbreviation, initial or list number (rule 4)."""
    word, start = _word_before(text, line_start, dot)
    if not word:
        return False
    if word in prefixes:
        if word in ("г", "гг") and _NUMBER.fullmatch(_previous_token(text, line_start, start)):
            return False  # "2024 г." is a year
        return True
    if len(word) == 1 and word in _RU_SPACED and _previous_token(text, line_start, start) == "т.":
        return True  # "т. е."
    if len(word) == 1 and word.isupper():
        following = _NEXT_WORD.match(text, dot + 1)
        if _is_initial(word, _previous_token(text, line_start, start), following.group(1) if following else ""):
            return True
    before = _previous_token(text, line_start, start)
    opens = not before or before[-1] in ".!?…:;。！？"  # a line or sentence starts here
    if opens and (word.isdigit() and len(word) <= 3 or _ROMAN.fullmatch(word)
                          or len(word) == 1 and word.isalpha()):
        return True  # a list marker
    return False


def _ends_here(text: str, m: re.Match, prefixes: frozenset[str]) -> bool:
    """Whether the Latin terminator matched by ``m`` ends a sentence (rules 3 and 4)."""
    end = m.end()
    nxt = text[end:end + 1]
    if nxt and not nxt.isspace():
        # "好!他说": half-width ! ? after Chinese end a sentence without a space
        return (m.group("latin")[-1] in "!?" and re.match(f"[{_CJK}]", nxt) is not None
                and m.start() > 0 and re.match(f"[{_CJK}]", text[m.start() - 1]) is not None)
    i = end
    while i < len(text) and text[i] in " \t":
        i += 1
    following = text[i:i + 1]
    if following and not following.isspace() and (following.islower() or following in _NOT_A_START):
        return False
    if m.group(0) == ".":
        line_start = max(text.rfind("\n", 0, m.start()), text.rfind("\r", 0, m.start())) + 1
        if _period_continues(text, line_start, m.start(), prefixes):
            return False
    return True


def _prefixes(lang) -> frozenset[str]:
    return PREFIX_ABBREVIATIONS.get(base_language(lang), _ALL_PREFIXES)


def sentence_spans(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Split ``text`` into sentences and return their ``(start, end)`` character offsets.

    Parameters
    ----------
    text : str
        Any text; offsets refer to it as given (no normalization is applied).
    lang : str, optional
        Language tag (``vi``, ``zh-Hans``, ``ru``, ``en`` ...): selects the abbreviations
        (:data:`PREFIX_ABBREVIATIONS`); other or missing tags use all of them. The other rules
        (module notes) hold in every language.

    Returns
    -------
    list of tuple of (int, int)
        Sentences in text order, trimmed of white space, never empty, never overlapping.
    """
    if not isinstance(text, str) or not text:
        return []
    return list(_spans(text, _prefixes(lang)))


@lru_cache(maxsize=4096)
def _spans(text: str, prefixes: frozenset[str]) -> tuple[tuple[int, int], ...]:
    # memoized: several stages split the same document (concepts, dates, timeline, references)
    cuts = []
    for m in _BREAK.finditer(text):
        if m.group("latin") is None or _ends_here(text, m, prefixes):
            cuts.append(m.start() if m.group(0).isspace() else m.end())
    spans, s = [], 0
    for c in cuts + [len(text)]:
        a, b = s, c
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        s = c
    return tuple(spans)


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Return the sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text, lang)]


def sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """Return the span of ``spans`` (sorted, as :func:`sentence_spans` gives) that holds offset ``pos``.

    Returns
    -------
    tuple of (int, int) or None
        None when ``pos`` falls between sentences (white space) or outside the text.
    """
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return None
