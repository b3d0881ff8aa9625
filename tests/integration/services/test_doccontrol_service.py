"""Document control on a real embedded store: the steps, immutability, new versions that
take over their processes, permission by organisation unit, and the review list."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF

from qms.domain.entities import Account, Document
from qms.domain.errors import Conflict, Forbidden, InvalidInput
from qms.domain.kinds import DocumentStatus
from qms.domain.labels import Label, Rel
from qms.services import doc_control, doc_registry
from qms.services.access import Actor, coordinator
from qms.services.accounts import actor_of
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.doc_reviews import reviews
from qms.services.file_store import Upload

MODEL = Path(__file__).with_name("doccontrol.yaml")
TODAY = date(2026, 6, 1)
S = DocumentStatus
ANNA = coordinator("anna")
BO = coordinator("bo")


@pytest.fixture
def qms(tmp_path: Path) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path / "data"))
    opened.load(MODEL, "test")
    yield opened
    opened.close()


def actor(qms: Qms, name: str, *grants: str) -> Actor:
    """The actor of an account with these grants (``role@unit``), as sign-in makes it."""
    return actor_of(qms.store, Account(id=name, name=name.title(), roles=grants))


def doc(qms: Qms, document_id: str) -> Document:
    found = qms.store.get(Label.DOCUMENT, document_id)
    assert isinstance(found, Document)
    return found


def draft(qms: Qms, title: str, unit: str = "ou-dc-a", by: Actor = ANNA) -> Document:
    data = {"title": title, "kind": "routine", "body": "Så här gör vi.", "org_unit": unit}
    return doc_registry.save_document(qms, by, data)


def governing(qms: Qms, document_id: str) -> set[str]:
    return {r.id for r in qms.store.neighbours(Label.DOCUMENT, document_id, Rel.GOVERNED_BY, "in")}


def test_draft_review_approve_sets_date_approver_and_a_year_to_review(qms: Qms) -> None:
    created = draft(qms, "Rutin för kaffe")
    assert created.status is S.DRAFT
    doc_control.move(qms, ANNA, created.id, S.REVIEW)
    approved = doc_control.approve(qms, BO, created.id, TODAY)
    assert (approved.status, approved.decided_on, approved.review_by, approved.approved_by) == (
        S.APPROVED,
        TODAY,
        date(2027, 6, 1),
        "bo",
    )


def test_approval_keeps_the_drafts_review_date_and_checks_dates(qms: Qms) -> None:
    created = doc_registry.save_document(
        qms, ANNA, {"title": "Datum", "kind": "routine", "body": "x", "review_by": "2026-12-01"}
    )
    doc_control.move(qms, ANNA, created.id, S.REVIEW)
    with pytest.raises(InvalidInput) as refused:
        doc_control.approve(qms, BO, created.id, TODAY, decided_on=date(2027, 1, 1))
    assert refused.value.errors == {
        "decided_on": ["Beslutsdatumet kan inte ligga efter i dag."],
        "review_by": ["Nästa revision måste ligga efter beslutsdatumet."],
    }
    assert doc(qms, created.id).status is S.REVIEW  # nothing was written
    approved = doc_control.approve(qms, BO, created.id, TODAY, decided_on=date(2026, 5, 20))
    assert (approved.decided_on, approved.review_by) == (date(2026, 5, 20), date(2026, 12, 1))


def test_steps_outside_the_workflow_are_refused_in_swedish(qms: Qms) -> None:
    created = draft(qms, "Hoppar över")
    with pytest.raises(InvalidInput) as refused:
        doc_control.approve(qms, ANNA, created.id, TODAY)
    assert refused.value.errors["status"] == [
        "Dokumentet kan inte gå direkt dit; utkast → granskning → fastställd → upphävd."
    ]
    empty = doc_registry.save_document(qms, ANNA, {"title": "Tom", "kind": "routine"})
    doc_control.move(qms, ANNA, empty.id, S.REVIEW)
    with pytest.raises(InvalidInput, match="utan innehåll"):
        doc_control.approve(qms, ANNA, empty.id, TODAY)


def pdf(text: str) -> bytes:
    made = FPDF()
    made.add_page()
    made.set_font("helvetica", size=12)
    made.cell(text=text)
    return bytes(made.output())


def blobs(qms: Qms) -> set[Path]:
    return set((qms.settings.data_dir / "files").rglob("*"))


def test_an_approved_document_is_not_changed_and_keeps_no_file(qms: Qms) -> None:
    before, stored, changes = doc(qms, "d-dc-rutin"), blobs(qms), len(qms.store.changes())
    values = doc_registry.form_values(doc_registry.detail(qms, "d-dc-rutin"))
    data = pdf("Ny text")
    with pytest.raises(InvalidInput) as refused:
        doc_registry.save_document(
            qms,
            ANNA,
            values | {"body": "Ändrad i smyg"},
            Upload(io.BytesIO(data), "ny.pdf", len(data)),
            "d-dc-rutin",
        )
    assert refused.value.errors == {
        "_schema": ["Ett fastställt dokument ändras inte; skapa en ny version och ändra i den."]
    }
    assert doc(qms, "d-dc-rutin") == before
    assert blobs(qms) == stored
    assert len(qms.store.changes()) == changes


def test_a_document_in_review_is_edited_only_after_it_is_sent_back(qms: Qms) -> None:
    created = draft(qms, "Granskas")
    doc_control.move(qms, ANNA, created.id, S.REVIEW)
    values = doc_registry.form_values(doc_registry.detail(qms, created.id))
    with pytest.raises(InvalidInput, match="granskas"):
        doc_registry.save_document(qms, ANNA, values | {"body": "Nytt"}, None, created.id)
    doc_control.move(qms, BO, created.id, S.DRAFT)
    values = doc_registry.form_values(doc_registry.detail(qms, created.id))
    assert doc_registry.save_document(qms, ANNA, values | {"body": "Nytt"}, None, created.id)
    assert doc(qms, created.id).body == "Nytt"


def test_a_form_cannot_set_the_status(qms: Qms) -> None:
    with pytest.raises(InvalidInput) as refused:
        doc_registry.save_document(
            qms, ANNA, {"title": "Smyger", "kind": "routine", "status": "approved"}
        )
    assert list(refused.value.errors) == ["status"]


def test_a_new_version_takes_over_when_approved(qms: Qms) -> None:
    assert governing(qms, "d-dc-rutin") == {"p-dc-a", "a-dc-a1"}
    new = doc_control.new_version(qms, ANNA, "d-dc-rutin")
    assert (new.id, new.doc_version, new.status, new.body, new.decided_on) == (
        "d-dc-rutin-v2",
        "2.0",
        S.DRAFT,
        "Nycklar kvitteras ut och in hos enhetschefen.",
        None,
    )
    assert doc_control.predecessor(qms.store, new.id) == doc(qms, "d-dc-rutin")
    assert doc_control.unit_of(qms.store, new.id) == "ou-dc-a"
    assert [r.id for r in qms.store.neighbours(Label.DOCUMENT, new.id, Rel.OWNED_BY)] == [
        "r-dc-chef"
    ]
    assert doc_control.in_force(qms.store, new.id) == doc(qms, "d-dc-rutin")
    with pytest.raises(InvalidInput, match="redan påbörjad"):
        doc_control.new_version(qms, ANNA, "d-dc-rutin")

    values = doc_registry.form_values(doc_registry.detail(qms, new.id))
    doc_registry.save_document(qms, ANNA, values | {"body": "Nyckelskåp med kod."}, None, new.id)
    doc_control.move(qms, ANNA, new.id, S.REVIEW)
    assert governing(qms, "d-dc-rutin") == {"p-dc-a", "a-dc-a1"}  # the old one applies still
    doc_control.approve(qms, BO, new.id, TODAY)

    assert doc(qms, "d-dc-rutin").status is S.REVOKED
    assert doc(qms, "d-dc-rutin").body == "Nycklar kvitteras ut och in hos enhetschefen."
    assert governing(qms, "d-dc-rutin") == set()
    assert governing(qms, new.id) == {"p-dc-a", "a-dc-a1"}
    assert doc_control.in_force(qms.store, "d-dc-rutin") == doc(qms, new.id)
    approval = {c.change_set for c in qms.store.changes(new.id) if c.field == "status"}
    revocation = {c.change_set for c in qms.store.changes("d-dc-rutin") if c.field == "status"}
    assert approval & revocation  # one unit of work
    assert doc_control.new_version(qms, ANNA, new.id).id == "d-dc-rutin-v3"


def test_only_a_document_in_force_gets_a_new_version(qms: Qms) -> None:
    with pytest.raises(InvalidInput, match="Bara ett fastställt"):
        doc_control.new_version(qms, ANNA, draft(qms, "Utkast").id)


def test_approval_is_refused_outside_the_approvers_unit(qms: Qms) -> None:
    in_a = actor(qms, "cecilia", "kvalitetssamordnare@ou-dc-a")
    owner_a = actor(qms, "david", "processagare@ou-dc-a")
    created = draft(qms, "I enhet A", by=owner_a)
    doc_control.move(qms, owner_a, created.id, S.REVIEW)
    with pytest.raises(Forbidden, match="fastställa"):
        doc_control.approve(qms, owner_a, created.id, TODAY)
    other = draft(qms, "I enhet B", unit="ou-dc-b")
    doc_control.move(qms, ANNA, other.id, S.REVIEW)
    with pytest.raises(Forbidden):
        doc_control.approve(qms, in_a, other.id, TODAY)
    assert doc(qms, other.id).status is S.REVIEW
    assert doc_control.approve(qms, in_a, created.id, TODAY).status is S.APPROVED
    whole = actor(qms, "eva", "chef@ou-dc-avd")  # a grant covers the units below it
    assert doc_control.approve(qms, whole, other.id, TODAY).status is S.APPROVED


def test_a_draft_of_another_unit_is_not_edited(qms: Qms) -> None:
    owner_a = actor(qms, "david", "processagare@ou-dc-a")
    other = draft(qms, "Bara B", unit="ou-dc-b")
    values = doc_registry.form_values(doc_registry.detail(qms, other.id))
    with pytest.raises(Forbidden):
        doc_registry.save_document(qms, owner_a, values | {"body": "A:s text"}, None, other.id)
    with pytest.raises(Forbidden):  # nor moved into a unit that is not theirs
        draft(qms, "Till B", unit="ou-dc-b", by=owner_a)
    with pytest.raises(Forbidden):  # outside every unit: the whole organisation's
        draft(qms, "Ingen enhet", unit="", by=owner_a)


def test_four_eyes_needs_someone_who_did_not_write_it(qms: Qms) -> None:
    created = draft(qms, "Fyra ögon")
    doc_control.move(qms, ANNA, created.id, S.REVIEW)
    with pytest.raises(InvalidInput, match="annan person"):
        doc_control.approve(qms, ANNA, created.id, TODAY, four_eyes=True)
    assert doc_control.approve(qms, BO, created.id, TODAY, four_eyes=True).approved_by == "bo"


def test_a_stale_form_is_a_conflict(qms: Qms) -> None:
    created = draft(qms, "Två flikar")
    doc_control.move(qms, ANNA, created.id, S.REVIEW, version=created.version)
    with pytest.raises(Conflict):
        doc_control.move(qms, BO, created.id, S.DRAFT, version=created.version)
    assert doc(qms, created.id).status is S.REVIEW


def test_take_step_validates_the_form(qms: Qms) -> None:
    with pytest.raises(InvalidInput) as refused:
        doc_control.take_step(qms, ANNA, "d-dc-rutin", {"steg": "radera", "x": 1}, TODAY)
    assert refused.value.errors == {"steg": ["Okänt steg."], "x": ["Okänt fält."]}
    with pytest.raises(Forbidden):
        doc_control.take_step(qms, Actor("anonym"), "d-dc-rutin", {"steg": "upphav"}, TODAY)
    revoked = doc_control.take_step(qms, ANNA, "d-dc-rutin", {"steg": "upphav"}, TODAY)
    assert revoked.status is S.REVOKED


def test_reviewed_and_still_valid_moves_only_the_review_date(qms: Qms) -> None:
    before = doc(qms, "d-dc-rutin")
    after = doc_control.confirm_review(qms, BO, "d-dc-rutin", TODAY)
    assert after.review_by == date(2027, 6, 1)
    assert (after.body, after.decided_on, after.status) == (
        before.body,
        before.decided_on,
        before.status,
    )
    with pytest.raises(InvalidInput, match="efter i dag"):
        doc_control.confirm_review(qms, BO, "d-dc-rutin", TODAY, review_by=TODAY)


def test_reviews_lists_overdue_and_due_by_unit(qms: Qms) -> None:
    found = reviews(qms.store, TODAY)
    assert [(i.document.id, i.days) for i in found.overdue] == [("d-dc-rutin", -12)]
    assert [(i.document.id, i.days) for i in found.due] == [("d-dc-snart", 19)]
    item = found.overdue[0]
    assert (item.owner and item.owner.caption, item.unit and item.unit.caption) == (
        "Enhetschef",
        "Enhet A",
    )
    assert reviews(qms.store, TODAY, "ou-dc-b").overdue == []
    assert [i.document.id for i in reviews(qms.store, TODAY, "ou-dc-avd").due] == ["d-dc-snart"]
    doc_control.move(qms, ANNA, "d-dc-snart", S.REVOKED)
    assert reviews(qms.store, TODAY).due == []  # only documents in force are reviewed
