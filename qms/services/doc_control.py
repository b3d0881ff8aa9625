"""Document control: send for review, send back, fastställ, upphäv, a new version.

Who may do what is decided by the document's organisation unit: ``EDIT_PROCESSES`` there
writes drafts and sends them on, ``APPROVE_DOCUMENTS`` there fastställer and upphäver. A
document outside every unit belongs to the whole organisation, so only a grant for the
whole organisation covers it. Every step is one unit of work; a new version that is
fastställd upphäver the version it replaces and takes over its processes and activities in
the same unit of work, so the maps always point at the version in force.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any

from marshmallow import fields, validate

from qms.domain.changes import ChangeOp
from qms.domain.document_flow import (
    NEEDS_APPROVER,
    WORKFLOW_FIELDS,
    approval_problems,
    four_eyes_refusal,
    next_doc_version,
    one_year_after,
    transition_refusal,
    version_ids,
)
from qms.domain.entities import Document
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import DocumentStatus
from qms.domain.labels import Label, Rel
from qms.services.access import MESSAGES, Actor, Permission
from qms.services.app import Qms
from qms.services.forms import fetch, load
from qms.services.org_units import entity_unit
from qms.services.schemas import MESSAGES as FIELD_MESSAGES
from qms.services.schemas import QmsSchema, WholeNumber
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import UnitOfWork

S = DocumentStatus
_DATE: dict[str, Any] = FIELD_MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."}
#: The steps a form may ask for (Swedish, like the paths) and the status each leads to.
STEPS: dict[str, DocumentStatus | None] = {
    "granska": S.REVIEW,
    "utkast": S.DRAFT,
    "faststall": S.APPROVED,
    "upphav": S.REVOKED,
    "granskad": None,  # reviewed and still valid: only a new review date
}


class StepForm(QmsSchema):
    """A workflow step as a form posts it."""

    steg = fields.String(
        required=True,
        error_messages=FIELD_MESSAGES,
        validate=validate.OneOf(list(STEPS), error="Okänt steg."),
    )
    version = WholeNumber(load_default=None, allow_none=True, error_messages=FIELD_MESSAGES)
    decided_on = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)
    review_by = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)


# -- who may ---------------------------------------------------------------------------------
def unit_of(store: GraphStore, document_id: str) -> str | None:
    """The organisation unit a document belongs to (None: the whole organisation)."""
    return entity_unit(store, Label.DOCUMENT, document_id)


def authors(store: GraphStore, document_id: str) -> set[str]:
    """Who wrote this version: created it or changed a field that is not the workflow's."""
    return {
        change.actor
        for change in store.changes(document_id)
        if change.op is ChangeOp.CREATE
        or (change.op is ChangeOp.UPDATE and change.field not in WORKFLOW_FIELDS)
    }


# -- the steps -------------------------------------------------------------------------------
def take_step(
    qms: Qms,
    actor: Actor,
    document_id: str,
    data: Mapping[str, Any],
    today: date,
    four_eyes: bool = False,
) -> Document:
    """The step a form asks for (``steg`` and the version the user saw), validated."""
    if not (actor.can(Permission.EDIT_PROCESSES) or actor.can(Permission.APPROVE_DOCUMENTS)):
        raise Forbidden(MESSAGES[Permission.EDIT_PROCESSES])
    values = load(StepForm(), data, "Steget")
    target, version = STEPS[values["steg"]], values["version"]
    if target is None:
        return confirm_review(qms, actor, document_id, today, values["review_by"], version)
    if target is S.APPROVED:
        return approve(
            qms,
            actor,
            document_id,
            today,
            version=version,
            decided_on=values["decided_on"],
            review_by=values["review_by"],
            four_eyes=four_eyes,
        )
    return move(qms, actor, document_id, target, version)


def move(
    qms: Qms, actor: Actor, document_id: str, target: DocumentStatus, version: int | None = None
) -> Document:
    """Send for review, send back to draft or upphäv (``approve`` fastställer)."""
    if target is S.APPROVED:
        raise ValueError("use approve() to fastställa")
    unit = unit_of(qms.store, document_id)
    if target in NEEDS_APPROVER:
        actor.require_for(Permission.APPROVE_DOCUMENTS, unit)
    elif not (
        actor.can_for(Permission.EDIT_PROCESSES, unit)
        or actor.can_for(Permission.APPROVE_DOCUMENTS, unit)
    ):
        actor.require_for(Permission.EDIT_PROCESSES, unit)
    with qms.unit_of_work(actor.name) as uow:
        current = _current(uow, document_id, target, version)
        return _saved(uow.update(dataclasses.replace(current, status=target)))


def approve(
    qms: Qms,
    actor: Actor,
    document_id: str,
    today: date,
    *,
    version: int | None = None,
    decided_on: date | None = None,
    review_by: date | None = None,
    four_eyes: bool = False,
) -> Document:
    """Fastställ a document in review: decided today (or the day given), reviewed by the date
    given, else the draft's, else a year on; the version it replaces is upphävd and hands
    over its processes and activities, all in one unit of work."""
    store = qms.store
    actor.require_for(Permission.APPROVE_DOCUMENTS, unit_of(store, document_id))
    replaced = predecessor(store, document_id)
    if replaced is not None:
        actor.require_for(Permission.APPROVE_DOCUMENTS, unit_of(store, replaced.id))
    if four_eyes:
        refusal = four_eyes_refusal(actor.name, authors(store, document_id))
        if refusal:  # a rule of the workflow, not a missing right: said next to the button
            raise InvalidInput(refusal, {"status": [refusal]})
    governed = [] if replaced is None else _governed(store, replaced.id)
    with qms.unit_of_work(actor.name) as uow:
        current = _current(uow, document_id, S.APPROVED, version)
        decided = decided_on or today
        review = review_by or current.review_by or one_year_after(today)
        problems = approval_problems(decided, review, today)
        if problems:
            raise InvalidInput("Dokumentet kunde inte fastställas.", problems)
        approved = uow.update(
            dataclasses.replace(
                current,
                status=S.APPROVED,
                decided_on=decided,
                review_by=review,
                approved_by=actor.name,
            )
        )
        if replaced is not None:
            _hand_over(uow, replaced.id, document_id, governed)
    return _saved(approved)


def confirm_review(
    qms: Qms,
    actor: Actor,
    document_id: str,
    today: date,
    review_by: date | None = None,
    version: int | None = None,
) -> Document:
    """A document in force was reviewed and still holds: only its next review date moves
    (a year on unless given); its content stays as it was fastställd."""
    actor.require_for(Permission.APPROVE_DOCUMENTS, unit_of(qms.store, document_id))
    review = review_by or one_year_after(today)
    if review <= today:
        message = "Nästa revision måste ligga efter i dag."
        raise InvalidInput(message, {"review_by": [message]})
    with qms.unit_of_work(actor.name) as uow:
        current = fetch(uow, Document, document_id)
        if current.status is not S.APPROVED:
            message = "Bara ett fastställt dokument kan markeras som granskat."
            raise InvalidInput(message, {"status": [message]})
        stale = version if version is not None else current.version
        return _saved(uow.update(dataclasses.replace(current, version=stale, review_by=review)))


def _current(
    uow: UnitOfWork, document_id: str, target: DocumentStatus, version: int | None
) -> Document:
    """The stored document, refused in Swedish when it may not take the step; with the
    version the user saw, so a stale form is a ``Conflict``."""
    current = fetch(uow, Document, document_id)
    refusal = transition_refusal(current, target)
    if refusal:
        raise InvalidInput(refusal, {"status": [refusal]})
    return current if version is None else dataclasses.replace(current, version=version)


def _hand_over(uow: UnitOfWork, old_id: str, new_id: str, governed: list[str]) -> None:
    old = fetch(uow, Document, old_id)
    if old.status is S.APPROVED:
        uow.update(dataclasses.replace(old, status=S.REVOKED))
    for source in governed:
        uow.unlink(Link(Rel.GOVERNED_BY, source, old_id))
        uow.link(Link(Rel.GOVERNED_BY, source, new_id))


def _governed(store: GraphStore, document_id: str) -> list[str]:
    return [ref.id for ref in store.neighbours(Label.DOCUMENT, document_id, Rel.GOVERNED_BY, "in")]


def _saved(entity: object) -> Document:
    assert isinstance(entity, Document)  # noqa: S101  (uow returns what it was given)
    return entity


# -- versions --------------------------------------------------------------------------------
def new_version(qms: Qms, actor: Actor, document_id: str) -> Document:
    """A draft copy of a document in force to change: ``<id>-v2``, the version number raised,
    the same content, owner and unit, ``SUPERSEDES`` the one it will replace."""
    store = qms.store
    unit = unit_of(store, document_id)
    actor.require_for(Permission.EDIT_PROCESSES, unit)
    owners = [link.target for link in store.outgoing(Label.DOCUMENT, document_id, Rel.OWNED_BY)]
    with qms.unit_of_work(actor.name) as uow:
        old = fetch(uow, Document, document_id)
        if old.status is not S.APPROVED:
            message = "Bara ett fastställt dokument får en ny version."
            raise InvalidInput(message, {"status": [message]})
        pending = successor(store, document_id)
        if pending is not None and pending.status in (S.DRAFT, S.REVIEW):
            message = f"Version {pending.doc_version} är redan påbörjad ({pending.id})."
            raise InvalidInput(message, {"status": [message]})
        new_id = next(i for i in version_ids(document_id) if uow.label_of(i) is None)
        draft = dataclasses.replace(
            old,
            id=new_id,
            status=S.DRAFT,
            doc_version=next_doc_version(old.doc_version),
            decided_on=None,
            review_by=None,
            approved_by="",
        )
        created = uow.add(draft)
        uow.link(Link(Rel.SUPERSEDES, new_id, document_id))
        for owner in owners:
            uow.link(Link(Rel.OWNED_BY, new_id, owner))
        if unit is not None:
            uow.link(Link(Rel.BELONGS_TO, new_id, unit))
    return _saved(created)


def predecessor(store: GraphStore, document_id: str) -> Document | None:
    """The version this document replaces (``SUPERSEDES``), if any."""
    for link in store.outgoing(Label.DOCUMENT, document_id, Rel.SUPERSEDES):
        found = store.get(Label.DOCUMENT, link.target)
        if isinstance(found, Document):
            return found
    return None


def successor(store: GraphStore, document_id: str) -> Document | None:
    """The newest version that replaces this one, if any."""
    found = [
        d
        for ref in store.neighbours(Label.DOCUMENT, document_id, Rel.SUPERSEDES, "in")
        if isinstance(d := store.get(Label.DOCUMENT, ref.id), Document)
    ]
    return max(found, key=lambda d: d.created_at, default=None)


def in_force(store: GraphStore, document_id: str) -> Document | None:
    """The version in force of this document's line, when it is another one: the
    fastställd version a draft will replace, or the one that replaced an upphävd one."""
    document = fetch(store, Document, document_id)
    if document.status is S.APPROVED:
        return None
    seen = {document_id}
    if document.status is S.REVOKED:
        later = successor(store, document_id)
        while later is not None and later.id not in seen:
            if later.status is S.APPROVED:
                return later
            seen.add(later.id)
            later = successor(store, later.id)
        return None
    earlier = predecessor(store, document_id)
    return earlier if earlier is not None and earlier.status is S.APPROVED else None
