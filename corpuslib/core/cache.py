"""On-disk key-value caches (SQLite) shared by ingest and tokenize: a failure is a miss, never an error.

Both caches live in :func:`corpuslib.core.paths.cache_dir` (``CORPUSLIB_CACHE`` moves it): ``ingest.sqlite3``
holds each input file's rows, ``tokens.sqlite3`` each text's tokens. Keys are content hashes built by
the callers (bytes or text, options, code and library versions), so an entry is never stale, only
unused. Several processes may read and write one file at once (WAL journal).

Values are bytes the callers decode themselves (JSON, joined text: never pickle, so an edited cache
cannot run code). Each entry carries a checksum of its key and value, verified on every read: a
corrupt or edited entry is a miss (recomputed and stored again) with one warning.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import warnings
from typing import Iterable

__all__ = ["KeyValueStore", "checksum"]

_BATCH = 500  # keys per SELECT: below SQLite's limit on bound parameters
_CORRUPTION = ("not a database", "malformed", "corrupt", "disk image")


class KeyValueStore:
    """SQLite table of ``key -> bytes``; unusable or corrupt files degrade to "no cache" with a warning.

    Parameters
    ----------
    path : path-like
        The database file (created when missing).
    table : str
        Table name (an identifier chosen by the caller, not user input).
    label : str
        What the store is, for warnings (``"token cache"``).

    Notes
    -----
    A corrupt file (not a database, malformed) is moved aside to ``<path>.corrupt-<pid>`` and a fresh
    one built; any other failure (a folder where the file should be, a read-only disk) turns the store
    off for this use: reads find nothing, writes are dropped. An entry whose checksum does not match
    is left out of :meth:`get_many` (the first time with a warning). A cache folder that
    :func:`~corpuslib.core.paths.cache_dir` could not create (it warned) turns the store off quietly.
    """

    def __init__(self, path: os.PathLike, table: str, label: str):
        from .paths import cache_unavailable

        if not table.isidentifier():
            raise ValueError(f"table name must be an identifier, not {table!r}")
        self.path = os.fspath(path)
        self.table = table
        self.label = label
        self.conn: sqlite3.Connection | None = None
        self.n_bad = 0  # entries that failed their checksum since the store was opened
        if not cache_unavailable(os.path.dirname(self.path) or "."):
            self._open(rebuild_on_error=True)

    def __enter__(self) -> "KeyValueStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60)
        try:
            conn.execute("PRAGMA busy_timeout = 60000")
            # WAL lets readers and one writer of other processes work at once.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # a rowid table: values are kilobytes, which WITHOUT ROWID tables store badly (3x slower reads)
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")}
            if columns and "checksum" not in columns:
                with conn:  # the table of versions before checksums: its entries cannot be checked
                    conn.execute(f"DROP TABLE {self.table}")
            conn.execute(f"CREATE TABLE IF NOT EXISTS {self.table} "
                         "(key TEXT PRIMARY KEY, value BLOB NOT NULL, checksum BLOB NOT NULL)")
            conn.execute(f"SELECT key, checksum FROM {self.table} LIMIT 1").fetchall()
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self, rebuild_on_error: bool) -> None:
        try:
            self.conn = self._connect()
        except sqlite3.DatabaseError as exc:
            if rebuild_on_error and _is_corruption(exc):
                self._set_aside()
                return self._open(rebuild_on_error=False)
            self._disable(exc)
        except OSError as exc:
            self._disable(exc)

    def _set_aside(self) -> None:
        """Move a corrupt file out of the way so a fresh one is built."""
        warnings.warn(f"{self.label} {self.path} is corrupt; rebuilding it", RuntimeWarning, stacklevel=5)
        stamp = f".corrupt-{os.getpid()}"
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.replace(self.path + suffix, self.path + suffix + stamp)

    def _disable(self, exc: BaseException) -> None:
        warnings.warn(f"{self.label} {self.path} unusable ({exc}); working without it", RuntimeWarning,
                      stacklevel=5)
        self.close()

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """Return ``{key: value}`` for the keys present and intact (missing or damaged keys are left out)."""
        found: dict[str, bytes] = {}
        if self.conn is None or not keys:
            return found
        bad = 0
        try:
            for start in range(0, len(keys), _BATCH):
                batch = keys[start:start + _BATCH]
                marks = ",".join("?" * len(batch))
                for key, value, digest in self.conn.execute(
                        f"SELECT key, value, checksum FROM {self.table} WHERE key IN ({marks})", batch):
                    if isinstance(value, bytes) and digest == checksum(key, value):
                        found[key] = value
                    else:
                        bad += 1
        except sqlite3.DatabaseError as exc:
            if _is_corruption(exc):
                self.close()
                self._set_aside()
                self._open(rebuild_on_error=False)
            else:
                self._disable(exc)
            return {}
        if bad:
            if not self.n_bad:
                warnings.warn(f"{self.label} {self.path}: {bad} entr{'y' if bad == 1 else 'ies'} failed the "
                              "checksum (corrupt or edited) and will be computed again", RuntimeWarning, stacklevel=2)
            self.n_bad += bad
        return found

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store ``(key, value)`` pairs in one transaction (a key already there is replaced)."""
        if self.conn is None:
            return
        rows = [(key, value, checksum(key, value)) for key, value in items]
        if not rows:
            return
        try:
            with self.conn:
                self.conn.executemany(f"INSERT OR REPLACE INTO {self.table} (key, value, checksum) VALUES (?, ?, ?)",
                                      rows)
        except sqlite3.DatabaseError as exc:
            self._disable(exc)

    def close(self) -> None:
        """Close the connection (idempotent); the store then finds nothing and stores nothing."""
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


def checksum(key: str, value: bytes) -> bytes:
    """Return the checksum stored with an entry: a 16-byte BLAKE2b digest of its key and value."""
    h = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16)
    h.update(b"\0")
    h.update(value)
    return h.digest()


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    msg = str(exc).lower()
    return any(s in msg for s in _CORRUPTION)
