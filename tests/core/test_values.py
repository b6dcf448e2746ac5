"""Cell values: missing values, dates and ISO partial dates."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from corpuslib.core.values import iso_bounds, none_if_missing, to_date


@pytest.mark.parametrize("value", [None, float("nan"), pd.NaT, pd.NA, np.nan])
def test_missing_values(value):
    assert none_if_missing(value) is None
    assert to_date(value) is None and iso_bounds(value) is None


@pytest.mark.parametrize("value", [0, "", "x", 0.5, [1]])
def test_present_values_are_kept(value):
    assert none_if_missing(value) is value


@pytest.mark.parametrize("value, day", [
    (dt.date(2023, 12, 12), dt.date(2023, 12, 12)),
    (dt.datetime(2023, 12, 12, 12, 44), dt.date(2023, 12, 12)),
    (pd.Timestamp("2023-12-12 12:44"), dt.date(2023, 12, 12)),            # seed 000's published
    (np.datetime64("2019-04-23"), dt.date(2019, 4, 23)),
    ("2018-11-17", dt.date(2018, 11, 17)), (" 2023-06-06 09:26:00", dt.date(2023, 6, 6)),
    ("2023-05", None), ("2023", None), ("17/11/2018", None), ("2023-02-30", None), (20231212, None),
])
def test_to_date(value, day):
    assert to_date(value) == day


@pytest.mark.parametrize("value, bounds", [
    ("2013-07-30", (dt.date(2013, 7, 30), dt.date(2013, 7, 30))),
    ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("1997", (dt.date(1997, 1, 1), dt.date(1997, 12, 31))),
    ("2023-13", None), ("97", None), ("2023-05-11T10:00", None), (2023, None),
])
def test_iso_bounds(value, bounds):
    assert iso_bounds(value) == bounds
