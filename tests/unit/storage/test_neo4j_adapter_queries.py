"""What the Neo4j store really sends is in the linted catalogue, with every parameter it names."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from enum import StrEnum
from typing import Any

import pytest

from qms.domain.changes import Change, ChangeOp
from qms.domain.entities import ENTITY_TYPES, Initiative
from qms.domain.errors import InvalidInput
from qms.domain.graph import REL_TYPES, Link, field_types
from qms.domain.labels import Label, Rel
from qms.domain.trace import TRACE_START
from qms.search import neo4j as search_neo4j
from qms.search.port import SearchDoc
from qms.storage import queries as qq
from qms.storage import schema as q
from qms.storage.neo4j import bulk, catalogue
from qms.storage.neo4j.store import Neo4jGraphStore
from qms.storage.queries import Dialect

KNOWN = set(catalogue.statements()) | set(search_neo4j.QUERIES)


def record_of(label: Label, entity_id: str) -> dict[str, Any]:
    """A stored node of ``label`` with a valid value for each required field."""
    record: dict[str, Any] = {"_LABEL": label.value, "id": entity_id}
    for spec in dataclasses.fields(ENTITY_TYPES[label]):
        if spec.default is dataclasses.MISSING and spec.name != "id":
            kind = field_types(label)[spec.name]
            record[spec.name] = (
                next(iter(kind)).value if issubclass(kind, StrEnum)
                else date(2025, 1, 1) if kind is date
                else f"{label} {entity_id}"
            )  # fmt: skip
    return record


@pytest.fixture
def store(recorder: Any) -> Neo4jGraphStore:
    """Every node exists (one per label), so every read path runs to the end."""
    for label in Label:
        recorder.answer(q.read_query(label), lambda p, lbl=label: [[record_of(lbl, p["id"])]])
    return Neo4jGraphStore(recorder)  # type: ignore[arg-type]


def assert_known(recorder: Any) -> None:
    unknown = sorted({query for query in recorder.queries() if query not in KNOWN})
    assert unknown == []
    for query, params in recorder.log:
        assert set(re.findall(r"\$(\w+)", query)) <= params.keys(), query


def test_every_read_path_sends_only_catalogued_statements(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    for label in Label:
        store.get(label, "x-1")
        store.entities(label)
        store.neighbourhood(label, "x-1")
    for rel, rel_type in REL_TYPES.items():
        list(store.links(rel))
        for source, target in rel_type.pairs:
            store.outgoing(source, "x-1", rel)
            store.neighbours(source, "x-1", rel)
            store.neighbours(target, "x-1", rel, "in")
    store.process_view("p-1")
    store.role_view("r-1")
    for label in TRACE_START:
        store.trace(label, "x-1")
    store.label_of("x-1")
    store.changes()
    store.changes("x-1")
    assert store.counts()[q.CHANGE_LABEL] == 0
    store.clear()
    assert_known(recorder)
    assert qq.watchers_queries(Dialect.NEO4J)[0] in recorder.queries()


def test_bulk_load_sends_catalogued_batches_and_checks_every_link_first(
    store: Neo4jGraphStore, recorder: Any
) -> None:
    recorder.answer("CREATE (a)-[r:", lambda p: [[len(p["rows"])]])
    entities = [
        Initiative(id=f"i-{n}", title=f"Satsning {n}", starts_on=date(2025, 1, 1))
        for n in range(bulk.BATCH + 1)
    ]
    change = Change(id="c-1", change_set="s", at="t", actor="a", op=ChangeOp.CREATE,
                    label="Initiative", entity_id="i-1")  # fmt: skip
    store.bulk_load(entities, [], [change])
    creates = [p for query, p in recorder.log if query == bulk.node_query("Initiative")]
    assert [len(p["rows"]) for p in creates] == [bulk.BATCH, 1]
    assert creates[0]["rows"][0]["starts_on"] == date(2025, 1, 1)  # the driver sends a DATE
    assert_known(recorder)
    recorder.log.clear()
    with pytest.raises(InvalidInput):
        store.bulk_load(entities[:1], [Link(Rel.SUPPORTS, "i-0", "g-missing")])
    assert not any(query.startswith("UNWIND") for query in recorder.queries())


def test_the_search_index_sends_only_its_declared_statements(recorder: Any) -> None:
    index = search_neo4j.Neo4jSearchIndex(recorder)
    with index.batch() as batch:
        batch.upsert(SearchDoc("p-1", "Process", "Hemtjänst", "insatser i hemmet"))
        batch.remove("p-2")
    index.search("hemtjänst", labels=["Process"])
    index.rebuild([SearchDoc("p-1", "Process", "Hemtjänst", "")])
    assert_known(recorder)
