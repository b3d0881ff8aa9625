"""The Neo4j full-text index on a real server (skipped unless ``QMS_TEST_NEO4J_URI`` is set)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qms.search.neo4j import Neo4jSearchIndex
from qms.search.port import SearchDoc
from qms.storage.neo4j.store import Neo4jGraphStore


@pytest.fixture
def index(neo4j_store: Neo4jGraphStore) -> Iterator[Neo4jSearchIndex]:
    opened = Neo4jSearchIndex(neo4j_store.connection)
    opened.rebuild([])
    yield opened
    opened.rebuild([])


def add(index: Neo4jSearchIndex, *docs: SearchDoc) -> None:
    with index.batch() as batch:
        for doc in docs:
            batch.upsert(doc)


def ids(index: Neo4jSearchIndex, text: str, labels: list[str] | None = None) -> list[str]:
    return [hit.id for hit in index.search(text, labels=labels)]


def test_swedish_inflections_and_prefixes_find_the_document(index: Neo4jSearchIndex) -> None:
    add(
        index,
        SearchDoc("p-1", "Process", "Inskolning i förskolan", "Barnet och vårdnadshavaren"),
        SearchDoc("d-1", "Document", "Rutin för hemtjänst", "Insatser i hemmet"),
    )
    assert ids(index, "förskola") == ["p-1"]
    assert ids(index, "hemtj") == ["d-1"]
    assert ids(index, "insatserna") == ["d-1"]
    assert ids(index, "rutin hemtjänst") == ["d-1"]
    assert ids(index, "rutin förskola") == []


def test_labels_filter_and_snippets_mark_the_match(index: Neo4jSearchIndex) -> None:
    add(
        index,
        SearchDoc("p-1", "Process", "Hemtjänst", "Stöd i hemmet för äldre"),
        SearchDoc("r-1", "Role", "Hemtjänstpersonal", ""),
    )
    assert ids(index, "hemtjänst", ["Role"]) == ["r-1"]
    [hit] = index.search("äldre", labels=["Process"])
    assert "<mark>äldre</mark>" in hit.snippet


def test_remove_and_rebuild(index: Neo4jSearchIndex) -> None:
    add(index, SearchDoc("p-1", "Process", "Hemtjänst", ""))
    with index.batch() as batch:
        batch.remove("p-1")
        batch.remove("p-unknown")
    assert index.count() == 0
    assert index.rebuild([SearchDoc("p-2", "Process", "Ny", "")]) == 1
    assert ids(index, "ny") == ["p-2"]


def test_user_syntax_is_only_text(index: Neo4jSearchIndex) -> None:
    add(index, SearchDoc("p-1", "Process", "Rutin (ny) för: a/b", ""))
    assert ids(index, 'rutin* "ny" AND title:(a/b)') == []
    assert ids(index, "rutin (ny)") == ["p-1"]
