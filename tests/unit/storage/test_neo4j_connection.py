"""The Neo4j connection's own logic on the driver's real types: no server involved."""

from __future__ import annotations

import logging
import socket
from datetime import date
from typing import Any

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    CypherSyntaxError,
    DatabaseUnavailable,
    IncompleteCommit,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Graph, Node
from neo4j.time import Date

from qms.domain.entities import Initiative, Process
from qms.domain.errors import Conflict, StoreError, StoreUnavailable
from qms.domain.kinds import ProcessKind
from qms.storage import reads
from qms.storage.neo4j import connection as conn_module
from qms.storage.neo4j.connection import Connection, display, plain
from qms.storage.neo4j.errors import translate


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def node(label: str, **props: Any) -> Node:
    return Node(Graph(), f"4:test:{props['id']}", 1, [label], props)


def test_a_node_with_a_neo4j_date_becomes_an_entity_with_a_python_date() -> None:
    record = plain(node("Initiative", id="i-1", title="Läslyft", starts_on=Date(2025, 1, 15)))
    entity = reads.to_entity(record)
    assert entity == Initiative(id="i-1", title="Läslyft", starts_on=date(2025, 1, 15))
    assert type(entity.starts_on) is date  # type: ignore[attr-defined]


def test_lists_enums_and_nested_values_map_to_domain_types() -> None:
    raw = node(
        "Process", id="p-1", name="Hemtjänst", kind="core", recipients=["brukare", "anhöriga"]
    )
    [[record, dates]] = [[plain(raw), plain([Date(2024, 2, 29), {"d": Date(2024, 3, 1)}])]]
    process = reads.to_entity(record)
    assert isinstance(process, Process)
    assert (process.kind, process.recipients) == (ProcessKind.CORE, ("brukare", "anhöriga"))
    assert dates == [date(2024, 2, 29), {"d": date(2024, 3, 1)}]


def test_display_never_shows_credentials() -> None:
    assert display("neo4j://qms:hemligt@db.kommun.se:7687") == "neo4j://db.kommun.se:7687"
    assert display("inte en adress") == "<ogiltig adress>"


@pytest.mark.parametrize(
    ("error", "domain", "words"),
    [
        (ConstraintError("Node(1) already exists with label `Role`"), Conflict, "finns redan"),
        (AuthError("The client is unauthorized"), StoreUnavailable, "fel användarnamn"),
        (ServiceUnavailable("Couldn't connect"), StoreUnavailable, "svarar inte"),
        (SessionExpired("lost the session"), StoreUnavailable, "svarar inte"),
        (DatabaseUnavailable("starting"), StoreUnavailable, "svarar inte"),
        (IncompleteCommit("lost during commit"), StoreUnavailable, "kontrollera om"),
        (TransientError("DeadlockDetected"), StoreError, "försök igen"),
        (CypherSyntaxError("Invalid input"), StoreError, "Invalid input"),
    ],
)
def test_driver_errors_become_domain_errors(
    error: Exception, domain: type[Exception], words: str
) -> None:
    mapped = translate(error, "Neo4j på neo4j://db:7687")
    assert type(mapped) is domain
    assert words in str(mapped)


def test_unreachable_server_is_store_unavailable_at_start() -> None:
    uri = f"bolt://127.0.0.1:{closed_port()}"
    with pytest.raises(StoreUnavailable, match="svarar inte.*QMS_NEO4J_URI"):
        Connection.open(uri, ("neo4j", "fel"), timeout=2)


def test_a_malformed_uri_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="ogiltig QMS_NEO4J_URI"):
        Connection.open("http://127.0.0.1:7474", ("neo4j", "x"))


def test_wrong_password_is_named_and_the_driver_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver raises ``AuthError`` from ``verify_connectivity`` on a refused login."""
    made: list[Any] = []
    original = GraphDatabase.driver

    def driver(uri: str, **config: Any) -> Any:
        real = original(uri, **config)
        made.append(real)

        def refuse(**_: Any) -> None:
            raise AuthError("The client is unauthorized due to authentication failure.")

        monkeypatch.setattr(real, "verify_connectivity", refuse)
        return real

    monkeypatch.setattr(conn_module.GraphDatabase, "driver", driver)
    with pytest.raises(StoreUnavailable, match="fel användarnamn eller lösenord"):
        Connection.open(f"bolt://127.0.0.1:{closed_port()}", ("neo4j", "fel"))
    assert made[0]._closed  # noqa: SLF001 - the pool must not leak


def test_retryable_failures_are_retried_with_backoff_then_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The driver's managed transaction retries (here: no server) until the retry time."""
    uri = f"bolt://127.0.0.1:{closed_port()}"
    driver = GraphDatabase.driver(uri, auth=("neo4j", "x"), max_transaction_retry_time=0.5)
    connection = Connection(driver, None, f"Neo4j på {uri}")
    ran: list[bool] = []
    try:
        with caplog.at_level(logging.WARNING, logger="neo4j"), pytest.raises(StoreUnavailable):
            connection.write(lambda run: ran.append(True))
    finally:
        connection.close()
    retries = [r for r in caplog.records if "will be retried" in r.getMessage()]
    assert retries
    assert ran == []


def test_a_transient_error_left_after_the_retries_is_a_clear_store_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    driver = GraphDatabase.driver(f"bolt://127.0.0.1:{closed_port()}", auth=("neo4j", "x"))
    connection = Connection(driver, None, "Neo4j på bolt://db:7687")

    class Session:
        def __enter__(self) -> Session:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def execute_write(self, work: Any) -> Any:
            raise TransientError("Neo.TransientError.Transaction.DeadlockDetected")

    monkeypatch.setattr(driver, "session", lambda **_: Session())
    try:
        with pytest.raises(StoreError, match="tillfälligt fel.*försök igen"):
            connection.write(lambda run: None)
    finally:
        connection.close()
