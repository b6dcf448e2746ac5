"""Chinese date rules: words, patterns and their converters.

``2023年12月12日``, ``二〇二三年十二月``, ``12月12日``, ``十二月 12, 2023`` (a Western month-day-year
in Chinese words, met in machine translations), ``第三季度``, ``2021—2025年``, ``到2030年``, ``昨天``.
"""
from __future__ import annotations

import re

from ..numerals import chinese_numeral_to_int
from .rules import NAD, Y, Hit, norm, quarter, rule, span_of_years_before, year, year_range

__all__ = ["PARTS_OF_DAY", "POD", "WEEKDAY_RX", "WEEKDAYS", "FUTURE_CUE", "PAST_CUE", "RULES", "RELATIVE"]

PARTS_OF_DAY = {
    "上午": "morning", "早上": "morning", "早晨": "morning", "清晨": "morning", "中午": "noon",
    "下午": "afternoon", "傍晚": "evening", "晚上": "evening", "晚间": "evening", "晚": "evening",
    "凌晨": "night", "夜间": "night", "深夜": "night",
}
POD = r"(?:上午|早上|早晨|清晨|中午|下午|傍晚|晚上|晚间|凌晨|夜间|深夜|晚)"
WEEKDAY_RX = r"(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]"
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
WEEKDAY_PREFIX = r"^(?:星期|礼拜|禮拜|周|週)"
FUTURE_CUE = r"将于|将在|即将|将|將|明天|下周|下週|明年"
PAST_CUE = r"已经|已於|已于|昨天|上周|上週|去年|曾"
NUM = r"(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"


def _ymd(m: re.Match, h: Hit) -> Hit:
    h.y = chinese_numeral_to_int(m["y"])
    h.m, h.d = chinese_numeral_to_int(m["m"]), chinese_numeral_to_int(m["d"])
    return h


def _md(m: re.Match, h: Hit) -> Hit:
    h.m, h.d = chinese_numeral_to_int(m["m"]), chinese_numeral_to_int(m["d"])
    return h


def _mdy_words(m: re.Match, h: Hit) -> Hit:
    h.d, h.y = int(m["d"]), int(m["y"])
    h.m = chinese_numeral_to_int(m["m"])
    return h


def _ym(m: re.Match, h: Hit) -> Hit:
    h.kind, h.y, h.m, h.d = "month", int(m["y"]), chinese_numeral_to_int(m["m"]), None
    return h


def _month(m: re.Match, h: Hit) -> Hit:
    h.kind, h.m, h.d = "month", chinese_numeral_to_int(m["m"]), None
    return h


RULES = (
    rule("zh_ymd", rf"(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*(?P<m>\d{{1,2}}|{NUM})\s*月\s*"
                   rf"(?P<d>[0-3]?\d|{NUM})(?:\s*[日号號])?", _ymd, 4, 0, doc_number=True),
    rule("zh_md", rf"(?<![\d年〇零一二三四五六七八九十])(?P<m>\d{{1,2}}|{NUM})\s*月\s*(?P<d>[0-3]?\d|{NUM})"
                  rf"\s*[日号號]", _md, 2, 0),
    rule("zh_mdy_words", rf"(?P<m>十[一二]?|[一二三四五六七八九])月\s*(?P<d>\d{{1,2}})\s*[,，]\s*{Y}{NAD}",
         _mdy_words, 4, 0),
    rule("zh_ym", rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}}|{NUM})\s*月份?", _ym, 3, 0),
    rule("zh_month", rf"(?<![\d年〇零一二三四五六七八九十个個])(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月份?"
                     rf"(?!\s*(?:\d|{NUM}\s*[日号]))", _month, 0, 0),
    rule("zh_quarter", r"(?:(?P<y>\d{4})\s*年\s*)?第\s*(?P<q>[一二三四1-4])\s*季度", quarter, 3, 0),
    rule("zh_year_range", r"(?P<y1>(?:1[89]|20|21)\d\d)\s*年?\s*(?:[-–—~～]|至|到)\s*(?P<y2>(?:1[89]|20|21)\d\d)\s*年",
         year_range, 2, 0),
    rule("zh_year", rf"(?P<cue>到|至|截至|截止|展望|直到)?\s*{Y}\s*年(?P<cue2>愿景|远景)?", year, 1, 0),
)


# --------------------------------------------------------------------------- relative expressions

_REL_DAY = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "后天": 2}
_REL_YEAR = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}


def _rel_day(m: re.Match, h: Hit) -> Hit:
    h.kind, h.rel_days = "relative", _REL_DAY[m["w"]]
    return h


def _rel_ago(m: re.Match, h: Hit) -> Hit:
    h.kind = "relative"
    h.rel_days = -int(m["n"]) * (7 if m["u"] == "周" else 1)
    return h


def _rel_year(m: re.Match, h: Hit) -> Hit | None:
    if span_of_years_before(m):
        return None
    h.kind, h.rel_years = "relative", _REL_YEAR[norm(m["w"])]
    return h


RELATIVE = (
    rule("zh_rel_day", r"(?P<w>今天|今日|昨天|昨日|前天|明天|后天)(?![\w])", _rel_day, 1, gate=None),
    rule("zh_rel_ago", r"(?P<n>\d{1,3})\s+(?P<u>天|日|周)\s*前", _rel_ago, 1, gate=None),
    rule("zh_rel_year", r"(?P<w>今年|去年|明年|前年)(?![\w])", _rel_year, 1, gate=None),
)
