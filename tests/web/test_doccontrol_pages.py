"""Document control in the workspace: the workflow buttons on a document's page, the read-only
fastställd version, a new version that takes over, the review page and its reminders, and
refusals by organisation unit for people signed in through the trusted header."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from datetime import date
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from qms.domain.entities import Document
from qms.domain.labels import Label
from qms.services import accounts
from qms.services.access import coordinator
from web import create_app

MODEL = Path(__file__).parents[1] / "integration" / "services" / "doccontrol.yaml"
TODAY = date(2026, 6, 1)


def html(response: Any) -> str:
    return str(response.get_data(as_text=True))


def stored(app: Flask, document_id: str) -> Document:
    found = app.extensions["qms"].store.get(Label.DOCUMENT, document_id)
    assert isinstance(found, Document)
    return found


def step(client: FlaskClient, document_id: str, name: str, **fields: str) -> Any:
    return client.post(f"/arbetsyta/dokument/{document_id}/steg", data={"steg": name, **fields})


def register(client: FlaskClient, **fields: str) -> str:
    data = {"kind": "routine", "body": "Så här gör vi.", **fields}
    response = client.post("/arbetsyta/dokument/ny", data=data)
    assert response.status_code == 303, html(response)
    return str(response.headers["Location"]).split("?")[0].rsplit("/", 1)[1]


def test_a_draft_is_reviewed_and_approved_from_its_page(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    document_id = register(coordinator_client, title="Rutin för sopsortering", org_unit="ou-sdf")
    page = html(coordinator_client.get(f"/arbetsyta/dokument/{document_id}"))
    assert '<li class="current" aria-current="step">Utkast</li>' in page
    assert "Skicka till granskning" in page
    assert "Ändra dokumentet" in page

    sent = step(coordinator_client, document_id, "granska", version="1")
    assert sent.status_code == 303
    page = html(coordinator_client.get(sent.headers["Location"]))
    assert "Skickat till granskning." in page
    assert "Dokumentet granskas; skicka tillbaka det till utkast för att ändra i det." in page
    assert 'name="steg" value="faststall"' in page
    assert "Ändra dokumentet" not in page

    refused = coordinator_client.post(
        f"/arbetsyta/dokument/{document_id}",
        data={"title": "Ändrad", "kind": "routine", "body": "Nytt", "version": "2"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "Formuläret innehåller fel" in html(refused)
    assert stored(coordinator_app, document_id).title == "Rutin för sopsortering"

    approved = step(
        coordinator_client,
        document_id,
        "faststall",
        version="2",
        decided_on="2026-05-28",
        review_by="2027-05-31",
    )
    assert approved.status_code == 303
    page = html(coordinator_client.get(approved.headers["Location"]))
    assert "Fastställt: den här versionen gäller nu." in page
    assert "28 maj 2026 av webb" in page
    assert "Skapa ny version" in page
    assert "Upphäv dokumentet" in page
    assert 'name="review_by" type="date" value="2027-06-01"' in page  # "granskad": a year on


def test_a_refused_step_is_explained_next_to_the_buttons(coordinator_client: FlaskClient) -> None:
    document_id = register(coordinator_client, title="Rutin utan granskning")
    refused = step(coordinator_client, document_id, "faststall", version="1")
    assert refused.status_code == 422
    page = html(refused)
    assert "Steget genomfördes inte." in page
    assert "utkast → granskning → fastställd → upphävd" in page
    stale = step(coordinator_client, document_id, "granska", version="7")
    assert stale.status_code == 409
    assert "Någon annan ändrade dokumentet" in html(stale)
    bad = step(coordinator_client, document_id, "granskad", version="1", review_by="31/12")
    assert bad.status_code == 422
    assert "Ogiltigt datum (ÅÅÅÅ-MM-DD)." in html(bad)


def test_a_new_version_takes_over_the_activity_in_the_portal(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    old = "d-rut-hemtjanst-start"
    made = coordinator_client.post(f"/arbetsyta/dokument/{old}/ny-version")
    assert made.status_code == 303
    new = made.headers["Location"].rsplit("/", 1)[1]
    assert new == f"{old}-v2"
    page = html(coordinator_client.get(f"/arbetsyta/dokument/{new}"))
    assert "Ny version 2.0 skapad som utkast." in page
    assert f'href="/arbetsyta/dokument/{old}">version 1.4</a> (fastställd)' in page
    portal = html(coordinator_client.get(f"/dokument/{new}"))
    assert "Till dess gäller den fastställda versionen:" in portal
    assert f'href="/dokument/{old}"' in portal
    old_page = html(coordinator_client.get(f"/arbetsyta/dokument/{old}"))
    assert "Fortsätt med version 2.0" in old_page

    assert step(coordinator_client, new, "granska", version="1").status_code == 303
    assert step(coordinator_client, new, "faststall", version="2").status_code == 303
    assert stored(coordinator_app, old).status == "revoked"
    activity = html(coordinator_client.get("/aktiviteter/a-ht-planera"))
    assert f'href="/dokument/{new}"' in activity
    assert f'href="/dokument/{old}"' not in activity
    revoked = html(coordinator_client.get(f"/dokument/{old}"))
    assert "Dokumentet gäller inte längre. Följ den gällande versionen:" in revoked
    assert f'href="/dokument/{new}"' in revoked
    page = html(coordinator_client.get(f"/arbetsyta/dokument/{old}"))
    assert "Ett upphävt dokument ändras inte" in page
    assert 'id="f-target"' not in page  # a revoked document is not linked anew


def test_the_review_page_lists_overdue_and_due_documents(coordinator_client: FlaskClient) -> None:
    registry = html(coordinator_client.get("/arbetsyta/dokument"))
    assert 'href="/arbetsyta/dokument/granskning">Revisioner att göra' in registry
    page = html(coordinator_client.get("/arbetsyta/dokument/granskning"))
    overdue = page[page.index("Försenade revisioner") : page.index("Ska revideras inom 30 dagar")]
    due = page[page.index("Ska revideras inom 30 dagar") : page.index("Påminnelser med e-post")]
    assert "/arbetsyta/dokument/d-rut-social-dokumentation" in overdue
    assert "/arbetsyta/dokument/d-rut-attest" in overdue
    assert "/arbetsyta/dokument/d-rut-lon" in due
    assert "om 29 dagar" in due
    assert "Påminnelser med e-post är avstängda." in page
    hr = html(coordinator_client.get("/arbetsyta/dokument/granskning?enhet=ou-enh-hr"))
    assert "d-rut-lon" in hr
    assert "d-rut-attest" not in hr
    wrong = coordinator_client.get("/arbetsyta/dokument/granskning?enhet=finns-inte")
    assert wrong.status_code == 422
    assert "Välj en organisationsenhet i listan." in html(wrong)


def test_a_visitor_without_rights_sees_no_review_page(client: FlaskClient) -> None:
    assert client.get("/arbetsyta/dokument/granskning").status_code == 403


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on a free port, and the environment pointing at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("QMS_NOTIFY", "smtp")
    monkeypatch.setenv("QMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("QMS_SMTP_PORT", str(port))
    monkeypatch.setenv("QMS_MAIL_FROM", "qms@soderort.test")
    monkeypatch.delenv("QMS_BASE_URL", raising=False)
    yield found
    controller.stop()


def test_reminders_are_sent_from_the_review_page_once(
    coordinator_app: Flask, coordinator_client: FlaskClient, inbox: Inbox
) -> None:
    accounts.add_account(
        coordinator_app.extensions["qms"].store,
        coordinator("admin"),
        {"id": "hr-samordnare", "name": "Hanna", "email": "hanna@soderort.test",
         "roles": ["kvalitetssamordnare@ou-enh-hr"]},
    )  # fmt: skip
    page = html(coordinator_client.get("/arbetsyta/dokument/granskning"))
    assert "Skicka påminnelser nu" in page
    sent = coordinator_client.post("/arbetsyta/dokument/granskning/paminn")
    assert sent.status_code == 303
    shown = html(coordinator_client.get(sent.headers["Location"]))
    count = len(inbox.messages)
    assert f"{count} påminnelser skickade." in shown
    mail = {m["To"]: m.get_content() for m in inbox.messages}
    assert "admin@example.org" in mail  # the demo's administrator: every unit
    hanna = mail["hanna@soderort.test"]  # HR only
    assert "Rutin för tidrapportering och lönekontroll" in hanna
    assert "http://localhost/arbetsyta/dokument/d-rut-lon" in hanna
    assert "Attestrutin" not in hanna
    assert "Attestrutin" in mail["admin@example.org"]
    again = coordinator_client.post("/arbetsyta/dokument/granskning/paminn")
    assert "0 påminnelser skickade." in html(coordinator_client.get(again.headers["Location"]))
    assert len(inbox.messages) == count


# -- signed in through the trusted header: rights by organisation unit --------------------------
@pytest.fixture
def unit_app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "TESTING": True,
            "TODAY": TODAY,
            "TRUSTED_USER_HEADER": "X-Remote-User",
            "TRUSTED_PROXIES": ["127.0.0.1"],
            "FOUR_EYES": True,
        }
    )
    qms = app.extensions["qms"]
    qms.load(MODEL, "test")
    for name, role in [
        ("agare-a", "processagare@ou-dc-a"),
        ("samordnare-a", "kvalitetssamordnare@ou-dc-a"),
        ("chef-a", "chef@ou-dc-a"),
    ]:
        accounts.add_account(
            qms.store, coordinator("admin"), {"id": name, "name": name, "roles": [role]}
        )
    yield app
    qms.close()


def as_user(app: Flask, user: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_X_REMOTE_USER"] = user
    return client


def test_approval_needs_the_right_in_the_documents_unit(unit_app: Flask) -> None:
    owner, approver = as_user(unit_app, "agare-a"), as_user(unit_app, "samordnare-a")
    document_id = register(owner, title="Rutin för vikarier", org_unit="ou-dc-a")
    assert step(owner, document_id, "granska", version="1").status_code == 303
    page = html(owner.get(f"/arbetsyta/dokument/{document_id}"))
    assert "Bara den som får fastställa dokument i dokumentets organisationsenhet" in page
    assert 'value="faststall"' not in page
    refused = step(owner, document_id, "faststall", version="2")
    assert refused.status_code == 403
    assert "Du har inte behörighet" in html(refused)
    assert stored(unit_app, document_id).status == "review"
    assert step(approver, document_id, "faststall", version="2").status_code == 303
    assert stored(unit_app, document_id).approved_by == "samordnare-a"

    other = step(approver, "d-dc-snart", "upphav")  # unit B: not theirs
    assert other.status_code == 403
    assert stored(unit_app, "d-dc-snart").status == "approved"
    assert 'value="upphav"' not in html(approver.get("/arbetsyta/dokument/d-dc-snart"))


def test_four_eyes_refuses_the_author_with_a_reason(unit_app: Flask) -> None:
    approver = as_user(unit_app, "samordnare-a")
    document_id = register(approver, title="Egen rutin", org_unit="ou-dc-a")
    assert step(approver, document_id, "granska", version="1").status_code == 303
    refused = step(approver, document_id, "faststall", version="2")
    assert refused.status_code == 422
    assert "en annan person måste fastställa den" in html(refused)
    assert re.search(r'name="steg" value="faststall"', html(refused))


def test_a_manager_approves_but_does_not_edit(unit_app: Flask) -> None:
    owner, manager = as_user(unit_app, "agare-a"), as_user(unit_app, "chef-a")
    document_id = register(owner, title="Rutin för möten", org_unit="ou-dc-a")
    assert manager.get("/arbetsyta/dokument").status_code == 200
    assert manager.get("/arbetsyta/dokument/granskning").status_code == 200
    page = html(manager.get(f"/arbetsyta/dokument/{document_id}"))
    assert "Bara den som får ändra dokument i dokumentets organisationsenhet" in page
    assert 'id="f-title"' not in page
    assert 'id="f-target"' not in page
    assert step(owner, document_id, "granska", version="1").status_code == 303
    assert step(manager, document_id, "faststall", version="2").status_code == 303
    assert stored(unit_app, document_id).approved_by == "chef-a"
    assert as_user(unit_app, "ingen").get("/arbetsyta/dokument").status_code == 403
