"""Numerals and width folding: Roman and Chinese numerals, full-width forms, written once.

Dates (``二〇二三年十二月``), document references (``khóa XIII``, ``十三大``, ``第１８号``) and the
timeline (``Đại hội XIV`` is ``Đại hội 14``) read numbers with these functions, so a numeral has one
value everywhere.
"""
from __future__ import annotations

import re

__all__ = ["FULLWIDTH_ASCII", "WIDTH_FOLD", "fold_width", "roman_to_int", "int_to_roman", "chinese_numeral_to_int",
           "parse_small_number"]


#: Full-width ASCII (U+FF01..U+FF5E) to ASCII. Stages that fold only some of it (digits and ``/ -``
#: in tokens) select from this map.
FULLWIDTH_ASCII: dict[int, str] = {i: chr(i - 0xFEE0) for i in range(0xFF01, 0xFF5F)}


def _width_table() -> dict[int, str]:
    table = dict(FULLWIDTH_ASCII)
    table.update({ord(ch): "-" for ch in "‐‑‒–—―−﹣"})
    table.update({ord(ch): "/" for ch in "⁄∕"})
    table[0x3000] = " "  # ideographic space
    return table


#: ``str.translate`` table: full-width ASCII to ASCII, dash and slash variants to ``-`` and ``/``,
#: the ideographic space to a space. One character to one character, so offsets are kept.
WIDTH_FOLD: dict[int, str] = _width_table()


def fold_width(text: str) -> str:
    """Return ``text`` with full-width ASCII, dash and slash variants folded (:data:`WIDTH_FOLD`).

    The result has the same length as ``text``: an offset in one is an offset in the other.
    """
    return text.translate(WIDTH_FOLD)


# Cyrillic and Greek capitals that look like Roman-numeral letters (a Russian keyboard: "ХIV").
_ROMAN_LOOKALIKES = str.maketrans("ХхІіМмСсΙΧΜ", "XxIiMmCcIXM")
_ROMAN_RE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_DIGITS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman_to_int(s: str) -> int | None:
    """Return the value of a Roman numeral (``"XIII"`` -> 13), or None when ``s`` is not one.

    Cyrillic look-alike letters (``"ХIV"`` typed with Cyrillic Х) and full-width letters are read as
    Latin; lower case is accepted; non-canonical forms such as ``"IIII"`` are rejected.
    """
    if not isinstance(s, str):
        return None
    t = fold_width(s.strip()).translate(_ROMAN_LOOKALIKES).upper()
    if not t or not _ROMAN_RE.fullmatch(t):
        return None
    total = 0
    for i, ch in enumerate(t):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(t) and _ROMAN_VALUES[t[i + 1]] > v else v
    return total


def int_to_roman(n: int) -> str:
    """Return the Roman numeral of a positive integer (13 -> ``"XIII"``).

    Raises
    ------
    ValueError
        When ``n`` is not an integer from 1 to 3999.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 3999:
        raise ValueError(f"a Roman numeral needs an integer from 1 to 3999, not {n!r}")
    out = ""
    for v, s in _ROMAN_DIGITS:
        while n >= v:
            out, n = out + s, n - v
    return out


_ZH_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "三": 3,
              "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7,
              "八": 8, "捌": 8, "九": 9, "玖": 9}
_ZH_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_NUM_CHARS = frozenset(_ZH_DIGITS) | frozenset(_ZH_UNITS) | frozenset(_ZH_BIG)


def chinese_numeral_to_int(s: str) -> int | None:
    """Return the value of a Chinese numeral (``"十三"`` -> 13, ``"一百零五"`` -> 105), or None.

    Digit-by-digit numerals are read as such (``"二〇二三"`` -> 2023); strings of (full-width) decimal
    digits are read as numbers; anything else returns None.
    """
    if not isinstance(s, str):
        return None
    t = fold_width(s.strip())
    if not t:
        return None
    if t.isascii() and t.isdigit():
        return int(t)
    if any(ch not in _ZH_NUM_CHARS for ch in t):
        return None
    if all(ch in _ZH_DIGITS for ch in t) and len(t) > 1:  # digit by digit: 二〇二三
        return int("".join(str(_ZH_DIGITS[ch]) for ch in t))
    total = section = digit = 0
    seen_digit = False
    for ch in t:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
            seen_digit = True
        elif ch in _ZH_UNITS:
            section += (digit if seen_digit else 1) * _ZH_UNITS[ch]
            digit, seen_digit = 0, False
        else:  # 万 / 亿
            total += (section + digit) * _ZH_BIG[ch]
            section = digit = 0
            seen_digit = False
    return total + section + digit


def parse_small_number(s: str) -> int | None:
    """Return the value of an Arabic, Roman or Chinese numeral (``"14"``, ``"XIV"``, ``"十四"``), or None.

    Full-width digits are read as digits. Words (``"mười bốn"``, ``"четырнадцатый"``) are not numerals
    here: the stages that read them keep their own word lists.
    """
    r = roman_to_int(s)
    return r if r is not None else chinese_numeral_to_int(s)
