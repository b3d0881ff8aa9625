"""The API's reads on the demo organisation: lists with filters and paging, the items, search,
and avvikelser whose free text only those allowed see (by role and by unit)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qms.domain.entities import Deviation
from qms.services.access import Permission, coordinator
from qms.services.accounts import add_account, create_token

Get = Callable[..., Any]
ROLES = {
    "all": ["kvalitetssamordnare@*"],
    "aldre": ["kvalitetssamordnare@ou-avd-aldre"],
    "reader": ["lasare"],
    "admin": ["administrator"],
}
ALDRE_CASES = {"dev-gfp-saknas", "dev-lexsarah-utebliven-insats", "dev-lexmaria-lakemedel"}


@pytest.fixture(scope="module")
def tokens(coordinator_app: Flask) -> dict[str, str]:
    """A token per kind of account."""
    store, admin = coordinator_app.extensions["qms"].store, coordinator("test")
    found = {}
    for name, roles in ROLES.items():
        add_account(store, admin, {"id": f"read-{name}", "name": name, "roles": roles})
        found[name] = create_token(store, admin, f"read-{name}", "test")[1]
    return found


@pytest.fixture
def get(coordinator_client: FlaskClient, tokens: dict[str, str]) -> Get:
    """GET a path as one of the accounts; the JSON body, after checking the status."""

    def fetch(path: str, who: str = "all", status: int = 200) -> Any:
        response = coordinator_client.get(path, headers={"Authorization": f"Bearer {tokens[who]}"})
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    return fetch


# -- processes -----------------------------------------------------------------------------
def test_process_list_filters_by_kind_and_unit(get: Get) -> None:
    everything = get("/api/v1/processes?limit=200")
    assert everything["total"] == len(everything["items"]) > 10
    names = [p["name"].casefold() for p in everything["items"]]
    assert names == sorted(names)
    core = get("/api/v1/processes?kind=core&limit=200")["items"]
    assert core
    assert {p["kind"] for p in core} == {"core"}
    aldre = {p["id"] for p in get("/api/v1/processes?unit=ou-avd-aldre&limit=200")["items"]}
    assert {"p-hemtjanst", "p-hemtjanst-gfp"} <= aldre
    assert len(aldre) < everything["total"]
    gfp = next(p for p in everything["items"] if p["id"] == "p-hemtjanst-gfp")
    assert gfp["parent"] == "p-hemtjanst"


def test_process_list_pages(get: Get) -> None:
    everything = get("/api/v1/processes?limit=200")["items"]
    page = get("/api/v1/processes?limit=3&offset=2")
    assert (page["limit"], page["offset"], page["total"]) == (3, 2, len(everything))
    assert [p["id"] for p in page["items"]] == [p["id"] for p in everything[2:5]]
    assert get(f"/api/v1/processes?offset={len(everything)}")["items"] == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=0", "limit", "Ange ett tal från 1 till 200."),
        ("limit=201", "limit", "Ange ett tal från 1 till 200."),
        ("limit=tio", "limit", "Ange ett heltal."),
        ("offset=-1", "offset", "Ange ett tal från 0."),
        ("kind=main", "kind", "Välj en processtyp."),
        ("unit=ou-finns-inte", "unit", "Organisationsenheten finns inte."),
        ("sort=name", "sort", "Okänt fält."),
    ],
)
def test_process_list_refuses_bad_parameters(
    get: Get, query: str, field: str, message: str
) -> None:
    body = get(f"/api/v1/processes?{query}", status=422)
    assert body["errors"] == {field: [message]}
    assert body["message"]


def test_process_with_activities_in_order(
    coordinator_client: FlaskClient, tokens: dict[str, str]
) -> None:
    response = coordinator_client.get(
        "/api/v1/processes/p-hemtjanst", headers={"Authorization": f"Bearer {tokens['reader']}"}
    )
    assert response.status_code == 200
    process = response.get_json()
    assert response.headers["ETag"] == f'"{process["version"]}"'
    assert process["name"] == "Hemtjänst – från beslut till insats"
    positions = [a["position"] for a in process["activities"]]
    assert positions == sorted(positions)
    assert len(positions) > 3
    tasks = [a for a in process["activities"] if a["node_type"].endswith("task")]
    assert any(a["role"] for a in tasks)
    assert any(a["documents"] for a in tasks)
    assert all(set(r) == {"label", "id", "caption"} for r in process["goals"])
    assert {"p-hemtjanst-gfp"} <= {r["id"] for r in process["subprocesses"]}


def test_missing_items_answer_404_in_swedish(get: Get) -> None:
    for path in ("processes", "activities", "documents", "roles", "goals", "risks"):
        body = get(f"/api/v1/{path}/finns-inte", status=404)
        assert "finns-inte" in body["message"]
        assert body["errors"] == {}
    assert get("/api/v1/processes/" + "x" * 300, status=404)["message"]


def test_activity_document_and_role(get: Get) -> None:
    process = get("/api/v1/processes/p-hemtjanst")
    step = next(a for a in process["activities"] if a["documents"] and a["role"])
    activity = get(f"/api/v1/activities/{step['id']}")
    assert activity["process"]["id"] == "p-hemtjanst"
    assert activity["role"] == step["role"]
    document = get(f"/api/v1/documents/{step['documents'][0]['id']}")
    assert step["id"] in {a["id"] for a in document["activities"]}
    assert isinstance(document["overdue"], bool)
    assert document["status"]
    role = get(f"/api/v1/roles/{step['role']['id']}")
    done = {a["id"] for work in role["processes"] for a in work["activities"]}
    assert step["id"] in done
    roles = get("/api/v1/roles?limit=200")
    assert step["role"]["id"] in {r["id"] for r in roles["items"]}


def test_search_like_the_portal(get: Get) -> None:
    found = get("/api/v1/search?q=hemtjänst")
    assert "p-hemtjanst" in {h["id"] for h in found["hits"]}
    assert found["total"] == len(found["hits"])
    assert found["truncated"] is False
    documents = get("/api/v1/search?q=rutin&type=Document")["hits"]
    assert documents
    assert {h["label"] for h in documents} == {"Document"}
    typo = get("/api/v1/search?q=hemtjänts")
    assert typo["corrected"]
    assert typo["hits"]
    long = get("/api/v1/search?q=" + "a" * 300)
    assert long["truncated"] is True
    assert len(long["query"]) == 200
    assert get("/api/v1/search", status=422)["errors"] == {"q": ["Fältet måste fyllas i."]}
    assert get("/api/v1/search?q=x&type=Risk", status=422)["errors"]["type"] == ["Okänd typ."]


# -- goals and risks -----------------------------------------------------------------------
def test_goals_by_unit_and_year(get: Get) -> None:
    everything = get("/api/v1/goals?limit=200")
    assert everything["items"][0]["level"] == "direction"
    hemtjanst = get("/api/v1/goals?unit=ou-enh-hemtjanst&year=2026&limit=200")["items"]
    assert hemtjanst
    assert len(hemtjanst) < everything["total"]
    assert all(g["unit"] == "ou-enh-hemtjanst" for g in hemtjanst)
    assert all(g["year"] in (2026, None) for g in hemtjanst)
    assert get("/api/v1/goals?year=1999", status=422)["errors"]["year"]


def test_goal_with_indicators_and_assessments(get: Get) -> None:
    goals = get("/api/v1/goals?limit=200")["items"]
    measured = [g for g in goals if g["latest_assessment"]]
    assert measured
    goal = get(f"/api/v1/goals/{measured[0]['id']}")
    assert goal["assessments"]
    assert goal["chain"] is not None
    with_outcomes = [
        i for g in goals for i in get(f"/api/v1/goals/{g['id']}")["indicators"] if i["outcomes"]
    ]
    assert with_outcomes
    assert {"year", "tertial", "value"} <= set(with_outcomes[0]["outcomes"][0])


def test_risk_register_and_one_risk(get: Get) -> None:
    register = get("/api/v1/risks?year=2026&limit=200")
    values = [r["value"] for r in register["items"]]
    assert values == sorted(values, reverse=True)
    assert register["total"] >= 12
    economy = get("/api/v1/risks?year=2026&unit=ou-enh-ekonomi")["items"]
    assert economy
    assert all(r["unit"]["id"] == "ou-enh-ekonomi" for r in economy)
    risk = get("/api/v1/risks/risk-gfp")
    assert risk["level"]["name"]
    assert risk["controls"]
    assert risk["inspections"]
    realised = {r["id"]: r for r in risk["realisations"]}
    assert set(realised["dev-gfp-saknas"]) == {"id", "kind", "status", "occurred_on", "newer"}


# -- avvikelser: free text by role and unit ------------------------------------------------
def test_register_rows_for_those_who_may_read_counts_for_everyone(get: Get) -> None:
    full = get("/api/v1/deviations?limit=200")
    assert full["restricted"] is False
    assert full["shown"] == full["total"] >= 8
    assert all(row["title"] for row in full["items"])
    aldre = get("/api/v1/deviations?limit=200", "aldre")
    assert aldre["total"] == full["total"]
    assert aldre["by_kind"] == full["by_kind"]
    assert aldre["restricted"] is True
    assert {row["id"] for row in aldre["items"]} == ALDRE_CASES
    reader = get("/api/v1/deviations", "reader")
    assert reader["items"] == []
    assert reader["shown"] == 0
    assert reader["restricted"] is True
    assert reader["by_status"] == full["by_status"]
    assert sum(reader["by_status"].values()) == full["total"]


def test_register_filters(get: Get) -> None:
    lex = get("/api/v1/deviations?kind=lex_sarah", "reader")
    assert lex["total"] == lex["by_kind"]["lex_sarah"] >= 1
    assert get("/api/v1/deviations?status=open", status=422)["errors"]["status"]
    assert get("/api/v1/deviations?org_unit=nej", status=422)["errors"]["org_unit"]


def test_case_free_text_by_unit(get: Get) -> None:
    own_unit = get("/api/v1/deviations/dev-lexsarah-utebliven-insats", "aldre")
    assert own_unit["restricted"] is False
    assert own_unit["title"].startswith("Utebliven insats")
    assert own_unit["causes"]
    other_unit = get("/api/v1/deviations/dev-bou-utredningstid", "aldre")
    assert other_unit["restricted"] is True
    assert not set(Deviation.PERSONAL) & set(other_unit)
    assert other_unit["causes"] == []
    assert other_unit["actions"] == []
    assert other_unit["status"] == "investigating"
    assert other_unit["unit"]["id"]
    reader = get("/api/v1/deviations/dev-lexsarah-utebliven-insats", "reader")
    assert reader["restricted"] is True
    assert "description" not in reader
    assert reader["cause_count"] == own_unit["cause_count"] == len(own_unit["causes"])
    assert reader["ivo"]["due"] == own_unit["ivo"]["due"]
    assert "Kundens bostad" not in json.dumps(reader)


def test_history_hides_free_text_from_those_who_may_not_read_it(get: Get) -> None:
    path = "/api/v1/history/dev-lexsarah-utebliven-insats"
    full = get(path)["items"]
    assert full[0]["op"] == "create"
    assert "Kundens bostad" in full[0]["after"]
    assert not any(c["withheld"] for c in full)
    hidden = get(path, "reader")["items"]
    assert len(hidden) == len(full)
    assert hidden[0]["withheld"] is True
    created = json.loads(hidden[0]["after"])
    assert created["location"] == "(dold)"
    assert created["kind"] == "lex_sarah"
    assert "Kundens bostad" not in json.dumps(hidden)
    cause = get("/api/v1/history/c-ls-omplanering", "reader")["items"]
    assert cause[0]["withheld"] is True
    assert "planeringssystemet" not in json.dumps(cause)
    assert get("/api/v1/history/c-ls-omplanering", "aldre")["items"][0]["withheld"] is False


def test_history_of_processes_and_accounts(get: Get) -> None:
    changes = get("/api/v1/history/p-hemtjanst?limit=1")
    assert changes["total"] >= 1
    assert len(changes["items"]) == 1
    assert changes["items"][0]["entity_id"] == "p-hemtjanst"
    refused = get("/api/v1/history/read-reader", status=403)
    assert refused["message"] == "Du har inte behörighet att hantera konton."
    account = get("/api/v1/history/read-reader", "admin")["items"]
    assert account[0]["op"] == "create"
    assert "scrypt" not in json.dumps(account)
    assert get("/api/v1/history/finns-inte", status=404)["message"]


def test_permissions_the_me_answer_knows(get: Get) -> None:
    names = {g["permission"] for g in get("/api/v1/me", "admin")["permissions"]}
    assert names == {p.value for p in Permission}
