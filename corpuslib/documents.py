"""The documents table: one clean, dated, language-tagged row per article.

``raw files -> documents``: :func:`ingest` reads files and folders (``.txt`` articles, ``.jsonl`` /
``.csv`` / ``.tsv`` tables), normalizes each article and returns the documents table together with
the rejected table, so every input is accounted for.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd

from . import io as rawio
from .boilerplate import strip_boilerplate
from .encodings import repair_mojibake
from .lang import detect_language
from .metadata import extract_metadata
from .normalize import html_to_text, looks_like_html, normalize_text
from .schema import DOCUMENT_COLUMNS, REJECTED_COLUMNS

#: Bodies shorter than this (characters, after cleaning) are rejected as ``too_short``.
MIN_CHARS = 80


@dataclass(frozen=True)
class Options:
    """How raw records become documents (all of :func:`ingest`'s knobs)."""

    columns: dict | None = None
    min_chars: int = MIN_CHARS
    tone_style: str | None = "new"
    timezone: str | None = "Asia/Ho_Chi_Minh"
    repair: bool = True


class Ingested(NamedTuple):
    """What :func:`ingest` returns."""

    documents: pd.DataFrame
    rejected: pd.DataFrame


def content_hash(text: str) -> str:
    """Return the sha1 of a body with case and white space folded (duplicates match on it)."""
    folded = re.sub(r"\s+", " ", text.casefold()).strip()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def build_document(rec: rawio.RawRecord, opts: Options = Options()) -> dict:
    """Turn one raw record into a documents-table row (a dict), or a rejection dict."""
    text = rec.text
    removed: list[dict] = []
    if opts.repair:
        text, changed = repair_mojibake(text)
        if changed:
            removed.append({"line": "(mojibake repaired)", "reason": "mojibake"})
    if looks_like_html(text):
        text = html_to_text(text)
        removed.append({"line": "(HTML markup stripped)", "reason": "html"})
    text = normalize_text(text, tone_style=opts.tone_style)
    kept, dropped = strip_boilerplate(text.split("\n"))
    removed += dropped
    title = normalize_text(rec.title, tone_style=opts.tone_style) if rec.title else None
    body, meta = extract_metadata(
        kept,
        text_for_year="\n".join(kept),
        url=rec.url,
        title=title,
        outlet=rec.outlet,
        byline=rec.byline,
        date_value=rec.date,
        timezone=opts.timezone,
    )
    removed = meta.removed + removed
    clean = "\n".join(body).strip()
    if not clean:
        return {"source_path": rec.source_path, "reason": "empty", "detail": "no body text left after cleaning"}
    if len(clean) < opts.min_chars:
        return {
            "source_path": rec.source_path,
            "reason": "too_short",
            "detail": f"{len(clean)} characters of body (minimum {opts.min_chars})",
        }
    lang, score = detect_language(clean)
    return {
        "doc_id": rec.doc_id,
        "source_path": rec.source_path,
        "encoding": rec.encoding,
        "lang": lang,
        "lang_score": score,
        "title": meta.title,
        "outlet": meta.outlet,
        "outlet_method": meta.outlet_method,
        "byline": meta.byline,
        "url": rec.url,
        "published": meta.published,
        "published_has_time": meta.published_has_time,
        "date_method": meta.date_method,
        "date_note": meta.date_note,
        "page_date": meta.page_date,
        "text": clean,
        "removed": json.dumps(removed, ensure_ascii=False),
        "n_chars": len(clean),
        "content_hash": content_hash(clean),
    }


def _unique_ids(rows: list[dict]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        base = row["doc_id"]
        n = seen.get(base, 0) + 1
        seen[base] = n
        if n > 1:
            row["doc_id"] = f"{base}~{n}"


def ingest(paths, *, columns: dict | None = None, min_chars: int = MIN_CHARS, tone_style: str | None = "new",
           timezone: str | None = "Asia/Ho_Chi_Minh", repair: bool = True, progress: bool = False) -> Ingested:
    """Read files and folders into the documents table and the rejected table.

    Parameters
    ----------
    paths : str, path or list of them
        ``.txt`` articles (any other suffix is read as an article too), ``.jsonl`` / ``.csv`` /
        ``.tsv`` tables with one article per row, or folders of them (recursive, hidden files skipped).
    columns : dict, optional
        For tables: which column holds each field, e.g. ``{"id": "id", "text": "content.text",
        "title": "title", "date": "published_at", "url": "url", "outlet": "source"}``; unnamed
        fields are guessed from common names. A named id column becomes ``doc_id``.
    min_chars : int
        Bodies shorter than this are rejected as ``too_short``.
    tone_style : {"new", "old", None}
        Vietnamese tone placement (see :func:`corpuslib.normalize.normalize_tone_marks`).
    timezone : str or None
        Zone that timestamps with an offset are converted to; ``published`` is naive local time.
    repair : bool
        Repair mojibake (UTF-8 read as cp1252 and the like).
    progress : bool
        Show a progress bar.

    Returns
    -------
    Ingested
        ``documents`` (columns in :data:`corpuslib.schema.DOCUMENT_COLUMNS`, sorted by doc_id)
        and ``rejected`` (``source_path, reason, detail``, sorted).

    Raises
    ------
    corpuslib.io.InputNotFoundError
        When a path does not exist. Bad content never raises: it is rejected with a reason.
    """
    if min_chars < 0:
        raise ValueError(f"min_chars must be >= 0, not {min_chars}")
    opts = Options(columns, min_chars, tone_style, timezone, repair)
    files = rawio.discover(paths)
    docs: list[dict] = []
    rejected: list[dict] = []
    iterator = files
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(files, desc="ingest", unit="file")
    for root, path in iterator:
        try:
            for item in rawio.read_records(root, path, columns=columns):
                if isinstance(item, dict):
                    rejected.append(item)
                    continue
                try:
                    row = build_document(item, opts)
                except Exception as exc:  # one bad article must not stop the corpus
                    row = {"source_path": item.source_path, "reason": "unreadable", "detail": f"{type(exc).__name__}: {exc}"}
                (docs if "doc_id" in row else rejected).append(row)
        except Exception as exc:  # a reader bug on hostile bytes: account for the file, keep going
            rejected.append({"source_path": str(path), "reason": "unreadable", "detail": f"{type(exc).__name__}: {exc}"})
    docs.sort(key=lambda r: (r["doc_id"], r["source_path"]))
    _unique_ids(docs)
    kept, first = [], {}
    for row in docs:
        h = row["content_hash"]
        if h in first:
            rejected.append({"source_path": row["source_path"], "reason": "duplicate", "detail": f"same body as {first[h]}"})
        else:
            first[h] = row["doc_id"]
            kept.append(row)
    return Ingested(_documents_frame(kept), _rejected_frame(rejected))


def _documents_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(DOCUMENT_COLUMNS))
    for col in ("published", "page_date"):
        df[col] = pd.to_datetime(df[col], errors="coerce").astype("datetime64[ns]")
    df["lang_score"] = df["lang_score"].astype(float)
    df["n_chars"] = df["n_chars"].astype("int64")
    df["published_has_time"] = df["published_has_time"].astype(bool)
    return df.sort_values("doc_id", kind="stable").reset_index(drop=True)


def _rejected_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(REJECTED_COLUMNS))
    return df.sort_values(["source_path", "reason"], kind="stable").reset_index(drop=True)


def read_corpus(path, **kwargs) -> pd.DataFrame:
    """Return the documents table of a file or folder (see :func:`ingest` for the parameters).

    The rejected table is kept in ``documents.attrs["rejected"]`` (as records) so nothing is lost;
    call :func:`ingest` to get it as a DataFrame.
    """
    result = ingest(path, **kwargs)
    docs = result.documents
    docs.attrs["rejected"] = result.rejected.to_dict("records")
    return docs


def write_documents(documents: pd.DataFrame, path) -> None:
    """Write the documents table to Parquet atomically (a temp file renamed into place)."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    documents.to_parquet(tmp, index=False)
    tmp.replace(path)


def read_documents(path) -> pd.DataFrame:
    """Read a documents table written by :func:`write_documents` (or ``corpuslib ingest``)."""
    return pd.read_parquet(path)


def qa_table(documents: pd.DataFrame) -> pd.DataFrame:
    """Return one QA row per document: language, outlet, date and how it was found, title, size, removals.

    Columns: doc_id, lang, lang_score, outlet, byline, published, date_method, page_date, title,
    n_chars, n_removed, removed_reasons (``reason×count`` pairs).
    """
    def reasons(raw: str) -> str:
        counts: dict[str, int] = {}
        for item in json.loads(raw or "[]"):
            counts[item["reason"]] = counts.get(item["reason"], 0) + 1
        return ", ".join(f"{k}×{v}" for k, v in sorted(counts.items()))

    qa = documents[["doc_id", "lang", "lang_score", "outlet", "byline", "published", "date_method",
                    "page_date", "title", "n_chars"]].copy()
    qa["n_removed"] = documents["removed"].map(lambda r: len(json.loads(r or "[]")))
    qa["removed_reasons"] = documents["removed"].map(reasons)
    return qa.reset_index(drop=True)


def removed_lines(documents: pd.DataFrame) -> pd.DataFrame:
    """Return the audit trail as a long table: doc_id, n, reason, line."""
    rows = [
        {"doc_id": doc_id, "n": i, "reason": item["reason"], "line": item["line"]}
        for doc_id, raw in zip(documents["doc_id"], documents["removed"])
        for i, item in enumerate(json.loads(raw or "[]"))
    ]
    return pd.DataFrame(rows, columns=["doc_id", "n", "reason", "line"])
