"""Flask's ``app``, ``client`` and ``runner`` on an embedded store in a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from process_models import DEMO
from web import create_app

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
#: The portal's "today" in tests: after some demo review dates, before most.
TODAY = date(2026, 6, 1)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty store; the store is closed afterwards."""
    app = create_app({"DATA_DIR": str(tmp_path / "data"), "TESTING": True})
    yield app
    app.extensions["qms"].close()


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    """The ``app`` with the three processes of ``fixtures/mini.yaml`` loaded."""
    app.extensions["qms"].load(MINI, "test")
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    """A test client for ``demo_app``."""
    return demo_app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for ``app``."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def org_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app with the whole demo organisation, shared by read-only page tests."""
    data_dir = str(tmp_path_factory.mktemp("org"))
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "TODAY": TODAY})
    app.extensions["qms"].load(DEMO, "test")
    yield app
    app.extensions["qms"].close()


@pytest.fixture
def org_client(org_app: Flask) -> FlaskClient:
    """A test client for ``org_app`` (read only: do not write through it)."""
    return org_app.test_client()


@pytest.fixture(scope="module")
def coordinator_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo organisation on an open-access app (every visitor a coordinator), one per
    test module: tests write through it, so each makes its own entities."""
    data_dir = str(tmp_path_factory.mktemp("quality"))
    config = {"DATA_DIR": data_dir, "TESTING": True, "TODAY": TODAY, "OPEN_ACCESS": True}
    app = create_app(config)
    app.extensions["qms"].load(DEMO, "test")
    yield app
    app.extensions["qms"].close()


@pytest.fixture
def coordinator_client(coordinator_app: Flask) -> FlaskClient:
    """A test client for ``coordinator_app``."""
    return coordinator_app.test_client()
