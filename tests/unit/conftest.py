"""A stand-in for the Neo4j connection: it records statements and answers from a script.

Not a fake server: it never interprets Cypher. Tests script the rows a statement returns
(by a substring of its text) and read back what the adapter sent, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Rows = list[list[Any]]


class Recorder:
    """``read``/``write``/``auto``/``rows`` like ``qms.storage.neo4j.connection.Connection``."""

    def __init__(self) -> None:
        self.log: list[tuple[str, dict[str, Any]]] = []
        self.writes = 0
        self._answers: list[tuple[str, Callable[[dict[str, Any]], Rows]]] = []

    def answer(self, fragment: str, rows: Rows | Callable[[dict[str, Any]], Rows]) -> None:
        """Statements containing ``fragment`` return ``rows`` (the latest rule wins)."""
        self._answers.append((fragment, rows if callable(rows) else lambda _params: rows))

    def run(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        self.log.append((query, dict(params or {})))
        for fragment, rows in reversed(self._answers):
            if fragment in query:
                return rows(dict(params or {}))
        return [[0]] if "count(" in query else []

    def read(self, work: Callable[[Any], Any]) -> Any:
        return work(self.run)

    def write(self, work: Callable[[Any], Any]) -> Any:
        self.writes += 1
        return work(self.run)

    def rows(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        return self.run(query, params)

    def auto(self, query: str, params: dict[str, Any] | None = None) -> Rows:
        return self.run(query, params)

    def close(self) -> None:
        pass

    def queries(self) -> list[str]:
        """The statement texts sent so far."""
        return [query for query, _ in self.log]


@pytest.fixture
def recorder() -> Recorder:
    """A fresh recording connection."""
    return Recorder()
