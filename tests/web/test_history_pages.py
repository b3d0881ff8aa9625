"""``/historik``: the history page, a version's content, restore, permissions, personal data."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html as lxml_html

from qms.domain.entities import Document, Entity, Process
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, DocumentStatus, ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.app import Qms

LEX_SARAH = "dev-lexsarah-utebliven-insats"  # in the home-care unit
IN_FINANCE = "dev-attest"  # in the finance unit
DEMO_PASSWORD = "demo-losenord-2026"  # every demo account's (process_models/demo)
_numbers = itertools.count(1)


def qms_of(app: Flask) -> Qms:
    found = app.extensions["qms"]
    assert isinstance(found, Qms)
    return found


def save(app: Flask, entity: Entity, *links: Link) -> Entity:
    """Create the entity, or write it over the stored version, as one unit of work."""
    with qms_of(app).unit_of_work("berit") as uow:
        if uow.label_of(entity.id) is None:
            saved = uow.add(entity)
        else:
            current = uow.get(entity.LABEL, entity.id)
            saved = uow.update(dataclasses.replace(entity, version=current.version))
        for link in links:
            uow.link(link)
    return saved


def renamed_process(app: Flask) -> str:
    """A new process in the demo unit, renamed once: two versions."""
    process_id = f"p-historik-{next(_numbers)}"
    first = Process(id=process_id, name="Första namnet", kind=ProcessKind.CORE, purpose="Syfte")
    save(app, first, Link(Rel.BELONGS_TO, process_id, "ou-enh-ekonomi"))
    save(app, dataclasses.replace(first, name="Andra namnet"))
    return process_id


def rows(page: str) -> list[list[str]]:
    tree = lxml_html.fromstring(page)
    return [
        [" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
        for tr in tree.xpath("//table[@class='history-table']/tbody/tr")
    ]


def test_the_history_shows_who_and_before_and_after(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    response = coordinator_client.get(f"/historik/{process_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Historik för Andra namnet" in page
    assert "Version 2: ändrad" in page
    assert "berit" in page
    assert ["Namn", "Första namnet", "Andra namnet"] in rows(page)
    assert ["Uppdrag", "Syfte"] in rows(page)  # the creation lists what was filled in
    assert "Organisationsenhet:" in page
    assert "kopplad till" in page
    assert f'href="/processer/{process_id}"' in page  # back to the process
    assert 'name="csrf_token"' in page  # the restore form carries the token


def test_json_for_clients_that_ask_for_it(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    body = coordinator_client.get(
        f"/historik/{process_id}", headers={"Accept": "application/json"}
    ).get_json()
    newest = body["versions"][0]
    assert body["subject"]["version"] == 2
    assert newest["fields"] == [
        {
            "field": "name",
            "name": "Namn",
            "before": "Första namnet",
            "after": "Andra namnet",
            "hidden": False,
        }
    ]
    assert body["restoring"] == {"allowed": True, "refusal": ""}


@pytest.mark.parametrize(
    ("page", "entity_id"),
    [
        ("/processer/p-hemtjanst", "p-hemtjanst"),
        ("/aktiviteter/a-ht-utreda", "a-ht-utreda"),
        ("/dokument/d-checklista-lexsarah", "d-checklista-lexsarah"),
        ("/roller/r-bistandshandlaggare", "r-bistandshandlaggare"),
        ("/risker/risk-gfp", "risk-gfp"),
        (f"/avvikelser/{LEX_SARAH}", LEX_SARAH),
        ("/mal/g-im-1", "g-im-1"),
    ],
)
def test_every_item_page_links_to_its_history(
    org_client: FlaskClient, page: str, entity_id: str
) -> None:
    html = org_client.get(page).get_data(as_text=True)
    assert f'<a href="/historik/{entity_id}">Historik</a>' in html
    assert org_client.get(f"/historik/{entity_id}").status_code == 200


def test_personal_data_is_hidden_from_those_who_may_not_read_it(
    org_app: Flask, org_client: FlaskClient, coordinator_client: FlaskClient
) -> None:
    case = qms_of(org_app).store.get(Label.DEVIATION, LEX_SARAH)
    anonymous = org_client.get(f"/historik/{LEX_SARAH}").get_data(as_text=True)
    assert case.caption not in anonymous
    assert "Kundens bostad" not in anonymous
    assert "kan innehålla personuppgifter" in anonymous
    assert ["Plats", "visas inte (kan innehålla personuppgifter)"] in rows(anonymous)
    assert ["Typ", "lex Sarah"] in rows(anonymous)  # what is not personal is shown
    version = org_client.get(f"/historik/{LEX_SARAH}/version/1").get_data(as_text=True)
    assert "Kundens bostad" not in version
    allowed = coordinator_client.get(f"/historik/{LEX_SARAH}").get_data(as_text=True)
    assert case.caption in allowed
    assert ["Plats", "Kundens bostad"] in rows(allowed)


def test_a_manager_reads_the_personal_data_of_cases_in_own_unit_only(org_app: Flask) -> None:
    client = org_app.test_client()
    signed_in = client.post("/logga-in", data={"user": "chef-hemtjanst", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 303
    own = client.get(f"/historik/{LEX_SARAH}").get_data(as_text=True)
    assert ["Plats", "Kundens bostad"] in rows(own)
    other_case = qms_of(org_app).store.get(Label.DEVIATION, IN_FINANCE)
    other = client.get(f"/historik/{IN_FINANCE}").get_data(as_text=True)
    assert other_case.caption not in other
    assert "kan innehålla personuppgifter" in other
    assert "Återställ version" not in other


def test_a_version_page_shows_the_old_content_and_what_differs_now(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    response = coordinator_client.get(f"/historik/{process_id}/version/1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Första namnet som den var i version 1" not in page  # the caption is today's
    assert "Andra namnet som den var i version 1" in page
    assert ["Namn annat nu", "Första namnet"] in rows(page)
    assert ["Processtyp", "Huvudprocess"] in rows(page)
    assert "Återställ version 1" in page
    missing = coordinator_client.get(f"/historik/{process_id}/version/9")
    assert missing.status_code == 404


def test_restore_answers_303_and_the_restore_is_itself_in_the_history(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    response = coordinator_client.post(
        f"/historik/{process_id}/aterstall/1", data={"expected_version": "2"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/historik/{process_id}")
    restored = qms_of(coordinator_app).store.get(Label.PROCESS, process_id)
    assert (restored.caption, restored.version) == ("Första namnet", 3)
    page = coordinator_client.get(f"/historik/{process_id}").get_data(as_text=True)
    assert "Version 1 återställdes: den är nu version 3." in page
    assert "Version 3: ändrad" in page
    assert "Återställd till version 1" in page
    assert ["Namn", "Andra namnet", "Första namnet"] in rows(page)
    assert "Återställ version 2" in page
    assert "Återställ version 1" not in page  # it holds what the process holds now


def test_a_stale_page_gets_409_and_nothing_is_restored(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    response = coordinator_client.post(
        f"/historik/{process_id}/aterstall/1", data={"expected_version": "1"}
    )
    assert response.status_code == 409
    assert "Inget återställdes." in response.get_data(as_text=True)
    stored = qms_of(coordinator_app).store.get(Label.PROCESS, process_id)
    assert (stored.caption, stored.version) == ("Andra namnet", 2)
    as_json = coordinator_client.post(
        f"/historik/{process_id}/aterstall/1",
        json={"expected_version": 1},
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 409
    assert as_json.get_json()["message"]


def test_a_restore_without_the_version_seen_is_refused_field_by_field(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    response = coordinator_client.post(
        f"/historik/{process_id}/aterstall/1",
        data={"expected_version": "två"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["expected_version"]


def test_an_approved_document_is_not_restored(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    doc_id = f"d-historik-{next(_numbers)}"
    draft = Document(id=doc_id, title="Rutin", kind=DocumentKind.ROUTINE, body="Första")
    save(coordinator_app, draft)
    save(coordinator_app, dataclasses.replace(draft, body="Andra", status=DocumentStatus.APPROVED))
    page = coordinator_client.get(f"/historik/{doc_id}").get_data(as_text=True)
    assert "Äldre versioner kan inte återställas nu:" in page
    assert "Återställ version" not in page
    response = coordinator_client.post(
        f"/historik/{doc_id}/aterstall/1", data={"expected_version": "2"}
    )
    assert response.status_code == 422
    assert "skapa en ny version" in response.get_data(as_text=True)
    assert qms_of(coordinator_app).store.get(Label.DOCUMENT, doc_id).version == 2


def test_without_permission_there_is_no_restore_button_and_a_post_is_403(
    org_client: FlaskClient,
) -> None:
    page = org_client.get("/historik/p-hemtjanst").get_data(as_text=True)
    assert "Återställ version" not in page
    response = org_client.post("/historik/p-hemtjanst/aterstall/1", data={"expected_version": "1"})
    assert response.status_code == 403
    assert "behörighet" in response.get_data(as_text=True)


def test_an_unknown_id_is_the_apps_404_page(org_client: FlaskClient) -> None:
    response = org_client.get("/historik/finns-inte")
    assert response.status_code == 404
    assert "finns inte" in response.get_data(as_text=True)


def test_a_long_history_comes_in_pages(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    process_id = renamed_process(coordinator_app)
    process = qms_of(coordinator_app).store.get(Label.PROCESS, process_id)
    for n in range(3, 53):
        save(coordinator_app, dataclasses.replace(process, name=f"Namn {n}"))
    first = coordinator_client.get(f"/historik/{process_id}").get_data(as_text=True)
    assert "Sida 1 av 2" in first
    assert f'href="/historik/{process_id}?sida=2"' in first
    second = coordinator_client.get(f"/historik/{process_id}?sida=2").get_data(as_text=True)
    assert "Version 2: ändrad" in second
    assert "Version 1: skapad" in second
    assert "Version 52: ändrad" not in second
    assert coordinator_client.get(f"/historik/{process_id}?sida=x").status_code == 422
