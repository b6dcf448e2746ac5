"""Party and state document references: find, normalize and resolve codes such as ``18-NQ/TW``.

A *mention* is a place in an article that cites a document, in one of four shapes (``kind``):

``code``
    a document code in its real-world spelling: ``18-NQ/TW``, ``Nghị quyết số 39 - NQ/TW``,
    ``Постановления № 18-NQ/TW``, ``第39-NQ/TW号决议``, codes typed with Cyrillic look-alike letters or
    with typos (``67-NG/TU``), state codes such as ``178/2024/NĐ-CP``.
``number``
    a number without issuer: ``Nghị quyết 57``, ``第18号决议``, ``Постановление № 18``, ``Resolution No. 18``.
``plenum``
    a resolution named by its Central Committee plenum: ``Nghị quyết Trung ương 6 (khóa XII)``,
    ``Nghị quyết Trung ương 4, 6, 7 (khóa XII)`` (one row per plenum), ``十二届六中全会决议``.
``congress``
    a congress resolution: ``Nghị quyết Đại hội XII``, ``越共十三大 ... 决议``, ``乂安省党部第十九次代表大会 ... 决议``.

Codes are found and normalized by :func:`corpuslib.text.codes.find_codes` (the parser tokens use too; each
mention keeps ``code_as_written`` beside the canonical ``doc_code``), sentences by
:func:`corpuslib.text.sentences.sentence_spans`, numerals by :mod:`corpuslib.text.numerals`.
:func:`extract_references` finds mentions and reads what the text says next to them (issue date, issuer,
term, plenum); :func:`resolve_references` maps them to rows of a small shipped reference table
(``corpuslib/analysis/data/party_documents.csv``), which fills what the text leaves out. The same code can name
several documents (``39-NQ/TW`` of 2015 and of 2023): candidates are narrowed by the date stated near the
mention, the publication date of the citing article, the issuer and term stated, and the subject words
nearby; when nothing decides, the mention is marked ``ambiguous`` with its ``candidates``.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.values import iso_bounds, none_if_missing, to_date
from ..text.codes import DOC_TYPES, DOC_WORD_BEFORE, ISSUER_CODES, doc_type_of_word, doc_word_before, find_codes, \
    normalize_code
from ..text.dates import find_full_dates
from ..text.language import base_language
from ..text.numerals import fold_width, parse_small_number
from ..text.sentences import sentence_at, sentence_spans

__all__ = [
    "MENTION_COLUMNS",
    "REFERENCE_COLUMNS",
    "ReferenceTableError",
    "extract_references",
    "parse_congress_number",
    "load_reference_table",
    "resolve_references",
]

#: Columns of the mentions table returned by :func:`extract_references` (one row per mention; a mention
#: naming several plenums gives one row per plenum, sharing ``start``/``end``).
MENTION_COLUMNS: dict[str, str] = {
    "start": "character offset of the mention in the text",
    "end": "end offset (exclusive); text[start:end] == matched",
    "matched": "the exact text of the mention (doc word included: 'Nghị quyết số 39 - NQ/TW')",
    "kind": "code | number | plenum | congress",
    "doc_code": "canonical code ('18-NQ/TW', '67-NQ/TU', '178/2024/NĐ-CP'; corpuslib.text.codes); filled from the "
                "table for named references",
    "code_as_written": "the code as the text writes it ('67-NG/TU', '39 - NQ/TW'); None for named references",
    "doc_type": "NQ resolution, KL conclusion, TB notice, CT directive, QĐ decision/regulation, HD guide, ...",
    "number": "document number",
    "issuer_code": "issuer part of the code (TW, TU, HNTW, CP, ...); ĐH / ĐHĐB for congresses",
    "issuer": "readable issuer (Bộ Chính trị, Ban Chấp hành Trung ương, Ban Thường vụ Tỉnh ủy, ...)",
    "issuer_method": "text (stated next to the mention) | reference_table | code (generic, from the code)",
    "term": "khóa / 届 / созыв of the issuing Central Committee or congress number",
    "plenum": "Central Committee plenum (Hội nghị Trung ương N)",
    "issued": "issue date, ISO (YYYY-MM-DD, or YYYY / YYYY-MM when only that is known)",
    "issued_method": "text | reference_table | None",
    "doc_id": "id of the reference-table row the mention resolves to",
    "ambiguous": "True when several table rows remain possible",
    "candidates": "doc_ids still possible when ambiguous (list)",
    "note": "how the mention was normalized and resolved",
    "sentence": "the sentence holding the mention",
    "context": "the part of the sentence between the neighbouring mentions (used for subject words)",
    "lang": "language the patterns ran for",
    "published": "publication date of the citing text (ISO) or None",
    "regions": "provinces of the reference table named anywhere in the text (list)",
}

#: Columns of the shipped reference table (CSV), in file order.
REFERENCE_COLUMNS = ("doc_id", "doc_code", "doc_type", "issuer", "issuer_code", "issued", "term", "plenum",
                     "region", "title_vi", "keywords", "source", "note")

# Issuers below the centre: their numbering restarts in every province, so a row needs the province.
_LOCAL_ISSUERS = {"TU", "ThU", "HU", "QU", "ĐU", "ĐUK", "ĐHĐB", "UBND", "HĐND"}


class ReferenceTableError(ValueError):
    """A malformed row in a reference table; the message names the file and line."""


_VI_NUMWORDS = {"mười chín": 19, "mười tám": 18, "mười bảy": 17, "mười sáu": 16, "mười lăm": 15, "mười bốn": 14,
                "mười tư": 14, "mười ba": 13, "mười hai": 12, "mười một": 11, "mười": 10, "chín": 9, "tám": 8,
                "bảy": 7, "sáu": 6, "năm": 5, "bốn": 4, "tư": 4, "ba": 3, "hai": 2, "nhất": 1, "một": 1}
_VI_NUMWORD_RE = "|".join(sorted(_VI_NUMWORDS, key=len, reverse=True))
_RU_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четвёрт": 4, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
                "восьм": 8, "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
                "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18,
                "девятнадцат": 19, "двадцат": 20}
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                "nineteenth": 19, "twentieth": 20}
_ZH_NUM = r"[一二三四五六七八九十百零〇两\d]{1,4}"
_ROMAN_TOKEN = r"[IVXLCХІ]{1,7}"  # Х, І: Cyrillic look-alikes in Russian text


def _number_value(tok: str) -> int | None:
    """Read an Arabic, Roman, Chinese or Vietnamese-word number."""
    n = parse_small_number(tok)
    return n if n is not None else _VI_NUMWORDS.get(fold_width(tok.strip()).lower())


_CONGRESS_PATTERNS = [
    re.compile(r"第\s*(" + _ZH_NUM + r")\s*[次届屆]"),
    re.compile(r"(" + _ZH_NUM + r")\s*大(?![学學师師夫家力量小概约約型])"),
    re.compile(r"(?:lần\s+thứ|thứ)\s+(\d{1,2}|" + _ROMAN_TOKEN + r")(?!\w)", re.I),
    re.compile(r"(?<![\d\w])(\d{1,2})\s*-?\s*(?:го|м|й|ая|ое|ому|ым|ой|ом|th|st|nd|rd)(?!\w)", re.I),
    re.compile(r"(?<![\w])(" + _ROMAN_TOKEN + r")(?![\w])"),
]


def parse_congress_number(text: str) -> int | None:
    """Return the congress (or term) number a phrase names, or None.

    Reads ``"XIII"``, ``"lần thứ XIII"``, ``"13-м"``, ``"XIV"`` (also typed with Cyrillic Х), ``"十三大"``,
    ``"第十九次"``, ``"13th"``, ordinal words (``"тринадцатого"``, ``"thirteenth"``, ``"lần thứ mười ba"``)
    and, last, a bare one- or two-digit number.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    t = fold_width(text)
    for rx in _CONGRESS_PATTERNS:
        for m in rx.finditer(t):
            v = _number_value(m.group(1))
            if v:
                return v
    low = t.lower()
    m = re.search(r"lần\s+thứ\s+(" + _VI_NUMWORD_RE + r")(?!\w)", low)
    if m:
        return _VI_NUMWORDS[m.group(1)]
    for stem in sorted(_RU_ORDINALS, key=len, reverse=True):
        if re.search(r"(?<!\w)" + stem + r"\w{0,4}(?!\w)", low):
            return _RU_ORDINALS[stem]
    for word, v in _EN_ORDINALS.items():
        if re.search(r"(?<!\w)" + word + r"(?!\w)", low):
            return v
    m = re.search(r"(?<![\d\w.,/])(\d{1,2})(?![\d\w.,/])", t)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------------------------------
# Words around mentions
# --------------------------------------------------------------------------------------------------
_ZH_BEFORE_RE = re.compile(r"第\s{0,2}$")
_ZH_AFTER_RE = re.compile(r"^\s{0,2}号?\s{0,2}(?:" + "决议|決議|结论|結論|指示|通知|通报|通報|决定|決定|规定|規定|指导|指導|公告|文件" + ")?")


def _extend_code_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a code's span to its doc word ("Nghị quyết số ", "第 ... 号决议")."""
    window = text[max(0, start - 40):start]
    m = DOC_WORD_BEFORE.search(window)
    if m:
        start = start - (len(window) - m.start())
    elif _ZH_BEFORE_RE.search(window):
        start -= len(_ZH_BEFORE_RE.search(window).group(0))
    m2 = _ZH_AFTER_RE.match(text[end:end + 12])
    if m2 and m2.group(0).strip():
        end += len(m2.group(0).rstrip())
    return start, end


# Issuers named in the text: (pattern, categories, canonical readable name). Longest first.
_ISSUER_LEXICON = [
    (r"Bộ\s+Chính\s+trị\s*,\s*Ban\s+Bí\s+thư", {"BCT", "BBT"}, "Bộ Chính trị, Ban Bí thư"),
    (r"Bộ\s+Chính\s+trị(?:\s+khóa\s+[IVXLC]{1,6})?", {"BCT"}, "Bộ Chính trị"),
    (r"Ban\s+Bí\s+thư(?:\s+Trung\s+ương)?", {"BBT"}, "Ban Bí thư"),
    (r"Ban\s+Thường\s+vụ\s+(?:Tỉnh|Thành)\s+(?:ủy|uỷ)", {"BTVTU"}, "Ban Thường vụ Tỉnh ủy"),
    (r"Ban\s+Chấp\s+hành\s+Đảng\s+bộ\s+(?:tỉnh|thành\s+phố)", {"BCHĐBT"}, "Ban Chấp hành Đảng bộ tỉnh"),
    (r"Hội\s+nghị\s+(?:lần\s+thứ\s+\S{1,6}\s+)?Ban\s+Chấp\s+hành\s+Trung\s+ương(?:\s+Đảng)?|"
     r"Ban\s+Chấp\s+hành\s+Trung\s+ương(?:\s+Đảng)?|BCH\s*(?:Trung\s+ương|TW|TƯ)|Trung\s+ương\s+Đảng",
     {"BCHTW"}, "Ban Chấp hành Trung ương"),
    (r"Tỉnh\s+(?:ủy|uỷ)", {"TU"}, "Tỉnh ủy"),
    (r"Thành\s+(?:ủy|uỷ)", {"TU"}, "Thành ủy"),
    (r"(?:Ủy|Uỷ)\s+ban\s+Thường\s+vụ\s+Quốc\s+hội", {"UBTVQH"}, "Ủy ban Thường vụ Quốc hội"),
    (r"Thủ\s+tướng(?:\s+Chính\s+phủ)?", {"TTg"}, "Thủ tướng Chính phủ"),
    (r"Chính\s+phủ", {"CP"}, "Chính phủ"),
    (r"Quốc\s+hội", {"QH"}, "Quốc hội"),
    (r"Hội\s+đồng\s+nhân\s+dân|HĐND", {"HĐND"}, "Hội đồng nhân dân"),
    (r"(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân|UBND", {"UBND"}, "Ủy ban nhân dân"),
    # Chinese
    (r"中央政治局|政治局", {"BCT"}, "Bộ Chính trị"),
    (r"中央书记处|书记处|書記處", {"BBT"}, "Ban Bí thư"),
    (r"省委常务委员会|省委常務委員會|省委常委会|省委常委會", {"BTVTU"}, "Ban Thường vụ Tỉnh ủy"),
    (r"省党部执行委员会|省党委执行委员会|省党部|省黨部", {"BCHĐBT"}, "Ban Chấp hành Đảng bộ tỉnh"),
    (r"中央执行委员会|中央委员会|中央執行委員會|中央委員會|越共中央|党中央|黨中央", {"BCHTW"}, "Ban Chấp hành Trung ương"),
    (r"省委|省党委", {"TU"}, "Tỉnh ủy"),
    (r"政府", {"CP"}, "Chính phủ"),
    (r"国会|國會", {"QH"}, "Quốc hội"),
    # Russian
    (r"Политбюро(?:\s+ЦК(?:\s+КПВ)?)?", {"BCT"}, "Bộ Chính trị"),
    (r"Секретариат\w{0,3}(?:\s+ЦК(?:\s+КПВ)?)?", {"BBT"}, "Ban Bí thư"),
    (r"Постоянн\w{0,4}\s+комитет\w{0,3}\s+(?:провинциальн\w{0,4}\s+(?:партийн\w{0,4}\s+)?комитет\w{0,3}|обком\w{0,3})",
     {"BTVTU"}, "Ban Thường vụ Tỉnh ủy"),
    (r"Центральн\w{0,4}\s+(?:Исполнительн\w{0,4}\s+)?[Кк]омитет\w{0,3}(?:\s+(?:партии|КПВ|Коммунистической\s+партии"
     r"\s+Вьетнама))?|ЦК\s+КПВ", {"BCHTW"}, "Ban Chấp hành Trung ương"),
    (r"[Пп]ровинциальн\w{0,4}\s+(?:партийн\w{0,4}\s+)?комитет\w{0,3}(?:\s+партии)?|обком\w{0,3}", {"TU"}, "Tỉnh ủy"),
    (r"Правительств\w{0,3}", {"CP"}, "Chính phủ"),
    # English
    (r"Politburo|Political\s+Bureau", {"BCT"}, "Bộ Chính trị"),
    (r"(?:Party\s+Central\s+Committee'?s?\s+)?Secretariat", {"BBT"}, "Ban Bí thư"),
    (r"Standing\s+Committee\s+of\s+the\s+Provincial\s+Party\s+Committee|Provincial\s+Party\s+Standing\s+Committee",
     {"BTVTU"}, "Ban Thường vụ Tỉnh ủy"),
    (r"(?:CPV\s+|Party\s+)?Central\s+(?:Executive\s+)?Committee", {"BCHTW"}, "Ban Chấp hành Trung ương"),
    (r"Provincial\s+Party\s+(?:Executive\s+)?Committee", {"TU"}, "Tỉnh ủy"),
    (r"Government", {"CP"}, "Chính phủ"),
]
_ISSUER_RES = [(re.compile(p), cats, name) for p, cats, name in _ISSUER_LEXICON]
_ISSUER_ANY = re.compile("|".join(f"(?:{p})" for p, _, _ in _ISSUER_LEXICON))
# Categories of the table's readable issuer names.
_ISSUER_NAME_CATS = [("Bộ Chính trị", "BCT"), ("Ban Bí thư", "BBT"), ("Ban Chấp hành Trung ương", "BCHTW"),
                     ("Ban Thường vụ Tỉnh ủy", "BTVTU"), ("Ban Chấp hành Đảng bộ tỉnh", "BCHĐBT"),
                     ("Tỉnh ủy", "TU"), ("Thành ủy", "TU"), ("Chính phủ", "CP"), ("Quốc hội", "QH"),
                     ("Đại hội đại biểu toàn quốc", "ĐH"), ("Đại hội đại biểu Đảng bộ", "ĐHĐB")]
# "Tỉnh ủy" in the text may name its Standing Committee or its Executive Committee.
_ISSUER_COMPAT = {"TU": {"TU", "BTVTU", "BCHĐBT"}}


def _issuer_at(s: str, anchored: bool) -> tuple[re.Match, set, str] | None:
    best = None
    for rx, cats, name in _ISSUER_RES:
        m = rx.match(s) if anchored else None
        if m and (best is None or m.end() > best[0].end()):
            best = (m, cats, name)
    return best


def _issuer_cats(name: str | None) -> set[str]:
    if not name or not isinstance(name, str):
        return set()
    return {c for n, c in _ISSUER_NAME_CATS if n.lower() in name.lower()}


def _find_dates(s: str) -> list[tuple[int, int, dt.date]]:
    """Return (start, end, date) of the full dates in ``s``, left to right, non-overlapping.

    The one date reader of the text stage (:func:`corpuslib.text.dates.find_full_dates`): the same
    dates, at the same spans, as :func:`corpuslib.text.dates.extract_dates` gives the timeline.
    """
    return find_full_dates(s)


_TERM_TAIL_RES = [
    re.compile(r"\(?\s{0,2},?\s{0,2}(?:khóa|khoá|Khóa|Khoá|nhiệm\s+kỳ\s+khóa)\s{1,2}(" + _ROMAN_TOKEN + r"|\d{1,2})(?!\w)\s{0,2}\)?"),
    re.compile(r"(\d{1,2})\s{0,2}-\s{0,2}(?:го|й)\s+созыва"),
    re.compile(r"(" + _ROMAN_TOKEN + r")\s+созыва"),
    re.compile(r"(?:of\s+the\s+)?(\d{1,2})(?:st|nd|rd|th)[\s\-](?:tenure\s+|term\s+)?(?:CPV\s+|Party\s+)?"
               r"(?:Central\s+(?:Executive\s+)?Committee|tenure|term)", re.I),
    re.compile(r"\(\s{0,2}(?:term|tenure)\s+(" + _ROMAN_TOKEN + r"|\d{1,2})\s{0,2}\)", re.I),
    re.compile(r"第?\s{0,2}(" + _ZH_NUM + r")\s{0,2}届"),
]
_PLENUM_TAIL_RES = [
    re.compile(r"(?:của\s+)?Hội\s+nghị\s+(?:lần\s+thứ\s+)?(\d{1,2}|" + _VI_NUMWORD_RE + r")\s+(?:của\s+)?"
               r"(?:Ban\s+Chấp\s+hành\s+Trung\s+ương|BCH\s*(?:Trung\s+ương|TW))(?:\s+Đảng)?", re.I),
    re.compile(r"(?:của\s+)?Hội\s+nghị\s+Trung\s+ương\s+(\d{1,2})(?!\d)", re.I),
    re.compile(r"(\d{1,2})\s{0,2}-\s{0,2}(?:го|м)\s+[Пп]ленум\w{0,3}"),
    re.compile(r"(?:of\s+the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+(?:plenum|plenary\s+session|Central\s+Conference)", re.I),
]
_TAIL_FILLER = re.compile(r"(?:[\s,;:()（）、]|của|do|ban\s+hành|issued|adopted|by|of|the|Đảng|Party|партии|КПВ|года|г\.|"
                          r"Коммунистической\s+партии\s+Вьетнама|Cộng\s+sản\s+Việt\s+Nam)+", re.I)
_TAIL_DATE_INTRO = re.compile(r"(?:(?:ban\s+hành|ký)\s+)?(?:ngày|dated|on|of|от|from)?\s{0,2}$", re.I)
_YEAR_TAIL = re.compile(r"^[\s,(]{0,3}(?:năm|năm\s+|of\s+|от\s+|in\s+)?((?:19|20)\d{2})(?:\s*年)?(?![\d/.\-])(?!\s*-\s*\d)", re.I)
_HEAD_VERB = re.compile(r"(?:ban\s+hành|ký\s+ban\s+hành|đã\s+ban\s+hành|thông\s+qua|issued|signed|adopted|"
                        r"promulgated|издал[аио]?|принял[аио]?|подписал[аио]?|утвердил[аио]?|颁布|頒布|发布|發布|"
                        r"发出了?|發出了?|印发|印發|签发|簽發)\s{0,3}(?:(?:của\s+)?[^\s,.;]{0,12}\s{0,2})?$", re.I)


@dataclass
class _Attrs:
    issued: dt.date | None = None
    year: int | None = None
    issuer: str | None = None
    issuer_cats: set = field(default_factory=set)
    term: int | None = None
    plenum: int | None = None
    notes: list[str] = field(default_factory=list)


def _parse_tail(tail: str) -> _Attrs:
    """Read the attributes stated right after a mention, in any order: date, issuer, term, plenum."""
    a = _Attrs()
    pos, steps = 0, 0
    dates = _find_dates(tail)
    ym = _YEAR_TAIL.match(tail)
    if ym and not (dates and dates[0][0] <= ym.end()):
        a.year = int(ym.group(1))
    while pos < len(tail) and steps < 12:
        steps += 1
        m = _TAIL_FILLER.match(tail, pos)
        if m and m.end() > pos:
            pos = m.end()
            continue
        rest = tail[pos:]
        got = False
        for s, e, d in dates:  # a date here, introduced by "ngày"/"от"/"dated" or bare
            if s >= pos and _TAIL_DATE_INTRO.fullmatch(tail[pos:s]) is not None and a.issued is None:
                a.issued, pos, got = d, e, True
                break
        if got:
            continue
        hit = _issuer_at(rest, anchored=True)
        if hit:
            if a.issuer is None:
                a.issuer, a.issuer_cats = hit[2], set(hit[1])
            pos += hit[0].end()
            pm = _PLENUM_TAIL_RES[0].search(hit[0].group(0))  # "Hội nghị lần thứ sáu Ban Chấp hành Trung ương"
            if pm and a.plenum is None:
                a.plenum = _number_value(pm.group(1))
            continue
        for rx in _TERM_TAIL_RES:
            m = rx.match(rest)
            if m:
                if a.term is None:
                    a.term = _number_value(m.group(1))
                if a.issuer is None and re.search(r"Central\s+(?:Executive\s+)?Committee", m.group(0), re.I):
                    a.issuer, a.issuer_cats = "Ban Chấp hành Trung ương", {"BCHTW"}
                pos += m.end()
                got = True
                break
        if got:
            continue
        for rx in _PLENUM_TAIL_RES:
            m = rx.match(rest)
            if m:
                if a.plenum is None:
                    a.plenum = _number_value(m.group(1))
                pos += m.end()
                got = True
                break
        if not got:
            break
    return a


def _parse_head(head: str, lang: str) -> _Attrs:
    """Read a date and issuer stated before a mention: Chinese order, or "X ban hành ... (mention)"."""
    a = _Attrs()
    if lang == "zh" or re.search(r"[\u4e00-\u9fff]", head[-20:] or ""):
        clause = re.split(r"[。；;！!？?，,\n]", head)[-1] if head else ""
        if len(clause) > 90:
            clause = clause[-90:]
        dates = _find_dates(clause)
        if dates:
            a.issued = dates[-1][2]
            a.notes.append("date stated before the mention")
        hits = [(m.start(), m) for m in _ISSUER_ANY.finditer(clause)]
        if hits:
            m = hits[-1][1]
            hit = _issuer_at(clause[m.start():], anchored=True)
            if hit:
                a.issuer, a.issuer_cats = hit[2], set(hit[1])
        return a
    window = head[-120:]
    if _HEAD_VERB.search(window):
        dates = _find_dates(window)
        if dates:
            a.issued = dates[-1][2]
            a.notes.append("date stated before the mention")
        hits = list(_ISSUER_ANY.finditer(window))
        if hits:
            hit = _issuer_at(window[hits[-1].start():], anchored=True)
            if hit:
                a.issuer, a.issuer_cats = hit[2], set(hit[1])
    return a


# --------------------------------------------------------------------------------------------------
# Named references
# --------------------------------------------------------------------------------------------------
_KHOA = r"(?:khóa|khoá|Khóa|Khoá)"
_VI_PLENUM_RE = re.compile(
    r"(?P<pl>(?:các|những)\s+)?nghị\s+quyết\s+(?:của\s+)?(?:hội\s+nghị\s+)?(?:lần\s+thứ\s+)?"
    r"(?:ban\s+chấp\s+hành\s+)?(?:trung\s+ương|TW|TƯ|T\.Ư)\s{1,2}(?:đảng\s+)?(?:lần\s+thứ\s+)?"
    r"(?P<nums>\d{1,2}(?:\s{0,2}(?:,|và|&)\s{0,2}\d{1,2}(?!\d)){0,6})(?!\d)(?P<second>\s{0,2}\(lần\s+\d\))?"
    r"(?:\s{0,2}(?:,\s{0,2}|\(\s{0,2}|\s)(?:trong\s+)?(?:nhiệm\s+kỳ\s+)?" + _KHOA + r"\s{1,2}(?P<term>[IVXLC]{1,6}|\d{1,2})(?!\w)(?:\s{0,2}\))?)?",
    re.I)
_VI_PLENUM2_RE = re.compile(
    r"(?P<pl>(?:các|những)\s+)?nghị\s+quyết\s+(?:của\s+)?hội\s+nghị\s+(?:lần\s+thứ\s+)?(?P<nums>\d{1,2}|"
    + _VI_NUMWORD_RE + r")\s+(?:của\s+)?ban\s+chấp\s+hành\s+trung\s+ương(?:\s+đảng)?"
    r"(?:\s{0,2}(?:,\s{0,2}|\(\s{0,2}|\s)" + _KHOA + r"\s{1,2}(?P<term>[IVXLC]{1,6}|\d{1,2})(?!\w)(?:\s{0,2}\))?)?", re.I)
_VI_CONGRESS_RE = re.compile(
    r"nghị\s+quyết\s+(?:của\s+)?đại\s+hội\s+(?:đại\s+biểu\s+)?(?:đảng\s+)?(?:toàn\s+quốc\s+)?(?:lần\s+thứ\s+)?"
    r"(?P<n>[IVXLC]{1,6}|\d{1,2})(?!\w)(?:\s+của\s+Đảng)?", re.I)
_VI_LOCAL_CONGRESS_RE = re.compile(
    r"nghị\s+quyết\s+(?:của\s+)?đại\s+hội\s+(?:đại\s+biểu\s+)?đảng\s+bộ\s+(?P<where>(?:tỉnh|thành\s+phố|TP\.?)\s+)?"
    r"(?P<name>[^\d,.;()\n]{0,25}?)\s{0,2}(?:lần\s+thứ|lần)\s+(?P<n>[IVXLC]{1,6}|\d{1,2})(?!\w)", re.I)
_VI_NUMBER_RE = re.compile(
    r"(?P<pl>(?:các|những)\s+)?(?P<word>nghị\s+quyết|kết\s+luận|chỉ\s+thị|thông\s+báo|quy\s+định|quyết\s+định|"
    r"hướng\s+dẫn)\s+(?:số\s+)?(?P<num>\d{1,4})(?![\d])(?!\s{0,2}[-–/.,]\s{0,2}\d)(?!\s{0,2}[-–/]\s{0,2}[A-ZĐa-zđ])"
    r"(?!\s{0,2}(?:%|năm|tháng|ngày|giờ|người|lần|triệu|tỷ|nghìn|ngàn|đồng|km|ha)(?!\w))", re.I)
_VI_VERB_BEFORE = re.compile(r"(?:có\s+thể|sẽ|đã|được|phải|không|cần|mới|tự|bị|hãy|nên)\s+$", re.I)
_ZH_NUMBER_RE = re.compile(
    r"(?<![\d\-])(?:第\s{0,2})?(?P<num>\d{1,4}|[一二三四五六七八九十百零〇两]{1,6})\s{0,2}号\s{0,2}"
    r"(?P<word>决议|決議|结论|結論|指示|通知|通报|通報|决定|決定|规定|規定|指导|指導|公告)")
_ZH_PLENUM_RES = [
    re.compile(r"(?:越共\s{0,2})?(?:第\s{0,2})?(?P<term>" + _ZH_NUM + r")\s{0,2}届\s{0,2}(?:越共\s{0,2})?"
               r"(?:中央委员会|中央委員會|中央)?\s{0,2}(?:第\s{0,2})?(?P<nums>" + _ZH_NUM + r")\s{0,2}"
               r"(?:次全体会议|次全體會議|次全会|次全會|中全会|中全會|次会议|次會議)"),
    re.compile(r"(?:越共)?中央\s{0,2}第\s{0,2}(?P<nums>" + _ZH_NUM + r")\s{0,2}次(?:全体|全體)?(?:会议|會議|全会|全會)"
               r"\s{0,2}[（(]\s{0,2}第?\s{0,2}(?P<term>" + _ZH_NUM + r")\s{0,2}届\s{0,2}[)）]"),
]
_ZH_CONGRESS_RES = [
    re.compile(r"(?P<pre>越共|越南共产党|越南共產黨|党的|黨的)?\s{0,2}(?P<n>[一二三四五六七八九十]{1,3})\s{0,2}大"
               r"(?![学學师師夫家力量小概约約型会會街楼樓道])"),
    re.compile(r"第\s{0,2}(?P<n>" + _ZH_NUM + r")\s{0,2}次\s{0,2}(?:全国\s{0,2}|全國\s{0,2})?(?:党员\s{0,2}|黨員\s{0,2})?"
               r"(?:代表大会|代表大會)"),
]
_ZH_LOCAL_BEFORE = re.compile(r"(?P<place>[\u4e00-\u9fff]{1,4})?(?:省|市)(?:党部|黨部|党委|黨委|委)\s{0,2}$")
_RU_NUMBER_RE = re.compile(
    r"(?P<word>Постановлени\w{0,3}|Резолюци\w{0,3}|Заключени\w{0,3}|Директив\w{0,3}|Уведомлени\w{0,3}|Решени\w{0,3})"
    r"\s{1,2}(?:№|N|No\.?)\s{0,2}(?P<num>\d{1,4})(?![\d\-–/])", re.I)
_RU_PLENUM_RE = re.compile(
    r"(?P<word>Резолюци\w{0,3}|Постановлени\w{0,3})\s{1,2}(?P<nums>\d{1,2})\s{0,2}-\s{0,2}(?:го|м)\s+[Пп]ленум\w{0,3}"
    r"\s+(?:ЦК|Центрального\s+(?:Исполнительного\s+)?[Кк]омитета)(?:\s+(?:партии|КПВ))?"
    r"(?:\s+(?P<term>\d{1,2})\s{0,2}-\s{0,2}го\s+созыва|\s+(?P<termr>" + _ROMAN_TOKEN + r")\s+созыва)?")
_RU_CONGRESS_RE = re.compile(
    r"(?P<word>Резолюци\w{0,3}|Постановлени\w{0,3}|Решени\w{0,3})\s{1,2}(?:(?P<n>\d{1,2})\s{0,2}-\s{0,2}(?:го|м)|"
    r"(?P<nr>" + _ROMAN_TOKEN + r"))\s+(?:(?:Национальн|Всевьетнамск)\w{0,4}\s+)?(?:партийн\w{0,4}\s+)?съезд\w{0,3}")
_EN_NUMBER_RE = re.compile(
    r"(?<!\w)(?P<word>Resolution|Conclusion|Directive|Notice|Decision|Regulation|Instruction)s?\s{1,2}"
    r"(?:No\.?\s{0,2}|Number\s+|#\s{0,2})?(?P<num>\d{1,4})(?![\d\-–/.,]\d)(?![\d\-–/])", re.I)
_EN_PLENUM_RES = [
    re.compile(r"(?<!\w)Resolution\s+of\s+the\s+(?P<nums>\d{1,2})(?:st|nd|rd|th)\s+(?:plenum|plenary\s+session|"
               r"Central\s+Conference|Conference\s+of\s+the\s+(?:Party\s+)?Central\s+Committee)"
               r"(?:\s{0,2}(?:of\s+the\s+|,\s{0,2})(?P<term>\d{1,2})(?:st|nd|rd|th)[\s\-](?:term|tenure|"
               r"(?:CPV\s+|Party\s+)?Central\s+Committee))?", re.I),
    re.compile(r"(?<!\w)Central\s+Resolution\s+(?P<nums>\d{1,2})\s{0,2}\(\s{0,2}(?:term|tenure)\s+"
               r"(?P<termr>[IVXLC]{1,6}|\d{1,2})\s{0,2}\)", re.I),
]
_EN_CONGRESS_RES = [
    re.compile(r"(?<!\w)Resolution\s+of\s+the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)\s+(?:National\s+)?(?:Party\s+)?Congress",
               re.I),
    re.compile(r"(?<!\w)(?P<n>\d{1,2})(?:st|nd|rd|th)\s+(?:National\s+)?Party\s+Congress(?:'s)?\s+Resolution", re.I),
]
_LANGS = ("vi", "zh", "ru", "en")


@dataclass
class _Mention:
    start: int
    end: int
    kind: str
    doc_code: str | None = None
    doc_type: str | None = None
    number: int | None = None
    issuer_code: str | None = None
    code_as_written: str | None = None
    term: int | None = None
    plenum: int | None = None
    plural: bool = False
    notes: list[str] = field(default_factory=list)


def _overlaps(spans, s, e) -> bool:
    return any(a < e and s < b for a, b in spans)


def _scan_named(text: str, lang: str, taken: list[tuple[int, int]]) -> list[_Mention]:
    out: list[_Mention] = []
    langs = [lang] if lang in _LANGS else list(_LANGS)

    def add(m: _Mention):
        out.append(m)
        taken.append((m.start, m.end))

    if "vi" in langs:
        for rx in (_VI_PLENUM_RE, _VI_PLENUM2_RE):
            for m in rx.finditer(text):
                if _overlaps(taken, m.start(), m.end()):
                    continue
                nums = [_number_value(x) for x in re.split(r"\s*(?:,|và|&)\s*", m.group("nums").strip())]
                nums = [n for n in nums if n]
                term = _number_value(m.group("term")) if m.group("term") else None
                if not nums or any(n > 20 for n in nums):
                    continue
                for n in nums:
                    mm = _Mention(m.start(), m.end(), "plenum", doc_type="NQ", issuer_code="TW", term=term, plenum=n,
                                  plural=bool(m.group("pl")))
                    if len(nums) > 1:
                        mm.notes.append(f"one of {len(nums)} plenums named together")
                    if "second" in rx.groupindex and m.group("second"):
                        mm.notes.append(f"'{m.group('second').strip()}': a second resolution of this plenum")
                    out.append(mm)
                taken.append((m.start(), m.end()))
        for m in _VI_LOCAL_CONGRESS_RE.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                mm = _Mention(m.start(), m.end(), "congress", doc_type="NQ", issuer_code="ĐHĐB",
                              term=_number_value(m.group("n")))
                name = (m.group("name") or "").strip()
                if name:
                    mm.notes.append(f"congress of the Party organization of '{name}'")
                add(mm)
        for m in _VI_CONGRESS_RE.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                add(_Mention(m.start(), m.end(), "congress", doc_type="NQ", issuer_code="ĐH",
                             term=_number_value(m.group("n"))))
        for m in _VI_NUMBER_RE.finditer(text):
            if m.group("word")[0].islower() and _VI_VERB_BEFORE.search(text[max(0, m.start() - 14):m.start()]):
                continue  # "đại hội có thể quyết định 150 hoặc 170": a verb, not a document
            if not _overlaps(taken, m.start(), m.end()):
                add(_Mention(m.start(), m.end(), "number", doc_type=doc_type_of_word(m.group("word")) or "NQ",
                             number=int(m.group("num")), plural=bool(m.group("pl"))))
    if "zh" in langs:
        for rx in _ZH_PLENUM_RES:
            for m in rx.finditer(text):
                if _overlaps(taken, m.start(), m.end()) or not re.match(r"^.{0,12}?(?:决议|決議)", text[m.end():m.end() + 14]):
                    continue
                tail = re.match(r"\s{0,2}(?:的|通过的|通過的)?\s{0,2}(?:决议|決議)", text[m.end():m.end() + 10])
                end = m.end() + (len(tail.group(0)) if tail else 0)
                add(_Mention(m.start(), end, "plenum", doc_type="NQ", issuer_code="TW",
                             term=_number_value(m.group("term")), plenum=_number_value(m.group("nums"))))
        for m in _ZH_NUMBER_RE.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                n = _number_value(m.group("num"))
                if n:
                    add(_Mention(m.start(), m.end(), "number", doc_type=doc_type_of_word(m.group("word")) or "NQ", number=n))
        for i, rx in enumerate(_ZH_CONGRESS_RES):
            for m in rx.finditer(text):
                if _overlaps(taken, m.start(), m.end()):
                    continue
                n = _number_value(m.group("n"))
                if not n or (i == 0 and not m.group("pre") and "十" not in m.group("n")):
                    continue  # "三大任务" (three big tasks) is no congress
                after = re.split(r"[。；;！!？?\n]", text[m.end():m.end() + 60])[0]
                if not re.search(r"决议|決議", after):
                    continue  # a congress named as an event, not its resolution
                local = _ZH_LOCAL_BEFORE.search(text[max(0, m.start() - 10):m.start()])
                mm = _Mention(m.start(), m.end(), "congress", doc_type="NQ", issuer_code="ĐHĐB" if local else "ĐH",
                              term=n)
                if local and local.group("place"):
                    mm.notes.append(f"congress of the Party organization of '{local.group('place')}'")
                add(mm)
    if "ru" in langs:
        for m in _RU_PLENUM_RE.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                term = m.group("term") or m.group("termr")
                add(_Mention(m.start(), m.end(), "plenum", doc_type="NQ", issuer_code="TW",
                             term=_number_value(term) if term else None, plenum=int(m.group("nums"))))
        for m in _RU_CONGRESS_RE.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                n = _number_value(m.group("n") or m.group("nr"))
                if n:
                    add(_Mention(m.start(), m.end(), "congress", doc_type="NQ", issuer_code="ĐH", term=n))
        for m in _RU_NUMBER_RE.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                add(_Mention(m.start(), m.end(), "number", doc_type=doc_type_of_word(m.group("word")) or "NQ",
                             number=int(m.group("num"))))
    if "en" in langs:
        for rx in _EN_PLENUM_RES:
            for m in rx.finditer(text):
                if not _overlaps(taken, m.start(), m.end()):
                    term = m.groupdict().get("term") or m.groupdict().get("termr")
                    add(_Mention(m.start(), m.end(), "plenum", doc_type="NQ", issuer_code="TW",
                                 term=_number_value(term) if term else None, plenum=int(m.group("nums"))))
        for rx in _EN_CONGRESS_RES:
            for m in rx.finditer(text):
                if not _overlaps(taken, m.start(), m.end()):
                    add(_Mention(m.start(), m.end(), "congress", doc_type="NQ", issuer_code="ĐH",
                                 term=int(m.group("n"))))
        for m in _EN_NUMBER_RE.finditer(text):
            if _overlaps(taken, m.start(), m.end()):
                continue
            num = int(m.group("num"))
            if 1900 <= num <= 2100:
                continue  # "Resolution 2021" is a year
            add(_Mention(m.start(), m.end(), "number", doc_type=doc_type_of_word(m.group("word")) or "NQ", number=num))
    return out


# --------------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------------
def _find_regions(text: str, table: pd.DataFrame) -> list[str]:
    low = text.casefold()
    found = []
    for canon, aliases in zip(table["region"], table["region_aliases"]):
        if canon and canon not in found and any(a.casefold() in low for a in aliases):
            found.append(canon)
    return found


def extract_references(text: str, *, lang: str, published: dt.date | None = None,
                       table: pd.DataFrame | None = None, resolve: bool = True) -> pd.DataFrame:
    """Return one row per Party/state document mention in ``text`` (columns: :data:`MENTION_COLUMNS`).

    Parameters
    ----------
    text : str
        Article text (any of vi, zh, ru, en).
    lang : str
        Language of ``text``; the named-reference patterns of that language run (codes are found in every
        language). Another value runs the patterns of all four.
    published : datetime.date, optional
        Publication date of the text: a text cannot cite a document issued after it.
    table : pandas.DataFrame, optional
        Reference table (:func:`load_reference_table`); the shipped one by default.
    resolve : bool
        Map mentions to table rows (:func:`resolve_references`) and share a resolution between mentions of
        the same code in this text.

    Returns
    -------
    pandas.DataFrame
        Mentions in text order. ``issued`` is the date stated next to the mention (``issued_method="text"``)
        or, after resolution, the table's (``"reference_table"``).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    lang = base_language(lang)
    pub = to_date(published)
    tab = load_reference_table() if table is None else table
    mentions: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for code in find_codes(text):
        s, e = code.start, code.end
        s2, e2 = _extend_code_span(text, s, e)
        if _overlaps(taken, s2, e2):
            continue
        mm = _Mention(s2, e2, "code", doc_code=code.code, doc_type=code.doc_type, number=code.number,
                      issuer_code=code.issuer_code, code_as_written=code.as_written, notes=list(code.notes))
        word = doc_word_before(text, s)
        if word and word != code.doc_type and not code.notes:
            mm.notes.append(f"doc word says {word}, code says {code.doc_type}")
        pre = text[max(0, s2 - 8):s2].lower()
        mm.plural = bool(re.search(r"(?:các|những)\s+$", pre))
        mentions.append(mm)
        taken.append((s2, e2))
    mentions += _scan_named(text, lang, taken)
    mentions.sort(key=lambda m: (m.start, m.plenum or 0))

    sentences = sentence_spans(text, lang)
    spans = sorted({(m.start, m.end) for m in mentions})
    regions = _find_regions(text, tab)
    rows = []
    for m in mentions:
        s0, s1 = sentence_at(sentences, m.start) or (0, len(text))
        prev_end = max([e for s, e in spans if e <= m.start and e > s0] + [s0])
        next_start = min([s for s, e in spans if s >= m.end and s < s1] + [s1])
        tail = text[m.end:next_start][:160]
        head = text[prev_end:m.start]
        a = _parse_tail(tail)
        h = _parse_head(head, lang)
        notes = list(m.notes)
        issued, issued_method = None, None
        if a.issued or h.issued:
            d = a.issued or h.issued
            issued, issued_method = d.isoformat(), "text"
            notes += [] if a.issued else h.notes
            if pub and d > pub:
                notes.append("stated date is after the publication date")
        elif a.year:
            issued, issued_method = str(a.year), "text"
            notes.append("only the year is stated")
        issuer, issuer_method = a.issuer or h.issuer, None
        if m.kind == "congress":  # the congress itself issues its resolution
            issuer, issuer_method = ISSUER_CODES[m.issuer_code], "code"
        elif issuer:
            issuer_method = "text"
        term = m.term if m.term is not None else a.term
        plenum = m.plenum if m.plenum is not None else a.plenum
        if m.plural:
            notes.append("plural: names several documents")
        rows.append({
            "start": m.start, "end": m.end, "matched": text[m.start:m.end], "kind": m.kind,
            "doc_code": m.doc_code, "code_as_written": m.code_as_written, "doc_type": m.doc_type, "number": m.number,
            "issuer_code": m.issuer_code,
            "issuer": issuer, "issuer_method": issuer_method, "term": term, "plenum": plenum,
            "issued": issued, "issued_method": issued_method, "doc_id": None, "ambiguous": False,
            "candidates": [], "note": "; ".join(notes), "sentence": text[s0:s1].strip(),
            "context": text[prev_end:next_start], "lang": None if lang == "und" else lang,
            "published": pub.isoformat() if pub else None, "regions": list(regions),
        })
    df = _frame(rows)
    if resolve and len(df):
        df = resolve_references(df, tab)
        df = _propagate(df)
    return _finish(df)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    return df.astype({"start": "int64", "end": "int64", "ambiguous": "bool"}) if len(df) else df


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """Fill generic issuers from codes for what stayed unresolved; fix dtypes."""
    if not len(df):
        return _frame([])
    df = df.copy()
    for i in df.index:
        if not isinstance(df.at[i, "issuer"], str) and isinstance(df.at[i, "issuer_code"], str):
            name = ISSUER_CODES.get(df.at[i, "issuer_code"])
            if name:
                df.at[i, "issuer"], df.at[i, "issuer_method"] = name, "code"
    for col in ("number", "term", "plenum"):
        df[col] = pd.array([None if v is None or (isinstance(v, float) and v != v) else int(v) for v in df[col]],
                           dtype="Int64")
    df = df.astype(object).where(pd.notna(df), None)
    for col in ("number", "term", "plenum"):
        df[col] = df[col].astype("Int64")
    df[["start", "end"]] = df[["start", "end"]].astype("int64")
    df["ambiguous"] = df["ambiguous"].astype(bool)
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Reference table
# --------------------------------------------------------------------------------------------------
def load_reference_table(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Return the reference table of well-known documents (the shipped ``party_documents.csv`` by default).

    Lines starting with ``#`` are comments. Each row is validated; a malformed row raises
    :class:`ReferenceTableError` naming the file and line. Derived columns: ``number`` (from the code),
    ``issued_date`` (the day, when ``issued`` has day precision), ``region_aliases`` and ``keywords`` (lists).
    """
    if path is None:
        from ..core.paths import package_data
        path = package_data("analysis/party_documents.csv")
    p = Path(path)
    return _load_table(str(p.resolve()), p.stat().st_mtime_ns).copy()


@functools.lru_cache(maxsize=8)
def _load_table(path: str, _mtime: int) -> pd.DataFrame:
    def fail(line: int, msg: str):
        raise ReferenceTableError(f"{path}, line {line}: {msg}")

    with open(path, encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()
    header, rows, seen = None, [], {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader([line]))
        except csv.Error as exc:
            fail(lineno, f"unreadable CSV ({exc})")
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in REFERENCE_COLUMNS if c not in header]
            if missing:
                fail(lineno, f"header lacks column(s) {missing}")
            continue
        if len(cells) != len(header):
            fail(lineno, f"{len(cells)} fields, the header has {len(header)}")
        r = {k: v.strip() for k, v in zip(header, cells)}
        if not r["doc_id"]:
            fail(lineno, "empty doc_id")
        if r["doc_id"] in seen:
            fail(lineno, f"doc_id {r['doc_id']!r} already used on line {seen[r['doc_id']]}")
        seen[r["doc_id"]] = lineno
        if not r["source"]:
            fail(lineno, f"row {r['doc_id']!r} has no source")
        code, number = r["doc_code"] or None, None
        if code:
            norm = normalize_code(code)
            if norm != code:
                fail(lineno, f"doc_code {code!r} is not in normal form (normalize_code gives {norm!r})")
            found = find_codes(code)[0]
            number = found.number
            if found.doc_type != r["doc_type"]:
                fail(lineno, f"doc_type {r['doc_type']!r} does not match the code's {found.doc_type!r}")
            if found.issuer_code != r["issuer_code"]:
                fail(lineno, f"issuer_code {r['issuer_code']!r} does not match the code's {found.issuer_code!r}")
        if r["doc_type"] not in DOC_TYPES:
            fail(lineno, f"unknown doc_type {r['doc_type']!r}")
        if not r["issuer"] or not r["issuer_code"]:
            fail(lineno, "issuer and issuer_code are required")
        rng = None
        if r["issued"]:
            rng = iso_bounds(r["issued"])
            if rng is None:
                fail(lineno, f"issued {r['issued']!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")
        ints = {}
        for col in ("term", "plenum"):
            if r[col] and not (r[col].isdigit() and int(r[col]) > 0):
                fail(lineno, f"{col} {r[col]!r} is not a positive integer")
            ints[col] = int(r[col]) if r[col] else None
        aliases = [a.strip() for a in r["region"].split("|") if a.strip()]
        rows.append({
            "doc_id": r["doc_id"], "doc_code": code, "doc_type": r["doc_type"], "number": number,
            "issuer": r["issuer"], "issuer_code": r["issuer_code"], "issued": r["issued"] or None,
            "issued_date": rng[0] if rng and rng[0] == rng[1] else None,
            "issued_first": rng[0] if rng else None, "issued_last": rng[1] if rng else None,
            "term": ints["term"], "plenum": ints["plenum"], "region": aliases[0] if aliases else None,
            "region_aliases": aliases, "title_vi": r["title_vi"],
            "keywords": [k.strip() for k in r["keywords"].split("|") if k.strip()],
            "source": r["source"], "note": r["note"] or None, "line": lineno,
        })
    if header is None:
        raise ReferenceTableError(f"{path}, line 1: no header")
    df = pd.DataFrame(rows, dtype=object)
    df = df.where(df.notna(), None)  # None, not NaN, for missing text and dates
    for col in ("number", "term", "plenum", "line"):
        df[col] = pd.array([None if v is None else int(v) for v in df[col]], dtype="Int64")
    return df


# --------------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------------
def _resolve_one(row: dict, tab: pd.DataFrame) -> dict:
    kind = row["kind"]
    notes: list[str] = []
    if kind == "code":
        cand = tab[tab["doc_code"] == row["doc_code"]]
    elif kind == "number":
        cand = tab[(tab["doc_type"] == row["doc_type"]) & (tab["number"] == row["number"])]
    elif kind == "plenum":
        cand = tab[(tab["plenum"] == row["plenum"]) & tab["issuer_code"].isin(["TW", "HNTW"])]
        if none_if_missing(row["term"]) is not None:
            cand = cand[cand["term"] == row["term"]]
    elif kind == "congress":
        cand = tab[(tab["issuer_code"] == row["issuer_code"]) & (tab["term"] == row["term"])]
    else:
        cand = tab.iloc[0:0]
    # Hard filters: local rows need their province in the text; nothing cited is issued after the citing text.
    regions = set(row.get("regions") or [])
    local = cand["issuer_code"].isin(_LOCAL_ISSUERS) | cand["region"].notna()
    cand = cand[~local | cand["region"].isin(regions)]
    pub = to_date(row.get("published"))
    if pub is not None:
        later = cand["issued_first"].map(lambda d: d is not None and d > pub)
        if later.any():
            notes.append("excluded as issued after publication: " + ", ".join(cand.loc[later, "doc_id"]))
        cand = cand[~later]
    if not len(cand):
        return {"doc_id": None, "ambiguous": False, "candidates": [], "notes": notes + ["no matching row in reference table"]}
    # Soft filters, strongest first; each applies only if something remains.
    stated = none_if_missing(row.get("issued")) if row.get("issued_method") == "text" else None
    if stated:
        rng = iso_bounds(stated)
        if rng:
            fits = cand.apply(lambda r: r["issued_first"] is not None and r["issued_first"] <= rng[1]
                              and r["issued_last"] >= rng[0], axis=1)
            unknown = cand["issued_first"].isna()
            if fits.any():
                if (~fits).any():
                    notes.append(f"decided by the stated date {stated}")
                cand = cand[fits]
            elif unknown.any():
                cand = cand[unknown]
                notes.append("table has no date for this document; stated date kept")
            else:
                return {"doc_id": None, "ambiguous": False, "candidates": [],
                        "notes": notes + [f"stated date {stated} fits none of {', '.join(cand['doc_id'])}: "
                                          "probably a document not in the reference table"]}
    cats = set()
    if row.get("issuer_method") == "text":
        for c in _issuer_cats(row.get("issuer")):
            cats |= _ISSUER_COMPAT.get(c, {c})
    if cats and len(cand) > 1:
        keep = cand["issuer"].map(lambda n: bool(_issuer_cats(n) & cats))
        if keep.any() and (~keep).any():
            cand = cand[keep]
            notes.append(f"decided by the stated issuer ({row.get('issuer')})")
    term = none_if_missing(row.get("term"))
    if term is not None and kind in ("code", "number") and len(cand) > 1:
        keep = cand["term"] == term
        if keep.any() and (~keep.fillna(False)).any():
            cand = cand[keep.fillna(False)]
            notes.append(f"decided by the stated term (khóa {term})")
    if row.get("note") and "plural" in str(row.get("note")) and len(cand) > 1:
        return {"doc_id": None, "ambiguous": True, "candidates": list(cand["doc_id"]), "notes": notes}
    if len(cand) > 1:
        ctx = (row.get("context") or "").casefold()
        scores = cand["keywords"].map(lambda kws: [k for k in kws if k.casefold() in ctx])
        best = scores.map(len)
        if best.max() > 0 and (best == best.max()).sum() == 1:
            winner = best.idxmax()
            notes.append("decided by subject words: " + ", ".join(repr(k) for k in scores[winner][:4]))
            cand = cand.loc[[winner]]
    if len(cand) > 1:
        return {"doc_id": None, "ambiguous": True, "candidates": list(cand["doc_id"]),
                "notes": notes + ["nothing near the mention decides between " + ", ".join(cand["doc_id"])]}
    hit = cand.iloc[0]
    if kind in ("plenum", "number"):
        same = tab[(tab["plenum"] == hit["plenum"]) & (tab["term"] == hit["term"])] if kind == "plenum" else cand
        if kind == "plenum" and len(same) == 1:
            notes.append("the only row of this plenum in the reference table")
        if kind == "number":
            notes.append("matched by number only (no issuer in the text)")
    return {"doc_id": hit["doc_id"], "ambiguous": False, "candidates": [], "notes": notes, "hit": hit}


def resolve_references(mentions: pd.DataFrame, table: pd.DataFrame | None = None, *,
                       group_by: str | None = None) -> pd.DataFrame:
    """Return ``mentions`` with table rows resolved: ``doc_id``, ``ambiguous``, ``candidates`` and what the
    text left out (``doc_code``, ``issuer``, ``issued``, ``term``, ``plenum``) filled from the table.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`extract_references` (``resolve=False``), or rows from several texts.
    table : pandas.DataFrame, optional
        Reference table; the shipped one by default.
    group_by : str, optional
        Column naming the citing text (e.g. ``doc_id`` of the article): within a group, a mention that stays
        ambiguous adopts the resolution of another mention of the same code.

    Returns
    -------
    pandas.DataFrame
        A new table; ``mentions`` is not modified.
    """
    tab = load_reference_table() if table is None else table
    out = mentions.copy()
    if not len(out):
        return out
    for col in ("doc_id", "candidates", "note", "issuer_method", "issued_method"):
        if col not in out.columns:
            out[col] = None
    out = out.astype({c: object for c in ("doc_id", "doc_code", "issuer", "issuer_method", "issued",
                                          "issued_method", "candidates", "note") if c in out.columns})
    for i in out.index:
        row = out.loc[i].to_dict()
        res = _resolve_one(row, tab)
        notes = [n for n in str(row.get("note") or "").split("; ") if n] + res["notes"]
        out.at[i, "doc_id"] = res["doc_id"]
        out.at[i, "ambiguous"] = bool(res["ambiguous"])
        out.at[i, "candidates"] = list(res["candidates"])
        hit = res.get("hit")
        if hit is not None:
            if none_if_missing(row.get("doc_code")) is None and none_if_missing(hit["doc_code"]):
                out.at[i, "doc_code"] = hit["doc_code"]
            if none_if_missing(row.get("number")) is None and none_if_missing(hit["number"]) is not None:
                out.at[i, "number"] = int(hit["number"])
            if row.get("issuer_method") != "text":
                out.at[i, "issuer"], out.at[i, "issuer_method"] = hit["issuer"], "reference_table"
            for col in ("term", "plenum"):
                if none_if_missing(row.get(col)) is None and none_if_missing(hit[col]) is not None:
                    out.at[i, col] = int(hit[col])
            stated = none_if_missing(row.get("issued")) if row.get("issued_method") == "text" else None
            if none_if_missing(hit["issued"]):
                if stated is None:
                    out.at[i, "issued"], out.at[i, "issued_method"] = hit["issued"], "reference_table"
                elif len(stated) < len(hit["issued"]) and hit["issued"].startswith(stated):
                    notes.append(f"text states {stated}; day from the reference table")
                    out.at[i, "issued"], out.at[i, "issued_method"] = hit["issued"], "reference_table"
                elif not hit["issued"].startswith(stated) and not stated.startswith(hit["issued"]):
                    notes.append(f"stated date {stated} differs from the table's {hit['issued']}")
        out.at[i, "note"] = "; ".join(dict.fromkeys(notes))
    if group_by:
        out = pd.concat([_propagate(g) for _, g in out.groupby(group_by, sort=False, dropna=False)]).loc[out.index]
    return out


def _propagate(df: pd.DataFrame) -> pd.DataFrame:
    """Within one text, let an undecided mention take the resolution of another mention of the same code."""
    df = df.copy()
    resolved = df[df["doc_id"].notna()]
    for i in df.index[df["doc_id"].isna() & df["ambiguous"]]:
        r = df.loc[i]
        if isinstance(r["note"], str) and "plural" in r["note"]:
            continue
        if r["kind"] == "code":
            same = resolved[resolved["doc_code"] == r["doc_code"]]
        elif r["kind"] == "number":
            same = resolved[(resolved["doc_type"] == r["doc_type"]) & (resolved["number"] == r["number"])]
        else:
            continue
        ids = set(same["doc_id"])
        if len(ids) == 1 and next(iter(ids)) in (r["candidates"] or []):
            src = same.iloc[0]
            df.at[i, "doc_id"] = src["doc_id"]
            df.at[i, "ambiguous"] = False
            df.at[i, "candidates"] = []
            for col in ("doc_code", "issuer", "issuer_method", "term", "plenum"):
                if none_if_missing(r[col]) is None or (col == "issuer" and r["issuer_method"] != "text"):
                    df.at[i, col] = src[col]
            if none_if_missing(r["issued"]) is None or r["issued_method"] != "text":
                df.at[i, "issued"], df.at[i, "issued_method"] = src["issued"], src["issued_method"]
            df.at[i, "note"] = "; ".join(n for n in [r["note"], "resolved as the same document as another mention "
                                                     f"of this code in the text (offset {src['start']})"] if n)
    return df
