"""One LadybugDB database per process, a connection per thread, engine errors as domain errors."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, cast

import ladybug

from qms.domain.errors import (
    DATA_DIR_NOT_WRITABLE,
    Conflict,
    QmsError,
    StoreError,
    StoreNotWritable,
    StoreUnavailable,
)

log = logging.getLogger(__name__)
#: Per path: the database, whether it is open read-only, and how many engines share it.
_OPEN: dict[str, tuple[ladybug.Database, bool, int]] = {}
_OPEN_LOCK = threading.Lock()
_WARNED: set[str] = set()

#: The disk refuses writes (checked first: "cannot open file …: permission denied" is one).
_NOT_WRITABLE = (
    "read-only",
    "read only",
    "no space left",
    "disk full",
    "file too large",
    "disk quota",
    "permission denied",
)
_UNAVAILABLE = ("lock on file", "cannot open file", "io exception")
NOT_WRITABLE = DATA_DIR_NOT_WRITABLE


def map_error(exc: Exception) -> QmsError:
    """The domain error for an engine exception."""
    text = " ".join(str(exc).split())
    lowered = text.lower()
    if "duplicated primary key" in lowered:
        return Conflict(f"id finns redan: {text}")
    if any(marker in lowered for marker in _NOT_WRITABLE):
        return StoreNotWritable(f"{NOT_WRITABLE}; inget sparades: grafdatabasen: {text}")
    if any(marker in lowered for marker in _UNAVAILABLE):
        return StoreUnavailable(f"grafdatabasen går inte att använda: {text}")
    return StoreError(text)


#: The engine's page cache. Its default is most of the machine's memory; a quality graph of a
#: whole city (100k nodes, 300k links) works in far less. A bulk load (restore, generate)
#: copies every table in one transaction and holds its pages until the commit: with the 20
#: tables of the quality-work schema even the demo's restore needed more than 192 MB.
BUFFER_POOL_BYTES = 256 * 2**20


def acquire(path: Path) -> tuple[ladybug.Database, bool]:
    """The process's one Database for ``path`` and whether it is read-only.

    A second Database on the same path would lose writes, so engines share one. When the
    files cannot be written (a read-only directory, another user's files) the database is
    opened read-only: pages still show, every write is refused with ``StoreNotWritable``.
    """
    key = os.path.realpath(path)
    with _OPEN_LOCK:
        if key in _OPEN:
            db, read_only, count = _OPEN[key]
            _OPEN[key] = (db, read_only, count + 1)
            return db, read_only
        db, read_only = _open(key)
        _OPEN[key] = (db, read_only, 1)
        return db, read_only


def _open(key: str) -> tuple[ladybug.Database, bool]:
    try:
        return ladybug.Database(key, buffer_pool_size=BUFFER_POOL_BYTES), False
    except RuntimeError as exc:
        error = map_error(exc)
        if not isinstance(error, StoreNotWritable):
            raise error from exc
    try:
        db = ladybug.Database(key, buffer_pool_size=BUFFER_POOL_BYTES, read_only=True)
    except RuntimeError as exc:
        if not os.path.exists(key):
            raise error from None  # nothing to read, and no right to create it
        text = " ".join(str(exc).split())
        raise StoreUnavailable(
            f"grafdatabasen {key} går inte att öppna ens för läsning: {text}"
        ) from exc
    if key not in _WARNED:  # once per process: ``qms serve`` opens the store twice
        _WARNED.add(key)
        log.warning(
            "qms: %s: %s öppnas skrivskyddad; sidorna visas, inget kan sparas", NOT_WRITABLE, key
        )
    return db, True


def holders(path: Path) -> int:
    """How many engines of this process have the database at ``path`` open."""
    with _OPEN_LOCK:
        found = _OPEN.get(os.path.realpath(path))
        return found[2] if found else 0


def release(path: Path) -> None:
    """Drop one reference; the last one closes the database."""
    key = os.path.realpath(path)
    with _OPEN_LOCK:
        db, read_only, count = _OPEN[key]
        if count > 1:
            _OPEN[key] = (db, read_only, count - 1)
            return
        del _OPEN[key]
        db.close()


class Engine:
    """Runs query text on this thread's connection and maps errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db, self.read_only = acquire(path)
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
