"""Document codes: find and normalize Party and state codes (``18-NQ/TW``, ``178/2024/NĐ-CP``), once.

Tokens keep a code as one token and references resolve it to a document: both read codes with
:func:`find_codes`, so the same text gives the same codes in both.

Each :class:`Code` keeps the form **as written** (``as_written``, exactly the text at
``[start, end)``) beside the **canonical** one (``code``), and says in ``notes`` what was changed
to get from one to the other. The canonical form:

- Party codes ``NN-TYPE/ISSUER``: the number with at least two digits (``4-NQ/TW`` is ``04-NQ/TW``,
  the Party's own spelling); spaces and dash variants dropped (``39 - NQ/TW``, ``18–NQ/TW``);
  full-width forms folded (``１８－ＮＱ／ＴＷ``); ``TƯ`` is ``TW``; the type and issuer in their
  usual spelling (``QD`` is ``QĐ`` in ASCII-folded web text, ``nq/tw`` typed in lower case is
  ``NQ/TW``); letters typed on a Russian keyboard read as the Latin letter they look like
  (``18-NQ/ТW`` with Cyrillic Т), else as the one they sound like (``НQ``: Cyrillic Н for N,
  ``ТУ`` for TU); a Party code typed the state way is turned round (``68/NQ-TW``), and so is one
  with a dash for its slash (``18-NQ-TW``).
- A type that is a known typo is **corrected**, with a note: ``67-NG/TU`` (seed 004) is
  ``67-NQ/TU`` and ``as_written`` stays ``67-NG/TU``; so is a type one letter away from the
  document word before it (``Nghị quyết số 12-NX/TW``).
- State codes ``NN[/YYYY]/TYPE-ISSUER``: ``178/2024/NĐ-CP``, ``1847/QĐ-TTg``; laws
  ``37/2014/QH13``; official letters that name no type (``1289/VPCP-NC``: issuer and unit,
  ``doc_type`` None).

Not codes: dates and ranges (``30/10/2013``, ``2020-2025``, ``quý III/2018``), ratios
(``24-hour/day``), phone numbers, a Party-shaped code without a known type (``5 Ha/Noi``), codes
written all in Cyrillic (``131-ФЗ/РФ``: a Russian abbreviation, not a Vietnamese code).
"""
from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from .numerals import WIDTH_FOLD

__all__ = ["DOC_TYPES", "ISSUER_CODES", "PARTY_ISSUERS", "Code", "find_codes", "normalize_code",
           "doc_type_of_word", "doc_word_before", "DOC_WORD_BEFORE"]

#: Document types (code part before the slash) and what they are.
DOC_TYPES: dict[str, str] = {
    "NQ": "nghị quyết / resolution", "KL": "kết luận / conclusion", "TB": "thông báo / notice",
    "CT": "chỉ thị / directive", "QĐ": "quyết định, quy định / decision, regulation",
    "QĐi": "quy định (older spelling) / regulation", "QĐNS": "quyết định nhân sự / personnel decision",
    "HD": "hướng dẫn / guide", "QC": "quy chế / statute", "CV": "công văn / official letter",
    "BC": "báo cáo / report", "KH": "kế hoạch / plan", "ĐA": "đề án / project",
    "CTr": "chương trình / programme", "TTr": "tờ trình / submission", "NĐ": "nghị định / decree",
    "TT": "thông tư / circular", "CĐ": "công điện / dispatch", "NQLT": "nghị quyết liên tịch / joint resolution",
    "TTLT": "thông tư liên tịch / joint circular", "L": "luật / law",
}

#: Issuer codes and a readable (generic) name; Party central documents all carry ``/TW`` whatever organ
#: (Central Committee, Politburo, Secretariat) issued them.
ISSUER_CODES: dict[str, str] = {
    "TW": "Trung ương Đảng", "HNTW": "Hội nghị Trung ương", "TU": "Tỉnh ủy / Thành ủy", "ThU": "Thành ủy",
    "HU": "Huyện ủy", "QU": "Quận ủy", "ĐU": "Đảng ủy", "ĐUK": "Đảng ủy Khối", "BTCTW": "Ban Tổ chức Trung ương",
    "VPTW": "Văn phòng Trung ương Đảng", "UBKTTW": "Ủy ban Kiểm tra Trung ương", "BTGTW": "Ban Tuyên giáo Trung ương",
    "BCSĐ": "Ban cán sự đảng", "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ",
    "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội", "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân",
    "BNV": "Bộ Nội vụ", "ĐH": "Đại hội đại biểu toàn quốc", "ĐHĐB": "Đại hội đại biểu Đảng bộ",
}

#: Issuers of Party documents (a code with one of these is a Party code, whatever its separators).
PARTY_ISSUERS = frozenset({"TW", "HNTW", "TU", "ThU", "HU", "QU", "ĐU", "ĐUK", "BTCTW", "VPTW", "UBKTTW", "BTGTW",
                           "BCSĐ"})

# Typos seen in print (seed 004: "67-NG/TU"); the note records the correction.
_TYPE_TYPOS = {"NG": "NQ", "NO": "NQ"}
# Codes typed without the Vietnamese Đ (ASCII-folded web text).
_ASCII_D = {"QD": "QĐ", "QDNS": "QĐNS", "QDI": "QĐi", "DA": "ĐA", "ND": "NĐ", "DU": "ĐU", "DUK": "ĐUK",
            "HDND": "HĐND", "BCSD": "BCSĐ", "DH": "ĐH", "DHDB": "ĐHĐB"}
_TYPES_UPPER = {t.upper(): t for t in DOC_TYPES} | {k: v for k, v in _ASCII_D.items() if v in DOC_TYPES}
_ISSUERS_UPPER = {i.upper(): i for i in ISSUER_CODES} | {k: v for k, v in _ASCII_D.items() if v in ISSUER_CODES}

# Letters a code may be typed with, and the Latin letters each may stand for: look-alike first, then
# the sound (Cyrillic Н looks like H and sounds N). "Ư" is the Vietnamese spelling of W in "TƯ".
_READINGS: dict[str, str] = {
    "А": "A", "В": "BV", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "HN", "О": "O", "Р": "PR", "С": "CS",
    "Т": "T", "Х": "XH", "У": "YU", "Д": "D", "Л": "L", "І": "I", "Ӏ": "I", "Ј": "J", "Ѕ": "S",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ð": "Đ", "Ɖ": "Đ", "Ư": "W",
}
_LATIN = re.compile("[A-Za-zĐđ]")

_L = "A-Za-zĐđƯư\u0400-\u04ff\u0391-\u03c9ÐðƉɖ"   # letters of a code part, before reading
_SP = "[ \t\u00a0\u202f]"
_NUM = r"(?P<num>\d(?<![\dA-Za-zĐđ./\-]\d)\d{0,4})"  # look-behind after the first digit: scans faster
# Party style: number, dash, type, slash, issuer ("18-NQ/TW", "39 - NQ/TW", "18-NQ-TW", "18NQ/TW").
_PARTY_RE = re.compile(
    _NUM + rf"(?P<sep1>{_SP}{{0,2}}-{_SP}{{0,2}}|{_SP}{{1,2}}|)(?P<type>[{_L}]{{1,5}})"
    rf"(?P<sep2>{_SP}{{0,2}}/{_SP}{{0,2}}|-)(?P<iss>[{_L}]{{1,8}}\d{{0,2}})(?![\d{_L}/\-])")
# State style: number[/year]/type-issuer[-unit] ("178/2024/NĐ-CP", "1289/VPCP-NC"), laws ("37/2014/QH13").
_STATE_RE = re.compile(
    _NUM + r"(?:/(?P<year>(?:19|20)\d\d))?/"
    r"(?:(?P<type>[A-ZĐ][A-ZĐa-zđ]{0,5})-(?P<iss>[A-ZĐ][A-Za-zĐđ]{0,9}\d{0,2}(?:-[A-ZĐ][A-Za-zĐđ]{0,7})?)"
    r"|(?P<law>(?:UBTV)?QH\d{1,2}))(?![\dA-Za-zĐđƯư/])")
# Every code has a digit followed by a dash or slash (after optional spaces) or by a letter: the full
# patterns run only where this one matches.
_HINT = re.compile(rf"\d(?:{_SP}{{0,2}}[-/]|{_SP}{{0,2}}[A-ZĐ])")
_ODD_WIDTH = re.compile("[" + "".join(map(chr, WIDTH_FOLD)) + "]")

# Document words before a code, in the four languages, and the type each names.
_WORD_TYPES = [
    (r"nghị\s+quyết|nghị\s+quyêt|resolution|постановлени\w*|резолюци\w*|决议|決議", "NQ"),
    (r"kết\s+luận|conclusion|заключени\w*|结论|結論", "KL"),
    (r"chỉ\s+thị|directive|директив\w*|指示", "CT"),
    (r"thông\s+báo|notice|announcement|уведомлени\w*|извещени\w*|通知|通报|通報", "TB"),
    (r"quyết\s+định|quy\s+định|decision|regulation|решени\w*|положени\w*|决定|決定|规定|規定", "QĐ"),
    (r"hướng\s+dẫn|guidance|instruction|инструкци\w*|指导|指導|指南", "HD"),
    (r"nghị\s+định|decree|указ\w*|议定|議定", "NĐ"),
    (r"thông\s+tư|circular|циркуляр\w*", "TT"),
    (r"luật|law|закон\w*|法律", "L"),
    (r"công\s+văn", "CV"), (r"kế\s+hoạch", "KH"), (r"đề\s+án", "ĐA"), (r"báo\s+cáo", "BC"),
    (r"chương\s+trình(?:\s+hành\s+động)?", "CTr"),
]
_WORD_TYPE_RES = [(re.compile(p, re.I), t) for p, t in _WORD_TYPES]
#: A document word (and ``số`` / ``No.`` / ``№`` / ``第``) ending right before a code; group ``word``.
DOC_WORD_BEFORE = re.compile(
    r"(?:(?:các|những)\s+)?(?P<word>" + "|".join(p for p, _ in _WORD_TYPES) + r")s?\s{0,2}"
    r"(?:số\s{0,2}:?\s{0,2}|No\.?\s{0,2}|№\s{0,2}|N\s)?(?:第\s{0,2})?$", re.I)


@dataclass(frozen=True)
class Code:
    """A document code found in a text.

    Attributes
    ----------
    start, end : int
        Offsets of the code in the text; ``text[start:end] == as_written``.
    as_written : str
        The code exactly as the text writes it (``67-NG/TU``, ``39 - NQ/TW``).
    code : str
        The canonical code (``67-NQ/TU``, ``39-NQ/TW``; module notes).
    doc_type : str or None
        Type part (:data:`DOC_TYPES`); None for official letters that name none.
    number : int
    issuer_code : str
        Issuer part (``TW``, ``TU``, ``CP``, ``QH`` ...).
    notes : tuple of str
        What was read or corrected to get ``code`` from ``as_written`` (a typo, look-alike letters).
    """

    start: int
    end: int
    as_written: str
    code: str
    doc_type: str | None
    number: int
    issuer_code: str
    notes: tuple[str, ...] = field(default=())


def doc_type_of_word(word: str) -> str | None:
    """Return the document type a document word names (``nghị quyết``, ``決議``, ``Постановления`` -> ``NQ``)."""
    word = word.strip()
    return next((t for rx, t in _WORD_TYPE_RES if rx.fullmatch(word)), None)


def doc_word_before(text: str, start: int) -> str | None:
    """Return the document type named by the word right before ``start`` (``Nghị quyết số`` -> ``NQ``)."""
    m = DOC_WORD_BEFORE.search(text[max(0, start - 40):start])
    return doc_type_of_word(m.group("word")) if m else None


def _readings(part: str) -> list[str]:
    """The Latin spellings a code part may stand for (look-alike reading first), upper case."""
    options = []
    for ch in part.upper():
        if "A" <= ch <= "Z" or ch == "Đ":
            options.append(ch)
        elif ch in _READINGS:
            options.append(_READINGS[ch])
        else:
            return []
    return ["".join(p) for p in itertools.islice(itertools.product(*options), 64)]


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one substitution, insertion or deletion."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _read_parts(typ: str, iss: str) -> tuple[str | None, str | None]:
    """Return (known type, issuer) for the first reading with a known type, preferring a known issuer."""
    types, issuers = _readings(typ), _readings(iss.rstrip("0123456789"))
    digits = iss[len(iss.rstrip("0123456789")):]
    first = None
    for t, i in itertools.product(types, issuers):
        if t in _TYPES_UPPER:
            if i + digits in _ISSUERS_UPPER:
                return _TYPES_UPPER[t], _ISSUERS_UPPER[i + digits]
            first = first or (_TYPES_UPPER[t], i + digits)
    return first if first else (None, (issuers[0] + digits) if issuers else None)


def _party(m: re.Match, text: str, raw: str) -> Code | None:
    typ, iss, sep1, sep2 = m.group("type"), m.group("iss"), m.group("sep1"), m.group("sep2")
    if not _LATIN.search(typ + iss):
        return None  # all Cyrillic: a Russian abbreviation
    notes: list[str] = []
    doc_type, issuer = _read_parts(typ, iss)
    # mixed case only as the usual spelling (ThU, QĐi, CTr); lower case only for known type and issuer
    cased = typ + iss == (typ + iss).upper() or (typ in DOC_TYPES and iss in ISSUER_CODES)
    if doc_type is None:
        if not cased or issuer is None:
            return None
        t0 = _readings(typ)[0] if _readings(typ) else typ
        word = doc_word_before(text, m.start())
        fixed = _TYPE_TYPOS.get(t0)
        if fixed is None and word and len(t0) <= 3 and _edit1(t0, word.upper()):
            fixed = word
        if fixed is None:
            return None  # e.g. "5 Ha/Noi": not a code without a known type
        notes.append(f"type '{typ}' corrected to '{fixed}' (typo)")
        doc_type = fixed
    elif not cased and issuer not in ISSUER_CODES:
        return None
    elif doc_type != typ and (_readings(typ) or [""])[0] != doc_type.upper() or not cased and doc_type != typ:
        notes.append(f"type '{typ}' read as '{doc_type}'")
    if "-" not in sep1 and typ not in DOC_TYPES:
        return None  # "18 NQ/TW" and "18NQ/TW" only in the usual spelling
    if "Ư" in iss.upper():
        notes.append("'TƯ' read as 'TW'")
    elif (_readings(iss) or [""])[0] != issuer.upper() or not cased and issuer != iss:
        notes.append(f"issuer '{iss}' read as '{issuer}'")
    if sep2 == "-":
        if issuer not in PARTY_ISSUERS:
            return None
        notes.append("typed with '-' instead of '/'")
    number = int(m.group("num"))
    return Code(m.start(), m.end(), raw, f"{number:02d}-{doc_type}/{issuer}", doc_type, number, issuer,
                tuple(notes))


def _state(m: re.Match, text: str, raw: str) -> Code | None:
    number, year = int(m.group("num")), m.group("year")
    if m.group("law"):
        issuer = "UBTVQH" if m.group("law").startswith("UBTV") else "QH"
        return Code(m.start(), m.end(), raw, f"{number:02d}/{year + '/' if year else ''}{m.group('law')}",
                    doc_word_before(text, m.start()), number, issuer, ())
    typ, iss = m.group("type"), m.group("iss")
    doc_type = _TYPES_UPPER.get(typ.upper()) if typ.upper() == typ or typ in DOC_TYPES else None
    head = iss.split("-")[0]
    issuer = _ISSUERS_UPPER.get(head.upper(), head)
    notes = []
    if doc_type and year is None and issuer in PARTY_ISSUERS:
        return Code(m.start(), m.end(), raw, f"{number:02d}-{doc_type}/{issuer}", doc_type, number, issuer,
                    ("Party code typed with state-style separators",))
    if doc_type is None:
        notes.append("no document type in the code (official-letter style)")
        body = f"{typ}-{iss}"
    else:
        if doc_type != typ:
            notes.append(f"type '{typ}' read as '{doc_type}'")
        body = f"{doc_type}-{issuer}{iss[len(head):]}"
    code = f"{number:02d}/{year}/{body}" if year else f"{number:02d}/{body}"
    return Code(m.start(), m.end(), raw, code, doc_type, number, issuer if doc_type else typ, tuple(notes))


def find_codes(text: str) -> list[Code]:
    """Return every document code in ``text``, in text order (module notes: what is and is not a code).

    Parameters
    ----------
    text : str
        Any text, in NFC (offsets refer to it).

    Returns
    -------
    list of Code
        Non-overlapping, sorted by ``start``.
    """
    if not isinstance(text, str) or not text:
        return []
    shadow = _ODD_WIDTH.sub(lambda c: WIDTH_FOLD[ord(c.group())], text) if _ODD_WIDTH.search(text) else text
    if "/" not in shadow and "-" not in shadow:
        return []
    out: list[Code] = []
    end = 0
    for hint in _HINT.finditer(shadow):
        if hint.start() < end:
            continue
        start = hint.start()
        while start > end and shadow[start - 1].isdecimal() and hint.start() - start < 6:
            start -= 1
        for rx, read in ((_STATE_RE, _state), (_PARTY_RE, _party)):
            m = rx.match(shadow, start)
            if m is None:
                continue
            code = read(m, text, text[m.start():m.end()])
            if code is not None:
                out.append(dataclasses.replace(code, notes=code.notes + _lookalike_note(code.as_written)))
                end = m.end()
                break
    return out


def _lookalike_note(raw: str) -> tuple[str, ...]:
    # "Ư" is the usual spelling of "TƯ", full-width forms and dashes are typography: not look-alikes
    odd = sorted({c for c in raw if c.upper() in _READINGS and c not in "Ưư" or c in "ðɖ"})
    if not odd:
        return ()
    return ("look-alike characters normalized: " + ", ".join(f"U+{ord(c):04X} {c}" for c in odd),)


def normalize_code(raw: str) -> str | None:
    """Return the canonical spelling of the first document code in ``raw``, or None when there is none.

    ``"39 - NQ/TW"`` -> ``"39-NQ/TW"``; look-alike and full-width letters -> Latin (``"18-NQ/ТW"``);
    ``"NQ/TƯ"`` -> ``"NQ/TW"``; known typos (``"67-NG/TU"`` -> ``"67-NQ/TU"``); numbers below 10 padded
    to two digits (``"4-NQ/TW"`` -> ``"04-NQ/TW"``); codes inside a frame (``"第39-NQ/TW号决议"``) are
    found; state codes keep their form (``"178/2024/NĐ-CP"``). See :func:`find_codes`.
    """
    if not isinstance(raw, str) or not raw:
        return None
    found = find_codes(unicodedata.normalize("NFC", raw))
    return found[0].code if found else None
