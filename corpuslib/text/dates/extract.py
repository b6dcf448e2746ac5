"""Temporal expressions in running text: the table :func:`extract_dates` returns, and story years.

Each expression gets a value at its own granularity, bounds, a role (target year, issue date of a
cited document) and, when the text gives no year, a year from the anchor (the article's date),
a range partner, a neighbouring sentence or the story's year.
"""
from __future__ import annotations

import calendar
import datetime
import re

from ..sentences import sentence_at, sentence_spans
from .rules import Hit, valid
from .resolve import relative_value, tense_at, year_near
from .scan import scan
from .values import ParsedDate, as_datetime, guess_lang, to_parsed

__all__ = ["EXTRACT_COLUMNS", "extract_dates", "find_day_month", "infer_story_year", "find_full_dates"]

EXTRACT_COLUMNS = [
    "start", "end", "text", "value", "granularity", "date_start", "date_end",
    "part_of_day", "time", "resolved_by", "role", "sentence",
]

# Not a date when the number is a document number or is followed by a document code.
_DOC_CODE = re.compile(r"\d+\s*-\s*[A-ZĐА-ЯЁ]{1,6}\s*/\s*[A-ZĐА-ЯЁ]{1,6}")
_DOC_WORD = re.compile(
    r"Nghị\s+quyết|Quyết\s+định|Chỉ\s+thị|Kết\s+luận|Thông\s+báo|Quy\s+định|Nghị\s+định|"
    r"Thông\s+tư|Công\s+văn|Постановлени\w*|Директив\w*|Резолюци\w*|Решени[еяю]|"
    r"决议|决定|指示|结论|通知|Resolution|Decree|Directive|Decision",
    re.IGNORECASE,
)


def find_day_month(text: str) -> list[ParsedDate]:
    """Day-month expressions without a year ("chiều 1/10", "Chiều nay (17/11)", "16 декабря").

    Returns
    -------
    list of ParsedDate
        ``has_year`` False, year :data:`PLACEHOLDER_YEAR` (1904 for 29 February), with the
        time and part of day when stated; callers resolve the year (see :func:`extract_dates`
        or :func:`infer_story_year`).
    """
    if not isinstance(text, str) or not text:
        return []
    out = []
    for h in scan(text):
        if h.kind == "day" and not h.has_year:
            p = to_parsed(h, text, method="day-month", note="no year stated")
            if p is not None:
                out.append(p)
    return out


def find_full_dates(text: str) -> list[tuple[int, int, datetime.date]]:
    """Full dates (day, month and year all stated) in ``text``, left to right.

    The date reader of every stage that needs stated dates only (the issue date next to a cited
    document): the same rules and spans as :func:`extract_dates`'s rows with granularity
    ``day`` resolved ``explicit``.

    Returns
    -------
    list of (start, end, datetime.date)
    """
    if not isinstance(text, str) or not text:
        return []
    return [(h.start, h.end, datetime.date(h.y, h.m, h.d)) for h in scan(text) if h.kind == "day" and h.y is not None]


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return sentence_at(spans, pos) or (pos, pos)


def _roles(text: str, hits: list[Hit], spans: list[tuple[int, int]]) -> list[str]:
    """'target', 'document' (issue date of a cited document) or '' for each hit."""
    roles = []
    for h in hits:
        if h.cue == "target":
            roles.append("target")
            continue
        role = ""
        if h.kind in ("day", "month"):
            s, e = _sentence_of(spans, h.start)
            window = text[max(s, h.start - 60):min(e, h.end + 60)]
            if _DOC_CODE.search(window) or (_DOC_WORD.search(text[max(s, h.start - 40):h.start])):
                role = "document"
            elif re.search(r"(?:^|\s)(?:от|ngày)\s*$", text[max(s, h.start - 8):h.start]) and \
                    _DOC_WORD.search(text[max(s, h.start - 80):h.start]):
                role = "document"
        roles.append(role)
    return roles


def _story_year(hits: list[Hit], roles: list[str], min_mentions: int = 1) -> tuple[int | None, str]:
    from collections import Counter
    counts: Counter = Counter()
    other: dict[int, set] = {}
    for h, role in zip(hits, roles):
        if h.kind == "relative" or h.y is None:
            if h.kind == "range" and h.y2 is not None:
                other.setdefault(h.y2, set()).add("target" if h.open_start else "range end")
            continue
        if h.kind == "range" and h.y2 is not None and h.months_period is None:
            other.setdefault(h.y, set()).add("range start")
            other.setdefault(h.y2, set()).add("range end")
            continue
        if role:
            other.setdefault(h.y, set()).add(role)
            continue
        counts[h.y] += 1
    if not counts:
        if other:
            desc = ", ".join(f"{y} ({'/'.join(sorted(r))})" for y, r in sorted(other.items()))
            return None, f"only targets, ranges or document dates: {desc}"
        return None, "no year stated"
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    year = best[0]
    ties = [y for y, n in counts.items() if n == best[1] and y != year]
    if ties:
        desc = ", ".join(f"{y} x{n}" for y, n in sorted(counts.items()))
        return None, f"ambiguous: years stated equally often ({desc})"
    reason = f"{year}: {best[1]} mention(s) as a current year"
    if best[1] < min_mentions:
        return None, f"too weak: {reason} (at least {min_mentions} needed)"
    rest = [f"{y} x{n}" for y, n in sorted(counts.items()) if y != year]
    if rest:
        reason += f"; also {', '.join(rest)}"
    if other:
        reason += "; ignored " + ", ".join(f"{y} ({'/'.join(sorted(r))})" for y, r in sorted(other.items()))
    return year, reason


def infer_story_year(text: str, *, min_mentions: int = 1) -> tuple[int | None, str]:
    """The year a story is "in", for datelines that lack one.

    Counts the years the text states for its own events (``в 2024 году``, ``quý III/2018``,
    ``9 tháng năm 2018``, full dates) and ignores targets (``đến năm 2030``, ``на 2025 год``,
    ``2030年愿景``), range bounds (``2020-2025``) and issue dates of cited documents
    (``Nghị quyết số 71-NQ/TU, ngày 30/10/2013``).  The most frequent wins; a tie, or a winner
    stated fewer than ``min_mentions`` times, gives None.

    Returns
    -------
    (year or None, reason)
    """
    if not isinstance(text, str) or not text:
        return None, "no text"
    hits = scan(text)
    spans = sentence_spans(text, guess_lang(text))
    return _story_year(hits, _roles(text, hits, spans), min_mentions)


def _bounds(h: Hit, y: int | None) -> tuple[str, str, datetime.date | None, datetime.date | None]:
    """(value, granularity, date_start, date_end) for a hit whose year is ``y``."""
    if h.kind == "day":
        if y is None:
            return f"XXXX-{h.m:02d}-{h.d:02d}", "day", None, None
        d = datetime.date(y, h.m, h.d)
        return d.isoformat(), "day", d, d
    if h.kind == "month":
        if y is None:
            return f"XXXX-{h.m:02d}", "month", None, None
        last = calendar.monthrange(y, h.m)[1]
        return f"{y}-{h.m:02d}", "month", datetime.date(y, h.m, 1), datetime.date(y, h.m, last)
    if h.kind == "quarter":
        if y is None:
            return f"XXXX-Q{h.q}", "quarter", None, None
        m1, m3 = 3 * h.q - 2, 3 * h.q
        return (f"{y}-Q{h.q}", "quarter", datetime.date(y, m1, 1),
                datetime.date(y, m3, calendar.monthrange(y, m3)[1]))
    if h.kind == "year":
        return str(y), "year", datetime.date(y, 1, 1), datetime.date(y, 12, 31)
    if h.kind == "range":
        if h.open_start:
            return f"../{h.y2}", "range", None, datetime.date(h.y2, 12, 31)
        if h.months_period is not None:
            a, b = h.months_period
            if y is None:
                return f"XXXX-{a:02d}/XXXX-{b:02d}", "range", None, None
            return (f"{y}-{a:02d}/{y}-{b:02d}", "range", datetime.date(y, a, 1),
                    datetime.date(y, b, calendar.monthrange(y, b)[1]))
        if h.d2 is not None:   # day range within one month
            if y is None:
                return f"XXXX-{h.m:02d}-{h.d:02d}/XXXX-{h.m:02d}-{h.d2:02d}", "range", None, None
            a, b = datetime.date(y, h.m, h.d), datetime.date(y, h.m, h.d2)
            return f"{a.isoformat()}/{b.isoformat()}", "range", a, b
        return f"{h.y}/{h.y2}", "range", datetime.date(h.y, 1, 1), datetime.date(h.y2, 12, 31)
    raise ValueError(h.kind)


_RANGE_LINK = re.compile(r"\A\s*(?:đến|tới|-|–|—|по|до|至|到|~|to|until|till|through)\s*(?:hết\s+)?(?:ngày\s+)?\Z",
                         re.IGNORECASE)


class _Context:
    """What resolving one text's expressions needs: hits, roles, sentences, anchor, story year."""

    def __init__(self, text, hits, roles, spans, anchor, timed):
        self.text, self.hits, self.roles, self.spans = text, hits, roles, spans
        self.base, self.timed = anchor, timed
        self._story = None

    def story(self):
        if self._story is None:
            self._story = _story_year(self.hits, self.roles)
        return self._story


def _year_from_text(c: _Context, i: int, sent) -> tuple[int | None, str]:
    """Without an anchor: a dated neighbour sentence, then the story's year, then any earlier date."""
    h = c.hits[i]
    prev = [p for p, r in zip(c.hits[:i], c.roles[:i]) if p.y is not None and p.kind in ("day", "month")
            and r != "document"]
    year, how = None, "unresolved"
    if prev:
        p = prev[-1]
        psent = _sentence_of(c.spans, p.start)
        idx = c.spans.index(psent) if psent in c.spans else -99
        if sent == psent or (idx >= 0 and idx + 1 < len(c.spans) and c.spans[idx + 1] == sent):
            year, how = p.y, "text"
    if year is None and c.story()[0] is not None:
        year, how = c.story()[0], "story-year"
    if year is None and prev:
        year, how = prev[-1].y, "text"
    if year is not None and h.kind == "day" and not valid(year, h.m, h.d):
        year, how = None, "unresolved"
    return year, how


def _year_of(c: _Context, i: int, sent) -> tuple[int | None, str]:
    """The year of a yearless hit and how it was found."""
    h, hits = c.hits[i], c.hits
    # a range partner: "từ ngày 20/3 đến ngày 24/3/2006", "с 12 января по 30 апреля 2001"
    if i + 1 < len(hits) and hits[i + 1].y is not None and hits[i + 1].kind in ("day", "month") \
            and _RANGE_LINK.match(c.text[h.end:hits[i + 1].start]):
        nxt = hits[i + 1]
        return nxt.y - ((h.m, h.d or 1) > (nxt.m, nxt.d or 1)), "range-partner"
    if c.base is not None:
        tense = tense_at(c.text, sent, h.start, h.end)
        year = year_near(h, c.base.date(), tense)
        if year is None:
            return None, "unresolved"
        return year, "anchor-future" if tense == "future" else "anchor"
    return _year_from_text(c, i, sent)


def _relative(c: _Context, i: int, sent):
    """(value, granularity, date_start, date_end, resolved_by) of a relative hit."""
    h = c.hits[i]
    ref, how, timed = None, "unresolved", False
    if c.base is not None:
        ref, how, timed = c.base, "anchor", c.timed
    else:
        prev = [p for p in c.hits[:i] if p.kind == "day" and p.y is not None]
        if prev:
            p = prev[-1]
            ref, how = datetime.datetime(p.y, p.m, p.d), "text"
    gran = "year" if (h.rel_unit or ("year" if h.rel_years is not None else "day")) == "year" else "day"
    if ref is None:
        return "", h.rel_unit if h.rel_unit in ("year", "month") else gran, None, None, how
    try:
        value, gran, lo, hi = relative_value(h, ref, timed, tense_at(c.text, sent, h.start, h.end))
    except (OverflowError, ValueError):  # before year 1 or after 9999: left unresolved
        return "", gran, None, None, "unresolved"
    return value, gran, lo, hi, how


def _row(c: _Context, i: int, role: str) -> dict | None:
    h = c.hits[i]
    sent = _sentence_of(c.spans, h.start)
    if h.kind == "relative":
        value, gran, dstart, dend, how = _relative(c, i, sent)
    else:
        year, how = h.y, "explicit"
        if h.kind == "range" and h.y is None and h.y2 is not None and not h.open_start:
            year = h.y2
        if h.y is None and not h.open_start:
            year, how = _year_of(c, i, sent)
        try:
            value, gran, dstart, dend = _bounds(h, year)
        except (ValueError, TypeError):
            return None
    return {
        "start": h.start, "end": h.end, "text": c.text[h.start:h.end], "value": value,
        "granularity": gran, "date_start": dstart, "date_end": dend, "part_of_day": h.pod,
        "time": f"{h.hour:02d}:{h.minute or 0:02d}" if h.hour is not None else "",
        "resolved_by": how, "role": role, "sentence": c.text[sent[0]:sent[1]],
    }


def extract_dates(text: str, *, lang: str, anchor=None):
    """Return the temporal expressions in ``text`` with normalized values, bounds, spans and sentences.

    Parameters
    ----------
    text : str
        Running text (NFC).
    lang : str
        ``vi``, ``zh``, ``ru`` or ``en``: chooses the abbreviations of sentence splitting
        (:func:`corpuslib.text.sentences.sentence_spans`); all patterns run on every text, since
        machine translations mix scripts.
    anchor : datetime.date or datetime.datetime, optional
        The document's publication date.  A day, month or quarter without a year takes the year
        that puts it nearest the anchor, unless its clause has a tense cue (``sẽ``, ``dự kiến``,
        ``将``, ``будет`` ahead; ``đã``, ``vừa``, ``已``, ``состоялся`` behind), which picks the
        first year at or after (at or before) the anchor's month, as HeidelTime does for news
        (:mod:`corpuslib.text.dates.resolve`).  Relative expressions (``hôm qua``, ``2 часа назад``,
        ``上周一``) count from it; hours and minutes only when it is a datetime.  Without an anchor
        the year comes from a date with a year in the same or previous sentence, then from
        :func:`infer_story_year`.

    Returns
    -------
    pandas.DataFrame
        One row per expression, left to right: ``start``, ``end`` (character span), ``text``,
        ``value`` (``2013-10-30``, ``2018-Q3``, ``2018-10``, ``2018``, ``2020/2025``,
        ``../2030`` for "until 2030", ``XXXX-10-01`` when unresolved), ``granularity`` (day,
        month, quarter, year, range), ``date_start``/``date_end`` (``datetime.date`` or None),
        ``part_of_day``, ``time`` (``HH:MM`` or ""), ``resolved_by`` (explicit, anchor,
        anchor-future, range-partner, text, story-year, unresolved), ``role`` (``target``,
        ``document`` for the issue date of a cited document, or "") and ``sentence``.
    """
    import pandas as pd

    if not isinstance(text, str) or not text:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EXTRACT_COLUMNS})
    base = as_datetime(anchor)
    hits = scan(text)
    spans = sentence_spans(text, lang or guess_lang(text))
    roles = _roles(text, hits, spans)
    # a time of day on the anchor counts for "2 giờ trước"; a bare date only counts whole days
    timed = base is not None and isinstance(anchor, datetime.datetime)
    c = _Context(text, hits, roles, spans, base, timed)
    rows = [r for r in (_row(c, i, role) for i, role in enumerate(roles)) if r is not None]
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EXTRACT_COLUMNS})
    df = pd.DataFrame(rows, columns=EXTRACT_COLUMNS)
    df["start"] = df["start"].astype("int64")
    df["end"] = df["end"].astype("int64")
    return df
