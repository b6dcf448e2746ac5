"""Command line: ``corpuslib ingest``, ``corpuslib run`` and ``corpuslib verify``."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def _columns(items: list[str] | None) -> dict | None:
    if not items:
        return None
    out = {}
    for item in items:
        role, sep, col = item.partition("=")
        if not sep:
            raise SystemExit(f"corpuslib: --column takes ROLE=COLUMN, not {item!r}")
        out[role.strip()] = col.strip()
    return out


def _is_documents_table(path: Path) -> bool:
    """True for a Parquet file holding a documents table (what ``ingest --out`` writes)."""
    try:
        import pyarrow.parquet as pq

        names = set(pq.read_schema(path).names)
    except Exception:  # not Parquet, or unreadable: not ours
        return False
    return {"doc_id", "source_path", "text", "content_hash"} <= names


def _is_rejected_table(path: Path) -> bool:
    """True for a CSV file holding a rejected table (what ``--rejected`` writes)."""
    try:
        with open(path, "rb") as fh:
            return fh.readline().rstrip(b"\r\n") == b"source_path,reason,detail"
    except OSError:
        return False


def cmd_ingest(args) -> int:
    import shutil
    import tempfile

    from ..core.outputs import check_out_file
    from ..core.tables import write_table
    from ..documents.readers import check_columns
    from ..documents.table import ingest_to_parquet

    columns = _columns(args.column)
    out = check_out_file(args.out, looks_ours=_is_documents_table, inputs=args.paths)
    rejected = check_out_file(args.rejected, looks_ours=_is_rejected_table, inputs=args.paths,
                              flag="--rejected") if args.rejected else None
    check_columns(args.paths, columns)  # a column the tables lack: stop before reading the corpus
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".ingest", dir=out.parent))
    staged = work / out.name  # moved into place only when something loaded
    try:
        # streamed in chunks: memory stays flat however large the corpus
        result = ingest_to_parquet(args.paths, staged, columns=columns, min_chars=args.min_chars,
                                   tone_style=args.tone_style, progress=not args.quiet, n_jobs=args.jobs,
                                   chunk_size=args.chunk_size, cache=not args.no_cache)
        if result.n_documents:
            staged.replace(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rej = result.rejected
    print(f"loaded   {result.n_documents:>7} documents  ({', '.join(f'{k} {v}' for k, v in result.langs.items())})")
    print(f"rejected {len(rej):>7} inputs")
    for reason, n in sorted(Counter(rej["reason"]).items()):
        print(f"  {reason:<12} {n:>7}")
    print(f"dated    {result.n_dated:>7} of {result.n_documents}")
    if result.n_documents:
        print(f"wrote {args.out}")
    if rejected is not None:
        write_table(rej, rejected, sort_by=[])  # already by file and row number (sort_rejected)
        print(f"wrote {args.rejected}")
    if not result.n_documents:
        print("corpuslib: nothing loaded", file=sys.stderr)
        return 1
    return 0


def cmd_build(args) -> int:
    import contextlib

    from ..core import outputs
    from ..documents.readers import check_columns
    from .build import build_tables, up_to_date

    out = outputs.check_out_dir(args.out, kind="build", inputs=args.paths)
    check_columns(args.paths, _columns(args.column))  # a column the tables lack: stop before reading
    with outputs.locked(out):
        outputs.recover(out)
        staged = outputs.sibling(out, ".staging", hidden=True)  # replaces --out whole, or not at all
        columns = _columns(args.column)
        try:
            done = None if args.no_cache else up_to_date(args.paths, out, chunk_size=args.chunk_size,
                                                         columns=columns, min_chars=args.min_chars,
                                                         tone_style=args.tone_style)
            if done is not None:
                print(f"up to date: {out}/ already holds the tables of these inputs ({done.n_documents} documents, "
                      f"{done.n_tokens} tokens); nothing rebuilt")
                return 0
            tables = build_tables(args.paths, staged, engine=args.engine, address=args.scheduler,
                                  n_workers=args.workers, n_jobs=args.jobs, chunk_size=args.chunk_size,
                                  columns=columns, min_chars=args.min_chars, tone_style=args.tone_style,
                                  cache=not args.no_cache,
                                  progress=not args.quiet)
            print(f"loaded   {tables.n_documents:>7} documents")
            print(f"rejected {tables.n_rejected:>7} inputs (see rejected.csv)")
            print(f"tokens   {tables.n_tokens:>7}")
            if not tables.n_documents:
                outputs.remove_tree(staged)
                print("corpuslib: nothing loaded", file=sys.stderr)
                return 1
            outputs.publish(staged, out)
        except BaseException:
            if outputs.marker_kind(staged) is not None:
                with contextlib.suppress(OSError):
                    outputs.remove_tree(staged)
            raise
    print(f"wrote {out}/ (documents.parquet, rejected.csv, tokens.parquet, term_counts.parquet, build.json)")
    return 0


def _run_params(args) -> dict:
    from .params import parse_value, read_params_file

    params = dict(read_params_file(args.params)) if args.params else {}
    for name, value in args.p or []:
        params[name] = parse_value(value)
    return params


def cmd_run(args) -> int:
    from .params import ParameterError
    from .runner import RunError, run_notebooks, select_notebooks

    if args.help_params:
        from .params import declared_parameters, format_help

        print(format_help(declared_parameters(select_notebooks(only=args.only))))
        return 0
    try:
        params = _run_params(args)
    except ParameterError as exc:
        print(f"corpuslib: {exc.problems[0]}", file=sys.stderr)
        return 2
    if args.corpus and not Path(args.corpus).exists():
        print(f"corpuslib: no such file or folder: {args.corpus}", file=sys.stderr)
        return 2
    try:
        out = run_notebooks(corpus=args.corpus, params=params, out_dir=Path(args.out).resolve(), only=args.only,
                            force=args.force)
    except RunError as exc:
        print(f"corpuslib: {exc}", file=sys.stderr)
        return 1
    from .manifest import read_manifest

    records = (read_manifest(out) or {}).get("notebooks", {})
    reused = [name for name, rec in records.items() if rec.get("status") == "reused"]
    if reused:
        print(f"reused   {len(reused)} of {len(records)} notebooks (unchanged since the previous run; --force reruns)")
    print(f"outputs in {out}")
    print(f"report   {out / 'report.html'}")
    return 0


def cmd_verify(args) -> int:
    from .manifest import verify

    try:
        found = verify(args.out_dir, inputs=args.inputs)
    except FileNotFoundError as exc:
        print(f"corpuslib: {exc}", file=sys.stderr)
        return 2
    for diff in found:
        print(diff)
    if found:
        print(f"corpuslib: {len(found)} difference{'s' if len(found) != 1 else ''} from {Path(args.out_dir) / 'manifest.json'}",
              file=sys.stderr)
        return 1
    print("ok")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``corpuslib`` command."""
    parser = argparse.ArgumentParser(prog="corpuslib", description="Multilingual news corpora on reform rhetoric.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read files/folders into a documents table (Parquet)")
    p.add_argument("paths", nargs="+", help=".txt articles, .jsonl/.csv/.tsv tables, or folders of them")
    p.add_argument("--out", required=True, help="documents table to write (.parquet)")
    p.add_argument("--rejected", help="rejected inputs to write (.csv)")
    p.add_argument("--column", action="append", metavar="ROLE=COLUMN",
                   help="table column for a field: id, text, title, date, url, outlet, byline (repeatable)")
    p.add_argument("--min-chars", type=int, default=80, help="reject bodies shorter than this (default 80)")
    p.add_argument("--tone-style", choices=["new", "old", "none"], default="new",
                   help="Vietnamese tone placement in open oa/oe/uy: new (hóa, thủy), old (hoá, thuỷ), none (as written)")
    p.add_argument("-j", "--jobs", type=int, default=-1,
                   help="worker processes (default -1: every CPU; 1: this process only)")
    p.add_argument("--chunk-size", type=int, default=5000,
                   help="documents per sorted run and Parquet row group (memory grows with it; default 5000)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor fill the ingest cache")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    b = sub.add_parser("build", help="documents, tokens and term counts of a large corpus (streamed; local or Dask)")
    b.add_argument("paths", nargs="+", help="what ingest accepts")
    b.add_argument("--out", required=True, help="folder for documents.parquet, rejected.csv, tokens.parquet, "
                                                 "term_counts.parquet (replaced only when the build succeeds)")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local processes (default) or a dask.distributed cluster")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="--engine dask: scheduler to use (tcp://host:8786); default a LocalCluster for the run")
    b.add_argument("--workers", type=int, help="--engine dask without --scheduler: LocalCluster workers (default: CPUs)")
    b.add_argument("-j", "--jobs", type=int, default=-1, help="--engine local: worker processes (default -1: every CPU)")
    b.add_argument("--column", action="append", metavar="ROLE=COLUMN", help="as for ingest (repeatable)")
    b.add_argument("--min-chars", type=int, default=80, help="reject bodies shorter than this (default 80)")
    b.add_argument("--tone-style", choices=["new", "old", "none"], default="new",
                   help="Vietnamese tone placement in open oa/oe/uy: new (hóa, thủy), old (hoá, thuỷ), none (as written)")
    b.add_argument("--chunk-size", type=int, default=5000,
                   help="documents per chunk (memory grows with it, not with the corpus; default 5000)")
    b.add_argument("--no-cache", action="store_true", help="neither read nor fill the ingest and token caches")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("run", help="execute notebooks/NN-*.ipynb in order with papermill")
    r.add_argument("--corpus", help="file or folder to analyse (default: the bundled corpus data/raw)")
    r.add_argument("--params", help="YAML file of notebook parameters")
    r.add_argument("-p", nargs=2, action="append", metavar=("NAME", "VALUE"), help="one parameter (YAML value)")
    r.add_argument("--out", default="outputs", help="output folder (default outputs/)")
    r.add_argument("--only", nargs="+", metavar="NN", help="run only notebooks starting with these prefixes")
    r.add_argument("--force", action="store_true",
                   help="execute every notebook, even those whose inputs did not change since the previous run")
    r.add_argument("--help-params", action="store_true",
                   help="list every notebook parameter with its type, default and help, and exit")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("verify", help="check a run's outputs against its manifest.json")
    v.add_argument("out_dir", nargs="?", default="outputs", help="output folder of a run (default outputs/)")
    v.add_argument("--inputs", action="store_true",
                   help="also check that the input files and shipped data still match the manifest")
    v.set_defaults(func=cmd_verify)
    return parser


def describe_os_error(exc: OSError, writing: str | None = None) -> str:
    """Return one line saying what failed on the disk (a full disk, a read-only folder) and where.

    ``writing`` names what the command was writing, for errors that do not name their file
    (Parquet writers do not).
    """
    import errno

    from ..core.paths import printable

    where = f" writing {printable(str(exc.filename or writing))}" if exc.filename or writing else ""
    errno_ = exc.errno if exc.errno is not None else next(
        (code for code, text in ((errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only file system"))
         if text in str(exc)), None)  # pyarrow's IO errors carry the errno only in their text
    if errno_ == errno.ENOSPC:
        return f"the disk is full (No space left on device){where}"
    if errno_ == errno.EDQUOT:
        return f"the disk quota is exhausted (Disk quota exceeded){where}"
    return f"{exc.strerror or exc}{where}"


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    return f"corpuslib: warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``corpuslib`` command.

    Exit codes: 0 done; 1 nothing loaded, a notebook failed, or the disk failed (full, read-only);
    2 refused before anything ran (a path that does not exist, a bad parameter or column, an
    ``--out`` that holds files corpuslib did not write, another command writing the same ``--out``).
    """
    import warnings

    from ..documents.readers import InputNotFoundError

    args = build_parser().parse_args(argv)
    shown = warnings.formatwarning
    warnings.formatwarning = _one_line_warning  # a warning is one line, as every message here
    try:
        return args.func(args)
    except (InputNotFoundError, ValueError) as exc:  # OutputError, ParameterError, MissingColumnError ...
        print(f"corpuslib: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"corpuslib: {describe_os_error(exc, getattr(args, 'out', None))}", file=sys.stderr)
        return 1
    finally:
        warnings.formatwarning = shown


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
