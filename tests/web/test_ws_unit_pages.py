"""``/arbetsyta/enheter/ny``: a new organisation unit, optionally from the styrprocesser."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from qms.domain.labels import Label


def test_the_form_offers_every_template_process_ticked(coordinator_client: FlaskClient) -> None:
    html = coordinator_client.get("/arbetsyta/enheter/ny").get_data(as_text=True)
    assert "Ny organisationsenhet" in html
    ticked = re.findall(r'name="processes" value="([^"]+)" checked', html)
    assert "p-verksamhetsplan" in ticked
    assert "p-tertialrapport" in ticked
    assert '<label for="f-name">' in html


def test_a_unit_is_created_with_the_chosen_styrprocesser(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    response = coordinator_client.post(
        "/arbetsyta/enheter/ny",
        data={
            "name": "Hemtjänst Väst",
            "id": "ou-htv",
            "level": "unit",
            "parent": "ou-avd-aldre",
            "processes": ["p-verksamhetsplan", "p-vor-ik"],
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/arbetsyta/enheter/ou-htv?ny=1"
    html = coordinator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enheten skapades med 2 processer." in html
    assert "/processer/ou-htv-p-verksamhetsplan" in html
    store = coordinator_app.extensions["qms"].store
    assert store.label_of("ou-htv-a-vp-analys") is Label.ACTIVITY
    portal = coordinator_client.get("/processer/ou-htv-p-vor-ik").get_data(as_text=True)
    assert "Väsentlighets- och riskanalys och internkontroll" in portal


def test_bad_input_is_shown_next_to_the_field(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    before = len(coordinator_app.extensions["qms"].store.entities(Label.ORG_UNIT))
    response = coordinator_client.post(
        "/arbetsyta/enheter/ny",
        data={"name": "x" * 10_000, "level": "unit", "processes": ["p-verksamhetsplan"]},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="field-error" id="fel-name">Ange ett namn (högst 200 tecken).</p>' in html
    assert 'value="p-verksamhetsplan" checked' in html
    assert 'value="p-tertialrapport" checked' not in html
    assert len(coordinator_app.extensions["qms"].store.entities(Label.ORG_UNIT)) == before


def test_a_visitor_without_permission_cannot_create_units(client: FlaskClient) -> None:
    assert client.get("/arbetsyta/enheter/ny").status_code == 403
    assert client.post("/arbetsyta/enheter/ny", data={"name": "A"}).status_code == 403


def test_a_new_organisation_is_told_what_was_left_out(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.post(
        "/arbetsyta/enheter/ny",
        data={
            "name": "Ny kommun",
            "id": "ou-nyk",
            "level": "council",
            "processes": ["p-tertialrapport"],
        },
    )
    html = coordinator_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Inte kopplade, eftersom de saknas här eller hör till en annan organisation:" in html
    assert "d-rut-tertialrapport" in html
