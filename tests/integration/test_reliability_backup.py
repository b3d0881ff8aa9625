"""Backup and restore of a store with history: ``qms dump`` → ``qms restore`` → ``qms dump``.

The store holds what a year of use leaves: the demo organisation, accounts (one with roles
changed, one disabled, an API token), edited processes and documents, and an entity that
was created and then deleted, whose history outlives it. The dump is restored with the
real commands into a fresh data directory and dumped again: the files must be identical byte
for byte, and so must the change log as the history pages read it.
"""

from __future__ import annotations

import dataclasses
import shutil
from contextlib import closing
from pathlib import Path

import pytest

from process_models import DEMO
from qms.domain.entities import Role
from qms.domain.labels import Label
from qms.services import accounts
from qms.services.access import coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from tests.integration.reliability_kit import run_qms

pytestmark = pytest.mark.slow

GONE = "r-tillfallig-roll"


def live_a_little(data: Path) -> None:
    """Accounts, edits and a deletion on top of the demo organisation."""
    with closing(Qms.open(Settings(data_dir=data))) as qms:
        qms.load(DEMO, "cli:root")
        admin = coordinator("admin")
        accounts.add_account(
            qms.store,
            admin,
            {
                "id": "kim",
                "name": "Kim Kvalitet",
                "roles": ["kvalitetssamordnare"],
                "password": "ett långt lösenord",
            },
        )
        accounts.add_account(qms.store, admin, {"id": "sam", "name": "Sam Sso", "roles": []})
        accounts.set_roles(qms.store, admin, "sam", ["lasare@ou-avd-aldre", "chef@ou-avd-aldre"])
        accounts.set_disabled(qms.store, admin, "sam", True)
        accounts.create_token(qms.store, admin, "kim", "Integration med ILS")
        with qms.unit_of_work("kim") as uow:
            process = uow.get(Label.PROCESS, "p-hemtjanst")
            uow.update(dataclasses.replace(process, name="Hemtjänst – beslut till insats"))
            document = next(iter(qms.store.entities(Label.DOCUMENT)))
            uow.update(dataclasses.replace(document, doc_version="2.0"))
        with qms.unit_of_work("kim") as uow:
            uow.add(Role(id=GONE, name="Tillfällig roll", description="Finns en dag"))
        with qms.unit_of_work("admin") as uow:
            uow.delete(Label.ROLE, GONE)


def history(data: Path) -> tuple[list[object], list[object]]:
    """The whole change log, and that of the deleted role."""
    with closing(Qms.open(Settings(data_dir=data))) as qms:
        return list(qms.store.changes()), list(qms.store.changes(GONE))


def test_dump_restore_dump_is_identical_with_history(tmp_path: Path) -> None:
    original, fresh = tmp_path / "original", tmp_path / "fresh"
    live_a_little(original)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"

    dumped = run_qms(original, "dump", str(first), home=tmp_path)
    assert dumped.returncode == 0, dumped.stderr
    restored = run_qms(fresh, "restore", str(first), home=tmp_path)
    assert restored.returncode == 0, restored.stderr
    again = run_qms(fresh, "dump", str(second), home=tmp_path)
    assert again.returncode == 0, again.stderr

    assert first.read_bytes() == second.read_bytes()
    changes, of_gone = history(original)
    assert history(fresh) == (changes, of_gone)
    assert [c.op for c in of_gone] == ["create", "delete"]  # the deleted role's history stays
    assert {c.entity_id for c in changes} >= {"kim", "sam", "p-hemtjanst", GONE}
    assert any(c.entity_id == "kim" and c.field == "" and "(dolt)" in c.after for c in changes)

    search = run_qms(fresh, "search", "beslut", "till", "insats", home=tmp_path)
    assert "Hemtjänst – beslut till insats" in search.stdout  # the index was rebuilt too


def test_restore_replaces_what_was_there(tmp_path: Path) -> None:
    original, target = tmp_path / "original", tmp_path / "target"
    live_a_little(original)
    dump = tmp_path / "dump.jsonl"
    assert run_qms(original, "dump", str(dump), home=tmp_path).returncode == 0
    shutil.copytree(original, target)
    assert run_qms(target, "load", str(DEMO), home=tmp_path).returncode == 0  # undoes an edit
    assert run_qms(target, "restore", str(dump), home=tmp_path).returncode == 0
    again = tmp_path / "again.jsonl"
    assert run_qms(target, "dump", str(again), home=tmp_path).returncode == 0
    assert again.read_bytes() == dump.read_bytes()
