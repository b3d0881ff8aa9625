"""The activity list pages: add, move by form, drag order as JSON, edit, refusals."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from qms.domain.labels import Label, Rel


def _process(client: FlaskClient, name: str) -> str:
    response = client.post(
        "/arbetsyta/processer/ny", data={"name": name, "kind": "core", "org_unit": "ou-avd-aldre"}
    )
    match = re.search(r"/arbetsyta/processer/([^?]+)\?", response.headers["Location"])
    assert match
    return match.group(1)


def _lock(client: FlaskClient, pid: str) -> dict[str, str]:
    html = client.get(f"/arbetsyta/processer/{pid}/aktiviteter").get_data(as_text=True)
    state = re.search(r'data-state="([^"]*)"', html)
    seen = re.search(r'data-seen="([^"]*)"', html)
    assert state
    assert seen
    return {"state": state.group(1), "seen": seen.group(1)}


def _names(client: FlaskClient, pid: str) -> list[str]:
    html = client.get(f"/arbetsyta/processer/{pid}/aktiviteter").get_data(as_text=True)
    return re.findall(r'<a href="/arbetsyta/aktiviteter/[^"]+">([^<]+)</a>', html)


def _add(client: FlaskClient, pid: str, name: str) -> None:
    url = f"/arbetsyta/processer/{pid}/aktiviteter"
    response = client.post(url, data={"name": name, **_lock(client, pid)})
    assert response.status_code == 303


def _ids(app: Flask, pid: str) -> dict[str, str]:
    store = app.extensions["qms"].store
    refs = store.neighbours(Label.PROCESS, pid, Rel.HAS_ACTIVITY)
    return {r.caption: r.id for r in refs}


def test_add_and_move_with_buttons(coordinator_app: Flask, coordinator_client: FlaskClient) -> None:
    pid = _process(coordinator_client, "Listprocess")
    for name in ("Ett", "Två", "Tre"):
        _add(coordinator_client, pid, name)
    assert _names(coordinator_client, pid) == ["Ett", "Två", "Tre"]
    three = _ids(coordinator_app, pid)["Tre"]
    form = {"activity": three, "direction": "up", **_lock(coordinator_client, pid)}
    moved = coordinator_client.post(f"/arbetsyta/processer/{pid}/aktiviteter/flytta", data=form)
    assert moved.status_code == 303
    assert moved.headers["Location"].endswith(f"#rad-{three}")
    assert _names(coordinator_client, pid) == ["Ett", "Tre", "Två"]
    svg = coordinator_client.get(f"/processer/{pid}/diagram.svg").get_data(as_text=True)
    assert all(name in svg for name in ("Ett", "Två", "Tre"))


def test_order_as_json_and_a_stale_order(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    pid = _process(coordinator_client, "Dragprocess")
    for name in ("A1", "B2", "C3"):
        _add(coordinator_client, pid, name)
    ids = _ids(coordinator_app, pid)
    lock = _lock(coordinator_client, pid)
    url = f"/arbetsyta/processer/{pid}/aktiviteter/ordning"
    body = {"order": [ids["C3"], ids["A1"], ids["B2"]], **lock}
    response = coordinator_client.post(url, json=body)
    assert response.status_code == 200
    assert response.get_json()["state"] != lock["state"]
    assert _names(coordinator_client, pid) == ["C3", "A1", "B2"]
    stale = coordinator_client.post(url, json={"order": [ids["A1"], ids["B2"], ids["C3"]], **lock})
    assert stale.status_code == 409
    bad = coordinator_client.post(
        url, json={"order": [ids["A1"]], **_lock(coordinator_client, pid)}
    )
    assert bad.status_code == 422
    assert "order" in bad.get_json()["errors"]


def test_empty_and_long_activity_names(coordinator_client: FlaskClient) -> None:
    pid = _process(coordinator_client, "Namnprocess")
    url = f"/arbetsyta/processer/{pid}/aktiviteter"
    for name, message in (("", "Fältet måste fyllas i."), ("y" * 10_000, "högst 200 tecken")):
        response = coordinator_client.post(
            url, data={"name": name, **_lock(coordinator_client, pid)}
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _names(coordinator_client, pid) == []


def test_edit_with_role_documents_and_branches(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    pid = _process(coordinator_client, "Beslutsprocess")
    for name in ("Ta emot", "Beviljas?", "Bevilja", "Avslå"):
        _add(coordinator_client, pid, name)
    ids = _ids(coordinator_app, pid)
    page = coordinator_client.get(f"/arbetsyta/aktiviteter/{ids['Beviljas?']}").get_data(
        as_text=True
    )
    lock = {
        k: re.search(rf'name="{k}" value="([^"]*)"', page).group(1)
        for k in ("version", "state", "seen")
    }  # type: ignore[union-attr]
    form = {
        "name": "Beviljas insatsen?",
        "node_type": "exclusive_gateway",
        "branch-0-name": "Ja",
        "branch-0-to": ids["Bevilja"],
        "branch-1-name": "Nej",
        "branch-1-condition": "avslag",
        "branch-1-to": ids["Avslå"],
        **lock,
    }
    response = coordinator_client.post(f"/arbetsyta/aktiviteter/{ids['Beviljas?']}", data=form)
    assert response.status_code == 303
    html = coordinator_client.get(f"/arbetsyta/processer/{pid}/aktiviteter").get_data(as_text=True)
    assert "Ja" in html
    assert "Nej (avslag)" in html
    assert "Beslutspunkt" in html


def test_document_of_another_branch_is_refused_next_to_the_field(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    pid = _process(coordinator_client, "Grenprocess")
    _add(coordinator_client, pid, "Göra")
    activity = _ids(coordinator_app, pid)["Göra"]
    store = coordinator_app.extensions["qms"].store
    unit_of = {lk.source: lk.target for lk in store.links(Rel.BELONGS_TO)}
    foreign = next(
        d.id for d in store.entities(Label.DOCUMENT) if unit_of.get(d.id) == "ou-avd-ifo"
    )
    page = coordinator_client.get(f"/arbetsyta/aktiviteter/{activity}").get_data(as_text=True)
    lock = {
        k: re.search(rf'name="{k}" value="([^"]*)"', page).group(1)
        for k in ("version", "state", "seen")
    }  # type: ignore[union-attr]
    response = coordinator_client.post(
        f"/arbetsyta/aktiviteter/{activity}",
        data={"name": "Göra", "node_type": "task", "documents": foreign, **lock},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="fel-documents"' in html
    assert "samma gren av organisationen" in html
    assert store.outgoing(Label.ACTIVITY, activity, Rel.GOVERNED_BY) == []
