"""``/internkontroll``: the plan with its gap, a new kontrollmoment, a result."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_plan_lists_risks_above_threshold_and_flags_the_gap(
    coordinator_client: FlaskClient,
) -> None:
    response = coordinator_client.get("/internkontroll?ar=2026")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 risk över gränsen saknar kontrollmoment" in page
    assert 'class="plan-entry plan-gap" id="risk-risk-forskola-tillsyn"' in page
    assert "Kontroll av delegeringar för läkemedelshantering" in page
    assert "Attest utan behörighet" not in page  # value 9, below 10


def test_add_a_control_and_record_its_result(coordinator_client: FlaskClient) -> None:
    bad = coordinator_client.post("/internkontroll/ny/risk-nyckel", data={"frequency": "aldrig"})
    assert bad.status_code == 422
    assert "Välj en frekvens i listan." in bad.get_data(as_text=True)
    created = coordinator_client.post(
        "/internkontroll/ny/risk-nyckel",
        data={
            "title": "Nyckelkvittenser",
            "method": "Stickprov",
            "frequency": "quarterly",
            "owner": "r-enhetschef",
        },
    )
    assert created.status_code == 303
    location = created.headers["Location"]
    page = coordinator_client.get(location).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    no_text = coordinator_client.post(
        f"{location}/resultat", data={"outcome": "ok", "version": version.group(1)}
    )
    assert no_text.status_code == 422
    recorded = coordinator_client.post(
        f"{location}/resultat",
        data={
            "outcome": "remarks",
            "result": "Två kvittenser saknades.",
            "version": version.group(1),
        },
    )
    assert recorded.status_code == 303
    assert "Två kvittenser saknades." in coordinator_client.get(location).get_data(as_text=True)


def test_anonymous_may_not_change_the_plan(org_client: FlaskClient) -> None:
    assert org_client.get("/internkontroll").status_code == 200
    assert org_client.post("/internkontroll/ny/risk-nyckel", data={}).status_code == 403
    assert org_client.post("/internkontroll/km-lakemedel/resultat", data={}).status_code == 403
