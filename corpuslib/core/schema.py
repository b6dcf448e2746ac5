"""Column contracts of the tables corpuslib produces (see README, "Tables")."""
from __future__ import annotations

#: The documents table: one row per article.
DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "stable id: the input's id column, else the path relative to the corpus root",
    "source_path": "file the article came from (plus '#row N' for table inputs); relative to the project root when inside it",
    "encoding": "encoding the bytes were decoded with (e.g. utf-8, utf-16-le, cp1258, gb18030)",
    "lang": "ISO 639-1 language of the body (vi, zh, ru, en, fr, ...; 'und' when undecidable)",
    "lang_score": "confidence of `lang`, 0..1",
    "title": "headline",
    "outlet": "publishing outlet (canonical name from the outlet table)",
    "outlet_method": "how the outlet was found: marker, url, column, table",
    "byline": "author or reporter as the page gives it",
    "url": "article URL when known",
    "published": "publication date and time (naive local time of the outlet)",
    "published_has_time": "whether `published` carries a time of day",
    "date_method": "how `published` was found (dateline, dateline-decoded, column, url, lead+story-year)",
    "date_note": "why `published` is null, or what was doubtful about it",
    "page_date": "a date printed on the page that is not the article's (e.g. the scrape-day header)",
    "text": "clean body: boilerplate, captions, credits, image lines removed",
    "removed": "JSON list of removed lines: [{line, reason}] (the audit trail)",
    "n_chars": "length of `text` in characters",
    "content_hash": "sha1 of the normalized body (duplicates are detected on it)",
    "near_duplicate_of": "doc_id of the first version of the same story (a repost or update: MinHash Jaccard >= 0.8 of word 4-grams); null for an original",
}

#: The rejected table: inputs that did not become documents.
REJECTED_COLUMNS: dict[str, str] = {
    "source_path": "file (and row) that was rejected",
    "reason": "empty | binary | undecodable | too_short | duplicate | near_duplicate | unreadable | bad_row",
    "detail": "human-readable detail (e.g. the doc_id it duplicates)",
}

#: The tokens table: one row per token.
TOKEN_COLUMNS: dict[str, str] = {
    "doc_id": "document the token belongs to",
    "position": "0-based position of the token in the document",
    "token": "normalized token (lowercased; vi multi-syllable words joined with spaces; ru lemmas)",
    "lang": "language the tokenizer used",
}

REJECTION_REASONS = ("empty", "binary", "undecodable", "too_short", "duplicate", "near_duplicate", "unreadable",
                     "bad_row")
