"""Planning an egenkontroll in the browser form: what, how, how often, who, when next."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from qms.domain.entities import SelfInspection
from qms.domain.labels import Label, Rel


def test_a_coordinator_plans_an_egenkontroll(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    form = coordinator_client.get("/egenkontroller/ny?process=p-hemtjanst")
    assert form.status_code == 200
    assert 'value="p-hemtjanst" selected' in form.get_data(as_text=True)
    response = coordinator_client.post(
        "/egenkontroller/ny",
        data={
            "title": "Stickprov av dokumentationen",
            "method": "Journalgranskning",
            "frequency": "quarterly",
            "next_due": "2026-09-30",
            "checks": ["p-hemtjanst", "risk-gfp"],
            "owner": "r-enhetschef",
        },
    )
    assert response.status_code == 303
    new_id = response.headers["Location"].rsplit("/", 1)[1]
    store = coordinator_app.extensions["qms"].store
    saved = store.get(Label.SELF_INSPECTION, new_id)
    assert isinstance(saved, SelfInspection)
    assert saved.frequency.value == "quarterly"
    checked = {link.target for link in store.outgoing(Label.SELF_INSPECTION, new_id, Rel.CHECKS)}
    assert checked == {"p-hemtjanst", "risk-gfp"}
    page = coordinator_client.get(f"/egenkontroller/{new_id}").get_data(as_text=True)
    assert "Stickprov av dokumentationen" in page


def test_every_missing_field_is_named_and_nothing_is_saved(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    before = len(coordinator_app.extensions["qms"].store.entities(Label.SELF_INSPECTION))
    response = coordinator_client.post(
        "/egenkontroller/ny", data={"title": "x" * 301, "frequency": "sometimes"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in (
        "Ange en rubrik (högst 300 tecken).",
        "Välj en frekvens i listan.",
        "Välj minst en process, aktivitet eller risk som kontrolleras.",
        "Ange vem som ansvarar för egenkontrollen.",
    ):
        assert message in html
    after = len(coordinator_app.extensions["qms"].store.entities(Label.SELF_INSPECTION))
    assert after == before


def test_an_edit_moves_what_it_checks(
    coordinator_client: FlaskClient, coordinator_app: Flask
) -> None:
    values = coordinator_client.get("/egenkontroller/ek-genomforandeplaner/andra")
    assert values.status_code == 200
    store = coordinator_app.extensions["qms"].store
    version = store.get(Label.SELF_INSPECTION, "ek-genomforandeplaner").version
    response = coordinator_client.post(
        "/egenkontroller/ek-genomforandeplaner/andra",
        data={
            "title": "Kontroll av genomförandeplaner",
            "frequency": "monthly",
            "next_due": "2026-07-31",
            "checks": ["p-hemtjanst"],
            "owner": "r-enhetschef",
            "version": str(version),
        },
    )
    assert response.status_code == 303
    links = store.outgoing(Label.SELF_INSPECTION, "ek-genomforandeplaner", Rel.CHECKS)
    assert [link.target for link in links] == ["p-hemtjanst"]


def test_anonymous_visitors_may_not_plan(client: FlaskClient) -> None:
    assert client.get("/egenkontroller/ny").status_code == 403
