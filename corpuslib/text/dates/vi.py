"""Vietnamese date rules: words, patterns and their converters.

``ngày 30 tháng 10 năm 2013``, ``Chiều nay (17/11)``, ``từ 19 đến 25-1-2026``, ``quý III/2018``,
``9 tháng đầu năm``, ``giai đoạn 2020-2025``, ``đến năm 2030``, ``hôm qua``, ``3 ngày trước``.
"""
from __future__ import annotations

import re

from .rules import (LINE_START, D, M, NAD, NOD, Y, Hit, norm, quarter, rule, set_duration, span_of_years_before, standalone,
                    year, year_range)

__all__ = ["PARTS_OF_DAY", "POD", "WEEKDAY_RX", "WEEKDAYS", "GATE", "FUTURE_CUE", "PAST_CUE", "RULES", "RELATIVE"]

PARTS_OF_DAY = {
    "rạng sáng": "morning", "sáng sớm": "morning", "sáng": "morning", "buổi sáng": "morning",
    "trưa": "noon", "buổi trưa": "noon", "chiều": "afternoon", "buổi chiều": "afternoon",
    "tối": "evening", "buổi tối": "evening", "chiều tối": "evening", "đêm": "night",
    "khuya": "night", "rạng": "morning",
}
POD = r"(?:rạng\s+sáng|sáng\s+sớm|chiều\s+tối|buổi\s+(?:sáng|trưa|chiều|tối)|sáng|trưa|chiều|tối|đêm|khuya)"
WEEKDAY_RX = r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật"
WEEKDAYS = {"thứ hai": 0, "thứ ba": 1, "thứ tư": 2, "thứ năm": 3, "thứ sáu": 4, "thứ bảy": 5,
            "thứ 2": 0, "thứ 3": 1, "thứ 4": 2, "thứ 5": 3, "thứ 6": 4, "thứ 7": 5, "chủ nhật": 6}
MONTH_WORDS = {"giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5,
               "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11,
               "mười hai": 12, "chạp": 12}
MON_WORD = r"(?:mười\s+một|mười\s+hai|mười|giêng|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|chạp)"
#: Every vi rule but the bare year range needs one of these words (speed gate).
GATE = re.compile(r"tháng|ngày|năm|quý|hôm|hết|từ|đến|sáng|trưa|chiều|tối|đêm|khuya", re.IGNORECASE)
#: Tense cues: the clause speaks of what is ahead / behind the article's date.
FUTURE_CUE = r"\bsẽ\b|sắp\s+tới|\bsắp\b|tới\s+đây|dự\s+kiến|kế\s+hoạch\s+tổ\s+chức"
PAST_CUE = r"\bđã\b|\bvừa\b|\bvừa\s+qua\b"


def _pod_of(word: str) -> str:
    return PARTS_OF_DAY.get(norm(word).replace("buổi ", ""), "")


def _month_of(word: str) -> int | None:
    return int(word) if word.isdigit() else MONTH_WORDS.get(norm(word))


def _dmy_words(m: re.Match, h: Hit) -> Hit | None:
    if m["m"].lower() == "năm":
        return None  # "9 tháng năm 2018" is "the nine months of 2018", not 9 May
    h.d, h.y, h.m = int(m["d"]), int(m["y"]), _month_of(m["m"])
    return h


def _mdy_words(m: re.Match, h: Hit) -> Hit:
    h.d, h.y, h.m = int(m["d"]), int(m["y"]), _month_of(m["m"])
    return h


def _dm(m: re.Match, h: Hit) -> Hit:
    h.d, h.m = int(m["d"]), int(m["m"])
    return h


def _dm_cue(m: re.Match, h: Hit) -> Hit | None:
    h.d, h.m = int(m["d"]), int(m["m"])
    cue, sep = m["cue"].lower(), m["sep"]
    if cue in ("từ", "đến") and sep != "/":
        return None          # "từ 5-10 triệu" is a count range
    if sep == "." and not re.search(r"nay|ngày|hôm|" + POD, cue):
        return None
    if sep in "-." and not cue.startswith(("ngày", "hôm")) and re.match(r"\s*[a-zà-ỹđ]", m.string[m.end():m.end() + 3]):
        return None          # "một tối qua 2-3 bãi taxi": a count, not 2 March
    pod = re.match(POD, cue)
    if pod:
        h.pod = _pod_of(pod.group(0))
    # the span starts at the cue only when it says something (part of day, "ngày")
    if cue in ("từ", "đến", "hết"):
        h.start = m.start("d") - (1 if m["par"] else 0)
    return h


def _dayrange(m: re.Match, h: Hit) -> Hit | None:
    h.kind = "range"
    h.d, h.d2, h.m = int(m["d1"]), int(m["d"]), int(m["m"])
    h.m2 = h.m
    h.y = h.y2 = int(m["y"]) if m["y"] else None
    return None if h.d >= h.d2 else h


def _month_year(m: re.Match, h: Hit) -> Hit:
    h.kind, h.y, h.m, h.d = "month", int(m["y"]), int(m["m"]), None
    return h


def _month(m: re.Match, h: Hit) -> Hit:
    h.kind, h.m, h.d = "month", int(m["m"]), None
    return h


def _period(m: re.Match, h: Hit) -> Hit | None:
    n = {"ba": 3, "sáu": 6, "chín": 9}.get(m["n"].lower()) or int(m["n"])
    pos = m["pos"].lower()
    if not 1 <= n <= 11 or (pos == "năm" and not m["y"]):
        return None
    h.kind = "range"
    h.months_period = (13 - n, 12) if pos.startswith("cuối") else (1, n)
    h.y = int(m["y"]) if m["y"] else None
    h.m, h.m2 = h.months_period
    return h






def _vi_year_range(m: re.Match, h: Hit) -> Hit | None:
    if not (m["cue"] or "").strip() and re.match(
            r"\s*(?:người|triệu|tỷ|tỉ|nghìn|ngàn|đồng|USD|km|ha|tấn|m2|%|lượt|học\s+sinh)",
            m.string[m.end():m.end() + 12], re.IGNORECASE):
        return None      # "2000 - 3000 người" is a count
    return year_range(m, h)




def _vi_year(m: re.Match, h: Hit) -> Hit:
    s = m.start()
    if int(m["y"]) % 10 == 0 and not m["cue"] and re.search(
            r"(?:những|các|thập\s+niên|thập\s+kỷ)\s*$", m.string[max(0, s - 14):s], re.IGNORECASE):
        h.kind, h.y, h.m, h.d = "range", int(m["y"]), 1, None
        h.y2, h.m2 = h.y + 9, 12     # "những năm 1950": the 1950s
        return h
    return year(m, h)


RULES = (
    rule("vi_dmy_words", rf"(?=[n\d])(?:ngày\s+)?{NOD}{D}\s+tháng\s+(?P<m>\d{{1,2}}|{MON_WORD})"
                         rf"(?:\s*,\s*|\s+)(?:năm\s+)?{Y}{NAD}", _dmy_words, 4),
    rule("vi_mdy_words", rf"tháng\s+(?P<m>{MON_WORD}|\d{{1,2}})\s+{D}\s*,\s*{Y}{NAD}", _mdy_words, 4),
    rule("vi_dm_words", rf"(?=[n\d])(?:ngày\s+)?{NOD}{D}\s+tháng\s+{M}(?![\d/.-])"
                        rf"(?!\s*(?:ngày|tuần|giờ|phút|năm\s+\d|lần))", _dm, 2),
    rule("vi_dm_cue", rf"(?=[rsbtcđkhn])(?P<cue>(?:{POD}|ngày|hôm|hết)(?:\s+(?:nay|qua|mai|ngày|hôm))?"
                      rf"|từ|đến)\s*(?P<par>\()?\s*{NOD}{D}(?P<sep>[/.-]){M}(?:\s*\))?(?![\d]|[/.-]\d)", _dm_cue, 2,
         doc_number=True),
    rule("vi_dayrange", rf"(?:từ\s+(?:ngày\s+)?|ngày\s+){NOD}(?P<d1>0?[1-9]|[12]\d|3[01])\s*(?:đến|tới|-|–)\s*"
                        rf"(?:(?:hết\s+)?ngày\s+)?{D}[/-]{M}(?:[/-]{Y})?{NAD}", _dayrange, 5),
    rule("vi_month_year", rf"tháng\s+{M}\s*(?:[/.-]\s*|\s+năm\s+){Y}{NAD}", _month_year, 3, doc_number=True),
    rule("vi_month", rf"(?<![\d]\s)tháng\s+{M}(?![\d/.-]|\s*(?:lần|đợt|buổi|kỳ|lượt|người|triệu|"
                     rf"tỷ|tỉ|%|ngày|tuần|năm\s+(?!\d)))", _month, 1),
    rule("vi_period", r"(?P<n>\d{1,2}|ba|sáu|chín)\s+tháng\s+(?P<pos>đầu\s+năm|cuối\s+năm|năm)"
                      rf"(?:\s+(?:{Y}))?{NAD}", _period, 3),
    rule("vi_quarter", rf"quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w])(?:\s*(?:[/-]\s*|\s+năm\s+){Y})?{NAD}", quarter, 3),
    rule("vi_year_range", rf"(?=[gntkcđ\d])(?P<cue>(?:giai\s+đoạn|nhiệm\s+kỳ|thời\s+kỳ|niên\s+khóa|kế\s+hoạch|"
                          rf"chiến\s+lược|năm|khóa)\s+)?(?:từ\s+)?(?:năm\s+)?{NOD}(?P<y1>(?:1[89]|20|21)\d\d)"
                          rf"\s*(?:[-–—]|đến|tới)\s*(?:năm\s+)?(?P<y2>(?:1[89]|20|21)\d\d){NAD}", _vi_year_range, 2,
         gate=None),
    rule("vi_year", rf"(?=[đtn])(?P<cue>(?:(?:đến|tới)\s+(?:hết\s+)?)|(?:tầm\s+nhìn\s+(?:đến\s+)?))?năm\s+{Y}"
                    rf"(?![\d]|\s*[-–]\s*\d)", _vi_year, 1),
)


# --------------------------------------------------------------------------- relative expressions

_REL_DAY = {"hôm nay": 0, "hôm qua": -1, "hôm kia": -2, "ngày mai": 1}
_NUMWORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_NUM = r"\d{1,4}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"
_UNIT = r"(?:năm|tháng|tuần|ngày|giờ|tiếng|phút|giây)(?![\w])"
_PART = rf"(?:{_NUM})\s+{_UNIT}"
_PARTS = rf"{_PART}(?:(?:\s+và\s+|\s+){_PART})*"
_PART_RX = re.compile(rf"(?P<n>{_NUM})\s+(?P<u>{_UNIT})", re.IGNORECASE)
_UNIT_OF = {"năm": "year", "tháng": "month", "tuần": "week", "ngày": "day", "giờ": "hour", "tiếng": "hour",
            "phút": "minute", "giây": "second"}
_APPROX = r"(?:(?:khoảng|gần|hơn|chừng|đúng)\s+)?"


def _parts(s: str) -> list[tuple[int, str]]:
    return [(int(p["n"]) if p["n"].isdigit() else _NUMWORDS[p["n"].lower()], _UNIT_OF[p["u"].lower()])
            for p in _PART_RX.finditer(s)]


def _rel_day(m: re.Match, h: Hit) -> Hit | None:
    h.kind = "relative"
    if m["vpod"]:
        s = m.start()
        if re.search(r"(?:một|mỗi|các|những|hai|ba|mấy)\s*$", m.string[max(0, s - 8):s], re.IGNORECASE):
            return None      # "một tối qua 2-3 bãi": "one evening passing ...", not last night
        h.rel_days = 0 if m["vrel"].lower() == "nay" else -1
        h.pod = _pod_of(m["vpod"])
    else:
        h.rel_days = _REL_DAY[norm(m["w"])]
    return h


def _rel_ago(m: re.Match, h: Hit) -> Hit | None:
    return set_duration(h, _parts(m["parts"] or m["parts2"]), -1)


def _rel_in(m: re.Match, h: Hit) -> Hit | None:
    s = m.start()
    if re.search(r"(?:thêm|còn|mất|trong)\s+$", m.string[max(0, s - 6):s], re.IGNORECASE):
        return None      # "thêm 2 ngày nữa", "còn 3 ngày nữa": more time, not a date
    return set_duration(h, _parts(m["parts"]), +1)


def _rel_stamp(m: re.Match, h: Hit) -> Hit | None:
    """A bare duration alone on its line ("2 giờ", "2 tuần 3 ngày"): a freshness stamp, so time ago."""
    h.start = m.start("parts")
    return set_duration(h, _parts(m["parts"]), -1) if standalone(m) else None


_REL_YEAR = {"năm nay": 0, "năm ngoái": -1, "năm tới": 1, "năm sau": 1}
_REL_SHIFT = {"trước": -1, "qua": -1, "rồi": -1, "này": 0, "nay": 0, "sau": 1, "tới": 1}


def _rel_year(m: re.Match, h: Hit) -> Hit | None:
    if span_of_years_before(m):
        return None
    h.kind, h.rel_years = "relative", _REL_YEAR[norm(m["w"])]
    return h


def _rel_period(m: re.Match, h: Hit) -> Hit | None:
    """"tuần trước" (last week: its Monday to Sunday), "tháng tới" (next month)."""
    if span_of_years_before(m):
        return None      # "2 tuần trước" is the duration rule's; "các tuần trước" no date
    shift = _REL_SHIFT[m["rel"].lower()]
    unit = m["u"].lower()
    h.kind, h.rel_unit = "relative", "week" if unit == "tuần" else "month"
    h.rel_delta = (0, shift, 0, 0, 0) if unit == "tháng" else (0, 0, 7 * shift, 0, 0)
    return h


_VI_WD = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5}


def _weekday(m: re.Match, h: Hit) -> Hit | None:
    """"sáng thứ Hai", "từ thứ Hai đến thứ Sáu", "ngày thứ Sáu", "vào thứ năm tuần trước".

    "thứ hai" is also an ordinal ("lần thứ hai", "Tu chính án thứ Tư", "ngày làm việc thứ ba"), so a
    weekday needs a time word before it ("ngày" only with the capital of a day name), a week
    after it, or a line of its own.
    """
    word, pre = m["wd"], (m["pre"] or "").lower()
    capital = word.split()[-1][:1].isupper()
    if not ((pre and (pre != "ngày" or capital)) or m["wk"] or standalone(m)):
        return None
    last = norm(word).split(" ")[-1]
    wd = 6 if last == "nhật" else _VI_WD.get(last)
    if wd is None:
        return None
    weeks = _REL_SHIFT[m["wk"].lower()] if m["wk"] else None
    h.kind, h.rel_weekday, h.cue = "relative", (wd, weeks), "satellite"
    return h


RELATIVE = (
    rule("vi_rel_day", rf"(?=[hnrsbtcđk])(?P<w>hôm\s+nay|hôm\s+qua|hôm\s+kia|ngày\s+mai|"
                       rf"(?P<vpod>{POD})\s+(?P<vrel>nay|qua)(?![\w]))(?![\w])", _rel_day, 1, gate=None),
    rule("vi_rel_ago", rf"(?=[\dmhbnstckgđMHBNSTCKGĐ])(?:cách\s+đây\s+{_APPROX}(?P<parts>{_PARTS})|{_APPROX}(?P<parts2>{_PARTS})\s+trước"
                       rf"(?:\s+đây)?(?!\s+(?!đây)\w))", _rel_ago,
         1, gate=None),
    rule("vi_rel_in", rf"(?=[\dmhbnstckgđMHBNSTCKGĐ])(?:sau\s+)?{_APPROX}(?P<parts>{_PARTS})\s+nữa(?![\w])", _rel_in, 0, gate=None),
    rule("vi_rel_stamp", LINE_START + rf"(?=[\dmhbnstcMHBNSTC])(?P<parts>{_PARTS})", _rel_stamp, 0, gate=None),
    rule("vi_rel_year", r"(?=n)(?P<w>năm\s+nay|năm\s+ngoái|năm\s+tới|năm\s+sau)(?![\w])", _rel_year, 1, gate=None),
    rule("vi_rel_period", r"(?<![\w])(?P<u>tuần|tháng)\s+(?P<rel>trước|qua|này|sau|tới)(?!\s+(?:đó|nữa|khi)\b)(?![\w])",
         _rel_period, 1, gate=None),
    rule("vi_weekday", r"(?=[vhstcđnTtCcVHSĐN])(?<![\w])(?:(?P<pre>(?i:vào|hôm|sáng|trưa|chiều|tối|đêm|từ|đến|tới|ngày|cuối|đầu))\s+)?"
                       r"(?P<wd>[Tt]hứ\s+(?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy|[2-7])|[Cc]hủ\s+[Nn]hật)(?![\w])"
                       r"(?:\s+tuần\s+(?P<wk>(?i:trước|qua|này|sau|tới)))?", _weekday, 1, 0, gate=None),
)
