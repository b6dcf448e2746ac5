"""Run the property tests of ``tests/test_fuzz.py`` with many examples (default 10,000 each).

The suite runs them with a few hundred examples (``CORPUSLIB_FUZZ_EXAMPLES``, default 300); this
script runs the same tests with ``--examples`` each (the whole-file ingest tests a fifth of that)
and prints one line per test: the examples that passed, failed and were invalid.

    .venv/bin/python benchmarks/fuzz.py                       # 10,000 examples per property test
    .venv/bin/python benchmarks/fuzz.py --examples 20000 -k normalize
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="examples per property test (default 10000)")
    parser.add_argument("-k", default="not hostile_inputs and not hostile_input and not 50_mb",
                        help="pytest -k expression (default: the property tests)")
    args = parser.parse_args(argv)
    env = {**os.environ, "CORPUSLIB_FUZZ_EXAMPLES": str(args.examples)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_fuzz.py"),
                           "-k", args.k, "--hypothesis-show-statistics", "-W", "ignore"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    test = None
    for line in proc.stdout.splitlines():
        m = re.match(r"tests/test_fuzz.py::([\w\[\]-]+):", line.strip())
        if m:
            test = m.group(1)
        m = re.search(r"- (\d+) passing, (\d+) failing, and (\d+) invalid", line)
        if m and test:
            print(f"{test:<70} {int(m[1]):>7} passing  {int(m[2]):>3} failing  {int(m[3]):>5} invalid")
    print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-2000:])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
