"""Boilerplate out of an article body: photo files, captions, credits, widgets, site footers.

Rules live in ``corpuslib/documents/data/boilerplate.csv`` (kind, scope, lang, pattern, note), one
regular expression a row, so a new site's footer is one line of data. An outlet's credits to itself
("Tuổi Trẻ Online trân trọng giới thiệu", "(TTO)") are made from the outlet table's ``self_names``
(:func:`self_reference_rules`), so a new outlet's credits are one cell of data. Nothing is dropped silently: every
removed line or fragment is returned with its reason for the documents table's ``removed`` column.
"""
from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.paths import package_data

SCOPES = ("line", "tail", "inline", "caption_opener", "header", "prefix")
# A caption has no sentence-final punctuation; a body paragraph almost always has.
_TERMINAL = tuple(".!?…。！？;；:：\"”»)）")
#: Footers are looked for only near the end: in the last share of lines, or the last few lines.
TAIL_SHARE = 0.4
TAIL_LINES = 8
#: Lines before the headline that may hold CMS placeholder words.
HEADER_LINES = 3


class RuleFileError(ValueError):
    """A boilerplate rule file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    """One boilerplate pattern."""

    kind: str
    scope: str
    lang: str
    pattern: re.Pattern
    note: str


def load_rules(path: str | os.PathLike | None = None) -> tuple[Rule, ...]:
    """Read and validate a boilerplate rule file (CSV: kind, scope, lang, pattern, note).

    Raises
    ------
    RuleFileError
        On a missing column, an unknown scope or a pattern that does not compile, naming the
        file and line.
    """
    if path is None:
        return _load_rules(str(package_data("documents/boilerplate.csv"))) + self_reference_rules()
    return _load_rules(str(path))


# A credit opens a sentence: "[Báo [điện tử]] <name> [Online] [xin] [trân trọng] giới thiệu|đăng
# [đến bạn đọc]". What follows ("toàn văn bài phát biểu của ...") is the story and stays; the name
# in running text ("thanh niên" = youth, "Đoàn Thanh niên giới thiệu") has no sentence start before it.
_CREDIT = (r"(?:^|(?<=[.!?…:;]\s))(?:[Bb]áo (?:điện tử )?)?(?:{names})(?: Online)?(?: xin)?(?: trân trọng)?"
           r" (?:giới thiệu|đăng tải|đăng)(?: (?:đến|tới|cùng) (?:quý )?(?:bạn đọc|độc giả))? ")
# A sign-off: "bạn đọc có thể đón xem trên Báo Thanh Niên số ra ngày 16.10.2025".
_SIGN_OFF = (r"\s*(?:quý )?(?:[Bb]ạn đọc|[Đđ]ộc giả) (?:có thể )?(?:đón xem|đón đọc|xem|đọc|theo dõi)"
             r" (?:trên|tại) (?:[Bb]áo (?:điện tử |in )?)?(?:{names})(?: Online)?(?: số ra ngày [\d./-]+\d)?")
# The outlet's code in brackets anywhere: "(TTO)", "(NLĐO)" (the lead's "TTO -" is metadata's marker).
_CODE = r"\s*\((?:{codes})\)"


@functools.cache
def self_reference_rules() -> tuple[Rule, ...]:
    """Return the inline rules that remove each outlet's credits to itself, made from the outlet table.

    For each outlet with ``self_names``: a credit that opens a sentence ("Tuổi Trẻ Online trân
    trọng giới thiệu", "Báo Thanh Niên xin trân trọng giới thiệu"), a sign-off ("bạn đọc có thể
    đón xem trên Báo Thanh Niên số ra ngày 16.10.2025") and its code in brackets ("(TTO)").
    The names are case-sensitive, so "thanh niên" (youth) never matches.
    """
    from .metadata import load_outlets

    rules = []
    for o in load_outlets():
        if not o.self_names:
            continue
        names = o.self_names
        codes = "|".join(n for n in names.split("|") if n.replace("\\", "").isupper() and " " not in n)
        note = f"{o.outlet} credits itself (outlet table self_names)"
        rules.append(Rule("self_credit", "inline", "vi", re.compile(_CREDIT.format(names=names)), note))
        rules.append(Rule("self_credit", "inline", "vi", re.compile(_SIGN_OFF.format(names=names)), note))
        if codes:
            rules.append(Rule("self_credit", "inline", "vi", re.compile(_CODE.format(codes=codes)), note))
    return tuple(rules)


@functools.cache
def _load_rules(path: str) -> tuple[Rule, ...]:
    rules = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"kind", "scope", "lang", "pattern"} - set(reader.fieldnames or ())
        if missing:
            raise RuleFileError(f"{path}:1: missing columns {sorted(missing)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if row["scope"] not in SCOPES:
                raise RuleFileError(f"{where}: unknown scope {row['scope']!r} (one of {SCOPES})")
            try:
                pattern = re.compile(row["pattern"])
            except re.error as exc:
                raise RuleFileError(f"{where}: bad pattern: {exc}") from None
            rules.append(Rule(row["kind"], row["scope"], row["lang"], pattern, row.get("note") or ""))
    return tuple(rules)


def _first(rules, scope, line):
    for rule in rules:
        if rule.scope == scope and rule.pattern.search(line):
            return rule
    return None


def strip_boilerplate(lines: list[str], *, rules: tuple[Rule, ...] | None = None) -> tuple[list[str], list[dict]]:
    """Split article lines into body lines and removed boilerplate.

    Parameters
    ----------
    lines : list of str
        The article's lines after :func:`corpuslib.text.normalize.normalize_text` (blank lines allowed).
    rules : tuple of Rule, optional
        Defaults to the shipped rules.

    Returns
    -------
    kept : list of str
        Non-empty body lines, in order.
    removed : list of dict
        ``{"line": ..., "reason": ...}`` for every removed line or fragment, in order.
    """
    rules = load_rules() if rules is None else rules
    entries = [ln for ln in lines if ln.strip()]
    removed: list[dict] = []
    if not entries:
        return [], removed

    # A widget glued to the start of the body (single-line crawls).
    for rule in rules:
        if rule.scope == "prefix":
            m = rule.pattern.search(entries[0])
            if m:
                removed.append({"line": m.group(0).strip(), "reason": rule.kind})
                entries[0] = entries[0][m.end():].strip()
    entries = [e for e in entries if e]

    # Site footer: the first footer line near the end, and everything after it.
    start = min(int(len(entries) * (1 - TAIL_SHARE)), max(0, len(entries) - TAIL_LINES))
    cut = len(entries)
    for i in range(max(1, start), len(entries)):
        if _first(rules, "tail", entries[i]):
            cut = i
            break
    tail = [{"line": e, "reason": "footer"} for e in entries[cut:]]
    entries = entries[:cut]

    kept: list[str] = []
    after_image = False
    for i, line in enumerate(entries):
        reason = None
        rule = _first(rules, "line", line)
        if rule:
            reason = rule.kind
        elif i < HEADER_LINES and _first(rules, "header", line):
            reason = "junk"
        elif not line.endswith(_TERMINAL) and len(line) < 250:
            if after_image:
                reason = "caption"
            elif _first(rules, "caption_opener", line):
                reason = "caption"
        if reason is None and after_image and len(line) < 250 and _first(rules, "line", line + " "):
            reason = "caption"
        if reason:
            removed.append({"line": line, "reason": reason})
            after_image = reason in ("image_file", "image_alt")
            continue
        after_image = False
        for rule in rules:
            if rule.scope == "inline":
                for m in rule.pattern.finditer(line):
                    removed.append({"line": m.group(0).strip(), "reason": rule.kind})
                line = rule.pattern.sub("", line)
        if line.strip():
            kept.append(line)
    removed.extend(tail)
    return kept, removed


# --------------------------------------------------------------------------------------------
# Header lines: is a line a dateline, does it look like a headline (issue 14 points 3 and 4)
# --------------------------------------------------------------------------------------------

#: What a dateline may hold besides its date: a place or outlet of at most this many words ...
DATELINE_REST_WORDS = 4
#: ... and this many characters ("HÀ NỘI", "Cập nhật", "Tuổi Trẻ Online").
DATELINE_REST_CHARS = 40
# Words a dateline carries around its date, none of them news: weekdays, "updated", times, offsets.
_DATELINE_WORDS = re.compile(
    r"(?i)\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cập\s+nhật|đăng\s+(?:lúc|ngày)|ngày|lúc|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|обновлено|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|updated|posted)\b|星期.|周.|更新"
    r"|\(?\b(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?\)?|\b\d{1,2}[:h]\d{2}(?::\d{2})?\b|\b(?:AM|PM|SA|CH)\b"
)


def is_dateline(line: str, span: tuple[int, int]) -> bool:
    """Return whether ``line`` is a dateline: a date and little else.

    Parameters
    ----------
    line : str
        A header line holding a full date.
    span : tuple of int
        Where the date is in ``line`` (:attr:`corpuslib.text.dates.ParsedDate.span`).

    Returns
    -------
    bool
        True when what is left beside the date, weekday, time and offset is at most a place or
        outlet name (:data:`DATELINE_REST_WORDS` words, :data:`DATELINE_REST_CHARS` characters):
        ``Thứ Hai, 02/02/2026 - 14:30 (GMT+7)``, ``HÀ NỘI, 20/1/2026``. A sentence that opens with a
        date (``Sáng 20.1.2026, Đại hội ... sẽ khai mạc ...``) is the news, not a dateline.
    """
    rest = line[: span[0]] + " " + line[span[1]:]
    rest = _DATELINE_WORDS.sub(" ", rest)
    words = re.findall(r"[^\W_]+", rest)
    text = " ".join(words)
    return len(words) <= DATELINE_REST_WORDS and len(text) <= DATELINE_REST_CHARS


#: A headline is at most this long (characters): the longest title of the crawl and RSS corpora has 144.
MAX_HEADLINE = 160
# A sentence ends inside the line: a full stop (not an initial's: "Lev N. Tolstoy"), a space, more words.
# ("!" and "?" may sit inside a headline: "Tiến lên! Toàn thắng ắt về ta!")
_INNER_STOP = re.compile(r"(?<![\s.][A-ZÀ-ỸĐ])(?<!^[A-ZÀ-ỸĐ])[.。](?:[\"”’»)]*)\s+\S")
# Openers of a sentence that goes on from the one before: a paragraph, never a headline.
_CONNECTIVE = re.compile(
    r"^(?:Tuy nhiên|Theo đó|Trong khi đó|Ngoài ra|Bên cạnh đó|Đồng thời|Trước đó|Sau đó|Cùng ngày|"
    r"Hiện nay|Vì vậy|Do đó|Như vậy|Mặt khác|Cũng theo|Theo ông|Theo bà|Ngoài|Còn)\s*,"
)
# What a headline does not end with: a full stop (an ellipsis is fine), a comma, a colon, a semicolon.
_NOT_HEADLINE_END = re.compile(r"(?:[^.]\.|^\.|[,;:：；，])[\"”’»)]*$")


def looks_like_title(line: str) -> bool:
    """Return whether a body line looks like a headline rather than a paragraph.

    A headline is one phrase: at most :data:`MAX_HEADLINE` characters and two words (or four CJK
    characters), starting with a letter, digit or opening quote, holding no sentence break, and
    not ending as a sentence does (``.``, ``,``, ``:``, ``;``; ``!``, ``?``, ``…`` and a Chinese
    ``。`` are fine). ``Xóa tệ nạn bằng chiến thuật chốt chặn!`` is one; ``Đồng chí Trần Đức
    Lương ... đã đến dự và phát biểu chỉ đạo đại hội.`` is not.
    """
    s = line.strip()
    if not s or len(s) > MAX_HEADLINE:
        return False
    if len(s.split()) < 2 and len(re.findall(r"[\u3400-\u9fff]", s)) < 4:
        return False
    if not (s[0].isalnum() or s[0] in "\"“‘'«(["):
        return False
    if s[0].isalpha() and s[0].islower() and not (len(s) > 1 and s[1].isupper()):  # "iDepo", "eMagazine"
        return False
    if _CONNECTIVE.match(s):
        return False
    if _INNER_STOP.search(s.rstrip(".!?。！？…\"”’» ")):
        return False
    return not _NOT_HEADLINE_END.search(s)
