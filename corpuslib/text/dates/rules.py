"""The rule table's base: a hit, a rule (pattern + converter), shared pieces, language-neutral rules.

A :class:`Rule` keeps its pattern and the function that turns a match into a :class:`Hit` side by
side, so reading one rule tells what it matches and what it means.  Each language module
(:mod:`.vi`, :mod:`.zh`, :mod:`.ru`, :mod:`.en`) lists its rules in a ``RULES`` tuple;
:func:`all_rules` joins them in a fixed order (the order breaks ties between equal candidates).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Callable

from ..numerals import parse_small_number

__all__ = ["Hit", "Rule", "rule", "valid", "year2", "finish", "norm", "quarter", "year_range", "year", "span_of_years_before", "set_duration", "standalone", "LINE_START", "D", "M", "Y", "NOD", "NAD", "RULES"]


@dataclass
class Hit:
    """One temporal expression found by a rule, before its year is resolved."""

    start: int
    end: int
    kind: str                   # day | month | quarter | year | range | relative
    y: int | None = None
    m: int | None = None
    d: int | None = None
    q: int | None = None
    # range / period bounds (year-month granularity) or day range end
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None
    open_start: bool = False    # "đến năm 2030" -> ../2030
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    pod: str = ""
    offset: str | None = None
    method: str = "dateline"
    cue: str = ""               # target | name | ""
    note: str = ""
    weekday: int | None = None
    months_period: tuple[int, int] | None = None   # (first month, last month) of "9 tháng năm"
    rel_days: int | None = None
    rel_years: int | None = None
    rel_delta: tuple | None = None   # (years, months, days, hours, minutes) of a relative expression
    rel_weekday: tuple[int, int] | None = None   # (weekday, week offset) of "周一", "上周一"
    rel_unit: str = ""          # year | month | week | day: the granularity a relative value asserts
    priority: int = 0

    @property
    def has_year(self) -> bool:
        return self.y is not None


@dataclass(frozen=True)
class Rule:
    """A pattern and the converter that reads its match.

    Attributes
    ----------
    name : str
        ``<family>_<form>`` (``vi_dm_cue``); the family is the language or ``num`` / ``rel``.
    pattern : re.Pattern
        Compiled regex; named groups feed ``convert``.
    convert : callable
        ``convert(match, hit) -> Hit | None``: fills the hit (or returns None when the numbers do
        not make a date).  The hit starts as a ``day`` spanning the match.
    priority : int
        Breaks ties between overlapping candidates of equal length.
    gate : str or None
        Skip the rule when the text lacks that family's script or words (speed); None: always run.
    doc_number : bool
        Drop a match that is part of a document number ("số 12/2018/QĐ-UBND").
    """

    name: str
    pattern: re.Pattern
    convert: Callable
    priority: int = 0
    gate: str | None = None
    doc_number: bool = False


def rule(name: str, pat: str, convert: Callable, prio: int = 0, flags: int = re.IGNORECASE, *,
         gate: str | None = "", doc_number: bool = False) -> Rule:
    """Compile one rule; ``gate=""`` means the family of ``name``."""
    family = name.partition("_")[0]
    return Rule(name, re.compile(pat, flags | re.UNICODE), convert, prio,
                family if gate == "" else gate, doc_number)


def norm(s: str) -> str:
    """Lower-case with runs of white space as one space (dictionary keys)."""
    return re.sub(r"\s+", " ", s.lower())


def valid(y: int | None, m: int | None, d: int | None) -> bool:
    """Whether (year, month, day) can be a date; a missing year allows 29 February."""
    if m is None or not 1 <= m <= 12:
        return False
    if d is None:
        return True
    if y is None:
        return 1 <= d <= (29 if m == 2 else calendar.monthrange(2001, m)[1])
    if not 1 <= y <= 9999:
        return False
    return 1 <= d <= calendar.monthrange(y, m)[1]


def year2(yy: str) -> int:
    """A two-digit year: 00-69 are 2000s, 70-99 1900s."""
    n = int(yy)
    return 2000 + n if n < 70 else 1900 + n


def finish(h: Hit | None) -> Hit | None:
    """The checks every converted hit passes: a real calendar date and a plausible year."""
    if h is None:
        return None
    if h.kind in ("day", "month", "quarter") or (h.kind == "range" and not h.open_start and h.m):
        if h.m is None or not valid(h.y, h.m, h.d):
            return None
        if h.kind == "range" and h.d2 is not None and not valid(h.y2, h.m2, h.d2):
            return None
    if h.y is not None and not 1000 <= h.y <= 2200:
        return None
    return h


D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
M = r"(?P<m>0?[1-9]|1[0-2])"
Y = r"(?P<y>(?:1[89]|20|21)\d\d)"
NOD = r"(?<![\d.,/])"          # not inside a longer number
NAD = r"(?![\d]|[.,/-]\d)"     # not followed by more number


# --------------------------------------------------------------------------- converters shared by languages

def quarter(m: re.Match, h: Hit, words: dict | None = None) -> Hit | None:
    """A quarter (``quý III/2018``, ``第三季度``, ``в третьем квартале``, ``Q3 2018``)."""
    g = m.groupdict()
    h.kind = "quarter"
    qs = g.get("q") or g.get("qw")
    h.q = parse_small_number(qs) or (words or {}).get(qs.lower())
    y = g.get("y") or g.get("y2")
    h.y = int(y) if y else None
    if h.q is None:
        return None
    h.m, h.d = 3 * h.q - 2, None
    return h


def year_range(m: re.Match, h: Hit) -> Hit | None:
    """``2020-2025``, ``giai đoạn 2021 - 2030``, ``2021—2025年``, ``2021-2025 гг.``."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if not 0 < y2 - y1 <= 100:
        return None
    h.kind = "range"
    h.y, h.y2, h.m, h.m2, h.d = y1, y2, 1, 12, None
    return h


def year(m: re.Match, h: Hit) -> Hit:
    """A year, a target year (``đến năm 2030`` -> ``../2030``) or a decade (``những năm 1950``)."""
    h.kind = "year"
    h.y, h.m, h.d = int(m["y"]), 1, None
    g = m.groupdict()
    cue = (g.get("cue") or "").strip().lower()
    if re.match(r"(?:đến|tới|до|к|by|until|till|到|至|截至|截止|直到)\b|^(?:到|至|截至|截止|直到)", cue):
        h.kind, h.open_start, h.cue = "range", True, "target"
        h.y2, h.m2 = h.y, 12
        h.y = None
    elif cue.startswith(("tầm nhìn", "на", "展望")) or g.get("cue2"):
        h.cue = "target"
    return h


def span_of_years_before(m: re.Match) -> bool:
    """True when a number word precedes a relative year ("vài năm tới": a span, not next year)."""
    s = m.start()
    return re.search(r"(?:vài|những|các|mấy|nhiều|bao\s+nhiêu|mươi|chục|một|hai|ba|bốn|năm|sáu|bảy|tám|"
                     r"chín|mười|\d)\s*$", m.string[max(0, s - 12):s], re.IGNORECASE) is not None


# --------------------------------------------------------------------------- durations

_UNIT_ORDER = ("year", "month", "week", "day", "hour", "minute", "second")


def set_duration(h: Hit, parts: list[tuple[int, str]], sign: int) -> Hit | None:
    """Make ``h`` the relative value ``sign`` x the duration ``parts`` [(count, unit), ...] from the anchor.

    The granularity is the smallest unit's: years give a year, months a month, anything finer a day
    ("1 год 2 месяца назад" is a month, "2 часа назад" a day).
    """
    if not parts:
        return None
    total = dict.fromkeys(_UNIT_ORDER, 0)
    for n, unit in parts:
        total[unit] += n
    smallest = max((u for _, u in parts), key=_UNIT_ORDER.index)
    h.kind = "relative"
    h.rel_delta = (sign * total["year"], sign * total["month"], sign * (7 * total["week"] + total["day"]),
                   sign * total["hour"], sign * total["minute"])
    h.rel_unit = {"year": "year", "month": "month"}.get(smallest, "day")
    return h


def standalone(m: re.Match, group: str = "parts") -> bool:
    """True when the ``group`` of the match is all its line holds (punctuation aside): a page's
    freshness stamp ("2 giờ", "1 год 2 месяца") rather than a length of time inside a sentence."""
    t = m.string
    start, end = m.span(group) if group in m.re.groupindex else m.span()
    lo = t.rfind("\n", 0, start) + 1
    hi = t.find("\n", end)
    hi = len(t) if hi < 0 else hi
    return not re.search(r"[^\W_]", t[lo:start]) and not re.search(r"[^\W_]", t[end:hi])


#: Start of a stamp rule: only a line's first word can open a stamp (fast rejection elsewhere).
LINE_START = r"(?m)^[^\w\n]*"


# --------------------------------------------------------------------------- language-neutral rules

def _iso(m: re.Match, h: Hit) -> Hit | None:
    g = m.groupdict()
    h.y, h.m, h.d = int(g["y"]), int(g["m"]), int(g["d"])
    h.method = "iso"
    if g.get("H"):
        h.hour, h.minute = int(g["H"]), int(g["M"])
        h.second = int(g["S"]) if g.get("S") else None
        if h.hour > 23 or h.minute > 59:
            return None
    if g.get("tz"):
        tz = g["tz"]
        h.offset = "+00:00" if tz.upper() == "Z" else f"{tz[:3]}:{tz[-2:]}"
    return h


def _numeric_day(m: re.Match, h: Hit) -> Hit:
    h.y, h.m, h.d = int(m["y"]), int(m["m"]), int(m["d"])
    return h


RULES = (
    rule("iso", r"(?<![\d])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})"
                r"(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?(?![\d])", _iso, 5, gate=None),
    rule("ymd", rf"(?<![\d.,/]){Y}(?P<sep>[/.])(?P<m>0?[1-9]|1[0-2])(?P=sep){D}{NAD}", _numeric_day, 4,
         gate=None, doc_number=True),
    rule("dmy", rf"{NOD}{D}(?P<sep>\s?[/.-]\s?){M}(?P=sep){Y}{NAD}", _numeric_day, 4, gate=None, doc_number=True),
)


def all_rules() -> tuple[Rule, ...]:
    """Every expression rule, in table order: numeric, vi, zh, ru, en, then relative ones."""
    from . import en, ru, vi, zh
    return (RULES + vi.RULES + zh.RULES + ru.RULES + en.RULES
            + vi.RELATIVE + ru.RELATIVE + zh.RELATIVE + en.RELATIVE)
