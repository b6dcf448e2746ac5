"""Fixtures of the run tests: real RSS items (title + summary as published) and one hostile item."""
from __future__ import annotations

import pandas as pd
import pytest

from .snippets import HOSTILE_TEXT, HOSTILE_TITLE, HOSTILE_URL, REAL_ITEMS


@pytest.fixture(scope="session")
def rss_docs() -> pd.DataFrame:
    rows = [dict(doc_id=i, outlet=o, published=pd.Timestamp(d), title=t, text=s, url=u, lang="vi")
            for o, i, d, t, s, u in REAL_ITEMS]
    rows.append(dict(doc_id="hostile", outlet="Tuổi Trẻ", published=pd.Timestamp("2025-09-20"), title=HOSTILE_TITLE,
                     text=HOSTILE_TEXT, url=HOSTILE_URL, lang="vi"))
    return pd.DataFrame(rows)
