"""What is particular to the embedded LadybugDB store: disk, migrations, one process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qms.domain.entities import Role
from qms.domain.errors import StoreUnavailable
from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label
from qms.storage.embedded.ddl import current_schema
from qms.storage.embedded.migrate import available
from qms.storage.embedded.store import EmbeddedGraphStore
from qms.storage.schema import engine_type


def test_data_survives_reopen(tmp_path: Path) -> None:
    store = EmbeddedGraphStore(tmp_path / "graph")
    with store.unit_of_work("anna") as uow:
        uow.add(Role(id="r-1", name="Enhetschef"))
    store.close()
    reopened = EmbeddedGraphStore(tmp_path / "graph")
    try:
        assert reopened.get(Label.ROLE, "r-1").caption == "Enhetschef"
        assert reopened.applied_migrations == []
        assert len(reopened.changes("r-1")) == 1
    finally:
        reopened.close()


def test_first_open_applies_every_migration(tmp_path: Path) -> None:
    store = EmbeddedGraphStore(tmp_path / "graph")
    try:
        assert store.applied_migrations == [number for number, _, _ in available()]
    finally:
        store.close()


def test_migrations_build_exactly_the_schema_the_domain_declares(tmp_path: Path) -> None:
    """A new entity field without a migration fails here, not in production."""
    store = EmbeddedGraphStore(tmp_path / "graph")
    try:
        for label in Label:
            # In order: bulk loads copy columns by position.
            columns = [
                (row[1], row[2])
                for row in store.engine.run(f"CALL table_info('{label.value}') RETURN *")
            ]
            expected = [
                (name, engine_type(kind).replace("BOOLEAN", "BOOL"))
                for name, kind in field_types(label).items()
            ]
            assert columns == expected, label
        for rel in REL_TYPES.values():
            pairs = {
                (row[0], row[1])
                for row in store.engine.run(f"CALL show_connection('{rel.name.value}') RETURN *")
            }
            assert pairs == {(s.value, t.value) for s, t in rel.pairs}, rel.name
    finally:
        store.close()


def test_shipped_migrations_create_the_generated_tables() -> None:
    """Migrations are numbered without gaps, create every table the domain declares once and
    otherwise only ALTER (what the tables hold in the end is checked by the test above)."""
    numbers = [number for number, _, _ in available()]
    assert numbers == list(range(1, len(numbers) + 1))
    statements = [statement for _, _, group in available() for statement in group]
    created = [s.split("(")[0] for s in statements if s.startswith("CREATE")]
    assert sorted(created) == sorted(s.split("(")[0] for s in current_schema())
    assert all(s.startswith(("CREATE ", "ALTER TABLE ")) for s in statements)


def test_second_process_gets_a_clear_unavailable_error(tmp_path: Path) -> None:
    store = EmbeddedGraphStore(tmp_path / "graph")
    try:
        script = (
            "import sys; from pathlib import Path\n"
            "from qms.domain.errors import StoreUnavailable\n"
            "from qms.storage.embedded.store import EmbeddedGraphStore\n"
            "try:\n    EmbeddedGraphStore(Path(sys.argv[1]))\n"
            "except StoreUnavailable as exc:\n    print('UNAVAILABLE', exc); sys.exit(3)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "graph")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 3, result.stderr
        assert "UNAVAILABLE" in result.stdout
    finally:
        store.close()


def test_two_stores_on_one_path_share_one_database(tmp_path: Path) -> None:
    first = EmbeddedGraphStore(tmp_path / "graph")
    second = EmbeddedGraphStore(tmp_path / "graph")
    try:
        assert first.engine.db is second.engine.db
        with first.unit_of_work("anna") as uow:
            uow.add(Role(id="r-1", name="Chef"))
        assert second.get(Label.ROLE, "r-1").caption == "Chef"
    finally:
        second.close()
        first.close()


def test_kill_during_a_write_keeps_what_was_committed(tmp_path: Path) -> None:
    script = (
        "import os, signal, sys; from pathlib import Path\n"
        "from qms.domain.entities import Role\n"
        "from qms.storage.embedded.store import EmbeddedGraphStore\n"
        "store = EmbeddedGraphStore(Path(sys.argv[1]))\n"
        "with store.unit_of_work('a') as uow:\n    uow.add(Role(id='r-kept', name='Sparad'))\n"
        "with store.unit_of_work('a') as uow:\n"
        "    uow.add(Role(id='r-lost', name='Aldrig sparad'))\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "graph")],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == -9
    store = EmbeddedGraphStore(tmp_path / "graph")
    try:
        assert store.label_of("r-kept") is Label.ROLE
        assert store.label_of("r-lost") is None
    finally:
        store.close()


def test_unwritable_directory_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises((StoreUnavailable, OSError)):
        EmbeddedGraphStore(blocker / "graph")
