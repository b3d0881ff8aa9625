"""The search port: what is indexed, what a search returns, and the index contract."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchDoc:
    """One searchable item; `context` is e.g. the name of the process an activity belongs to."""

    id: str
    label: str
    title: str
    text: str
    context: str = ""


@dataclass(frozen=True)
class Hit:
    """One search result; `snippet` is HTML-escaped with matches wrapped in <mark>."""

    id: str
    label: str
    title: str
    snippet: str
    score: float  # higher is better; only comparable within one search


class SearchBatch(ABC):
    """Changes made inside one `SearchIndex.batch()` transaction."""

    @abstractmethod
    def upsert(self, doc: SearchDoc) -> None:
        """Add the document, or replace the one with the same id."""

    @abstractmethod
    def remove(self, doc_id: str) -> None:
        """Remove the document with this id; unknown ids are ignored."""


class SearchIndex(ABC):
    """A full-text index of the quality graph; derived data that can always be rebuilt."""

    @abstractmethod
    def batch(self) -> AbstractContextManager[SearchBatch]:
        """Open a transaction: commit on normal exit, roll back on exception."""

    @abstractmethod
    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 20
    ) -> list[Hit]:
        """Return the best hits where every query word matches; [] for an empty query."""

    @abstractmethod
    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace the whole index atomically and return the number of documents."""

    @abstractmethod
    def count(self) -> int:
        """Return the number of indexed documents."""

    @abstractmethod
    def close(self) -> None:
        """Release the index's resources."""
