"""Write a generated corpus of real zh/ru/vi paragraphs (see corpuslib.documents.synthetic).

Usage:
    .venv/bin/python benchmarks/make_corpus.py OUT --n 10000 [--fmt txt|jsonl] [--seed 0]
        [--langs zh,ru,vi] [--weights 1,1,1] [--duplicate-rate 0.01] [--encoded-rate 0.02] [--no-shared]

Prints one line: folder, files, articles, MB, articles per language, seconds.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> None:
    from corpuslib.documents import synthetic as generate

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="folder to write")
    ap.add_argument("--n", type=int, default=10_000, help="number of articles")
    ap.add_argument("--fmt", choices=("txt", "jsonl"), default="txt")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--langs", default="zh,ru,vi")
    ap.add_argument("--weights", help="relative frequencies, e.g. 1,1,2")
    ap.add_argument("--duplicate-rate", type=float, default=0.01)
    ap.add_argument("--encoded-rate", type=float, default=0.02)
    ap.add_argument("--shard-size", type=int, default=10_000, help="rows per .jsonl file")
    ap.add_argument("--no-shared", action="store_true", help="seeds only (no ../shared/corpora/vntc paragraphs)")
    args = ap.parse_args(argv)
    langs = tuple(args.langs.split(","))
    weights = [float(w) for w in args.weights.split(",")] if args.weights else None
    t0 = time.perf_counter()
    s = generate.write_corpus(args.out, args.n, fmt=args.fmt, seed=args.seed, langs=langs, weights=weights,
                              shared=None if args.no_shared else "auto", duplicate_rate=args.duplicate_rate,
                              encoded_rate=args.encoded_rate, shard_size=args.shard_size)
    print(f"corpus {s.path} files={s.files} articles={s.articles} MB={s.bytes / 1e6:.1f} "
          f"langs={','.join(f'{k}:{v}' for k, v in s.langs.items())} s={time.perf_counter() - t0:.1f}")


if __name__ == "__main__":
    main()
