"""Writing result tables: sorted, fixed floats, formulas neutralised in CSV, written atomically; list cells."""
import numpy as np
import pandas as pd
import pytest

from corpuslib.core.tables import neutralise_formula, split_list, write_table


@pytest.mark.parametrize("cell, written", [
    ('=HYPERLINK("http://example.invalid/","click")', '\'=HYPERLINK("http://example.invalid/","click")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Tinh gọn = hiệu quả", "Tinh gọn = hiệu quả"),  # only a leading sign counts
    ("", ""),
    (-1.5, -1.5),                                      # numbers are not text
    (None, None),
])
def test_formulas_are_neutralised(cell, written):
    assert neutralise_formula(cell) == written


def test_write_table_neutralises_text_cells_only(tmp_path):
    df = pd.DataFrame({"term": ["=1+1", "ok", "-tinh gọn"], "z": [-1.25, 2.0, -0.5], "n": [-3, 1, 2],
                       "ids": [["=a", "b"], ["c"], []]})
    path = write_table(df, tmp_path / "t.csv", sort_by=["z"])
    assert path.read_text(encoding="utf-8").splitlines() == [
        "term,z,n,ids", "'=1+1,-1.25,-3,'=a|b", "'-tinh gọn,-0.5,2,", "ok,2,1,c"]
    assert not list(tmp_path.glob("*.tmp"))
    again = write_table(df, tmp_path / "u.csv", sort_by=["z"])
    assert again.read_bytes() == path.read_bytes()  # byte-identical reruns
    assert df["term"].tolist() == ["=1+1", "ok", "-tinh gọn"]  # the input is not changed


@pytest.mark.parametrize("cell, expected", [
    (["Thanh Niên", "Tuổi Trẻ"], ["Thanh Niên", "Tuổi Trẻ"]),
    (np.array(["59-NQ/TW@2025", "70-NQ/TW@2025"], dtype=object), ["59-NQ/TW@2025", "70-NQ/TW@2025"]),
    ("59-NQ/TW@2025|70-NQ/TW@2025", ["59-NQ/TW@2025", "70-NQ/TW@2025"]),
    ("", []), (None, []), (float("nan"), []), ([], []), (["", None, "vi"], ["vi"]),
])
def test_split_list_reads_memory_and_csv_cells(cell, expected):
    assert split_list(cell) == expected


def test_lists_survive_a_round_trip_through_write_table(tmp_path):
    table = pd.DataFrame({"event": ["e1", "e2"], "outlets": [["Thanh Niên", "Tuổi Trẻ"], []]})
    back = pd.read_csv(write_table(table, tmp_path / "t.csv"), keep_default_na=False)
    assert [split_list(v) for v in back["outlets"]] == [["Thanh Niên", "Tuổi Trẻ"], []]
