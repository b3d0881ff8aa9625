"""The role catalogue's pages: create, rename with a conflict, merge."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from qms.domain.labels import Label, Rel


def _create(client: FlaskClient, name: str) -> str:
    response = client.post("/arbetsyta/roller", data={"name": name, "org_unit": "ou-sdf"})
    assert response.status_code == 303
    html = client.get("/arbetsyta/roller?enhet=ou-sdf").get_data(as_text=True)
    match = re.search(rf'href="/arbetsyta/roller/([^"]+)">{name}<', html)
    assert match
    return match.group(1)


def _lock(client: FlaskClient, role_id: str) -> dict[str, str]:
    html = client.get(f"/arbetsyta/roller/{role_id}").get_data(as_text=True)
    return {
        k: re.search(rf'name="{k}" value="([^"]*)"', html).group(1)
        for k in ("version", "state", "seen")
    }  # type: ignore[union-attr]


def test_catalogue_lists_and_refuses_a_bad_name(coordinator_client: FlaskClient) -> None:
    _create(coordinator_client, "Katalogroll")
    response = coordinator_client.post("/arbetsyta/roller", data={"name": "", "org_unit": "ou-sdf"})
    assert response.status_code == 422
    assert "Fältet måste fyllas i." in response.get_data(as_text=True)


def test_rename_and_conflict(coordinator_client: FlaskClient) -> None:
    role = _create(coordinator_client, "Gammalt namn")
    lock = _lock(coordinator_client, role)
    data = {"name": "Nytt namn", "org_unit": "ou-sdf", **lock}
    assert coordinator_client.post(f"/arbetsyta/roller/{role}", data=data).status_code == 303
    again = coordinator_client.post(f"/arbetsyta/roller/{role}", data={**data, "name": "Tredje"})
    assert again.status_code == 409
    assert "Namn: ändrad" in again.get_data(as_text=True)


def test_merge_moves_the_links(coordinator_app: Flask, coordinator_client: FlaskClient) -> None:
    keep = _create(coordinator_client, "Behållen roll")
    gone = _create(coordinator_client, "Sammanslagen roll")
    store = coordinator_app.extensions["qms"].store
    activity = store.entities(Label.ACTIVITY)[0].id
    from qms.domain.graph import Link

    with coordinator_app.extensions["qms"].unit_of_work("test") as uow:
        for link in store.outgoing(Label.ACTIVITY, activity, Rel.PERFORMED_BY):
            uow.unlink(link)
        uow.link(Link(Rel.PERFORMED_BY, activity, gone))
    response = coordinator_client.post(f"/arbetsyta/roller/{gone}/sla-ihop", data={"keep": keep})
    assert response.status_code == 303
    assert store.label_of(gone) is None
    assert [r.id for r in store.neighbours(Label.ACTIVITY, activity, Rel.PERFORMED_BY)] == [keep]
