"""The process editor's pages: forms, Swedish field errors, conflicts, move and archive."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qms.domain.entities import Process
from qms.domain.labels import Label, Rel


def _new(client: FlaskClient, name: str, **extra: str) -> str:
    form = {"name": name, "kind": "core", "org_unit": "ou-sdf", **extra}
    response = client.post("/arbetsyta/processer/ny", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    match = re.search(r"/arbetsyta/processer/([^?]+)\?", response.headers["Location"])
    assert match
    return match.group(1)


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_start_page_shows_the_tree_of_a_unit(coordinator_client: FlaskClient) -> None:
    pid = _new(coordinator_client, "Trädprocess")
    _new(coordinator_client, "Trädets delprocess", parent=pid)
    html = coordinator_client.get("/arbetsyta?enhet=ou-sdf").get_data(as_text=True)
    assert "Arbetsyta" in html
    assert "Trädprocess" in html
    assert "Trädets delprocess" in html
    assert html.index("Trädprocess") < html.index("Trädets delprocess")


def test_create_with_every_field(coordinator_app: Flask, coordinator_client: FlaskClient) -> None:
    form = {
        "purpose": "Att ge stöd",
        "trigger": "Ansökan",
        "ends_when": "Beslut",
        "desired_effect": "Trygghet",
        "recipients": "Den enskilde\nAnhöriga",
        "collaboration_with": "Regionen",
        "collaboration_when": "Vid utskrivning",
        "collaboration_how": "SIP",
        "owner": "r-enhetschef",
    }
    pid = _new(coordinator_client, "Fullständig process", **form)
    process = coordinator_app.extensions["qms"].store.get(Label.PROCESS, pid)
    assert isinstance(process, Process)
    assert process.recipients == ("Den enskilde", "Anhöriga")
    assert "Med vem: Regionen" in process.collaboration
    html = coordinator_client.get(f"/arbetsyta/processer/{pid}").get_data(as_text=True)
    assert "Ändrad av webb" in html


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Fältet måste fyllas i."), ("x" * 10_000, "Namnet får vara högst 200 tecken.")],
)
def test_bad_names_answer_422_in_swedish(
    coordinator_client: FlaskClient, name: str, message: str
) -> None:
    response = coordinator_client.post(
        "/arbetsyta/processer/ny", data={"name": name, "kind": "core"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="fel-name"' in html
    assert 'aria-invalid="true"' in html
    assert "inget har sparats" in html


def test_own_ancestor_is_refused_next_to_the_field(coordinator_client: FlaskClient) -> None:
    top = _new(coordinator_client, "Anfader")
    sub = _new(coordinator_client, "Ättling", parent=top)
    html = coordinator_client.get(f"/arbetsyta/processer/{top}").get_data(as_text=True)
    lock = {k: _hidden(html, k) for k in ("version", "state", "seen")}
    response = coordinator_client.post(
        f"/arbetsyta/processer/{top}/flytta", data={"parent": sub, **lock}
    )
    assert response.status_code == 422
    assert "under sig själv" in response.get_data(as_text=True)


def test_stale_save_answers_409_with_the_other_change(coordinator_client: FlaskClient) -> None:
    pid = _new(coordinator_client, "Konfliktprocess")
    html = coordinator_client.get(f"/arbetsyta/processer/{pid}").get_data(as_text=True)
    lock = {k: _hidden(html, k) for k in ("version", "state", "seen")}
    first = {"name": "Konfliktprocess", "kind": "core", "purpose": "Först", **lock}
    assert coordinator_client.post(f"/arbetsyta/processer/{pid}", data=first).status_code == 303
    second = {"name": "Konfliktprocess", "kind": "core", "purpose": "Sen", **lock}
    response = coordinator_client.post(f"/arbetsyta/processer/{pid}", data=second)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Någon annan sparade först" in page
    assert "Uppdrag: ändrad" in page
    assert "Först" in page
    assert "Sen" in page  # the user's own text is still in the form


def test_move_and_archive(coordinator_app: Flask, coordinator_client: FlaskClient) -> None:
    one = _new(coordinator_client, "Flyttbar")
    two = _new(coordinator_client, "Ny förälder")
    html = coordinator_client.get(f"/arbetsyta/processer/{one}").get_data(as_text=True)
    lock = {k: _hidden(html, k) for k in ("version", "state", "seen")}
    moved = coordinator_client.post(
        f"/arbetsyta/processer/{one}/flytta", data={"parent": two, **lock}
    )
    assert moved.status_code == 303
    store = coordinator_app.extensions["qms"].store
    assert [r.id for r in store.neighbours(Label.PROCESS, one, Rel.SUBPROCESS_OF)] == [two]
    html = coordinator_client.get(f"/arbetsyta/processer/{two}").get_data(as_text=True)
    lock = {k: _hidden(html, k) for k in ("version", "state", "seen")}
    archived = coordinator_client.post(
        f"/arbetsyta/processer/{two}/arkivera", data={"arkiverad": "1", **lock}
    )
    assert archived.status_code == 303
    page = coordinator_client.get("/arbetsyta?enhet=ou-sdf").get_data(as_text=True)
    assert "Arkiverade processer" in page


def test_anonymous_may_not_edit(org_client: FlaskClient) -> None:
    assert org_client.post("/arbetsyta/processer/ny", data={"name": "x"}).status_code == 403


def test_after_a_conflict_the_form_keeps_the_other_change(coordinator_client: FlaskClient) -> None:
    pid = _new(coordinator_client, "Sammanfogad process")
    html = coordinator_client.get(f"/arbetsyta/processer/{pid}").get_data(as_text=True)
    lock = {k: _hidden(html, k) for k in ("version", "state", "seen")}
    base = {"name": "Sammanfogad process", "kind": "core", "org_unit": "ou-sdf", **lock}
    coordinator_client.post(f"/arbetsyta/processer/{pid}", data={**base, "purpose": "Annas"})
    response = coordinator_client.post(
        f"/arbetsyta/processer/{pid}", data={**base, "trigger": "Berits"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert re.search(r'id="f-purpose"[^>]*>Annas</textarea>', page)
    assert re.search(r'id="f-trigger"[^>]*>Berits</textarea>', page)
