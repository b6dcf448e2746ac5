"""Numerals and width folding, and the same values where dates, references and the timeline read them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslib.text.numerals import (
    WIDTH_FOLD,
    chinese_numeral_to_int,
    fold_width,
    int_to_roman,
    parse_small_number,
    roman_to_int,
)


@pytest.mark.parametrize("s, n", [("XIII", 13), ("XIV", 14), ("VIII", 8), ("xii", 12), ("\u0425IV", 14),
                                  ("ＸＩＩ", 12), ("IIII", None), ("ABC", None), ("", None), (None, None)])
def test_roman_to_int(s, n):
    assert roman_to_int(s) == n


@given(st.integers(1, 3999))
def test_roman_round_trip(n):
    assert roman_to_int(int_to_roman(n)) == n


@pytest.mark.parametrize("bad", [0, -1, 4000, 2.0, True, "3"])
def test_int_to_roman_refuses(bad):
    with pytest.raises(ValueError):
        int_to_roman(bad)


@pytest.mark.parametrize("s, n", [("十三", 13), ("十九", 19), ("二十", 20), ("三十一", 31), ("一百零五", 105),
                                  ("两", 2), ("二〇二三", 2023), ("一万二千", 12000), ("１２", 12), ("大", None),
                                  ("", None)])
def test_chinese_numeral_to_int(s, n):
    assert chinese_numeral_to_int(s) == n


@pytest.mark.parametrize("s, n", [("14", 14), ("XIV", 14), ("十四", 14), ("１４", 14), ("mười bốn", None)])
def test_parse_small_number(s, n):
    assert parse_small_number(s) == n


@given(st.text(alphabet=st.sampled_from(list("ａＡ０９－／　–—⁄汉a1 -")), max_size=40))
def test_fold_width_keeps_offsets(text):
    folded = fold_width(text)
    assert len(folded) == len(text)
    assert all(ord(c) not in WIDTH_FOLD for c in folded)


# ---------------------------------------------------------------------------------------------
# One reading in every stage
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("据报道,二〇二三年十二月十二日上午召开会议", "2023-12-12"),
    ("会议于十二月三十一日召开", None),   # no year: checked by the day and month only
])
def test_dates_read_chinese_numerals_as_numerals_does(text, value):
    from corpuslib.text.dates import extract_dates

    row = extract_dates(text, lang="zh").iloc[0]
    assert row["value"].endswith("-12-31" if value is None else value)


@pytest.mark.parametrize("phrase, numeral", [
    ("Đại hội Đảng toàn quốc lần thứ XIII", "XIII"), ("к \u0425IV Национальному съезду партии", "\u0425IV"),  # seeds 003, 001
    ("越共十三大", "十三"), ("乂安省党部第十九次代表大会", "十九"),  # seed 000
])
def test_references_read_numerals_as_numerals_does(phrase, numeral):
    from corpuslib.analysis.references import parse_congress_number

    assert parse_congress_number(phrase) == parse_small_number(numeral) is not None


def test_timeline_names_congresses_with_numerals():
    from corpuslib.analysis import timeline

    # "Đại hội XIV" and "Đại hội 14" name the same congress
    a = timeline._name_tokens({"label": "Đại hội XIV", "participants": []})
    b = timeline._name_tokens({"label": "Đại hội 14", "participants": []})
    assert a == b == {"đại", "hội", "14"} - timeline._NAME_STOP
    assert timeline._roman(14) == int_to_roman(14) == "XIV"
