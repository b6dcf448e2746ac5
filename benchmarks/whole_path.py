"""The whole path from raw files to tokens against reading + the bare tokenizer (issue 19.4), in CPU seconds.

Usage:
    .venv/bin/python benchmarks/whole_path.py CORPUS LANG [--repeat 2] [--profile N]

CORPUS is a folder of .txt articles of one language (``benchmarks/make_corpus.py OUT --langs zh``).
Measured in this one process with ``time.process_time`` (CPU seconds, so a loaded machine does not
distort the ratio), the best of ``--repeat`` rounds, every memo emptied before each run:

* baseline: reading the files (bytes decoded as UTF-8) and the bare tokenizer on each text:
  ``jieba.lcut`` for zh; for ru ``\\w+`` words, lower-cased, memoized ``pymorphy3`` normal forms
  and the same stop list as corpuslib's;
* corpuslib: ``ingest(n_jobs=1, cache=False)`` (read, decode, clean, date, metadata) and
  ``tokenize(n_jobs=1, cache=False)`` of its documents.

Targets: zh within 1.3x, ru within 2x. ``--profile N`` prints the N costliest functions of the
corpuslib side (cProfile, own time).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _clear_memos() -> None:
    import corpuslib.text.tokens as T

    for name in ("_ru_lemma",):
        fn = getattr(T, name, None)
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()
    for name in ("_RU_TOKEN", "_VI_RAW", "_REGEX_WORD", "_KEEP"):
        memo = getattr(T, name, None)
        values = memo.values() if isinstance(memo, dict) and name in ("_RU_TOKEN", "_KEEP") else [memo]
        for m in values:
            if isinstance(m, dict):
                m.clear()


def baseline(files: list[Path], lang: str):
    """Return a function running reading + the bare tokenizer over ``files``."""
    import re
    from functools import lru_cache

    if lang == "zh":
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()

        def run():
            for f in files:
                jieba.lcut(f.read_bytes().decode("utf-8"))
        return run, lambda: None
    import pymorphy3

    from corpuslib.text.tokens import stopwords_for

    morph = pymorphy3.MorphAnalyzer(lang="ru")
    stop = stopwords_for("ru")
    word = re.compile(r"\w+")

    @lru_cache(maxsize=None)
    def lemma(w):
        return morph.parse(w)[0].normal_form

    def run():
        for f in files:
            [x for x in (lemma(w) for w in word.findall(f.read_bytes().decode("utf-8").lower())) if x not in stop]
    return run, lemma.cache_clear


def corpuslib_path(folder: Path):
    from corpuslib.documents.table import ingest
    from corpuslib.text.tokens import tokenize

    def run():
        docs = ingest(folder, n_jobs=1, cache=False).documents
        return tokenize(docs, cache=False, n_jobs=1)
    return run


def cpu(fn, clear) -> float:
    clear()
    _clear_memos()
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("lang", choices=("zh", "ru"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--profile", type=int, default=0)
    args = ap.parse_args(argv)
    folder = Path(args.corpus)
    files = sorted(folder.rglob("*.txt"))
    mb = sum(f.stat().st_size for f in files) / 1e6
    base, clear = baseline(files, args.lang)
    ours = corpuslib_path(folder)
    ours()  # libraries and models loaded before timing (both sides)
    base()
    b = c = float("inf")
    for _ in range(args.repeat):
        b = min(b, cpu(base, clear))
        c = min(c, cpu(ours, clear))
    target = 1.3 if args.lang == "zh" else 2.0
    print(f"{args.lang} files={len(files)} MB={mb:.1f} baseline_cpu_s={b:.2f} corpuslib_cpu_s={c:.2f} "
          f"ratio={c / b:.2f} target<={target} {'ok' if c / b <= target else 'MISSED'}")
    if args.profile:
        import cProfile
        import pstats

        clear()
        _clear_memos()
        prof = cProfile.Profile(time.process_time)
        prof.runcall(ours)
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
