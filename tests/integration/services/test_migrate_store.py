"""Copying a whole store and proving the copy: counts and the checksum of both dumps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qms.domain.entities import Role
from qms.domain.errors import InvalidInput, StoreError
from qms.domain.labels import Label
from qms.services import migrate_store
from qms.services.app import Qms
from qms.services.dump import dump_lines
from qms.services.migrate_store import checksum, copy_store
from qms.storage.embedded.store import EmbeddedGraphStore
from qms.storage.neo4j.store import Neo4jGraphStore


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[EmbeddedGraphStore]:
    """A second, empty store to copy into (the copy logic only knows the port)."""
    opened = EmbeddedGraphStore(tmp_path / "target")
    yield opened
    opened.close()


def test_a_copy_has_the_same_counts_and_the_same_dump(demo: Qms, empty: EmbeddedGraphStore) -> None:
    report = copy_store(demo.store, empty)
    assert report.checksum == checksum(dump_lines(demo.store)) == checksum(dump_lines(empty))
    assert empty.counts() == demo.store.counts()
    assert report.nodes == sum(demo.store.counts()[label.value] for label in Label) > 0
    assert report.changes == len(demo.store.changes()) > 0
    assert report.replaced == 0


def test_a_target_that_is_not_empty_is_refused_unless_forced(
    demo: Qms, empty: EmbeddedGraphStore
) -> None:
    with empty.unit_of_work("test") as uow:
        uow.add(Role(id="r-old", name="Gammal"))
    with pytest.raises(InvalidInput, match="inte tom.*--force"):
        copy_store(demo.store, empty)
    assert empty.label_of("r-old") is Label.ROLE
    report = copy_store(demo.store, empty, force=True)
    assert report.replaced == 2  # the role and its change entry
    assert empty.label_of("r-old") is None


def test_an_empty_source_never_wipes_the_target(qms: Qms, empty: EmbeddedGraphStore) -> None:
    with empty.unit_of_work("test") as uow:
        uow.add(Role(id="r-keep", name="Kvar"))
    with pytest.raises(InvalidInput, match="källan är tom"):
        copy_store(qms.store, empty, force=True)
    assert empty.label_of("r-keep") is Label.ROLE


def test_a_copy_that_differs_is_reported(
    demo: Qms, empty: EmbeddedGraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = empty.counts

    def one_short() -> dict[str, int]:
        counts = real()
        counts["Role"] -= 1
        return counts

    # Empty before the copy (so it is accepted), one role short after it.
    monkeypatch.setattr(empty, "counts", lambda: real() if not real()["Role"] else one_short())
    with pytest.raises(StoreError, match=r"antalen skiljer sig.*Role \d+ → \d+"):
        copy_store(demo.store, empty)


def test_a_copy_whose_dump_differs_is_reported(
    demo: Qms, empty: EmbeddedGraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        migrate_store, "dump_lines", lambda store: [*dump_lines(store), '{"kind": "extra"}']
    )
    with pytest.raises(StoreError, match="kontrollsumman"):
        copy_store(demo.store, empty)


def test_the_demo_organisation_copies_into_neo4j_exactly(
    demo: Qms, neo4j_store: Neo4jGraphStore
) -> None:
    report = copy_store(demo.store, neo4j_store)
    assert checksum(dump_lines(neo4j_store)) == report.checksum
    assert neo4j_store.process_view("p-hemtjanst") == demo.store.process_view("p-hemtjanst")
