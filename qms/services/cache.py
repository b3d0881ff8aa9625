"""A value recomputed at most every ``ttl`` seconds; during a refresh others read the old one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar

from qms.search.port import Hit, SearchBatch, SearchDoc, SearchIndex

T = TypeVar("T")


class Refreshing(Generic[T]):
    """Whole-graph read models (the landscape, the spelling vocabulary) that may lag a little.

    The first read computes the value and the others wait for it; after ``ttl`` the first
    reader to notice recomputes it while concurrent readers get the previous value, so no
    more than one request at a time pays for a refresh. A value whose computation overlapped
    an ``invalidate`` is returned but counts as stale, so a write is never hidden for ``ttl``.
    """

    def __init__(
        self, load: Callable[[], T], ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._load = load
        self._ttl = ttl
        self._clock = clock
        self._value: T | None = None
        self._loaded_at = 0.0
        self._generation = 0
        self._first = threading.Lock()
        self._refreshing = threading.Lock()

    def get(self) -> T:
        """The value, computing it if it is missing or older than ``ttl``."""
        value = self._value
        if value is None:
            with self._first:
                value = self._value
                if value is None:
                    value = self._compute()
            return value
        if self._clock() - self._loaded_at >= self._ttl and self._refreshing.acquire(False):
            try:
                value = self._compute()
            finally:
                self._refreshing.release()
        return value

    def invalidate(self) -> None:
        """Make the next read recompute (after a write the caller knows about)."""
        self._generation += 1
        self._loaded_at = float("-inf")

    def _compute(self) -> T:
        generation, started = self._generation, self._clock()
        value = self._load()
        self._value = value
        # Written meanwhile? Then what was read may predate the write: refresh next time.
        self._loaded_at = started if generation == self._generation else float("-inf")
        return value


class WriteSignal(SearchIndex):
    """A search index that calls ``on_write`` after every committed batch or rebuild.

    Every write use case updates the search index in the same unit of work, so this is the
    one place that sees them all; caches of read models listen here to drop what is stale.
    """

    def __init__(self, inner: SearchIndex, on_write: Callable[[], None]) -> None:
        self.inner = inner
        self._on_write = on_write

    @contextmanager
    def batch(self) -> Iterator[SearchBatch]:
        """The inner batch; ``on_write`` runs once it has committed."""
        with self.inner.batch() as batch:
            yield batch
        self._on_write()

    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 20
    ) -> list[Hit]:
        """The inner index's hits."""
        return self.inner.search(text, labels=labels, limit=limit)

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Rebuild the inner index, then signal."""
        try:
            return self.inner.rebuild(docs)
        finally:
            self._on_write()

    def count(self) -> int:
        """The inner index's count."""
        return self.inner.count()

    def close(self) -> None:
        """Close the inner index."""
        self.inner.close()
