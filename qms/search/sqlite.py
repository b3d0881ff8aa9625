"""Embedded search adapter: SQLite FTS5 over Swedish-stemmed text, one file of derived data."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from qms.domain.errors import DATA_DIR_NOT_WRITABLE, QmsError, StoreNotWritable, StoreUnavailable
from qms.search import text as txt
from qms.search.port import Hit, SearchBatch, SearchDoc, SearchIndex

SCHEMA_VERSION = 1
_DROP = ("DROP TABLE IF EXISTS docs", "DROP TABLE IF EXISTS docs_fts")
# `docs` holds the originals (for results and snippets); `docs_fts` the stemmed words.
_CREATE = (
    "CREATE TABLE docs (pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label TEXT NOT NULL,"
    " title TEXT NOT NULL, text TEXT NOT NULL, context TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE docs_fts USING fts5(title, text, context, label,"
    " tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    f"PRAGMA user_version = {SCHEMA_VERSION:d}",
)
_UPSERT = (
    "INSERT INTO docs (id, label, title, text, context) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET label = excluded.label, title = excluded.title,"
    " text = excluded.text, context = excluded.context RETURNING pk"
)
_REMOVE = "DELETE FROM docs WHERE id = ? RETURNING pk"
_FTS_DELETE = "DELETE FROM docs_fts WHERE rowid = ?"
_FTS_INSERT = "INSERT INTO docs_fts (rowid, title, text, context, label) VALUES (?, ?, ?, ?, ?)"
# One ranked FTS query (label weighs nothing: it is only matched to filter); the originals
# are fetched by rowid only for the few rows that survive the LIMIT.
_SEARCH = (
    "SELECT d.id, d.label, d.title, d.text, d.context, m.bm FROM"
    " (SELECT rowid, bm25(docs_fts, 10.0, 1.0, 0.5, 0.0) AS bm FROM docs_fts"
    "  WHERE docs_fts MATCH ? ORDER BY bm LIMIT ?) AS m"
    " JOIN docs AS d ON d.pk = m.rowid ORDER BY m.bm"
)


#: SQLite's primary result codes that mean the disk refuses writes.
_NOT_WRITABLE = {
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
}
NOT_WRITABLE = f"{DATA_DIR_NOT_WRITABLE}; inget sparades: sökindexet"


def map_error(exc: sqlite3.Error) -> QmsError:
    """The domain error for an SQLite failure to write (busy, read-only, full disk)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in _NOT_WRITABLE:
        return StoreNotWritable(f"{NOT_WRITABLE}: {exc}")
    return StoreUnavailable(f"sökindexet går inte att använda just nu: {exc}")


class _Holder:
    """One thread's connection; weakly referenced so close() can reach every thread's."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


class _Batch(SearchBatch):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn: sqlite3.Connection | None = conn

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the search batch is already finished")
        return self._conn

    def upsert(self, doc: SearchDoc) -> None:
        """Add the document, or replace the one with the same id."""
        conn = self._live()
        row = (doc.id, doc.label, doc.title, doc.text, doc.context)
        ((pk,),) = conn.execute(_UPSERT, row).fetchall()
        conn.execute(_FTS_DELETE, (pk,))
        stemmed = [txt.stemmed_text(f) for f in (doc.title, doc.text, doc.context)]
        conn.execute(_FTS_INSERT, (pk, *stemmed, txt.label_token(doc.label)))

    def remove(self, doc_id: str) -> None:
        """Remove the document with this id; unknown ids are ignored."""
        conn = self._live()
        for (pk,) in conn.execute(_REMOVE, (doc_id,)).fetchall():
            conn.execute(_FTS_DELETE, (pk,))

    def finish(self) -> None:
        self._conn = None


class SqliteSearchIndex(SearchIndex):
    """Search index in one SQLite file; `needs_rebuild` is True when it starts out empty.

    A file that cannot be written is opened read-only (``read_only``): searches work, every
    write raises ``StoreNotWritable``.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()
        self._holders: weakref.WeakSet[_Holder] = weakref.WeakSet()
        self._holders_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        self.read_only = False
        self._why_read_only = ""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn().execute("PRAGMA journal_mode = WAL")
            self._prepare()
        except sqlite3.OperationalError as exc:
            if not path.is_file() or not isinstance(map_error(exc), StoreNotWritable):
                raise map_error(exc) from exc
            self._open_read_only(str(exc))

    def _prepare(self) -> None:
        with self._sqlite_transaction() as conn:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            self.needs_rebuild: bool = version != SCHEMA_VERSION
            if self.needs_rebuild:  # a new file or an old schema: derived data, start afresh
                for statement in _DROP + _CREATE:
                    conn.execute(statement)

    def _open_read_only(self, why: str) -> None:
        # ``immutable``: no locks and no -shm file, which a read-only directory cannot hold;
        # nothing in this process writes, and a writer elsewhere would need write access.
        self.close()
        self._closed, self.read_only, self._why_read_only = False, True, why
        self._local = threading.local()
        (version,) = self._conn().execute("PRAGMA user_version").fetchone()
        if version != SCHEMA_VERSION:
            raise StoreNotWritable(f"{NOT_WRITABLE} behöver byggas om")
        self.needs_rebuild = False

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("the search index is closed")
        holder: _Holder | None = getattr(self._local, "holder", None)
        if holder is None:
            # Each connection is used only by its own thread; check_same_thread is off
            # solely so that close() may close it, under _holders_lock.
            conn = self._connect()
            holder = _Holder(conn)
            with self._holders_lock:
                if self._closed:
                    conn.close()
                    raise RuntimeError("the search index is closed")
                self._holders.add(holder)
            self._local.holder = holder
        return holder.conn

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            uri = f"file:{quote(str(self._path.resolve()))}?mode=ro&immutable=1"
            return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn = sqlite3.connect(
            self._path, timeout=10, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; the disk's refusals become ``StoreNotWritable``."""
        if self.read_only:
            raise StoreNotWritable(
                f"{NOT_WRITABLE} öppnades skrivskyddat ({self._why_read_only}); starta om QMS när "
                "felet är åtgärdat"
            )
        try:
            with self._sqlite_transaction() as conn:
                yield conn
        except sqlite3.OperationalError as exc:
            raise map_error(exc) from exc

    @contextmanager
    def _sqlite_transaction(self) -> Iterator[sqlite3.Connection]:
        if getattr(self._local, "writing", False):
            raise RuntimeError("search index transactions cannot be nested")
        conn = self._conn()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            self._local.writing = True
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # a failed COMMIT may already have rolled back
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._local.writing = False

    @contextmanager
    def batch(self) -> Iterator[SearchBatch]:
        """Open a transaction: commit on normal exit, roll back on exception."""
        with self._transaction() as conn:
            batch = _Batch(conn)
            try:
                yield batch
            finally:
                batch.finish()

    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 20
    ) -> list[Hit]:
        """Return the best hits where every query word matches; [] for an empty query.

        Documents with every word in the title come first (score 1 to 2), then the rest
        (score 0 to 1), each group by bm25 with title weighted 10, text 1 and context 0.5.
        Ranking only the title matches first keeps common words fast.
        """
        terms = txt.query_terms(text)
        if labels is not None:
            labels = [labels] if isinstance(labels, str) else list(labels)
        if not terms or limit <= 0 or labels == []:
            return []
        conn = self._conn()
        title_only = txt.match_expression(terms, ["title"], labels)
        rows = conn.execute(_SEARCH, (title_only, limit)).fetchall()
        found = {row[0]: 1.0 for row in rows}
        if len(rows) < limit:
            anywhere = txt.match_expression(terms, ["title", "text", "context"], labels)
            rest = conn.execute(_SEARCH, (anywhere, limit + len(rows))).fetchall()
            rows += [row for row in rest if row[0] not in found][: limit - len(rows)]
        return [
            Hit(
                id_,
                label,
                title,
                txt.snippet(terms, (body, title, context)),
                found.get(id_, 0.0) + -bm / (1.0 - bm),  # bm25 is <= 0, lower is better
            )
            for id_, label, title, body, context, bm in rows
        ]

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace the whole index atomically and return the number of documents."""
        with self._transaction() as conn:
            for statement in _DROP + _CREATE:
                conn.execute(statement)
            batch = _Batch(conn)
            for doc in docs:
                batch.upsert(doc)
            (count,) = conn.execute("SELECT count(*) FROM docs").fetchone()
        self.needs_rebuild = False
        return int(count)

    def count(self) -> int:
        """Return the number of indexed documents."""
        (count,) = self._conn().execute("SELECT count(*) FROM docs").fetchone()
        return int(count)

    def close(self) -> None:
        """Close every thread's connection; call only when no thread is still searching."""
        with self._holders_lock:
            self._closed = True
            for holder in list(self._holders):
                holder.conn.close()
            self._holders.clear()
