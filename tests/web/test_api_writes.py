"""The API's writes: reporting an avvikelse, goal follow-up, changing a process with
optimistic locking; field errors 422, refusals 403, stale versions 409, nothing half-saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qms.services.access import coordinator
from qms.services.accounts import add_account, create_token

Call = Callable[..., Any]
ROLES = {
    "all": ["kvalitetssamordnare@*"],
    "aldre": ["kvalitetssamordnare@ou-avd-aldre"],
    "staff": ["medarbetare@ou-enh-hemtjanst"],
    "colleague": ["medarbetare@ou-enh-hemtjanst"],
    "reader": ["lasare"],
}
REPORT = {
    "title": "Larmet gick inte",
    "occurred_on": "2026-05-20",
    "process": "p-hemtjanst",
    "org_unit": "ou-enh-hemtjanst",
}


@pytest.fixture(scope="module")
def tokens(coordinator_app: Flask) -> dict[str, str]:
    """A token per kind of account."""
    store, admin = coordinator_app.extensions["qms"].store, coordinator("test")
    found = {}
    for name, roles in ROLES.items():
        add_account(store, admin, {"id": f"write-{name}", "name": name, "roles": roles})
        found[name] = create_token(store, admin, f"write-{name}", "test")[1]
    return found


@pytest.fixture
def call(coordinator_client: FlaskClient, tokens: dict[str, str]) -> Call:
    """Send a request as one of the accounts; the response, after checking the status."""

    def send(method: str, path: str, who: str = "all", status: int = 200, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {tokens[who]}", **kw.pop("headers", {})}
        response = coordinator_client.open(path, method=method, headers=headers, **kw)
        assert response.status_code == status, response.get_data(as_text=True)
        return response

    return send


def count(call: Call) -> int:
    total: int = call("GET", "/api/v1/deviations").get_json()["total"]
    return total


# -- avvikelser ----------------------------------------------------------------------------
def test_report_a_deviation(call: Call) -> None:
    before = count(call)
    response = call("POST", "/api/v1/deviations", "staff", 201, json=REPORT)
    case = response.get_json()
    assert case["id"].startswith("av-2026-")
    assert case["status"] == "registered"
    assert response.headers["Location"] == f"/api/v1/deviations/{case['id']}"
    assert case["reported_by_account"] == "write-staff"
    assert case["restricted"] is False
    assert [p["id"] for p in case["processes"]] == ["p-hemtjanst"]
    assert case["unit"]["id"] == "ou-enh-hemtjanst"
    assert count(call) == before + 1
    # The reporter follows their own report; a colleague in the same unit sees no free text.
    path = f"/api/v1/deviations/{case['id']}"
    assert call("GET", path, "staff").get_json()["title"] == REPORT["title"]
    assert call("GET", path, "colleague").get_json()["restricted"] is True
    assert call("GET", path, "aldre").get_json()["title"] == REPORT["title"]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"title": ""}, {"title": ["Fältet måste fyllas i."]}),
        ({"occurred_on": "2026-13-01"}, {"occurred_on": ["Ogiltigt datum (ÅÅÅÅ-MM-DD)."]}),
        ({"occurred_on": "2027-01-01"}, {"occurred_on": ["Datumet kan inte ligga i framtiden."]}),
        ({"process": "p-finns-inte"}, {"process": ["Processen finns inte."]}),
        ({"kind": "olycka"}, {"kind": ["Välj ett av alternativen."]}),
        ({"secret": 1}, {"secret": ["Okänt fält."]}),
    ],
)
def test_report_field_errors(call: Call, change: dict[str, Any], errors: Any) -> None:
    before = count(call)
    body = call("POST", "/api/v1/deviations", "staff", 422, json=REPORT | change).get_json()
    assert body["errors"] == errors
    assert body["message"]
    assert count(call) == before


def test_report_needs_a_place_and_a_json_object(call: Call) -> None:
    nowhere = {"title": "Något hände", "occurred_on": "2026-05-01"}
    errors = call("POST", "/api/v1/deviations", json=nowhere, status=422).get_json()["errors"]
    assert list(errors) == ["location"]
    for body in ({"data": "title=x", "content_type": "text/plain"}, {"json": [REPORT]}):
        refused = call("POST", "/api/v1/deviations", status=422, **body).get_json()
        assert refused["errors"] == {"_schema": [refused["message"]]}


def test_a_reader_may_not_report(call: Call) -> None:
    body = call("POST", "/api/v1/deviations", "reader", 403, json=REPORT).get_json()
    assert body["message"] == "Logga in för att registrera och följa dina avvikelser."


# -- goal follow-up ------------------------------------------------------------------------
def _unit_goal(call: Call, unit: str) -> dict[str, Any]:
    goals = call("GET", f"/api/v1/goals?unit={unit}&limit=200").get_json()["items"]
    goal = next(g for g in goals if g["unit"] == unit)
    found: dict[str, Any] = call("GET", f"/api/v1/goals/{goal['id']}").get_json()
    return found


def test_record_an_assessment(call: Call) -> None:
    goal = _unit_goal(call, "ou-enh-hemtjanst")
    path = f"/api/v1/goals/{goal['id']}/assessments"
    data = {"year": 2099, "tertial": 1, "verdict": "partly_met", "analysis": "Halvvägs."}
    body = call("POST", path, "aldre", 422, json=data).get_json()
    assert body["errors"] == {
        "planned_actions": ["Ange planerade åtgärder när målet inte är uppfyllt."]
    }
    saved = call("POST", path, "aldre", 201, json=data | {"planned_actions": "Mer tid."})
    assessment = saved.get_json()
    assert assessment["verdict"] == "partly_met"
    assert assessment["version"] == 1
    again = call("GET", f"/api/v1/goals/{goal['id']}").get_json()["assessments"]
    assert assessment["id"] in {a["id"] for a in again}


def test_follow_up_is_refused_outside_ones_units(call: Call) -> None:
    goal = _unit_goal(call, "ou-enh-barn-unga")
    data = {"year": 2026, "tertial": 1, "verdict": "met", "analysis": "Klart."}
    path = f"/api/v1/goals/{goal['id']}/assessments"
    body = call("POST", path, "aldre", 403, json=data).get_json()
    assert body["message"] == "Du har inte behörighet att ändra i kvalitetsarbetet."
    call("POST", path, "reader", 403, json=data)
    call("POST", "/api/v1/goals/finns-inte/assessments", status=404, json=data)
    assert all(
        a["analysis"] != "Klart." for a in _unit_goal(call, "ou-enh-barn-unga")["assessments"]
    )


def test_record_an_outcome(call: Call) -> None:
    goals = call("GET", "/api/v1/goals?limit=200").get_json()["items"]
    goal = next(
        found
        for g in goals
        if (found := call("GET", f"/api/v1/goals/{g['id']}").get_json())["indicators"]
    )
    indicator = goal["indicators"][0]
    path = f"/api/v1/goals/{goal['id']}/outcomes"
    data = {"indicator": indicator["id"], "year": 2099, "tertial": 3, "value": 7.5, "women": 8}
    outcome = call("POST", path, status=201, json=data).get_json()
    assert (outcome["value"], outcome["women"], outcome["men"]) == (7.5, 8.0, None)
    after = call("GET", f"/api/v1/goals/{goal['id']}").get_json()["indicators"][0]
    assert after["outcome_value"] == 7.5
    wrong = call("POST", path, status=422, json=data | {"indicator": "ind-annat"}).get_json()
    assert wrong["errors"] == {"indicator": ["Välj en av målets indikatorer."]}
    nan = call("POST", path, status=422, json=data | {"value": "NaN", "tertial": 4})
    assert set(nan.get_json()["errors"]) == {"value", "tertial"}


# -- processes with optimistic locking -----------------------------------------------------
def _process(call: Call, process_id: str, who: str = "all") -> Any:
    return call("GET", f"/api/v1/processes/{process_id}", who)


def test_change_a_process_by_version_or_if_match(call: Call) -> None:
    current = _process(call, "p-hemtjanst-gfp").get_json()
    path, version = "/api/v1/processes/p-hemtjanst-gfp", current["version"]
    changed = call("PATCH", path, json={"purpose": "Ett nytt syfte.", "version": version})
    body = changed.get_json()
    assert body["purpose"] == "Ett nytt syfte."
    assert body["version"] == version + 1
    assert body["name"] == current["name"]
    assert body["activities"] == current["activities"]
    assert changed.headers["ETag"] == f'"{version + 1}"'
    again = call(
        "PATCH",
        path,
        json={"stakeholders": ["Kunden", "Närstående"], "owner": "r-avdelningschef"},
        headers={"If-Match": changed.headers["ETag"]},
    ).get_json()
    assert again["stakeholders"] == ["Kunden", "Närstående"]
    assert again["owner"]["id"] == "r-avdelningschef"
    assert again["purpose"] == "Ett nytt syfte."


def test_a_stale_version_answers_409_with_what_changed(call: Call) -> None:
    path = "/api/v1/processes/p-hemtjanst"
    read = _process(call, "p-hemtjanst").get_json()["version"]
    call("PATCH", path, "aldre", json={"trigger": "Ett biståndsbeslut.", "version": read})
    conflict = call("PATCH", path, status=409, json={"purpose": "Mitt.", "version": read})
    body = conflict.get_json()
    assert body["current_version"] == read + 1 == int(conflict.headers["ETag"].strip('"'))
    trigger = next(c for c in body["changes"] if c["field"] == "trigger")
    assert (trigger["actor"], trigger["after"]) == ("write-aldre", '"Ett biståndsbeslut."')
    assert body["message"]
    assert body["errors"] == {}
    assert _process(call, "p-hemtjanst").get_json()["purpose"] != "Mitt."


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"purpose": "x"}, {}, "version"),
        ({"purpose": "x"}, {"If-Match": "*"}, "version"),
        ({"name": " ", "version": 1}, {}, "name"),
        ({"kind": "main", "version": 1}, {}, "kind"),
        ({"parent": "p-hemtjanst", "version": 1}, {}, "parent"),
        ({"state": "abc", "version": 1}, {}, "state"),
        ({"owner": "r-finns-inte", "version": 1}, {}, "owner"),
        ({"version": "ett"}, {}, "version"),
    ],
)
def test_process_change_field_errors(
    call: Call, body: dict[str, Any], headers: dict[str, str], field: str
) -> None:
    before = _process(call, "p-ekb").get_json()
    body = {**body, "version": before["version"]} if body.get("version") == 1 else body
    refused = call(
        "PATCH", "/api/v1/processes/p-ekb", status=422, json=body, headers=headers
    ).get_json()
    assert field in refused["errors"]
    assert refused["errors"][field][0]
    assert _process(call, "p-ekb").get_json() == before


def test_process_change_needs_the_right_in_its_unit(call: Call) -> None:
    version = _process(call, "p-ekb").get_json()["version"]
    data = {"purpose": "Inte min.", "version": version}
    body = call("PATCH", "/api/v1/processes/p-ekb", "aldre", 403, json=data).get_json()
    assert body["message"] == "Du har inte behörighet att ändra processer och dokument."
    call("PATCH", "/api/v1/processes/p-ekb", "reader", 403, json=data)
    moving = {"org_unit": "ou-enh-ekbistand", "version": version}
    call("PATCH", "/api/v1/processes/p-hemtjanst-gfp", "aldre", 403, json=moving)
    call("PATCH", "/api/v1/processes/p-finns-inte", status=404, json=data)
