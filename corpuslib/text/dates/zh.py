"""Chinese date rules: words, patterns and their converters.

``2023年12月12日``, ``二〇二三年十二月``, ``12月12日``, ``十二月 12, 2023`` (a Western month-day-year
in Chinese words, met in machine translations), ``第三季度``, ``2021—2025年``, ``到2030年``, ``昨天``.
"""
from __future__ import annotations

import re

from ..numerals import chinese_numeral_to_int
from .rules import LINE_START, NAD, Y, Hit, norm, quarter, rule, set_duration, span_of_years_before, standalone, year, year_range

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

_REL_DAY = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2, "後天": 2}
_REL_YEAR = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_CN = r"\d{1,4}|[零〇一二两兩三四五六七八九十百]+"
# units; 月 and 日 only after another unit ("1年，1月"), since "3月前" / "5日前" are "before March / the 5th"
_FIRST_UNIT = r"(?:年|(?:个|個)月|(?:个|個)?(?:星期|礼拜|禮拜)|周|週|天|(?:个|個)?(?:小时|小時|钟头|鐘頭)|分钟|分鐘|秒钟|秒鐘|秒)"
_NEXT_UNIT = r"(?:年|(?:个|個)?月|(?:个|個)?(?:星期|礼拜|禮拜)|周|週|天|日|(?:个|個)?(?:小时|小時|钟头|鐘頭)|分钟|分鐘|分|秒钟|秒鐘|秒)"
_PARTS = rf"(?:{_CN})\s*{_FIRST_UNIT}(?:\s*[，,、]?\s*(?:{_CN})\s*{_NEXT_UNIT})*"
_PART_RX = re.compile(rf"(?P<n>{_CN})\s*(?P<u>{_NEXT_UNIT})")


def _unit(u: str) -> str:
    u = u.lstrip("个個")
    if u == "年":
        return "year"
    if u == "月":
        return "month"
    if u in ("星期", "礼拜", "禮拜", "周", "週"):
        return "week"
    if u in ("天", "日"):
        return "day"
    if u[0] in "小钟鐘":
        return "hour"
    return "minute" if u[0] == "分" else "second"


def _parts(s: str) -> list[tuple[int, str]] | None:
    out = []
    for p in _PART_RX.finditer(s):
        n = int(p["n"]) if p["n"].isdigit() else chinese_numeral_to_int(p["n"])
        if n is None:
            return None
        out.append((n, _unit(p["u"])))
    if out and out[0][1] == "year" and out[0][0] >= 1000:
        return None      # "2020年前": before the year 2020, not 2020 years ago
    return out


def _rel_day(m: re.Match, h: Hit) -> Hit:
    h.kind, h.rel_days = "relative", _REL_DAY[m["w"]]
    return h


def _rel_shift(m: re.Match, h: Hit) -> Hit | None:
    parts = _parts(m["parts"])
    if not parts:
        return None
    return set_duration(h, parts, -1 if m["dir"] in ("前", "以前", "之前") else +1)


def _rel_stamp(m: re.Match, h: Hit) -> Hit | None:
    """A bare duration alone on its line ("1年2个月"): a freshness stamp, so time ago."""
    h.start = m.start("parts")
    parts = _parts(m["parts"])
    return set_duration(h, parts, -1) if parts and standalone(m) else None


def _rel_year(m: re.Match, h: Hit) -> Hit | None:
    if span_of_years_before(m):
        return None
    h.kind, h.rel_years = "relative", _REL_YEAR[norm(m["w"])]
    return h


_SHIFT = {"上": -1, "上个": -1, "上個": -1, "本": 0, "这": 0, "這": 0, "这个": 0, "這個": 0, "下": 1, "下个": 1, "下個": 1}


def _rel_period(m: re.Match, h: Hit) -> Hit:
    """"上周" (last week: Monday to Sunday), "下个月" (next month), "上周一" (last week's Monday)."""
    shift = _SHIFT[m["rel"]]
    h.kind = "relative"
    if m["wd"]:
        h.rel_weekday = (WEEKDAYS[m["wd"]], shift)
    elif m["u"] == "月":
        h.rel_unit, h.rel_delta = "month", (0, shift, 0, 0, 0)
    else:
        h.rel_unit, h.rel_delta = "week", (0, 0, 7 * shift, 0, 0)
    return h


def _weekday(m: re.Match, h: Hit) -> Hit:
    h.kind, h.rel_weekday, h.cue = "relative", (WEEKDAYS[m["wd"]], None), "satellite"
    return h


def _clock(m: re.Match, h: Hit) -> Hit | None:
    """"下午3:30", "凌晨3点": a time of the anchor's day."""
    hour, minute = int(m["H"]), int(m["M"] or m["M2"] or 0)
    pod = PARTS_OF_DAY[m["pod"]]
    if pod in ("afternoon", "evening") and hour < 12:
        hour += 12
    if hour > 23:
        return None
    h.kind, h.rel_days, h.cue = "relative", 0, "satellite"
    h.hour, h.minute, h.pod = hour, minute, pod
    return h


RELATIVE = (
    rule("zh_rel_day", r"(?P<w>今天|今日|昨天|昨日|前天|明天|明日|后天|後天)", _rel_day, 1, gate="zh"),
    rule("zh_rel_shift", rf"(?=[约大近\d零〇一二两兩三四五六七八九十百])(?:约|大约|大概|近)?\s*(?P<parts>{_PARTS})\s*(?P<dir>以前|之前|前|以后|以後|之后|之後|后|後)",
         _rel_shift, 1, 0, gate="zh"),
    rule("zh_rel_stamp", LINE_START + rf"(?=[\d零〇一二两兩三四五六七八九十百])(?P<parts>{_PARTS})", _rel_stamp, 0, 0, gate="zh"),
    rule("zh_rel_year", r"(?P<w>今年|去年|明年|前年)", _rel_year, 1, gate="zh"),
    rule("zh_rel_period", r"(?P<rel>上个|上個|这个|這個|下个|下個|上|本|这|這|下)(?:(?P<u>月)(?!份?\d)|"
                          r"(?:周|週|星期|礼拜|禮拜)(?:(?P<wd>[一二三四五六日天])(?!次)|(?![期年边邊围圍刊到转轉长長岁歲])))", _rel_period, 1, 0, gate="zh"),
    rule("zh_weekday", r"(?<![上本这這下个個\d一二三四五六七八九十两兩])(?:星期|礼拜|禮拜|周|週)(?P<wd>[一二三四五六日天])(?!次|[一二三四五六日天])",
         _weekday, 1, 0, gate="zh"),
    rule("zh_clock", rf"(?P<pod>{POD})\s*(?P<H>\d{{1,2}})\s*(?:[:：]\s*(?P<M>\d{{2}})|[点點时時](?:\s*(?P<M2>\d{{1,2}})\s*分?)?)",
         _clock, 1, 0, gate="zh"),
)
