"""Cell values: missing values, dates and ISO partial dates, read one way by every stage."""
from __future__ import annotations

import calendar
import datetime as dt
import re

import numpy as np
import pandas as pd

__all__ = ["none_if_missing", "to_date", "iso_bounds"]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def none_if_missing(value):
    """Return ``value``, or None when it is a missing value (None, NaN, NaT, ``pd.NA``)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


def to_date(value) -> dt.date | None:
    """Return the calendar day of a cell value, or None.

    Dates, datetimes, pandas Timestamps and numpy datetimes give their day; strings give the day of a
    leading ISO date (``"2023-12-12"``, ``"2023-12-12 12:44:00"``). Missing values, partial dates
    (``"2023-05"``: see :func:`iso_bounds`) and anything else give None.
    """
    value = none_if_missing(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # pd.Timestamp is a datetime
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        s = value.strip()
        if not _ISO_DAY.match(s):
            return None
        try:
            return dt.date.fromisoformat(s[:10])
        except ValueError:
            return None
    if isinstance(value, np.datetime64):
        ts = pd.Timestamp(value)
        return None if ts is pd.NaT else ts.date()
    return None  # numbers are not dates (an int would read as nanoseconds since 1970)


def iso_bounds(value) -> tuple[dt.date, dt.date] | None:
    """Return the first and last day an ISO date of day, month or year precision can mean.

    ``"2023-05-11"`` -> (2023-05-11, 2023-05-11); ``"2023-05"`` -> (2023-05-01, 2023-05-31);
    ``"2023"`` -> (2023-01-01, 2023-12-31); anything else (missing values, other strings, impossible
    dates) -> None.
    """
    value = none_if_missing(value)
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            d = dt.date.fromisoformat(s)
            return d, d
        if re.fullmatch(r"\d{4}-\d{2}", s):
            y, m = map(int, s.split("-"))
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        if re.fullmatch(r"\d{4}", s):
            return dt.date(int(s), 1, 1), dt.date(int(s), 12, 31)
    except ValueError:
        return None
    return None
