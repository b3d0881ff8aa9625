"""One LadybugDB database per process, a connection per thread, engine errors as domain errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, cast

import ladybug

from qms.domain.errors import Conflict, QmsError, StoreError, StoreUnavailable

_OPEN: dict[str, tuple[ladybug.Database, int]] = {}
_OPEN_LOCK = threading.Lock()

_UNAVAILABLE = (
    "lock on file",
    "read-only",
    "read only",
    "no space left",
    "permission denied",
    "cannot open file",
    "io exception",
)


def map_error(exc: Exception) -> QmsError:
    """The domain error for an engine exception."""
    text = str(exc)
    lowered = text.lower()
    if "duplicated primary key" in lowered:
        return Conflict(f"id finns redan: {text}")
    if any(marker in lowered for marker in _UNAVAILABLE):
        return StoreUnavailable(f"grafdatabasen går inte att använda: {text}")
    return StoreError(text)


#: The engine's page cache. Its default is most of the machine's memory; a quality graph of a
#: whole city (100k nodes, 300k links) works in far less. A bulk load (restore, generate)
#: copies every table in one transaction and holds its pages until the commit: with the 20
#: tables of the quality-work schema even the demo's restore needed more than 192 MB.
BUFFER_POOL_BYTES = 256 * 2**20


def acquire(path: Path) -> ladybug.Database:
    """The process's one Database for ``path`` (a second one on the same path loses writes)."""
    key = os.path.realpath(path)
    with _OPEN_LOCK:
        if key in _OPEN:
            db, count = _OPEN[key]
            _OPEN[key] = (db, count + 1)
            return db
        try:
            db = ladybug.Database(key, buffer_pool_size=BUFFER_POOL_BYTES)
        except RuntimeError as exc:
            raise map_error(exc) from exc
        _OPEN[key] = (db, 1)
        return db


def release(path: Path) -> None:
    """Drop one reference; the last one closes the database."""
    key = os.path.realpath(path)
    with _OPEN_LOCK:
        db, count = _OPEN[key]
        if count > 1:
            _OPEN[key] = (db, count - 1)
            return
        del _OPEN[key]
        db.close()


class Engine:
    """Runs query text on this thread's connection and maps errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = acquire(path)
        self._local = threading.local()
        self._connections: list[ladybug.Connection] = []
        self._lock = threading.Lock()

    def connection(self) -> ladybug.Connection:
        """This thread's connection (connections are not shared between threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = ladybug.Connection(self.db)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """Execute one statement and return all rows."""
        try:
            result = self.connection().execute(query, params or {})
            # One statement gives one result; a list only comes back for several statements.
            rows = cast(list[list[Any]], cast(ladybug.QueryResult, result).get_all())
        except RuntimeError as exc:
            raise map_error(exc) from exc
        return rows

    def close(self) -> None:
        """Close every connection and release the database."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        release(self.path)
