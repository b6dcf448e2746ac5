"""Dates, outlets, bylines and near-duplicates on the real corpora (issue 14 points 5, 6, 8).

``python benchmarks/metadata_faithfulness.py [--corpora DIR]``

For each shared corpus (RSS year, crawl, VNTC party subset, VNTC sample) it prints:

* ``date``: documents whose URL carries a date, and how many of them are dated on another day than
  the URL (per outlet), with ``date_method`` counts;
* ``outlet``: documents per canonical outlet and ``outlet_method``;
* ``byline``: byline cells dropped as placeholders, by value;
* ``near-dup``: documents flagged ``near_duplicate_of`` (across outlets), and the CPU seconds
  (``time.process_time``) of :func:`corpuslib.documents.duplicates.flag_near_duplicates`.

Counts and CPU time, not wall time: the machine may be loaded.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from corpuslib.documents.duplicates import flag_near_duplicates  # noqa: E402
from corpuslib.documents.table import ingest  # noqa: E402
from corpuslib.text import dates  # noqa: E402

CORPORA = {
    "rss": "rss_political_vi/rss_political_keyword_subset.jsonl",
    "crawl": "crawl_news_vi/rss_feed_articles_backup.csv",
    "vntc": "vntc/vntc_chinhtrixahoi_party_keyword_subset.jsonl",
    "vntc1500": "vntc/vntc_10topics_test_sample1500.jsonl",
}


def _url_day(url):
    parsed = dates.date_from_url(url) if isinstance(url, str) else None
    return parsed.value.date() if parsed is not None else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=os.path.join(os.environ.get("CORPUSLIB_SHARED", "../shared"), "corpora"))
    args = ap.parse_args()
    for name, rel in CORPORA.items():
        docs = ingest(Path(args.corpora) / rel, cache=False).documents
        url_day = docs["url"].map(_url_day)
        has = url_day.notna()
        other = has & (docs["published"].dt.date != url_day)
        per_outlet = {o: f"{int(other[g.index].sum())}/{len(g)}" for o, g in docs[has].groupby("outlet")}
        print(f"{name}: {len(docs)} documents")
        print(f"  date     on another day than the URL: {int(other.sum())} of {int(has.sum())} {per_outlet}; "
              f"methods {docs['date_method'].value_counts().to_dict()}")
        print(f"  outlet   {docs.groupby(['outlet', 'outlet_method'], dropna=False).size().to_dict()}")
        dropped = collections.Counter(item["line"] for raw in docs["removed"] for item in json.loads(raw)
                                      if item["reason"] == "byline_placeholder")
        print(f"  byline   placeholders dropped: {sum(dropped.values())} {dict(dropped.most_common(6))}")
        t0 = time.process_time()
        flagged = flag_near_duplicates(docs.drop(columns="near_duplicate_of"))
        cpu = time.process_time() - t0
        near = flagged["near_duplicate_of"].notna()
        outlet = flagged.set_index("doc_id")["outlet"]
        across = int((flagged.loc[near, "near_duplicate_of"].map(outlet) != flagged.loc[near, "outlet"]).sum())
        print(f"  near-dup {int(near.sum())} flagged ({across} across outlets), {cpu:.1f} s CPU")


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    main()
