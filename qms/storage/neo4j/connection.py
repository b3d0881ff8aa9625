"""One Neo4j driver per store: managed transactions, shared bookmarks, plain rows out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from neo4j import Driver, GraphDatabase, ManagedTransaction, Result
from neo4j.exceptions import ConfigurationError
from neo4j.graph import Node, Relationship
from neo4j.time import Date, DateTime, Time

from qms.domain.errors import StoreUnavailable
from qms.storage.neo4j.errors import DRIVER_ERRORS, translate
from qms.storage.reads import LABEL_KEY, Run

T = TypeVar("T")
#: How long a managed transaction is retried on transient errors before giving up.
RETRY_SECONDS = 15.0
#: Bolt, direct or routed (cluster, Aura), plain or TLS. Not the driver's HTTP preview.
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def plain(value: Any) -> Any:
    """A driver value as the shared reads expect it: nodes as dicts with ``_LABEL``."""
    if isinstance(value, Node):
        record = {key: plain(item) for key, item in value.items()}
        record[LABEL_KEY] = min(value.labels)  # every node of the quality graph has one label
        return record
    if isinstance(value, Relationship):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (Date, DateTime, Time)):
        return value.to_native()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def rows(result: Result) -> list[list[Any]]:
    """Every record of a result as a list of plain values."""
    return [[plain(value) for value in record.values()] for record in result]


def display(uri: str) -> str:
    """The server part of a URI, for messages (any user:password@ is dropped)."""
    parts = urlsplit(uri)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}" if parts.scheme and host else "<ogiltig adress>"


class Connection:
    """The driver, the database and the bookmarks every session of this process shares.

    Sessions share one bookmark manager, so a read always sees the writes this process has
    committed before it (causal consistency, also on a cluster's read replicas).
    """

    def __init__(self, driver: Driver, database: str | None, where: str) -> None:
        self.driver = driver
        self.database = database
        self.where = where
        self.bookmarks = GraphDatabase.bookmark_manager()

    @classmethod
    def open(
        cls,
        uri: str,
        auth: tuple[str, str],
        database: str | None = None,
        *,
        retry_seconds: float = RETRY_SECONDS,
        timeout: float = 10.0,
    ) -> Connection:
        """A verified connection, or ``StoreUnavailable`` saying what is wrong."""
        where = f"Neo4j på {display(uri)}"
        if urlsplit(uri).scheme not in SCHEMES:
            raise StoreUnavailable(
                f"ogiltig QMS_NEO4J_URI {display(uri)}: använd bolt:// eller neo4j://"
            )
        try:
            driver = GraphDatabase.driver(
                uri,
                auth=auth,
                max_transaction_retry_time=retry_seconds,
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout * 3,
            )
        except (ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"ogiltig QMS_NEO4J_URI {display(uri)}: {exc}") from exc
        try:
            driver.verify_connectivity()
        except DRIVER_ERRORS as exc:
            driver.close()
            raise translate(exc, where) from exc
        return cls(driver, database, where)

    def read(self, work: Callable[[Run], T]) -> T:
        """``work`` in one managed read transaction, re-run by the driver on transient errors."""
        return self._managed(work, write=False)

    def write(self, work: Callable[[Run], T]) -> T:
        """``work`` in one managed write transaction; it must be safe to run more than once."""
        return self._managed(work, write=True)

    def rows(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """One read statement in its own transaction."""
        return self.read(lambda run: run(query, params))

    def auto(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """One auto-commit statement: schema changes and ``CALL … IN TRANSACTIONS``."""
        try:
            with self.driver.session(
                database=self.database, bookmark_manager=self.bookmarks
            ) as session:
                return rows(session.run(query, params or {}))
        except DRIVER_ERRORS as exc:
            raise translate(exc, self.where) from exc

    def _managed(self, work: Callable[[Run], T], *, write: bool) -> T:
        def in_transaction(tx: ManagedTransaction) -> T:
            def run(query: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
                return rows(tx.run(query, params or {}))

            return work(run)

        try:
            with self.driver.session(
                database=self.database, bookmark_manager=self.bookmarks
            ) as session:
                if write:
                    return session.execute_write(in_transaction)
                return session.execute_read(in_transaction)
        except DRIVER_ERRORS as exc:
            raise translate(exc, self.where) from exc

    def close(self) -> None:
        """Close the driver and its connection pool."""
        self.driver.close()
