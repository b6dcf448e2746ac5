"""Coverage and precision check of the reform lexicon on real text.

Prints, for the bundled seeds (data/raw) and the shared corpora (rss_political_vi: titles and
RSS summaries; vntc: the Party subset of VNTC):

1. hits (matches / documents) per concept and language in each corpus;
2. every term whose ``source`` names a corpus (``corpus:seeds/NNN``, ``corpus:rss``,
   ``corpus:vntc``) but is not found there -- it must be fixed or cited;
3. a reproducible sample of concordance lines per concept, to judge precision by reading.

Usage::

    python benchmarks/lexicon_coverage.py [--lines 10] [--concept NAME ...] [--corpus rss]
                                          [--lexicon PATH] [--csv lines.csv]

Needs ../shared/corpora (or CORPUSLIB_SHARED) for the shared corpora; seeds always run.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpuslib.analysis.compare import kwic  # noqa: E402
from corpuslib.documents.table import ingest  # noqa: E402
from corpuslib.text.lexicon import Lexicon, find_concepts, load_lexicon  # noqa: E402

SHARED = Path(os.environ.get("CORPUSLIB_SHARED", ROOT.parent / "shared"))


def load_corpora(names: list[str]) -> dict[str, pd.DataFrame]:
    """Return the documents tables of the requested corpora that are available."""
    out = {}
    if "seeds" in names:
        out["seeds"] = ingest(ROOT / "data" / "raw").documents
    rss = SHARED / "corpora" / "rss_political_vi" / "rss_political_keyword_subset.jsonl"
    if "rss" in names and rss.exists():
        out["rss"] = ingest(rss, columns={"id": "id", "text": "summary", "title": "title", "date": "published",
                                          "url": "link", "outlet": "source"}).documents
    vntc = SHARED / "corpora" / "vntc" / "vntc_chinhtrixahoi_party_keyword_subset.jsonl"
    if "vntc" in names and vntc.exists():
        out["vntc"] = ingest(vntc, columns={"id": "id", "text": "text", "outlet": "outlet"}).documents
    return out


def coverage(hits: dict[str, pd.DataFrame], lexicon) -> pd.DataFrame:
    """Return matches and documents per concept x language x corpus (wide)."""
    rows = []
    for name, h in hits.items():
        g = h.groupby(["concept", "lang"]).agg(hits=("start", "size"), docs=("doc_id", "nunique")).reset_index()
        g["corpus"] = name
        rows.append(g)
    long = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["concept", "lang", "hits", "docs", "corpus"])
    grid = lexicon.table[["concept", "lang"]].drop_duplicates()
    wide = long.pivot_table(index=["concept", "lang"], columns="corpus", values=["hits", "docs"], fill_value=0)
    wide.columns = [f"{c}_{m}" for m, c in wide.columns]
    out = grid.merge(wide.reset_index(), on=["concept", "lang"], how="left").fillna(0)
    order = {c: i for i, c in enumerate(lexicon.concepts["concept"])}
    out = out.sort_values(["concept", "lang"], key=lambda s: s.map(order) if s.name == "concept" else s)
    num = [c for c in out.columns if c not in ("concept", "lang")]
    out[num] = out[num].astype(int)
    return out.reset_index(drop=True)


def raw_seeds(seeds: pd.DataFrame) -> pd.DataFrame:
    """Return the seed files as written (captions and credits included), one document each."""
    rows = []
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        match = seeds[seeds["doc_id"] == path.stem]
        lang = match["lang"].iloc[0] if len(match) else None
        rows.append({"doc_id": path.stem, "lang": lang, "text": path.read_text(encoding="utf-8")})
    return pd.DataFrame(rows)


def unattested(hits: dict[str, pd.DataFrame], lexicon, docs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return terms whose corpus source does not contain them.

    Each term is checked on its own (a longer term of the same concept may hide it in the
    combined matching); seeds are checked as written, captions included.
    """
    if "seeds" in docs:
        docs = {**docs, "seeds": raw_seeds(docs["seeds"])}
    rows = []
    for r in lexicon.table.itertuples(index=False):
        for src in [s.strip() for s in r.source.split(";")]:
            if not src.startswith("corpus:"):
                continue
            name = src.split(":", 1)[1]
            corpus, _, doc = name.partition("/")
            if corpus not in hits:
                continue
            h = hits[corpus]
            h = h[(h["concept"] == r.concept) & (h["term"] == r.term)]
            if doc:
                h = h[h["doc_id"].str.startswith(doc)]
            if not len(h):  # check the term alone, in the raw text for seeds
                row = lexicon.table[lexicon.table["line"] == r.line].reset_index(drop=True)
                # an exclude row is attested by the text it excludes
                row["match"] = row["match"].str.replace("exclude", "near").replace("near", "phrase")
                single = Lexicon(row)
                d = docs[corpus]
                d = d[d["lang"] == r.lang]
                if doc:
                    d = d[d["doc_id"].str.startswith(doc)]
                if not len(find_concepts(d, single)):
                    rows.append((r.line, r.concept, r.lang, r.term, src))
    return pd.DataFrame(rows, columns=["line", "concept", "lang", "term", "source"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=10, help="concordance lines per concept and corpus")
    ap.add_argument("--concept", nargs="*", help="only these concepts")
    ap.add_argument("--corpus", nargs="*", default=["seeds", "rss", "vntc"], help="corpora to use")
    ap.add_argument("--lexicon", help="lexicon file (default: the shipped one)")
    ap.add_argument("--csv", help="also write the sampled concordance lines to this CSV (for annotation)")
    ap.add_argument("--window", type=int, default=8)
    args = ap.parse_args(argv)

    lexicon = load_lexicon(args.lexicon)
    print(f"lexicon {lexicon.path} version {lexicon.version}: {lexicon.concepts.shape[0]} concepts, "
          f"{len(lexicon)} terms")
    t0 = time.perf_counter()
    docs = load_corpora(args.corpus)
    for name, d in docs.items():
        print(f"  {name}: {len(d)} documents ({', '.join(f'{k} {v}' for k, v in d['lang'].value_counts().items())})")
    hits = {}
    for name, d in docs.items():
        t = time.perf_counter()
        hits[name] = find_concepts(d, lexicon)
        print(f"  matched {name} in {time.perf_counter() - t:.1f}s: {len(hits[name])} hits")
    print(f"loaded and matched in {time.perf_counter() - t0:.1f}s\n")

    pd.set_option("display.width", 200, "display.max_rows", 500, "display.max_colwidth", 120)
    print("== hits per concept and language ==")
    print(coverage(hits, lexicon).to_string(index=False))

    bad = unattested(hits, lexicon, docs)
    print(f"\n== terms not found in the corpus their source names: {len(bad)} ==")
    if len(bad):
        print(bad.to_string(index=False))

    concepts = args.concept or list(lexicon.concepts["concept"])
    sample_rows = []
    print("\n== concordance samples ==")
    for concept in concepts:
        print(f"\n-- {concept} --")
        for name, d in docs.items():
            h = hits[name][hits[name]["concept"] == concept]
            if not len(h):
                continue
            lines = kwic(d, lexicon, hits=h, window=args.window, max_per_item=args.lines, random_state=0)
            print(f"   [{name}: {len(h)} hits, showing {len(lines)}]")
            for r in lines.itertuples(index=False):
                print(f"   {str(r.doc_id)[:22]:22s} | {r.left[-70:]:>70s} [{r.match}] {r.right[:70]}")
                sample_rows.append({"corpus": name, **r._asdict()})
    if args.csv:
        pd.DataFrame(sample_rows).assign(correct="").to_csv(args.csv, index=False)
        print(f"\nwrote {len(sample_rows)} lines to {args.csv} (fill 'correct' with 1/0 to estimate precision)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
