"""Russian date rules: words, patterns and their converters.

``28 октября 2014 в 07:54``, ``13 янв. 2005 г.``, ``Авг 26, 2015``, ``двадцать первое февраля``,
``в третьем квартале 2018 года``, ``2021-2025 гг.``, ``до 2030 года``, ``вчера``, ``2 дня назад``.
"""
from __future__ import annotations

import re

from .rules import (LINE_START, D, NAD, NOD, Y, Hit, norm, quarter, rule, set_duration, span_of_years_before, standalone, year,
                    year2, year_range)

__all__ = ["PARTS_OF_DAY", "POD", "WEEKDAY_RX", "WEEKDAYS", "FUTURE_CUE", "PAST_CUE", "RULES", "RELATIVE",
           "month_of"]

PARTS_OF_DAY = {"утром": "morning", "днём": "afternoon", "днем": "afternoon", "вечером": "evening",
                "ночью": "night"}
POD = r"(?:утром|днём|днем|вечером|ночью)"
WEEKDAY_RX = (r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|воскресение|пнд|втр|срд|чтв|птн|сбт|вск|"
              r"пн|вт|ср|чт|пт|сб|вс")
WEEKDAYS = {"понедельник": 0, "вторник": 1, "среда": 2, "четверг": 3, "пятница": 4, "суббота": 5,
            "воскресенье": 6, "воскресение": 6, "пнд": 0, "втр": 1, "срд": 2, "чтв": 3, "птн": 4, "сбт": 5, "вск": 6,
            "пн": 0, "вт": 1, "ср": 2, "чт": 3, "пт": 4, "сб": 5, "вс": 6}
FUTURE_CUE = r"будет|будут|состоится|состоятся|планируется|планирует|предстоит|намечен\w*"
PAST_CUE = r"состоял[аио]?с[ья]|прош[её]л|прошл[аио]|был[аио]?\b"

_MONTH_PREFIX = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "ма": 5, "июн": 6, "июл": 7,
                 "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12}
# Each month alternation opens with a look-ahead at the letters a month can start with: the regex
# engine then rejects most positions at one character instead of trying twenty words (these rules
# were a quarter of ingest time).
MON = (r"(?=[яфмаисондЯФМАИСОНД])(?:(?:январ[яьеию]|феврал[яьеию]|март[аеу]?|апрел[яьеию]|ма[йяею]|июн[яьеию]|"
       r"июл[яьеию]|август[аеу]?|сентябр[яьеию]|октябр[яьеию]|ноябр[яьеию]|декабр[яьеию])(?![а-яё])|"
       r"(?:янв|фев|мар|апр|авг|сент|сен|окт|нояб|ноя|дек)(?![а-яё])\.?)")
_YEAR_WORD = r"(?:\s*(?:г(?:ода|оду|од)?(?![а-яё])\.?))?"


def month_of(word: str) -> int | None:
    """The month of a Russian month word or abbreviation (``января``, ``сент.``)."""
    w = word.lower().rstrip(".")
    if w[:3] in _MONTH_PREFIX:
        return _MONTH_PREFIX[w[:3]]
    if w[:2] == "ма":
        return 5
    return None


def _ordinals() -> dict[str, int]:
    """Russian ordinal day words (neuter nominative and genitive), 1-31."""
    units = {"первое": 1, "второе": 2, "третье": 3, "четвёртое": 4, "четвертое": 4, "пятое": 5,
             "шестое": 6, "седьмое": 7, "восьмое": 8, "девятое": 9}
    plain = dict(units)
    plain.update({"десятое": 10, "одиннадцатое": 11, "двенадцатое": 12, "тринадцатое": 13,
                  "четырнадцатое": 14, "пятнадцатое": 15, "шестнадцатое": 16,
                  "семнадцатое": 17, "восемнадцатое": 18, "девятнадцатое": 19,
                  "двадцатое": 20, "тридцатое": 30})
    out = dict(plain)
    for word, n in units.items():
        out[f"двадцать {word}"] = 20 + n
    out["тридцать первое"] = 31
    # genitive: "первого", "третьего"
    for word, n in list(out.items()):
        gen = re.sub(r"третье$", "третьего", word)
        gen = re.sub(r"ое$", "ого", gen)
        out[gen] = n
    return out


ORDINALS = _ordinals()
_ORD_RX = "(?:" + "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True)) + ")"
NUMWORDS = {"один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4,
            "пять": 5, "шесть": 6, "семь": 7, "десять": 10}
_QUARTER_WORDS = {"первом": 1, "втором": 2, "третьем": 3, "четвертом": 4, "четвёртом": 4}


def _dmy(m: re.Match, h: Hit) -> Hit:
    h.d = int(m["d"])
    h.y = int(m["y"]) if m["y"] else year2(m["yy"])
    h.m = month_of(m["mon"])
    return h


def _dm(m: re.Match, h: Hit) -> Hit:
    h.d, h.m = int(m["d"]), month_of(m["mon"])
    return h


def _ord_dm(m: re.Match, h: Hit) -> Hit:
    h.d, h.m = ORDINALS[norm(m["ord"])], month_of(m["mon"])
    return h


def _month_year(m: re.Match, h: Hit) -> Hit:
    h.kind, h.y, h.m, h.d = "month", int(m["y"]), month_of(m["mon"]), None
    return h


def _quarter(m: re.Match, h: Hit) -> Hit | None:
    return quarter(m, h, _QUARTER_WORDS)


def _year_range(m: re.Match, h: Hit) -> Hit | None:
    if m.group(0).startswith(("с", "С")) and "по" not in m.group(0):
        return None      # "с 2020 - 2025": the "с" wants a "по"
    return year_range(m, h)


RULES = (
    rule("ru_dmy", rf"{NOD}{D}\s*(?P<mon>{MON})\s*(?:,\s*)?(?:в\s+)?(?:{Y}|(?P<yy>\d{{2}})(?=\s+\d{{1,2}}:\d\d))"
                   rf"(?![\d]){_YEAR_WORD}", _dmy, 4),
    rule("ru_mdy", rf"(?P<mon>{MON})\s+{D},?\s+{Y}{NAD}", _dmy, 4),
    rule("ru_dm", rf"{NOD}{D}\s*(?P<mon>{MON})", _dm, 2),
    rule("ru_ord_dm", rf"(?=[пвтчшсдод])(?P<ord>{_ORD_RX})\s+(?P<mon>{MON})", _ord_dm, 2),
    rule("ru_month_year", rf"(?:в\s+)?(?P<mon>{MON})\s+{Y}{_YEAR_WORD}", _month_year, 3),
    rule("ru_quarter", r"(?=[IV1-4пвтчПВТЧ])(?P<q>IV|III|II|I|[1-4]|первом|втором|третьем|четв[её]ртом)(?:-?[мй])?"
                       rf"\s*квартал[еау]?(?:\s+{Y}\s*(?:г(?:ода|\.)?)?)?", _quarter, 3),
    rule("ru_year_range", rf"(?=[сС\d])(?:с\s+)?{NOD}(?P<y1>(?:1[89]|20|21)\d\d)\s*(?:[-–—]|по)\s*"
                          r"(?P<y2>(?:1[89]|20|21)\d\d)(?:\s*(?:гг\.?|год(?:ы|ах|ов|а)?))?(?![\d])", _year_range, 2),
    rule("ru_year", rf"(?=[дкнпДКНП\d])(?P<cue>(?:до|к|на|по)\s+)?{NOD}(?P<y>1\d\d\d|20\d\d|21\d\d)\s*"
                    r"(?:год(?:а|у|ом)?|г\.?)(?![а-яё\d])", year, 1),
    rule("ru_year_pre", rf"год\s*{Y}(?![\d])", year, 1),
)


# --------------------------------------------------------------------------- relative expressions

_REL_DAY = {"сегодня": 0, "вчера": -1, "позавчера": -2, "завтра": 1, "послезавтра": 2}
_REL_YEAR = {"в этом году": 0, "в прошлом году": -1, "в следующем году": 1}
_NUM = r"\d{1,4}|один|одну|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|пятнадцать|двадцать|тридцать"
NUMWORDS.update({"восемь": 8, "девять": 9, "пятнадцать": 15, "двадцать": 20, "тридцать": 30})
# one unit of a duration; a unit without a number is one ("час назад", "неделю назад")
_UNIT = (r"(?:год(?:а|у)?|лет|месяц(?:а|ев)?|недел(?:ю|и|я|ь)|д(?:ень|ня|ней)|час(?:а|ов)?|ч\.|"
         r"минут(?:у|ы|а)?|мин\.|секунд(?:у|ы)?|сек\.)(?![а-яё])")
_PART = rf"(?:(?:{_NUM})\s*)?{_UNIT}"
_PARTS = rf"{_PART}(?:(?:\s*,\s*|\s+и\s+|\s+){_PART})*"
_PART_RX = re.compile(rf"(?P<n>{_NUM})?\s*(?P<u>{_UNIT})", re.IGNORECASE)
_UNIT_OF = {"г": "year", "л": "year", "м": "month", "н": "week", "д": "day", "ч": "hour", "с": "second"}


def _unit(word: str) -> str:
    w = word.lower()
    if w.startswith("мин"):
        return "minute"
    return _UNIT_OF[w[0]]


def _count(n: str | None) -> int:
    return 1 if not n else (int(n) if n.isdigit() else NUMWORDS[n.lower()])


def _parts(s: str) -> list[tuple[int, str]]:
    return [(_count(p["n"]), _unit(p["u"])) for p in _PART_RX.finditer(s)]


def _rel_day(m: re.Match, h: Hit) -> Hit:
    h.kind, h.rel_days = "relative", _REL_DAY[norm(m["w"])]
    return h


def _rel_ago(m: re.Match, h: Hit) -> Hit | None:
    return set_duration(h, _parts(m["parts"]), -1)


def _rel_in(m: re.Match, h: Hit) -> Hit | None:
    return set_duration(h, _parts(m["parts"]), +1)


def _rel_stamp(m: re.Match, h: Hit) -> Hit | None:
    """A bare duration standing alone ("1 год 2 месяца", "2000 лет"): a freshness stamp, so time ago.

    A lone "<year> год" is the year itself (ru_year, higher priority); a lone day or month unit
    without a number is left alone.
    """
    h.start = m.start("parts")
    parts = _parts(m["parts"])
    if not standalone(m) or not parts or not re.match(r"\s*(?:\d|один|одну|два|две|три|четыре|пять)", m["parts"]):
        return None
    return set_duration(h, parts, -1)


def _rel_year(m: re.Match, h: Hit) -> Hit | None:
    if span_of_years_before(m):
        return None
    h.kind, h.rel_years = "relative", _REL_YEAR[norm(m["w"])]
    return h


RELATIVE = (
    rule("ru_rel_day", r"(?=[впзс])(?P<w>сегодня|вчера|позавчера|завтра|послезавтра)(?![\w])", _rel_day, 1, gate=None),
    rule("ru_rel_ago", rf"(?=[\dодтчпшсвглмнОДТЧПШСВГЛМН])(?:(?:около|примерно|почти)\s+)?(?P<parts>{_PARTS})\s*назад(?![а-яё])", _rel_ago, 1,
         gate="ru"),
    rule("ru_rel_in", rf"(?=[чсЧС])(?:через|спустя)\s+(?:(?:около|примерно)\s+)?(?P<parts>{_PARTS})", _rel_in, 0, gate="ru"),
    rule("ru_rel_stamp", LINE_START + rf"(?=[\dодтчпшсвглмнОДТЧПШСВГЛМН])(?P<parts>{_PARTS})", _rel_stamp, 0, gate="ru"),
    rule("ru_rel_year", r"(?=в)(?P<w>в\s+этом\s+году|в\s+прошлом\s+году|в\s+следующем\s+году)(?![\w])", _rel_year, 1,
         gate=None),
)
