"""Run the rule table over a text: candidates, overlap selection, and what attaches to a day.

:func:`scan` returns every non-overlapping temporal expression left to right as :class:`~.rules.Hit`
objects; :mod:`.values` and :mod:`.extract` turn them into dates.
"""
from __future__ import annotations

import datetime
import functools
import re

from ..numerals import fold_width
from . import en, ru, vi, zh
from .rules import Hit, all_rules, finish, norm, valid

__all__ = ["scan", "PARTS_OF_DAY", "WEEKDAY_RX", "WEEKDAYS", "weekday_number", "join"]

PARTS_OF_DAY = {**vi.PARTS_OF_DAY, **zh.PARTS_OF_DAY, **ru.PARTS_OF_DAY, **en.PARTS_OF_DAY}
WEEKDAY_RX = f"(?:{vi.WEEKDAY_RX}|{zh.WEEKDAY_RX}|{ru.WEEKDAY_RX}|{en.WEEKDAY_RX})"
WEEKDAYS = {**vi.WEEKDAYS, **zh.WEEKDAYS, **ru.WEEKDAYS, **en.WEEKDAYS}


def weekday_number(word: str) -> int | None:
    """Python weekday (Monday 0) of a weekday word in any of the four languages."""
    return WEEKDAYS.get(re.sub(zh.WEEKDAY_PREFIX, "", norm(word)))


def join(a: str, b: str) -> str:
    """Join two notes with "; "."""
    return f"{a}; {b}" if a else b


def _rx(p: str) -> re.Pattern:
    return re.compile(p, re.IGNORECASE | re.UNICODE)


_TIME_AFTER = _rx(
    r"\A(?:\s*(?:[,，|\-–—/]|\(|lúc|vào\s+lúc|в|at)\s*)*"
    rf"(?P<pod>{vi.POD}|{zh.POD}|{ru.POD})?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*(?P<sep>:|：|h|g(?=[0-5]\d)|giờ|时|時|点|點)\s*(?P<M>[0-5]\d)?"
    r"(?:\s*(?::|phút|分)\s*(?P<S>[0-5]\d)?)?(?![\d])"
    r"(?:\s*(?P<ampm>AM|PM|am|pm|a\.m\.|p\.m\.|SA|CH)(?![\w]))?"
)
_POD_AFTER = _rx(rf"\A\s*(?P<pod>{zh.POD}|{vi.POD}(?![\w])|{ru.POD})")
_OFFSET_AFTER = _rx(
    r"\A\s*(?:\(\s*)?(?:(?:GMT|UTC)\s*(?P<s1>[+-])\s*(?P<h1>\d{1,2})(?::?(?P<m1>\d{2}))?"
    r"|(?P<s2>[+-])(?P<h2>\d{2}):?(?P<m2>\d{2})(?![\d]))(?:\s*\))?"
)
_TIME_BEFORE = _rx(r"(?<![\d])(?P<H>[01]?\d|2[0-3])\s*(?::|h|g)\s*(?P<M>[0-5]\d)(?:\s*(?P<ampm>AM|PM|SA|CH))?"
                   r"\s*(?:[,|\-–—/]\s*)?\Z")
_WEEKDAY_BEFORE = _rx(rf"(?P<wd>{WEEKDAY_RX})\.?\s*[,，\-–]?\s*(?:ngày\s+)?\Z")
_WEEKDAY_AFTER = _rx(rf"\A\s*[,，]\s*(?P<wd>{WEEKDAY_RX})(?![\w])")
_CUE_BEFORE = _rx(r"(?<![\w])(?:ngày|hôm)\s+\Z")
_POD_BEFORE = _rx(rf"(?P<pod>{vi.POD}|{ru.POD}|morning\s+of|afternoon\s+of|evening\s+of)\s*(?:ngày\s+)?\Z")

_CJK = re.compile(r"[\u3400-\u9fff]")
_CYR = re.compile(r"[а-яёА-ЯЁ]")
_YEAR_LIST = re.compile(r"\s*(?:,|và)\s*(?P<y>(?:1[89]|20|21)\d\d)(?![\d%]|[.,]\d)")
_COORD = re.compile(r"\s*(?:和|与|與|及|、|,|，|và|и|and)\s*(?:năm\s+)?\Z", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _rules():
    return all_rules()


def _is_doc_number(text: str, h: Hit) -> bool:
    """True when a numeric match is part of a document number ("số 12/2018/QĐ-UBND")."""
    before = text[max(0, h.start - 12):h.start]
    after = text[h.end:h.end + 8]
    if re.search(r"(?:số|№|No\.?|第|Số)\s*$", before):
        return True
    if re.match(r"\s*/\s*[A-ZĐА-ЯЁ]", after) or re.match(r"-[A-ZĐА-ЯЁ]{1,6}/", after):
        return True
    return False


def _is_name_year(text: str, h: Hit) -> bool:
    """True for dates that are part of a name: 'Luật Đất đai năm 2013', 'Cách mạng tháng 8',
    'đường 3/2', 'Quảng trường 30/4'."""
    before = text[max(0, h.start - 50):h.start]
    if h.kind == "year":
        return bool(re.search(r"(?:Luật|Bộ\s+luật|Hiến\s+pháp|Pháp\s+lệnh)(?:\s+[\wĐđ]+){0,5}\s*$", before))
    if h.kind in ("day", "month") and h.y is None:
        return bool(re.search(r"(?:Cách\s+mạng|[Đđ]ường|[Pp]hố|[Qq]uảng\s+trường|[Cc]ầu|[Cc]hợ|[Cc]ông\s+viên)\s*$",
                              before))
    return False


def _pod(word: str) -> str:
    return PARTS_OF_DAY.get(norm(word), "")


def _attach_time(text: str, h: Hit) -> None:
    """A time, part of day or UTC offset written after the day ("02/02/2026 - 14:30 (GMT+7)")."""
    if h.hour is None:
        tm = _TIME_AFTER.match(text[h.end:h.end + 40])
        if tm and (tm.group("M") or tm.group("sep") not in (":", "：")):
            H = int(tm.group("H"))
            ampm = (tm.group("ampm") or "").lower().replace(".", "")
            pod = tm.group("pod")
            if ampm in ("pm", "ch") and H < 12:
                H += 12
            elif ampm in ("am", "sa") and H == 12:
                H = 0
            elif pod and _pod(pod) in ("afternoon", "evening") and H < 12:
                H += 12
            h.hour, h.minute = H, int(tm.group("M") or 0)
            h.second = int(tm.group("S")) if tm.group("S") else None
            if pod:
                h.pod = _pod(pod)
            h.end += tm.end()
        else:
            pm = _POD_AFTER.match(text[h.end:h.end + 12])
            if pm and not h.pod:
                h.pod = _pod(pm.group("pod"))
                h.end += pm.end()
    if h.hour is not None and h.offset is None:
        om = _OFFSET_AFTER.match(text[h.end:h.end + 20])
        if om:
            sign = om.group("s1") or om.group("s2")
            hh = int(om.group("h1") or om.group("h2"))
            mm = int(om.group("m1") or om.group("m2") or 0)
            if hh <= 14:
                h.offset = f"{sign}{hh:02d}:{mm:02d}"
                h.end += om.end()


def _attach(text: str, h: Hit) -> None:
    """Widen a day hit with its weekday, time, part of day and UTC offset."""
    if h.kind not in ("day",):
        return
    _attach_time(text, h)
    # "ngày 30/10/2013", "hôm 12/4": the Vietnamese day word belongs to the expression
    cb = _CUE_BEFORE.search(text[max(0, h.start - 6):h.start])
    if cb:
        h.start -= len(text[max(0, h.start - 6):h.start]) - cb.start()
    # time written before the date ("14:30 02/02/2026")
    if h.hour is None:
        tb = _TIME_BEFORE.search(text[max(0, h.start - 16):h.start])
        if tb:
            H = int(tb.group("H"))
            if (tb.group("ampm") or "").upper() in ("PM", "CH") and H < 12:
                H += 12
            h.hour, h.minute = H, int(tb.group("M"))
            h.start -= len(text[max(0, h.start - 16):h.start]) - tb.start()
    # weekday before ("Thứ ba, 23/04/2019") or after ("21 сентября 2021г., вторник")
    wb = _WEEKDAY_BEFORE.search(text[max(0, h.start - 24):h.start])
    wd = None
    if wb:
        wd = wb.group("wd")
        h.start -= len(text[max(0, h.start - 24):h.start]) - wb.start()
    else:
        wa = _WEEKDAY_AFTER.match(text[h.end:h.end + 20])
        if wa:
            wd = wa.group("wd")
            h.end += wa.end()
    if wd:
        h.weekday = weekday_number(wd)
        if h.weekday is not None and h.y is not None and valid(h.y, h.m, h.d):
            actual = datetime.date(h.y, h.m, h.d).weekday()
            if actual != h.weekday:
                h.note = join(h.note, f"weekday '{wd}' does not match the date")
    # part of day before ("утром 5 мая", "chiều ngày 1/10")
    if not h.pod:
        pb = _POD_BEFORE.search(text[max(0, h.start - 16):h.start])
        if pb:
            h.pod = _pod(pb.group("pod").lower().split(" of")[0])
            h.start -= len(text[max(0, h.start - 16):h.start]) - pb.start()


def _candidates(t: str) -> list[Hit]:
    """Every rule's hits on ``t`` (full-width folded), before overlap selection."""
    # skip whole families of rules when their script or words are absent (speed)
    gates = {"zh": _CJK.search(t) is not None, "ru": _CYR.search(t) is not None,
             "en": en.GATE.search(t) is not None, "vi": vi.GATE.search(t) is not None}
    cands: list[Hit] = []
    for r in _rules():
        if r.gate is not None and not gates[r.gate]:
            continue
        for m in r.pattern.finditer(t):
            if m.end() == m.start():
                continue
            try:
                h = finish(r.convert(m, Hit(m.start(), m.end(), "day")))
            except (ValueError, KeyError, TypeError, IndexError):
                continue
            if h is None:
                continue
            h.priority = r.priority
            if r.doc_number and _is_doc_number(t, h):
                continue
            if _is_name_year(t, h):
                continue
            cands.append(h)
    return cands


def _select(t: str, cands: list[Hit]) -> list[Hit]:
    """Longest first, then priority: a greedy non-overlapping choice, left to right."""
    cands.sort(key=lambda h: (-(h.end - h.start), -h.priority, h.start))
    chosen: list[Hit] = []
    taken = bytearray(len(t) + 1)
    for h in cands:
        if any(taken[h.start:h.end]):
            continue
        chosen.append(h)
        taken[h.start:h.end] = b"\x01" * (h.end - h.start)
    chosen.sort(key=lambda h: h.start)
    return chosen


_BESIDE = re.compile(r"[\s,，()（）\-–]{0,3}(?:ngày\s+)?\Z", re.IGNORECASE)


def _drop_satellites(t: str, chosen: list[Hit]) -> list[Hit]:
    """A weekday or clock time right beside a day belongs to that day ("Thứ ba, 23/04/2019",
    "星期日 2015年04月08日"): drop it here so that :func:`_attach` widens the day over it."""
    keep = []
    for i, h in enumerate(chosen):
        if h.cue == "satellite":
            prev = chosen[i - 1] if i else None
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if (nxt is not None and nxt.kind == "day" and _BESIDE.match(t, h.end, nxt.start)) or \
                    (prev is not None and prev.kind == "day" and _BESIDE.match(t, prev.end, h.start)):
                continue
        keep.append(h)
    return keep


def scan(text: str) -> list[Hit]:
    """Every non-overlapping temporal expression in ``text``, left to right."""
    # the text stage's one width fold (full-width forms, dash and slash variants; same length)
    t = fold_width(text)
    chosen = _drop_satellites(t, _select(t, _candidates(t)))
    for i, h in enumerate(chosen):
        lo = chosen[i - 1].end if i else 0
        hi = chosen[i + 1].start if i + 1 < len(chosen) else len(t)
        s0, e0 = h.start, h.end
        _attach(t, h)
        # never grow into a neighbour
        h.start, h.end = max(h.start, lo), min(h.end, hi)
        if h.start > s0 or h.end < e0:
            h.start, h.end = min(h.start, s0), max(h.end, e0)
    # "vào các năm 1911, 1928 và 1946": the years listed after the first are years too
    extra = []
    for h in chosen:
        if h.kind == "year" and t[h.start:h.end].lower().startswith("năm"):
            pos = h.end
            while True:
                lm = _YEAR_LIST.match(t, pos)
                if not lm or any(o.start < lm.end() and o.end > lm.start("y") for o in chosen):
                    break
                extra.append(Hit(lm.start("y"), lm.end("y"), "year", y=int(lm.group("y")), m=1, cue=h.cue))
                pos = lm.end()
    if extra:
        chosen = sorted(chosen + extra, key=lambda h: h.start)
    # "2030年和2045年愿景", "đến năm 2030 và 2045": a year joined to a target is a target
    for a, b in zip(chosen[::-1][1:], chosen[::-1][:-1]):
        if a.kind == "year" and b.cue == "target" and _COORD.match(t, a.end, b.start):
            a.cue = "target"
    return chosen
