"""Writing result tables: sorted rows, fixed float format, UTF-8, formulas neutralised, written atomically."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

#: Floats are written with this format so reruns give byte-identical files.
FLOAT_FORMAT = "%.6g"
#: A text cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(...)``,
#: ``@SUM(...)``, ``+cmd|...``); CSV tables write it behind a ``'`` so it opens as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Return a text cell a spreadsheet would run as a formula behind a ``'``; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def sort_table(df: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Return ``df`` sorted by ``by`` (default: all columns of simple types, left to right), index reset."""
    if by is None:
        by = [c for c in df.columns if df[c].map(lambda v: isinstance(v, (list, dict, set))).sum() == 0]
    return df.sort_values(by, kind="stable", na_position="last").reset_index(drop=True) if by else df.reset_index(drop=True)


def write_table(df: pd.DataFrame, path: str | os.PathLike, *, sort_by: list[str] | None = None) -> Path:
    """Write ``df`` as CSV (UTF-8, sorted rows, fixed float format) via a temp file renamed into place.

    Text cells starting with ``= + - @``, a tab or a carriage return get a leading ``'``
    (:func:`neutralise_formula`), so a spreadsheet shows scraped text instead of running it;
    numbers are not text and stay as they are. Parquet tables keep the raw values.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (not modified); list cells are written joined by ``|``.
    path : str or Path
        The CSV file; its folder is created.
    sort_by : list of str, optional
        Sort keys; default: every column of simple values, left to right.

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = sort_table(df, sort_by)
    out = out.apply(lambda s: s.map(lambda v: "|".join(map(str, v)) if isinstance(v, (list, tuple, set)) else v))
    out = out.apply(lambda s: s.map(neutralise_formula) if s.dtype == object or pd.api.types.is_string_dtype(s) else s)
    tmp = path.with_name(path.name + ".tmp")
    out.to_csv(tmp, index=False, encoding="utf-8", float_format=FLOAT_FORMAT, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\n")
    tmp.replace(path)
    return path


def split_list(value) -> list:
    """Return a list cell as a list: as held in memory (list, tuple, array) or as :func:`write_table` wrote it
    (``a|b``); an empty or missing cell is ``[]``."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if hasattr(value, "__len__") and not isinstance(value, str):
        return [v for v in value if v is not None and str(v) != ""]
    return [part for part in str(value).split("|") if part.strip()]
