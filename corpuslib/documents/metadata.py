"""What the page says about itself: headline, outlet, byline and publication date.

Works on the body lines left by :mod:`corpuslib.documents.boilerplate`; lines it consumes (headline,
dateline, outlet marker, byline) are returned as removed lines with their reason, so the body
keeps only the story while the audit keeps everything.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from ..text import dates
from ..core.paths import package_data

#: How many lines at the top may hold the headline and the dateline.
HEADER_LINES = 4
#: A headline is shorter than this; a longer first line is the lead (seed 001 has no headline).
MAX_TITLE = 250
#: The story year is read from this many characters of the body (a 50 MB crawl dump is not a story).
STORY_CHARS = 50_000

# "Chiều nay (17/11)": the lead says the event is today, so a different header date is not the article's.
_SAME_DAY = re.compile(
    r"(?i)\b(?:hôm nay|sáng nay|trưa nay|chiều nay|tối nay|đêm nay)\b|今天|今日|本日|"
    r"\bсегодня\b|\b(?:today|this (?:morning|afternoon|evening))\b"
)
_UPPER_NAME = re.compile(r"^(?=.{3,40}$)[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ.\-]*(?:\s+[A-ZÀ-ỸĐ][A-ZÀ-ỸĐ.\-]*){1,4}$")
_BYLINE_LABEL = re.compile(r"^(?:Tác giả|Bài và ảnh|Bài, ảnh|Phóng viên|Автор|Корреспондент|作者|记者|文/图|Author|By)\s*[:：]?\s*(?P<name>\S.{1,60})$")
_SOURCE_CREDIT = re.compile(r"^(?:Theo|Nguồn|По материалам|来源|Source)\s*[:：]?\s*\S.{0,60}$")


@dataclass(frozen=True)
class Outlet:
    """One row of the outlet table."""

    outlet: str
    domain: str
    marker: re.Pattern | None
    aliases: re.Pattern | None
    #: How the outlet names itself in its credits ("Tuổi Trẻ Online|Tuổi Trẻ|TTO"), case-sensitive
    #: alternatives of a regular expression; read by :func:`corpuslib.documents.boilerplate.self_reference_rules`.
    self_names: str = ""


@functools.cache
def load_outlets(path: str | None = None) -> tuple[Outlet, ...]:
    """Read the outlet table (``corpuslib/documents/data/outlets.csv``: outlet, domain, marker, aliases, self_names, ...)."""
    path = path or str(package_data("documents/outlets.csv"))
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            try:
                marker = re.compile(row["marker"]) if row.get("marker") else None
                aliases = re.compile(row["aliases"]) if row.get("aliases") else None
                self_names = row.get("self_names") or ""
                if self_names:
                    re.compile(self_names)
            except re.error as exc:
                raise ValueError(f"{path}:{reader.line_num}: bad pattern: {exc}") from None
            rows.append(Outlet(row["outlet"], row["domain"].lower(), marker, aliases, self_names))
    return tuple(rows)


def outlet_from_url(url: str | None) -> str | None:
    """Return the canonical outlet for a URL's host, or ``None``."""
    if not url:
        return None
    host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
    for o in load_outlets():
        if host == o.domain or host.endswith("." + o.domain):
            return o.outlet
    return None


# "Tuổi Trẻ (tuoitre.vn)" (VNTC): a name with its domain in brackets.
_NAME_DOMAIN = re.compile(r"^(?P<name>.*?)\s*[(\[]\s*(?P<domain>[\w.-]+\.[a-z]{2,})\s*[)\]]\s*$", re.IGNORECASE)


def outlet_from_name(name: str | None) -> str | None:
    """Map a free-text outlet name to the canonical name, or ``None``.

    Tried in order: the outlet table's aliases (``VnExpress - Thế giới``), a domain in brackets
    (``Tuổi Trẻ (tuoitre.vn)``), the name without it, and a bare domain (``baonghean.vn``).
    """
    if not name or not str(name).strip():
        return None
    name = str(name).strip()
    for o in load_outlets():
        if o.aliases and o.aliases.search(name):
            return o.outlet
    m = _NAME_DOMAIN.match(name)
    if m:
        return outlet_from_url(m["domain"]) or outlet_from_name(m["name"])
    return outlet_from_url(name) if "." in name and " " not in name else None


@functools.cache
def load_byline_placeholders(path: str | None = None) -> tuple[tuple[re.Pattern, str], ...]:
    """Read the byline placeholder table (``documents/data/byline_placeholders.csv``: pattern, note)."""
    path = path or str(package_data("documents/byline_placeholders.csv"))
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            try:
                rows.append((re.compile(row["pattern"]), row.get("note") or ""))
            except re.error as exc:
                raise ValueError(f"{path}:{reader.line_num}: bad pattern: {exc}") from None
    return tuple(rows)


def byline_placeholder(byline: str | None) -> str | None:
    """Why a byline cell names no author (``RSS_Feed``, ``laodong.vn``, ``24h``), or ``None`` for a real one.

    A placeholder is a row of the placeholder table (feed and CMS fillers, anonymous roles), a
    URL or domain, or the name of an outlet in the outlet table: the outlet is not the author.
    """
    if byline is None:
        return None
    b = str(byline).strip()
    if not b:
        return None
    for pattern, note in load_byline_placeholders():
        if pattern.search(b):
            return note or "placeholder"
    if re.match(r"(?i)^(?:https?://|www\.)\S+$", b) or re.fullmatch(r"(?i)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", b):
        return "a URL or domain, not an author"
    if outlet_from_name(b):
        return f"the outlet's name ({outlet_from_name(b)}), not an author"
    return None


@dataclass
class PageMetadata:
    """Fields found in the page, and the lines consumed to find them."""

    title: str | None = None
    outlet: str | None = None
    outlet_method: str | None = None
    byline: str | None = None
    published: dt.datetime | None = None
    published_has_time: bool = False
    date_method: str | None = None
    date_note: str = ""
    page_date: dt.datetime | None = None
    utc_offset: str | None = None
    removed: list[dict] = field(default_factory=list)


def _dateline(line: str):
    if len(line) > 120:
        return None
    try:
        return dates.parse_dateline(line)
    except Exception:  # a parser bug must not lose the document
        return None


def _byline_from_dateline(line: str, parsed) -> str | None:
    rest = (line[: parsed.span[0]] + " " + line[parsed.span[1]:]).strip(" -–—|,:;")
    rest = re.sub(r"^(?:Thứ\s+\S+|Chủ nhật|Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье|星期.)[\s,]*", "", rest)
    rest = re.sub(r"\(?GMT[+-]\d+\)?|\b\d{1,2}:\d{2}\b", "", rest).strip(" -–—|,:;()")
    # a name: every word capitalised (Thanh Lê, PHÙNG KHIÊM) or no letter case at all (青乐); the rest of a
    # dateline such as "tại Dinh Độc Lập" (VNTC) is a place, not a byline
    if rest and len(rest) <= 40 and not re.search(r"\d", rest) and not any(w[0].islower() for w in rest.split()):
        return rest
    return None


def extract_metadata(
    lines: list[str],
    *,
    text_for_year: str = "",
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    byline: str | None = None,
    date_value: str | None = None,
    date_is_fallback=None,
    timezone: str | None = "Asia/Ho_Chi_Minh",
) -> tuple[list[str], PageMetadata]:
    """Find headline, outlet, byline and date in an article's body lines.

    Parameters
    ----------
    lines : list of str
        Body lines after boilerplate removal, in order.
    text_for_year : str
        The whole story, used to infer the year of a day-month dateline (``16 декабря``);
        defaults to ``lines`` joined.
    url, title, outlet, byline, date_value : str, optional
        Values from table columns; they win over what the text shows, except that an unparseable
        date cell falls back to the text, and a date cell yields to the URL's timestamp when it is
        marked as a fallback or the URL contradicts it (see :func:`url_contradicts`).
    date_is_fallback : bool or str, optional
        The table's flag that the date cell is a stand-in (``published_is_fetch_fallback: true``:
        the fetch time); ``"true"``, ``"1"``, ``"yes"`` count as true.
    timezone : str or None
        Zone that aware timestamps (``+00:00``) are converted to before the offset is dropped.

    Returns
    -------
    body : list of str
        The remaining story lines.
    meta : PageMetadata
    """
    meta = PageMetadata()
    body = list(lines)

    # Dateline and headline in the first lines.
    header_date = header_idx = None
    for i, line in enumerate(body[:HEADER_LINES]):
        parsed = _dateline(line)
        if parsed is not None and parsed.has_year:
            header_date, header_idx = parsed, i
            break
    title_idx = None
    if title is None:
        for i, line in enumerate(body[:HEADER_LINES]):
            if i == header_idx or len(line) > MAX_TITLE or _marker(line)[0]:
                continue
            if header_idx is not None and i > header_idx + 1:
                break
            title_idx = i
            break
        if title_idx is not None and len(body) - (header_idx is not None) < 2:
            title_idx = None  # a lone line is the story, not a headline
        if title_idx is not None:
            meta.title = body[title_idx]
    else:
        meta.title = str(title).strip() or None

    page_header = header_idx is not None and title_idx is not None and header_idx < title_idx
    if header_date is not None:
        meta.byline = _byline_from_dateline(body[header_idx], header_date)
    for i in sorted({i for i in (header_idx, title_idx) if i is not None}, reverse=True):
        meta.removed.insert(0, {"line": body[i], "reason": "title" if i == title_idx else "dateline"})
        del body[i]

    # Outlet: the URL's domain (the publisher, whoever the marker credits), then the column, then
    # the lead's marker (always stripped from the lead).
    found = outlet_from_url(url) if url else None
    if found:
        meta.outlet, meta.outlet_method = found, "url"
    elif outlet and str(outlet).strip():
        meta.outlet, meta.outlet_method = outlet_from_name(outlet) or str(outlet).strip(), "column"
    for i, line in enumerate(body[:3]):
        name, m = _marker(line)
        if m:
            meta.removed.append({"line": m.group(0).strip(), "reason": "outlet_marker"})
            body[i] = line[m.end():].strip()
            if not meta.outlet:
                meta.outlet, meta.outlet_method = name, "marker"
            break

    # Byline: the column unless it is a placeholder, else the dateline's or the foot's.
    if byline and str(byline).strip():
        why = byline_placeholder(byline)
        if why:
            meta.removed.append({"line": str(byline).strip(), "reason": "byline_placeholder", "note": why})
        else:
            meta.byline = str(byline).strip()
    while body:
        last = body[-1]
        lab = _BYLINE_LABEL.match(last)
        if _UPPER_NAME.match(last) or lab:
            meta.byline = meta.byline or (lab["name"] if lab else last).strip()
            meta.removed.append({"line": last, "reason": "byline"})
            body.pop()
        elif _SOURCE_CREDIT.match(last):
            meta.removed.append({"line": last, "reason": "source_credit"})
            body.pop()
        else:
            break
    why = byline_placeholder(meta.byline)
    if why:  # a foot line "TTXVN" is a credit, not an author
        meta.removed.append({"line": meta.byline, "reason": "byline_placeholder", "note": why})
        meta.byline = None

    _date(meta, body, header_date, page_header, date_value, url, text_for_year or "\n".join(lines), timezone,
          _truthy(date_is_fallback))
    return body, meta


def _marker(line: str):
    for o in load_outlets():
        if o.marker:
            m = o.marker.match(line)
            if m:
                return o.outlet, m
    return None, None


def _to_zone(parsed, timezone):
    value = parsed.value
    m = re.fullmatch(r"([+-])(\d\d):(\d\d)", parsed.utc_offset or "")
    if m and timezone and int(m[2]) < 24 and int(m[3]) < 60:  # an impossible offset (+57:00) is ignored
        from zoneinfo import ZoneInfo

        sign = 1 if m[1] == "+" else -1
        offset = dt.timezone(sign * dt.timedelta(hours=int(m[2]), minutes=int(m[3])))
        try:
            value = value.replace(tzinfo=offset).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
        except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range: keep the local time
            pass
    return value


def _set(meta, parsed, method, timezone, note=""):
    meta.published = _to_zone(parsed, timezone)
    meta.published_has_time = parsed.has_time
    meta.date_method = method
    meta.utc_offset = parsed.utc_offset
    meta.date_note = "; ".join(x for x in (parsed.note, note) if x)


def _truthy(value) -> bool:
    if value is None or isinstance(value, float) and value != value:
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "y", "t")
    return bool(value)


#: A URL timestamp is the CMS creation time: publication follows it (by hours, sometimes by months:
#: Thanh Niên prepared "Toàn văn dự thảo các văn kiện Đại hội XIV" a year ahead). A date cell
#: earlier than it by more than this was not the publication (a feed's UTC read as local time).
URL_LEAD_TOLERANCE = dt.timedelta(hours=1)


def url_contradicts(column_value: dt.datetime, url_date) -> bool:
    """Whether a URL's date contradicts a date cell (both naive local time).

    A story is not published before its URL was made: the cell is contradicted when it falls
    on an earlier calendar day than the URL's date and, for a URL with a time of day, more
    than :data:`URL_LEAD_TOLERANCE` before it. A later cell is not (scheduled stories and
    updates publish after the URL was made); same-day gaps change no daily count.
    """
    url_value = url_date.value
    if column_value.date() >= url_value.date():
        return False
    return not url_date.has_time or url_value - column_value > URL_LEAD_TOLERANCE


def _date(meta, body, header_date, page_header, date_value, url, story, timezone, fallback=False):
    lead = body[0] if body else ""
    lead_dm = [d for d in _safe(dates.find_day_month, lead[:300]) or [] if not d.has_year]
    notes = []
    if date_value is not None and str(date_value).strip() and str(date_value).lower() not in ("nan", "none", "nat"):
        parsed = _safe(dates.parse_date_value, str(date_value))
        if parsed is not None:
            url_date = _safe(dates.date_from_url, url) if url else None
            if url_date is not None and url_date.has_year:
                cell = _to_zone(parsed, timezone)
                if fallback:
                    return _set(meta, url_date, "url", timezone,
                                f"date column {str(date_value)[:40]!r} is marked as a fallback (fetch time)")
                if url_contradicts(cell, url_date):
                    return _set(meta, url_date, "url", timezone,
                                f"date column {str(date_value)[:40]!r} contradicts the URL timestamp")
            _set(meta, parsed, "column", timezone)
            if fallback:
                meta.date_note = "; ".join(x for x in (meta.date_note, "date column is marked as a fallback "
                                                       "(fetch time) and the URL has no date") if x)
            return None
        notes.append(f"date column value {str(date_value)[:40]!r} not understood")
    if header_date is not None:
        same_day = lead_dm and _SAME_DAY.search(lead[:120])
        if page_header and same_day and (lead_dm[0].value.day, lead_dm[0].value.month) != (
            header_date.value.day,
            header_date.value.month,
        ):
            meta.page_date = header_date.value
            notes.append(
                f"page header {header_date.value:%Y-%m-%d} is not the article's date: the lead says "
                f"{lead_dm[0].matched!r} (today), whose year the page does not state"
            )
        else:
            return _set(meta, header_date, header_date.method, timezone, "; ".join(notes))
    if url:
        parsed = _safe(dates.date_from_url, url)
        if parsed is not None:
            return _set(meta, parsed, "url", timezone, "; ".join(notes))
    if lead_dm and meta.page_date is None:
        year, why = _safe(_story_year, story[:STORY_CHARS] if story else story) or (None, "")
        if year:
            d = lead_dm[0]
            try:
                value = d.value.replace(year=year)
            except ValueError:
                value = None
            if value is not None:
                meta.published = value
                meta.published_has_time = False
                meta.date_method = "lead+story-year"
                meta.date_note = "; ".join(
                    notes + [f"day and month from the lead ({d.matched!r}), year from the story: {why}"]
                )
                return None
        notes.append(f"the lead gives {lead_dm[0].matched!r} but the story does not settle the year ({why})")
    meta.date_note = "; ".join(notes) or "no date in the header, the columns, the URL or the lead"
    return None


#: A story year stated only once is too weak to date an article (a one-off "năm 1957" is history, not the news).
STORY_YEAR_MIN_MENTIONS = 2


def _story_year(story: str):
    return dates.infer_story_year(story, min_mentions=STORY_YEAR_MIN_MENTIONS)


def _safe(fn, *args):
    try:
        return fn(*args)
    except Exception:
        return None
