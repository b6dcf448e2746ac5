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
