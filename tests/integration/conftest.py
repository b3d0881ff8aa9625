"""Real stores on temporary directories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from process_models import DEMO
from qms.services.app import Qms
from qms.services.config import Settings
from qms.storage.embedded.store import EmbeddedGraphStore
from qms.storage.port import GraphStore


@pytest.fixture(params=["embedded"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Every available GraphStore adapter (Neo4j joins when its issue lands)."""
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
