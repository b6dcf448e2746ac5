"""Dates in text: page datelines, table cells, URLs and temporal expressions (vi, zh, ru, en).

Two consumers:

* page metadata (:func:`parse_dateline`, :func:`parse_date_value`, :func:`date_from_url`,
  :func:`find_day_month`, :func:`infer_story_year`) get one :class:`ParsedDate` per value;
* the timeline and references (:func:`extract_dates`) get a table of every temporal expression
  with its normalized value, granularity, bounds, character span and sentence.

Everything is regex-first, from one rule table: each :class:`~.rules.Rule` keeps its pattern and
the converter that reads it, one module per language (:mod:`.vi`, :mod:`.zh`, :mod:`.ru`,
:mod:`.en`; language-neutral numeric forms in :mod:`.rules`).  :mod:`.scan` runs the table,
:mod:`.values` reads single values, :mod:`.extract` resolves running text.  ``dateparser`` is
used only where it does the job better: relative values against an anchor and as a last resort
for short single values.  Inputs are expected in NFC (the documents table is); offsets refer to
the string passed in.
"""
from __future__ import annotations

from .extract import EXTRACT_COLUMNS, extract_dates, find_day_month, find_full_dates, infer_story_year
from .values import PLACEHOLDER_YEAR, ParsedDate, date_from_url, decode_dnum, parse_date_value, parse_dateline

__all__ = [
    "PLACEHOLDER_YEAR",
    "EXTRACT_COLUMNS",
    "ParsedDate",
    "parse_dateline",
    "parse_date_value",
    "date_from_url",
    "find_day_month",
    "find_full_dates",
    "infer_story_year",
    "extract_dates",
    "decode_dnum",
]
