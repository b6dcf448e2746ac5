"""Ingest throughput and peak memory on real text (issue 2's figures).

Usage: .venv/bin/python benchmarks/ingest_throughput.py [--shared ../shared]
Prints one line per figure: corpus, documents, MB, seconds, docs/s, MB/s, peak RSS.
"""
from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpuslib.documents.table import ingest  # noqa: E402


def measure(label: str, path: Path, **kw) -> None:
    size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    t0 = time.perf_counter()
    docs, rejected = ingest(path, **kw)
    dt = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<28} docs={len(docs):>5} rejected={len(rejected):>4} MB={size / 1e6:6.2f} "
        f"s={dt:6.2f} docs/s={len(docs) / dt:7.1f} MB/s={size / 1e6 / dt:5.2f} peak_rss_MB={rss_mb:6.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    shared = Path(args.shared)
    print(f"# {platform.node()} {platform.machine()} python {platform.python_version()} {time.strftime('%Y-%m-%d')}")
    measure("seeds (data/raw)", ROOT / "data" / "raw")
    measure("vntc sample 1500 (jsonl)", shared / "corpora/vntc/vntc_10topics_test_sample1500.jsonl", columns={"id": "id", "text": "text"})
    measure("crawl rss backup (csv)", shared / "corpora/crawl_news_vi/rss_feed_articles_backup.csv")


if __name__ == "__main__":
    main()
