"""The API's door: bearer tokens only (never the session or open access), 401 in Swedish
with ``WWW-Authenticate: Bearer``, and the OpenAPI document open to all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qms.domain.labels import Label
from qms.services.access import coordinator
from qms.services.accounts import add_account, create_token, revoke_token, set_disabled
from qms.storage.port import GraphStore
from web.api.core import INVALID_CREDENTIALS, MISSING_CREDENTIALS
from web.auth import SESSION_ACCOUNT, SESSION_STAMP, stamp

ADMIN = coordinator("test")


def _store(app: Flask) -> GraphStore:
    store: GraphStore = app.extensions["qms"].store
    return store


@pytest.fixture(scope="module")
def tokens(coordinator_app: Flask) -> dict[str, str]:
    """Tokens of every kind: valid, expiring today, expired, revoked, of a disabled account."""
    store, today = _store(coordinator_app), coordinator_app.config["TODAY"]
    for account, roles in (("auth-anna", ["kvalitetssamordnare@*"]), ("auth-off", ["lasare"])):
        add_account(store, ADMIN, {"id": account, "name": account, "roles": roles})
    found = {
        "valid": create_token(store, ADMIN, "auth-anna", "ils")[1],
        "today": create_token(store, ADMIN, "auth-anna", "idag", today)[1],
        "expired": create_token(store, ADMIN, "auth-anna", "gammal", today - timedelta(1))[1],
    }
    revoked, found["revoked"] = create_token(store, ADMIN, "auth-anna", "indragen")
    revoke_token(store, ADMIN, revoked.id)
    found["disabled"] = create_token(store, ADMIN, "auth-off", "avstängd")[1]
    set_disabled(store, ADMIN, "auth-off", True)
    return found


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_refused(response: object, invalid: bool) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    challenge = response.headers["WWW-Authenticate"]  # type: ignore[attr-defined]
    assert challenge.startswith("Bearer ")
    assert ('error="invalid_token"' in challenge) is invalid
    body = response.get_json()  # type: ignore[attr-defined]
    assert body["errors"] == {}
    assert body["message"] == (INVALID_CREDENTIALS if invalid else MISSING_CREDENTIALS)


def test_openapi_document_needs_no_token(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"] == "3.0.3"
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    detail = spec["paths"]["/api/v1/processes/{process_id}"]["get"]
    assert detail["responses"]["401"] == {"$ref": "#/components/responses/Unauthorized"}
    assert "ETag" in detail["responses"]["200"]["headers"]
    report = spec["paths"]["/api/v1/deviations"]["post"]
    body = report["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ReportSchema"}
    fields = spec["components"]["schemas"]["ReportSchema"]["properties"]
    assert {"title", "occurred_on", "kind", "process"} <= set(fields)
    # Entity answers come from the entity schemas: every content field, enums as enums.
    process = spec["components"]["schemas"]["ProcessDetail"]["properties"]
    assert process["kind"]["enum"] == ["core", "support", "management"]
    assert {"purpose", "recipients", "version", "activities"} <= set(process)
    assert spec["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer   ", "Basic YW5uYTpwYXNzd29yZA==", "Token qms_x_y"],
)
def test_no_token_is_refused(coordinator_client: FlaskClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    assert_refused(coordinator_client.get("/api/v1/me", headers=headers), invalid=False)


@pytest.mark.parametrize("kind", ["expired", "revoked", "disabled"])
def test_dead_tokens_are_refused(
    coordinator_client: FlaskClient, tokens: dict[str, str], kind: str
) -> None:
    response = coordinator_client.get("/api/v1/processes", headers=bearer(tokens[kind]))
    assert_refused(response, invalid=True)


@pytest.mark.parametrize(
    "text", ["qms_abc_def", "qms_x", "nonsense", "qms__secret", "qms_ä1_x" + "y" * 5000]
)
def test_unknown_tokens_are_refused(coordinator_client: FlaskClient, text: str) -> None:
    assert_refused(coordinator_client.get("/api/v1/me", headers=bearer(text)), invalid=True)


def test_a_tampered_secret_is_refused(
    coordinator_client: FlaskClient, tokens: dict[str, str]
) -> None:
    tampered = tokens["valid"][:-2] + ("AA" if not tokens["valid"].endswith("AA") else "BB")
    assert_refused(coordinator_client.get("/api/v1/me", headers=bearer(tampered)), invalid=True)


def test_a_token_works_through_its_last_day(
    coordinator_client: FlaskClient, tokens: dict[str, str]
) -> None:
    response = coordinator_client.get("/api/v1/me", headers=bearer(tokens["today"]))
    assert response.status_code == 200
    assert response.get_json()["account"] == "auth-anna"


def test_open_access_and_a_session_give_the_api_nothing(
    coordinator_app: Flask, tokens: dict[str, str]
) -> None:
    # coordinator_app is OPEN_ACCESS: every page visitor is a kvalitetssamordnare there, and
    # this client is even signed in; the API still wants a token.
    client = coordinator_app.test_client()
    account = _store(coordinator_app).get(Label.ACCOUNT, "auth-anna")
    with client.session_transaction() as session:
        session[SESSION_ACCOUNT] = "auth-anna"
        session[SESSION_STAMP] = stamp(account)  # type: ignore[arg-type]
    assert client.get("/arbetsyta").status_code == 200
    assert_refused(client.get("/api/v1/me"), invalid=False)
    report = {"title": "x", "occurred_on": "2026-05-01", "location": "här"}
    assert_refused(client.post("/api/v1/deviations", json=report), invalid=False)


def test_writes_need_no_csrf_token_but_a_bearer_token(
    coordinator_app: Flask, tokens: dict[str, str]
) -> None:
    # A plain client: no CSRF token added, no session at all.
    client = FlaskClient(coordinator_app, coordinator_app.response_class)
    report = {"title": "Trasig lyft", "occurred_on": "2026-05-01", "location": "Rum 4"}
    response = client.post("/api/v1/deviations", json=report, headers=bearer(tokens["valid"]))
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_me_names_the_account_and_where_it_may_act(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    store = _store(coordinator_app)
    roles = ["kvalitetssamordnare@ou-avd-aldre", "lasare"]
    add_account(store, ADMIN, {"id": "auth-eva", "name": "Eva", "roles": roles})
    token = create_token(store, ADMIN, "auth-eva", "intranät")[1]
    body = coordinator_client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert body["account"] == "auth-eva"
    assert body["name"] == "Eva"
    assert body["roles"] == ["kvalitetssamordnare@ou-avd-aldre", "lasare@*"]
    grants = {g["permission"]: g for g in body["permissions"]}
    assert "manage_accounts" not in grants
    edit = grants["edit_quality"]
    assert edit["everywhere"] is False
    assert {"ou-avd-aldre", "ou-enh-hemtjanst", "ou-enh-hsl"} <= set(edit["units"])
    assert "ou-enh-barn-unga" not in edit["units"]


def test_unknown_paths_and_methods_answer_json(
    coordinator_client: FlaskClient, tokens: dict[str, str]
) -> None:
    missing = coordinator_client.get("/api/v1/finns-inte", headers=bearer(tokens["valid"]))
    assert missing.status_code == 404
    assert missing.get_json()["message"]
    wrong = coordinator_client.delete("/api/v1/processes", headers=bearer(tokens["valid"]))
    assert wrong.status_code == 405
    assert wrong.get_json()["message"]
