"""Table cells that hold lists read back the same from memory and from the CSV write_table wrote."""
import numpy as np
import pandas as pd
import pytest

from corpuslib.core.tables import split_list, write_table


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
