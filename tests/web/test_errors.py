"""Domain and HTTP errors become Swedish pages or JSON, never a stack trace."""

from __future__ import annotations

import io
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qms.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    StoreError,
    StoreUnavailable,
)

RAISERS: dict[str, Exception] = {
    "not-found": NotFound("Process", "p-saknas"),
    "conflict": Conflict("id finns redan: Duplicated primary key p-1 in engine"),
    "invalid": InvalidInput("Uppgifterna stämmer inte", {"name": ["får inte vara tomt"]}),
    "forbidden": Forbidden("hemligt"),
    "unavailable": StoreUnavailable("grafdatabasen går inte att använda: lock on file /x"),
    "store-error": StoreError("Binder exception: secret internals"),
    "bug": ZeroDivisionError("division by zero in secret_module"),
}


@pytest.fixture
def raising_client(app: Flask) -> FlaskClient:
    """``app`` with test-only routes that raise each error, as HTML and under /api."""
    for name, exc in RAISERS.items():
        def view(exc: Exception = exc) -> str:
            raise exc

        app.add_url_rule(f"/test/{name}", f"html_{name}", view)
        app.add_url_rule(f"/api/test/{name}", f"api_{name}", view)
    return app.test_client()


@pytest.mark.parametrize(
    ("name", "status", "text"),
    [
        ("not-found", 404, "Det finns ingen process med id ”p-saknas”."),
        ("conflict", 409, "Någon annan har ändrat samma sak samtidigt"),
        ("invalid", 422, "får inte vara tomt"),
        ("forbidden", 403, "Du har inte behörighet"),
        ("unavailable", 503, "Grafdatabasen är inte tillgänglig just nu"),
        ("store-error", 500, "Ett oväntat fel inträffade"),
        ("bug", 500, "Ett oväntat fel inträffade"),
    ],
)
def test_error_becomes_a_swedish_page(
    raising_client: FlaskClient, name: str, status: int, text: str
) -> None:
    response = raising_client.get(f"/test/{name}")
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<html lang="sv">' in html
    assert text in html
    for secret in ("Traceback", "secret", "lock on file", "Duplicated primary key"):
        assert secret not in html


@pytest.mark.parametrize(
    ("name", "status"),
    [("not-found", 404), ("conflict", 409), ("forbidden", 403), ("unavailable", 503),
     ("store-error", 500), ("bug", 500)],
)
def test_error_under_api_is_json(raising_client: FlaskClient, name: str, status: int) -> None:
    response = raising_client.get(f"/api/test/{name}")
    assert response.status_code == status
    assert response.is_json
    assert set(response.json or {}) == {"message", "errors"}
    assert "secret" not in response.get_data(as_text=True)


def test_invalid_input_lists_errors_per_field(raising_client: FlaskClient) -> None:
    response = raising_client.get("/api/test/invalid")
    assert response.status_code == 422
    assert response.json == {
        "message": "Uppgifterna stämmer inte",
        "errors": {"name": ["får inte vara tomt"]},
    }


def test_client_preferring_json_gets_json(raising_client: FlaskClient) -> None:
    response = raising_client.get("/test/unavailable", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.json == {"message": "Grafdatabasen är inte tillgänglig just nu. "
                             "Försök igen om en stund.", "errors": {}}


def test_bug_is_logged_with_its_traceback(
    raising_client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        raising_client.get("/test/bug")
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_unknown_page_is_a_swedish_404(client: FlaskClient) -> None:
    response = client.get("/finns-inte", headers={"Accept": "text/html,*/*;q=0.8"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>Sidan finns inte</h1>" in html
    assert 'href="/">Till startsidan</a>' in html


def test_unknown_api_path_is_json_404(client: FlaskClient) -> None:
    response = client.get("/api/finns-inte")
    assert response.status_code == 404
    assert response.is_json
    assert response.json is not None
    assert response.json["errors"] == {}
    assert "finns inte" in response.json["message"]


def test_wrong_method_is_405_in_swedish(client: FlaskClient) -> None:
    response = client.post("/")
    assert response.status_code == 405
    assert "Metoden är inte tillåten" in response.get_data(as_text=True)


def test_a_body_over_the_backstop_is_refused_before_it_is_read(client: FlaskClient) -> None:
    response = client.post(
        "/avvikelser/ny",
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input": io.BytesIO(b"x" * 10), "CONTENT_LENGTH": str(2**30)},
    )
    assert response.status_code == 413
    assert "filer på högst 25 MB tas emot. Inget har sparats." in response.get_data(as_text=True)
