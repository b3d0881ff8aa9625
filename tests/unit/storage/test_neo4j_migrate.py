"""Neo4j schema migrations: what they create, in what order, and the newer-schema refusal."""

from __future__ import annotations

import re
from typing import Any

import pytest

from qms.domain.errors import StoreUnavailable
from qms.domain.graph import field_types
from qms.domain.labels import Label
from qms.search import neo4j as search_neo4j
from qms.storage import schema as q
from qms.storage.neo4j import migrate
from qms.storage.neo4j.store import Neo4jGraphStore

KNOWN_KEYS = {
    **{label.value: set(field_types(label)) for label in Label},
    q.CHANGE_LABEL: set(q.CHANGE_FIELDS),
    "SchemaMigration": {"number", "name", "applied_at"},
    search_neo4j.DOC_LABEL: {"id", "label", "title", "text", "context"},
}
_TARGET = re.compile(r"FOR \(n:(\w+)\) (?:REQUIRE|ON)")


def all_statements() -> list[str]:
    return [s for _, _, statements in migrate.available() for s in statements]


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    numbers = [number for number, _, _ in migrate.available()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_every_label_and_the_change_log_have_a_unique_id() -> None:
    text = "\n".join(all_statements())
    for label in (*(lbl.value for lbl in Label), q.CHANGE_LABEL, search_neo4j.DOC_LABEL):
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in text, label


def test_ddl_names_only_real_properties() -> None:
    """The Cypher front end does not check property names in DDL, so this test does."""
    for statement in all_statements():
        label = _TARGET.search(statement)
        assert label is not None, statement
        used = set(re.findall(r"\bn\.(\w+)", statement))
        assert used <= KNOWN_KEYS[label.group(1)], statement


def test_the_full_text_index_is_the_one_search_queries(recorder: Any) -> None:
    text = "\n".join(all_statements())
    assert f"CREATE FULLTEXT INDEX {search_neo4j.INDEX} IF NOT EXISTS" in text
    assert f"FOR (n:{search_neo4j.DOC_LABEL})" in text
    assert "`fulltext.analyzer`: 'swedish'" in text


def test_a_new_database_gets_every_migration_then_waits_for_its_indexes(recorder: Any) -> None:
    assert migrate.migrate(recorder) == [n for n, _, _ in migrate.available()]
    sent = recorder.queries()
    assert sent[0] == migrate.APPLIED
    assert sent[1:-1].count(migrate.RECORD) == len(migrate.available())
    assert [s for s in sent if s not in (migrate.APPLIED, migrate.RECORD, migrate.AWAIT)] == (
        all_statements()
    )
    assert sent[-1] == migrate.AWAIT


def test_only_missing_migrations_run(recorder: Any) -> None:
    recorder.answer(migrate.APPLIED, [[1], [2]])
    newest = max(n for n, _, _ in migrate.available())
    assert migrate.migrate(recorder) == list(range(3, newest + 1))
    recorder.answer(migrate.APPLIED, [[n] for n in range(1, newest + 1)])
    recorder.log.clear()
    assert migrate.migrate(recorder) == []
    assert recorder.queries() == [migrate.APPLIED]


def test_a_database_with_a_newer_schema_is_refused_before_anything_is_written(
    recorder: Any,
) -> None:
    newest = max(n for n, _, _ in migrate.available())
    recorder.answer(migrate.APPLIED, [[n] for n in range(1, newest + 2)])
    with pytest.raises(StoreUnavailable, match=f"version {newest + 1}.*uppgradera QMS"):
        Neo4jGraphStore(recorder)
    assert recorder.queries() == [migrate.APPLIED]
    assert recorder.writes == 0


def test_check_version_accepts_equal_and_older() -> None:
    migrate.check_version([1, 2, 3], [1, 2, 3])
    migrate.check_version([], [1, 2, 3])
    with pytest.raises(StoreUnavailable):
        migrate.check_version([4], [1, 2, 3])
