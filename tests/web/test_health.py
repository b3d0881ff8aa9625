"""``/health`` reports the store's totals, or 503 when the store is unavailable."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qms.domain.errors import StoreUnavailable


def test_health_on_an_empty_store(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok", "backend": "embedded", "nodes": 0, "links": 0, "changes": 0,
    }


def test_health_counts_what_was_loaded(demo_client: FlaskClient) -> None:
    body = demo_client.get("/health").json
    assert body is not None
    # mini.yaml: one role and three processes; one OWNED_BY link; one change entry per write.
    assert body["status"] == "ok"
    assert body["nodes"] == 4
    assert body["links"] == 1
    assert body["changes"] >= 4


def test_health_is_503_when_the_store_is_unavailable(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked() -> dict[str, int]:
        raise StoreUnavailable("grafdatabasen går inte att använda: lock on file")

    monkeypatch.setattr(app.extensions["qms"].store, "counts", locked)
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "message": "Grafdatabasen är inte tillgänglig just nu",
        "errors": {},
    }
    assert "lock on file" not in response.get_data(as_text=True)
