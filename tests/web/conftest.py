"""Flask's ``app``, ``client`` and ``runner`` on an embedded store in a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from web import create_app

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


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
