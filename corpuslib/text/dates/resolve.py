"""Resolve what a text leaves open against the article's date: the year of a day-month, relative values.

A day and month without a year take the year that puts them **nearest the article's date**, unless
the clause says which way to look (as HeidelTime does for news): a future cue (vi ``sẽ``, ``dự
kiến``, ``sắp``, ``… tới``; zh ``将``, ``明天``, ``下周``; ru ``будет``, ``планируется``) puts the
month at or after the anchor's month, a past cue (``đã``, ``vừa``; ``已``; ``состоялся``) at or before
it.  The comparison is by month, as HeidelTime's: "đã … 25/1" in an article of 19 January stays in
the article's year.
"""
from __future__ import annotations

import calendar
import datetime
import re

from . import en, ru, vi, zh
from .rules import Hit, valid

__all__ = ["tense_at", "year_near", "relative_value"]

_FUTURE = re.compile("|".join(f"(?:{p})" for p in (vi.FUTURE_CUE, zh.FUTURE_CUE, ru.FUTURE_CUE, en.FUTURE_CUE)),
                     re.IGNORECASE)
_PAST = re.compile("|".join(f"(?:{p})" for p in (vi.PAST_CUE, zh.PAST_CUE, ru.PAST_CUE, en.PAST_CUE)),
                   re.IGNORECASE)
# right after the expression: "tháng 3 tới", "ngày 20/1 sắp tới" (ahead); "ngày 20/1 vừa qua" (behind)
_FUTURE_AFTER = re.compile(r"\s*(?:tới|sắp\s+tới)(?![\w])", re.IGNORECASE)
_PAST_AFTER = re.compile(r"\s*(?:vừa\s+qua|qua)(?![\w])", re.IGNORECASE)


_CLAUSE_SEP = re.compile(r"[,;:()，；：（）]")
# what may stand beside a fronted date in its own clause: "Vào sáng 20/1, ...", "Trước đó, ngày 2/1, ..."
_FRONT_FILLER = re.compile(r"^[\s\W]*(?:(?:vào|trong|từ|tới|đến|hôm|ngày|sáng|trưa|chiều|tối|đêm|nay|qua|mai|"
                           r"в|во|с|на|于|在|从)\s*)*[\s\W]*$", re.IGNORECASE)


def _clause(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause of the expression; a fronted date ("Sáng 20/1, Đại hội … khai mạc") takes the next one."""
    s0, s1 = sentence
    lo = max([m.end() for m in _CLAUSE_SEP.finditer(text, s0, start)], default=s0)
    nxt = _CLAUSE_SEP.search(text, end, s1)
    hi = nxt.start() if nxt else s1
    if nxt and _FRONT_FILLER.match(text[lo:start]) and _FRONT_FILLER.match(text[end:hi]):
        after = _CLAUSE_SEP.search(text, nxt.end(), s1)
        hi = after.start() if after else s1
    return lo, hi


def tense_at(text: str, sentence: tuple[int, int], start: int, end: int) -> str:
    """``future``, ``past`` or ``""``: the tense cue nearest the expression in its clause.

    The clause, not the sentence: in "… vừa được công bố, thời gian từ ngày 15/10 đến 15/11" the
    "vừa" is another verb's.  A date fronted in a clause of its own ("Sáng 20/1, …") takes the
    tense of the clause it introduces.
    """
    if _FUTURE_AFTER.match(text, end):
        return "future"
    if _PAST_AFTER.match(text, end):
        return "past"
    c0, c1 = _clause(text, sentence, start, end)
    best, tense = None, ""
    for rx, name in ((_FUTURE, "future"), (_PAST, "past")):
        for m in rx.finditer(text, c0, c1):
            if start <= m.start() < end:
                continue      # a cue inside the expression ("ngày mai") is the expression's own
            dist = start - m.end() if m.end() <= start else m.start() - end
            if best is None or dist < best:
                best, tense = dist, name
    return tense


def _months(h: Hit) -> tuple[int, int]:
    """First and last month of a yearless expression."""
    if h.months_period is not None:
        return h.months_period
    if h.kind == "quarter":
        return 3 * h.q - 2, 3 * h.q
    return h.m, h.m


def _interval(h: Hit, y: int) -> tuple[datetime.date, datetime.date] | None:
    a, b = _months(h)
    if h.kind == "day" or (h.kind == "range" and h.d2 is not None):
        if not valid(y, h.m, h.d):
            return None
        d2 = h.d2 if h.d2 is not None else h.d
        if not valid(y, h.m, d2):
            return None
        return datetime.date(y, h.m, h.d), datetime.date(y, h.m, d2)
    return datetime.date(y, a, 1), datetime.date(y, b, calendar.monthrange(y, b)[1])


def year_near(h: Hit, anchor: datetime.date, tense: str = "") -> int | None:
    """The year of a yearless day, month, quarter or period, given the anchor and the tense.

    No tense: the year whose date lies nearest the anchor (a tie goes to the earlier one).
    ``future``: the first year whose last month is not before the anchor's month; ``past``: the
    last year whose first month is not after it.
    """
    first, last = _months(h)
    here = (anchor.year, anchor.month)
    cands = [y for y in (anchor.year - 1, anchor.year, anchor.year + 1) if _interval(h, y) is not None]
    if not cands:   # 29 February: look further
        cands = [y for y in range(anchor.year - 4, anchor.year + 5) if _interval(h, y) is not None]
    if not cands:
        return None
    if tense == "future":
        ahead = [y for y in cands if (y, last) >= here]
        return min(ahead) if ahead else None
    if tense == "past":
        behind = [y for y in cands if (y, first) <= here]
        return max(behind) if behind else None

    def distance(y: int) -> tuple[int, int]:
        lo, hi = _interval(h, y)
        gap = 0 if lo <= anchor <= hi else min(abs((lo - anchor).days), abs((hi - anchor).days))
        return gap, y
    return min(cands, key=distance)


def _week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def relative_value(h: Hit, ref: datetime.datetime, timed: bool, tense: str = ""):
    """(value, granularity, date_start, date_end) of a relative hit against ``ref``.

    ``timed``: whether ``ref`` carries a real time of day (hours and minutes then count; against a
    bare date only whole days do).
    """
    from dateutil.relativedelta import relativedelta

    day = ref.date()
    if h.rel_weekday is not None:
        wd, weeks = h.rel_weekday
        if weeks is None:           # bare weekday: the last one, or the next one in a future clause
            back = (day.weekday() - wd) % 7
            d = day - datetime.timedelta(days=back) if tense != "future" else \
                day + datetime.timedelta(days=(wd - day.weekday()) % 7)
        else:                       # "上周一", "thứ Hai tuần sau": that weekday of the week named
            d = _week_bounds(day)[0] + datetime.timedelta(days=7 * weeks + wd)
        return d.isoformat(), "day", d, d
    years, months, days, hours, minutes = h.rel_delta or (h.rel_years or 0, 0, h.rel_days or 0, 0, 0)
    unit = h.rel_unit or ("year" if h.rel_years is not None else "day")
    if timed:
        moment = ref + relativedelta(years=years, months=months, days=days, hours=hours, minutes=minutes)
    else:
        total = hours * 60 + minutes
        whole = -((-total) // 1440) if total < 0 else total // 1440
        moment = ref + relativedelta(years=years, months=months, days=days + whole)
    d = moment.date()
    if unit == "year":
        return f"{d.year:04d}", "year", datetime.date(d.year, 1, 1), datetime.date(d.year, 12, 31)
    if unit == "month":
        last = calendar.monthrange(d.year, d.month)[1]
        return f"{d.year:04d}-{d.month:02d}", "month", d.replace(day=1), d.replace(day=last)
    if unit == "week":
        lo, hi = _week_bounds(d)
        return f"{lo.isoformat()}/{hi.isoformat()}", "range", lo, hi
    return d.isoformat(), "day", d, d
