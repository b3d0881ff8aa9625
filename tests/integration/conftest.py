"""Real stores: on temporary directories, and on Neo4j when ``QMS_TEST_NEO4J_URI`` is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from process_models import DEMO
from qms.services.app import Qms
from qms.services.config import Settings
from qms.storage.embedded.store import EmbeddedGraphStore
from qms.storage.neo4j.store import Neo4jGraphStore
from qms.storage.port import GraphStore

NEO4J_URI = os.environ.get("QMS_TEST_NEO4J_URI", "")
needs_neo4j = pytest.mark.skipif(
    not NEO4J_URI,
    reason="Neo4j run skipped: set QMS_TEST_NEO4J_URI (+ QMS_TEST_NEO4J_USER, "
    "QMS_TEST_NEO4J_PASSWORD) to a throwaway database to run it",
)


def open_test_neo4j() -> Neo4jGraphStore:
    """The Neo4j store of ``QMS_TEST_NEO4J_*``, emptied: every test owns the whole database."""
    opened = Neo4jGraphStore.connect(
        NEO4J_URI,
        (os.environ.get("QMS_TEST_NEO4J_USER", "neo4j"), os.environ["QMS_TEST_NEO4J_PASSWORD"]),
        os.environ.get("QMS_TEST_NEO4J_DATABASE") or None,
    )
    opened.clear()
    return opened


@pytest.fixture
def neo4j_store() -> Iterator[Neo4jGraphStore]:
    """An empty Neo4j store (skipped without ``QMS_TEST_NEO4J_URI``)."""
    if not NEO4J_URI:
        pytest.skip(needs_neo4j.kwargs["reason"])
    opened = open_test_neo4j()
    yield opened
    opened.clear()
    opened.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=needs_neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Every GraphStore adapter: embedded always, Neo4j when a test server is configured."""
    if request.param == "neo4j":
        opened: GraphStore = open_test_neo4j()
        yield opened
        opened.clear()
    else:
        opened = EmbeddedGraphStore(tmp_path / "graph")
        yield opened
    opened.close()


@pytest.fixture
def qms(tmp_path: Path) -> Iterator[Qms]:
    """Services on an empty data directory."""
    opened = Qms.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_dump(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The demo organisation, loaded once, as dump lines (restored per test where needed)."""
    from qms.services.dump import dump_lines

    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("demo")))
    try:
        opened.load(DEMO, "test")
        return list(dump_lines(opened.store))
    finally:
        opened.close()


@pytest.fixture
def demo(qms: Qms, demo_dump: list[str]) -> Qms:
    """Services with the demo organisation loaded."""
    from qms.services.dump import restore

    restore(qms.store, qms.search_index, demo_dump)
    return qms
