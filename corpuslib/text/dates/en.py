"""English date rules (machine translations and English-language pages).

Month names are case-sensitive so that "may" stays a verb.
"""
from __future__ import annotations

import calendar
import re

from .rules import D, NAD, NOD, Y, Hit, norm, quarter, rule, span_of_years_before, year

__all__ = ["PARTS_OF_DAY", "WEEKDAY_RX", "WEEKDAYS", "GATE", "FUTURE_CUE", "PAST_CUE", "RULES", "RELATIVE"]

PARTS_OF_DAY = {"morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "night"}
WEEKDAY_RX = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|"
              r"fri|sat|sun")
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
            "fri": 4, "sat": 5, "sun": 6}
FUTURE_CUE = r"\bwill\b|\bscheduled\b|\bupcoming\b"
PAST_CUE = r"\bwas\b|\bwere\b|\bhad\b"
GATE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|"
                  r"SEP|OCT|NOV|DEC|Q[1-4]|quarter|in|by|until|till|through|since|before|after|during)")

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
MON = (r"(?=[JFMASOND])(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
       r"December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|"
       r"NOVEMBER|DECEMBER)(?![A-Za-z])|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![A-Za-z])\.?)")
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _mon(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def _dmy(m: re.Match, h: Hit) -> Hit:
    h.d, h.y, h.m = int(m["d"]), int(m["y"]), _mon(m["mon"])
    return h


def _dm(m: re.Match, h: Hit) -> Hit:
    h.d, h.m = int(m["d"]), _mon(m["mon"])
    return h


def _month_year(m: re.Match, h: Hit) -> Hit:
    h.kind, h.y, h.m, h.d = "month", int(m["y"]), _mon(m["mon"]), None
    return h


def _quarter(m: re.Match, h: Hit) -> Hit | None:
    return quarter(m, h, _QUARTER_WORDS)


RULES = (
    rule("en_mdy", rf"(?P<mon>{MON})\s+{D}(?:st|nd|rd|th)?,?\s+{Y}{NAD}", _dmy, 4, 0),
    rule("en_dmy", rf"{NOD}{D}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MON}),?\s+{Y}{NAD}", _dmy, 4, 0),
    rule("en_md", rf"(?P<mon>{MON})\s+{D}(?:st|nd|rd|th)?(?![\d:])", _dm, 1, 0),
    rule("en_dm", rf"{NOD}{D}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MON})", _dm, 1, 0),
    rule("en_month_year", rf"(?P<mon>{MON})\s+(?:of\s+)?{Y}{NAD}", _month_year, 3, 0),
    rule("en_quarter", rf"(?:Q(?P<q>[1-4])\s*(?:of\s+)?{Y}|(?P<qw>first|second|third|fourth)\s+quarter"
                       rf"(?:\s+of)?\s+(?P<y2>(?:1[89]|20|21)\d\d))", _quarter, 3),
    rule("en_year", rf"(?P<cue>\b(?:in|by|until|till|through|since|before|after|during)\s+){Y}(?![\d])", year, 1),
)


# --------------------------------------------------------------------------- relative expressions

_REL_DAY = {"today": 0, "yesterday": -1, "tomorrow": 1}
_REL_YEAR = {"this year": 0, "last year": -1, "next year": 1}


def _rel_day(m: re.Match, h: Hit) -> Hit:
    h.kind, h.rel_days = "relative", _REL_DAY[norm(m["w"])]
    return h


def _rel_shift(m: re.Match, h: Hit) -> Hit | None:
    if m["dir"].lower() == "in" and not m["n"]:
        return None
    h.kind = "relative"
    days = (int(m["n"]) if m["n"] else 1) * (7 if m["u"].lower().startswith("wee") else 1)
    h.rel_days = -days if m["dir"].lower() == "ago" else days
    return h


def _rel_year(m: re.Match, h: Hit) -> Hit | None:
    if span_of_years_before(m):
        return None
    h.kind, h.rel_years = "relative", _REL_YEAR[norm(m["w"])]
    return h


RELATIVE = (
    rule("en_rel_day", r"(?=[ty])(?P<w>today|yesterday|tomorrow)(?![\w])", _rel_day, 1, gate=None),
    rule("en_rel_ago", r"(?=\d)(?P<n>\d{1,3})\s+(?P<u>days?|weeks?)\s*(?P<dir>ago)", _rel_shift, 1, gate=None),
    rule("en_rel_in", r"(?P<dir>in)\s+(?P<n>\d{1,3})?\s*(?P<u>days?|weeks?)(?![\w])", _rel_shift, 0, gate=None),
    rule("en_rel_year", r"(?=[tl])(?P<w>this\s+year|last\s+year|next\s+year)(?![\w])", _rel_year, 1, gate=None),
)
