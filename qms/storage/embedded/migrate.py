"""Numbered schema migrations for the embedded store (``migrations/NNN_name.cypher``)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from qms.domain.errors import QmsError, StoreUnavailable
from qms.storage.unit_of_work import now_stamp

Run = Callable[[str, dict[str, Any] | None], list[list[Any]]]

_BOOTSTRAP = (
    "CREATE NODE TABLE IF NOT EXISTS SchemaMigration"
    "(number INT64, name STRING, applied_at STRING, PRIMARY KEY(number))"
)


def available() -> list[tuple[int, str, list[str]]]:
    """Every migration shipped with the code: (number, name, statements), in order."""
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        if not entry.name.endswith(".cypher"):
            continue
        number, _, name = entry.name.removesuffix(".cypher").partition("_")
        text = "\n".join(
            line
            for line in entry.read_text(encoding="utf-8").splitlines()
            if not line.startswith("--")
        )
        statements = [s.strip() for s in text.split(";") if s.strip()]
        found.append((int(number), name, statements))
    return sorted(found)


def check_current(run: Run) -> None:
    """For a store opened read-only: ``StoreUnavailable`` unless every migration is applied."""
    try:
        done = {row[0] for row in run("MATCH (m:SchemaMigration) RETURN m.number", None)}
    except StoreUnavailable:
        raise
    except QmsError:
        done = set()  # not even the bookkeeping table: a database that was never set up
    missing = [number for number, _, _ in available() if number not in done]
    if missing:
        raise StoreUnavailable(
            "grafdatabasen kan inte skrivas och behöver uppgraderas (migrering "
            f"{', '.join(str(n) for n in missing)}); starta QMS en gång med skrivrätt"
        )


def migrate(run: Run) -> list[int]:
    """Apply the migrations not yet applied, each in its own transaction; return their numbers."""
    run(_BOOTSTRAP, None)
    done = {row[0] for row in run("MATCH (m:SchemaMigration) RETURN m.number", None)}
    applied = []
    for number, name, statements in available():
        if number in done:
            continue
        run("BEGIN TRANSACTION", None)
        for statement in statements:
            run(statement, None)
        run(
            "CREATE (:SchemaMigration {number: $number, name: $name, applied_at: $at})",
            {"number": number, "name": name, "at": now_stamp()},
        )
        run("COMMIT", None)
        applied.append(number)
    return applied
