"""Single date values: page datelines, table cells, RSS pubDates, URLs.

:func:`parse_dateline` reads a page header line, :func:`parse_date_value` a cell or feed value
(ISO, RFC 2822, epoch, written dates, weekdays, relative values against an anchor),
:func:`date_from_url` the date a news URL embeds.  Each returns one :class:`ParsedDate` or None.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .rules import Hit, valid
from .scan import WEEKDAY_RX, join, scan, weekday_number

__all__ = ["PLACEHOLDER_YEAR", "ParsedDate", "parse_dateline", "parse_date_value", "date_from_url", "decode_dnum",
           "as_datetime", "guess_lang", "dateparser_parse", "to_parsed", "most_recent"]

#: Year put in ``ParsedDate.value`` when the text gives no year (29 February uses 1904,
#: since 1900 is not a leap year).
PLACEHOLDER_YEAR = 1900



@dataclass(frozen=True)
class ParsedDate:
    """One date read from a dateline, a table cell, a URL or running text.

    Attributes
    ----------
    value : datetime.datetime
        Naive, in the local time written on the page; midnight when no time is given;
        year :data:`PLACEHOLDER_YEAR` when ``has_year`` is False and nothing resolved it.
    has_time, has_year : bool
        Whether the source states a time / a year.
    method : str
        How it was read: ``dateline``, ``dateline-decoded``, ``iso``, ``rfc2822``, ``epoch``,
        ``url``, ``day-month``, ``weekday``, ``relative``, ``dateparser``.
    matched : str
        The exact substring parsed; ``span`` is its position in the input.
    utc_offset : str or None
        ``"+07:00"`` when the source states an offset (``GMT+7``, ``+07:00``, ``Z``).
    note : str
        Caveats for the caller (garbled field decoded, weekday mismatch, year from anchor ...).
    part_of_day : str
        ``morning``, ``noon``, ``afternoon``, ``evening``, ``night`` or ``""``.
    """

    value: datetime.datetime
    has_time: bool
    has_year: bool
    method: str
    matched: str
    span: tuple[int, int]
    utc_offset: str | None
    note: str = ""
    part_of_day: str = ""




# --------------------------------------------------------------------------- datelines

# Relative markers decide whether a short value may go to dateparser's relative parser.
_RELATIVE_MARKERS = re.compile(
    r"назад|через|спустя|сегодня|вчера|завтра|позавчера|послезавтра|прошл|следующ|сейчас|"
    r"trước|nữa|\bsau\b|hôm\s+nay|hôm\s+qua|hôm\s+kia|ngày\s+mai|tuần\s+sau|tuần\s+trước|"
    r"前|后|後|昨天|今天|明天|上周|下周|本周|这|這|"
    r"\bago\b|\bin\s+\d|yesterday|today|tomorrow|\bnow\b",
    re.IGNORECASE,
)

_DNUM = re.compile(r"DNUM_(?P<code>[A-Z]+)")
_DNUM_MAP = {c: str(i) for i, c in enumerate("ABCDEFGHIJ")}
_DNUM_MAP["Z"] = "/"


def decode_dnum(code: str) -> str | None:
    """Decode Báo Nghệ An's obfuscated date field (``DNUM_AGZAGZCACD`` -> ``06/06/2023``).

    The CMS writes each digit as a letter (A=0 ... J=9) and the slash as Z.  The mapping was
    worked out from seed 002: the field has the shape ``dd/mm/yyyy`` (Z at positions 3 and 6),
    its year ``CACD`` must be 2023 (the article is about notice 920-TB/TU after the 11 May 2023
    meeting), giving A=0, C=2, D=3, i.e. alphabet order, hence G=6 and the date 06/06/2023.

    Returns
    -------
    str or None
        The decoded ``dd/mm/yyyy`` string, or None when a letter falls outside the mapping.
    """
    code = code.removeprefix("DNUM_")
    if not code or any(c not in _DNUM_MAP for c in code):
        return None
    return "".join(_DNUM_MAP[c] for c in code)


def to_parsed(h: Hit, text: str, method: str | None = None, note: str = "",
               year: int | None = None) -> ParsedDate | None:
    y = h.y if h.y is not None else (year if year is not None else PLACEHOLDER_YEAR)
    if h.y is None and year is None and h.m == 2 and h.d == 29:
        y = 1904
    try:
        value = datetime.datetime(y, h.m, h.d, h.hour or 0, h.minute or 0, h.second or 0)
    except (TypeError, ValueError):
        return None
    return ParsedDate(value=value, has_time=h.hour is not None, has_year=h.y is not None,
                      method=method or h.method, matched=text[h.start:h.end], span=(h.start, h.end),
                      utc_offset=h.offset, note=join(h.note, note) if note else h.note,
                      part_of_day=h.pod)


def parse_dateline(line: str) -> ParsedDate | None:
    """Parse one page header line into a full date (day, month and year).

    Parameters
    ----------
    line : str
        A header line such as ``"青乐 - 十二月 12, 2023 12:44"``, ``"Thứ ba, 23/04/2019"``,
        ``"Thứ Hai, 02/02/2026 - 14:30 (GMT+7)"``, ``"清维 DNUM_AGZAGZCACD 09:26"`` or an ISO
        timestamp.

    Returns
    -------
    ParsedDate or None
        The first full date on the line (method ``dateline``, ``iso`` or ``dateline-decoded``);
        None when the line holds no full date (``"16 декабря"``, ``"2020-2025"``, ``"18-NQ/TW"``)
        or holds a garbled field that cannot be decoded.
    """
    if not isinstance(line, str) or not line.strip():
        return None
    try:
        return _parse_dateline(line)
    except (ValueError, OverflowError, RecursionError):  # pragma: no cover - defensive
        return None


def _parse_dateline(line: str) -> ParsedDate | None:
    dn = _DNUM.search(line)
    if dn:
        decoded = decode_dnum(dn.group("code"))
        if decoded is None:
            return None
        # parse the decoded field in place (same length: one letter per character)
        fixed = line[:dn.start("code")] + decoded + line[dn.end("code"):]
        for h in scan(fixed):
            if h.kind == "day" and h.has_year and h.start <= dn.end("code") and h.end >= dn.start("code"):
                start = min(h.start, dn.start())
                h.start = start
                pd_ = to_parsed(h, line, method="dateline-decoded",
                                 note=f"Báo Nghệ An CMS obfuscated date {dn.group(0)} decoded "
                                      f"as {decoded} (A-J = 0-9, Z = '/')")
                return pd_
        return None
    for h in scan(line):
        if h.kind == "day" and h.has_year:
            note = ""
            if len(line.strip()) > 80:
                note = f"date inside running text ({len(line.strip())} chars); may be a date the story mentions"
            return to_parsed(h, line, note=note)
    return None


def _parse_rfc2822(s: str) -> ParsedDate | None:
    import email.utils
    if not re.match(r"^\s*(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{1,2}:\d{2}", s):
        return None
    try:
        dt = email.utils.parsedate_to_datetime(s.strip())
    except (TypeError, ValueError, IndexError):
        return None
    off = None
    if dt.tzinfo is not None:
        delta = dt.utcoffset()
        mins = int(delta.total_seconds() // 60)
        sign = "+" if mins >= 0 else "-"
        off = f"{sign}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
    st = s.strip()
    i = s.index(st)
    return ParsedDate(dt.replace(tzinfo=None), True, True, "rfc2822", st, (i, i + len(st)), off)


def as_datetime(anchor) -> datetime.datetime | None:
    if anchor is None:
        return None
    if hasattr(anchor, "to_pydatetime"):
        anchor = anchor.to_pydatetime()
    if isinstance(anchor, datetime.datetime):
        return anchor.replace(tzinfo=None)
    if isinstance(anchor, datetime.date):
        return datetime.datetime(anchor.year, anchor.month, anchor.day)
    return None


def guess_lang(text: str) -> str:
    """Script-based guess, enough to pick sentence rules and dateparser languages."""
    sample = text[:2000]
    if re.search(r"[\u4e00-\u9fff]", sample):
        return "zh"
    if re.search(r"[а-яё]", sample, re.IGNORECASE):
        return "ru"
    if re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", sample, re.IGNORECASE):
        return "vi"
    return "en"


_DP_LANGS = {"zh": ["zh", "zh-Hant"], "zh-Hans": ["zh"], "zh-Hant": ["zh-Hant", "zh"],
             "ru": ["ru"], "vi": ["vi"], "en": ["en"]}


def dateparser_parse(s: str, lang: str, settings: dict) -> datetime.datetime | None:
    try:
        import dateparser
        base = {"RETURN_AS_TIMEZONE_AWARE": False}
        base.update(settings)
        return dateparser.parse(s, languages=_DP_LANGS.get(lang, [lang]), settings=base)
    except Exception:  # dateparser raises assorted errors on odd input
        return None


def most_recent(m: int, d: int, anchor: datetime.date, future: bool = False) -> datetime.date:
    """The latest (or, with ``future``, the earliest) date with this month-day not after
    (not before) ``anchor``."""
    step = 1 if future else -1
    y = anchor.year
    for _ in range(9):
        if valid(y, m, d):
            cand = datetime.date(y, m, d)
            if (cand >= anchor) if future else (cand <= anchor):
                return cand
        y += step
    raise ValueError("no such date")


def parse_date_value(value, *, anchor=None, lang: str | None = None) -> ParsedDate | None:
    """Parse a single value: a table cell, an ISO or RFC 2822 string, an RSS pubDate.

    Parameters
    ----------
    value : str, datetime or None
        The value; NaN / None / empty give None.
    anchor : datetime.date or datetime.datetime, optional
        Reference time for values without a year (``"10 мая"``), bare weekdays and relative
        values (``"2 дня назад"``, ``"Hôm qua 08:16"``); without it those give a yearless
        ParsedDate (year :data:`PLACEHOLDER_YEAR`) or None.
    lang : str, optional
        ``vi``, ``zh``, ``ru`` or ``en`` for dateparser; guessed from the script when omitted.

    Returns
    -------
    ParsedDate or None
        Only day-precision values: a bare year or month gives None (see :func:`extract_dates`).
    """
    try:
        return _parse_date_value(value, anchor, lang)
    except (ValueError, OverflowError, RecursionError):  # pragma: no cover - defensive
        return None


def _parse_date_value(value, anchor, lang) -> ParsedDate | None:
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        try:
            value = value.to_pydatetime()
        except (ValueError, TypeError):
            return None
    if isinstance(value, datetime.datetime):
        off = None
        if value.tzinfo is not None and value.utcoffset() is not None:
            mins = int(value.utcoffset().total_seconds() // 60)
            off = f"{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
        s = value.isoformat()
        return ParsedDate(value.replace(tzinfo=None), True, True, "iso", s, (0, len(s)), off)
    if isinstance(value, datetime.date):
        s = value.isoformat()
        return ParsedDate(datetime.datetime(value.year, value.month, value.day), False, True,
                          "iso", s, (0, len(s)), None)
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    base = as_datetime(anchor)
    lang = lang or guess_lang(s)
    # epoch seconds / milliseconds
    if re.fullmatch(r"\d{10}|\d{13}", s):
        secs = int(s[:10])
        dt = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=secs)
        if 1990 <= dt.year <= 2100:
            return ParsedDate(dt, True, True, "epoch", value, (0, len(value)), "+00:00")
        return None
    rfc = _parse_rfc2822(value)
    if rfc:
        return rfc
    pd_ = parse_dateline(value)
    if pd_ is not None:
        return pd_
    hits = scan(value)
    days = [h for h in hits if h.kind == "day"]
    if days:
        h = days[0]
        if base is not None:
            try:
                d = most_recent(h.m, h.d, base.date())
            except ValueError:
                return None
            return to_parsed(h, value, method="day-month", year=d.year,
                              note=f"year {d.year} from anchor {base.date().isoformat()}")
        return to_parsed(h, value, method="day-month", note="no year stated")
    relative = base is not None and len(s) <= 80 and _RELATIVE_MARKERS.search(s) is not None
    if hits and any(h.kind in ("month", "quarter", "year", "range") for h in hits) and not relative:
        return None
    if base is not None:
        wd = re.fullmatch(rf"\s*(?:(?:в|во|on)\s+)?(?P<wd>{WEEKDAY_RX})\.?\s*", value, re.IGNORECASE)
        if wd:
            n = weekday_number(wd.group("wd"))
            if n is not None:
                back = (base.weekday() - n) % 7
                dt = datetime.datetime.combine(base.date() - datetime.timedelta(days=back), datetime.time())
                return ParsedDate(dt, False, False, "weekday", value, (0, len(value)), None,
                                  note=f"most recent {wd.group('wd')} not after {base.date().isoformat()}")
        if relative:
            dt = dateparser_parse(s, lang, {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
            if dt is not None:
                i = value.index(s)
                timed = bool(re.search(r"\d:\d\d|час|мин|giờ|phút|小时|小時|分钟|分鐘|hour|minute", s, re.IGNORECASE))
                return ParsedDate(dt, timed, False, "relative", s, (i, i + len(s)), None,
                                  note=f"relative to {base.isoformat(sep=' ')}")
    # last resort for short values with a 4-digit year: dateparser, requiring all three parts
    if len(s) <= 64 and re.search(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", s) and not _RELATIVE_MARKERS.search(s):
        dt = dateparser_parse(s, lang, {"REQUIRE_PARTS": ["day", "month", "year"],
                                   "PREFER_DAY_OF_MONTH": "first",
                                   "RELATIVE_BASE": datetime.datetime(2000, 1, 1)})
        if dt is not None and str(dt.year) in s:
            i = value.index(s)
            return ParsedDate(dt, dt.time() != datetime.time(), True, "dateparser", s, (i, i + len(s)), None)
    return None


# --------------------------------------------------------------------------- URLs

_URL_TS14 = re.compile(r"[-/_](?P<ts>(?:19|20)\d{12})\d{0,5}(?:\.html?|/|$|\?)")
_URL_VCC = re.compile(r"-(?P<id>1\d\d\d{12,15})\.html?")
_URL_PATH = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:[/-]|$)")
_URL_COMPACT = re.compile(r"[/-](?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:[/.-]|$)")
# Hosts whose article ids are <3-digit site code><yyMMddHHmm[ss]><serial> (VCCorp-style CMS;
# Tuổi Trẻ switched to it in 2026 with site code 100).
_VCC_HOSTS = ("thanhnien.vn", "nld.com.vn", "soha.vn", "kenh14.vn", "cafef.vn", "cafebiz.vn",
              "genk.vn", "afamily.vn", "gamek.vn", "suckhoedoisong.vn", "tuoitre.vn")


def date_from_url(url: str) -> ParsedDate | None:
    """Read the date a news URL embeds, or None (vnexpress, 24h, vietnamnet ids carry none).

    Tuổi Trẻ and Dân Trí ids start with ``yyyymmddHHMMSS``; Thanh Niên / Người Lao Động / Soha
    ids are ``<site><yyMMddHHmmss><serial>``; other sites put ``/yyyy/mm/dd/`` in the path.
    The time is the CMS creation time in Vietnam local time and can precede publication by
    hours (the note says so).
    """
    if not isinstance(url, str) or not url:
        return None
    try:
        return _date_from_url(url)
    except (ValueError, OverflowError):  # pragma: no cover - defensive
        return None


def _date_from_url(url: str) -> ParsedDate | None:
    host = (re.match(r"^[a-z]+://(?:www\.)?([^/?#]+)", url, re.IGNORECASE) or [None, ""])[1].lower()
    path_start = url.find(host) + len(host) if host else 0

    def _ts(ts: str, fmt: str, m: re.Match, note: str) -> ParsedDate | None:
        try:
            dt = datetime.datetime.strptime(ts, fmt)
        except ValueError:
            return None
        if not 1995 <= dt.year <= 2100:
            return None
        return ParsedDate(dt, True, True, "url", ts, m.span("ts"), None, note=note)

    m = _URL_TS14.search(url, path_start)
    if m:
        r = _ts(m.group("ts"), "%Y%m%d%H%M%S", m,
                "URL id holds the CMS creation time yyyymmddHHMMSS (Vietnam local time); "
                "publication can be later")
        if r:
            return r
    if any(host.endswith(h) for h in _VCC_HOSTS):
        m = _URL_VCC.search(url, path_start)
        if m:
            ident = m.group("id")
            # 17-18 digits: site + yyMMddHHmmss + serial; 15-16 digits: site + yyMMddHHmm + serial
            ts, fmt = (ident[3:15], "%y%m%d%H%M%S") if len(ident) >= 17 else (ident[3:13], "%y%m%d%H%M")
            try:
                dt = datetime.datetime.strptime(ts, fmt)
            except ValueError:
                dt = None
            if dt is not None and 2000 <= dt.year <= 2100:
                s = m.start("id") + 3
                return ParsedDate(dt, True, True, "url", ts, (s, s + len(ts)), None,
                                  note=f"URL id holds the CMS creation time {fmt.replace('%', '')} "
                                       "(Vietnam local time); publication can be later")
    for rx in (_URL_PATH, _URL_COMPACT):
        m = rx.search(url, path_start)
        if m:
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if valid(y, mo, d):
                s, e = m.start("y"), m.end("d")
                return ParsedDate(datetime.datetime(y, mo, d), False, True, "url", url[s:e], (s, e),
                                  None, note="date in the URL path")
    return None

