"""Numbered schema migrations for Neo4j, each recorded as a ``SchemaMigration`` node."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from qms.domain.errors import StoreUnavailable
from qms.storage.reads import Run
from qms.storage.unit_of_work import now_stamp

T = TypeVar("T")
APPLIED = "MATCH (m:SchemaMigration) RETURN m.number ORDER BY m.number"
RECORD = (
    "MERGE (m:SchemaMigration {number: $number}) ON CREATE SET m.name = $name, m.applied_at = $at"
)
#: New indexes fill in the background; wait for them before serving (seconds).
AWAIT = "CALL db.awaitIndexes($seconds)"
AWAIT_SECONDS = 300
_MODULE = re.compile(r"\Av(\d{3})_(\w+)\Z")


class Statements(Protocol):
    """What migrating needs of a connection."""

    def rows(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]: ...

    def auto(self, query: str, params: dict[str, Any] | None = None) -> list[list[Any]]: ...

    def write(self, work: Callable[[Run], T]) -> T: ...


def available() -> list[tuple[int, str, tuple[str, ...]]]:
    """Every migration shipped with the code: (number, name, statements), in order."""
    package = importlib.import_module(f"{__package__}.migrations")
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        match = _MODULE.match(info.name)
        if match is None:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.append((int(match.group(1)), match.group(2), tuple(module.STATEMENTS)))
    return sorted(found)


def check_version(applied: Iterable[int], known: Iterable[int]) -> None:
    """Refuse a database that a newer QMS has already migrated past this code."""
    newest, ours = max(applied, default=0), max(known, default=0)
    if newest > ours:
        raise StoreUnavailable(
            f"Neo4j-databasens schema har version {newest} men den här versionen av QMS "
            f"känner bara till version {ours}; uppgradera QMS i stället för att köra en "
            "äldre version mot databasen"
        )


def migrate(conn: Statements) -> list[int]:
    """Apply the migrations not yet applied; return their numbers.

    Schema statements cannot share a transaction with data in Neo4j, so each runs on its own
    (all are ``IF NOT EXISTS``: two app instances starting together do no harm), then the
    migration is recorded.
    """
    migrations = available()
    applied = {int(row[0]) for row in conn.rows(APPLIED)}
    check_version(applied, (number for number, _, _ in migrations))
    done = []
    for number, name, statements in migrations:
        if number in applied:
            continue
        for statement in statements:
            conn.auto(statement)
        _record(conn, {"number": number, "name": name, "at": now_stamp()})
        done.append(number)
    if done:
        conn.auto(AWAIT, {"seconds": AWAIT_SECONDS})
    return done


def _record(conn: Statements, params: dict[str, Any]) -> None:
    conn.write(lambda run: run(RECORD, params))
