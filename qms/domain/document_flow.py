"""Document control: utkast → granskning → fastställd → upphävd.

A fastställd document is never edited: changes go into a new version, which runs the same
steps; the version it replaces is upphävd when the new one is fastställd. An upphävd
document stays, unchanged, as evidence of what applied when.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from qms.domain.entities import Document
from qms.domain.kinds import DocumentStatus

S = DocumentStatus

#: The steps a document may take from each status.
TRANSITIONS: dict[DocumentStatus, tuple[DocumentStatus, ...]] = {
    S.DRAFT: (S.REVIEW,),
    S.REVIEW: (S.APPROVED, S.DRAFT),
    S.APPROVED: (S.REVOKED,),
    S.REVOKED: (),
}
#: Steps only someone who may approve documents takes.
NEEDS_APPROVER = frozenset({S.APPROVED, S.REVOKED})
#: Fields that the workflow sets, never a form.
WORKFLOW_FIELDS = ("status", "decided_on", "approved_by")
#: A document in force is "due" for review this many days before its review date.
REVIEW_WINDOW_DAYS = 30
#: The version numbers a new version can count on: "1", "1.0", "2.3.1".
_NUMBERED = re.compile(r"\A\s*(\d{1,6})(?:\.\d{1,6})*\s*\Z")
_VERSION_SUFFIX = re.compile(r"-v\d{1,6}\Z")


def edit_refusal(document: Document) -> str | None:
    """Why the document's content may not be edited now (Swedish), or None if it may."""
    if document.status is S.APPROVED:
        return "Ett fastställt dokument ändras inte; skapa en ny version och ändra i den."
    if document.status is S.REVOKED:
        return "Ett upphävt dokument ändras inte; det finns kvar som det var."
    if document.status is S.REVIEW:
        return "Dokumentet granskas; skicka tillbaka det till utkast för att ändra i det."
    return None


def transition_refusal(document: Document, target: DocumentStatus) -> str | None:
    """Why the document may not move to ``target`` (Swedish), or None if it may."""
    if target is document.status:
        return "Dokumentet har redan den statusen."
    if target not in TRANSITIONS[document.status]:
        return "Dokumentet kan inte gå direkt dit; utkast → granskning → fastställd → upphävd."
    if target is S.APPROVED and not (document.body.strip() or document.url or document.file_name):
        return "Ett dokument utan innehåll, länk eller fil kan inte fastställas."
    return None


def four_eyes_refusal(approver: str, authors: Iterable[str]) -> str | None:
    """With the four-eyes rule on: why ``approver`` may not approve text they wrote."""
    if approver in set(authors):
        return "Du har skrivit i den här versionen; en annan person måste fastställa den."
    return None


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February): the default review date."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def approval_problems(decided_on: date, review_by: date, today: date) -> dict[str, list[str]]:
    """Field errors for the dates an approval would set (Swedish)."""
    problems: dict[str, list[str]] = {}
    if decided_on > today:
        problems["decided_on"] = ["Beslutsdatumet kan inte ligga efter i dag."]
    if review_by < today:
        problems["review_by"] = ["Nästa revision kan inte ligga före i dag."]
    elif review_by <= decided_on:
        problems["review_by"] = ["Nästa revision måste ligga efter beslutsdatumet."]
    return problems


def next_doc_version(current: str) -> str:
    """The version label of a new version: "1.0" and "1.4" become "2.0"; a label that is
    not a number ("SFS 2025:400") is kept for the author to change."""
    numbered = _NUMBERED.match(current)
    if numbered is None:
        return current
    return f"{int(numbered.group(1)) + 1}.0"


def version_ids(document_id: str) -> Iterable[str]:
    """Candidate ids for a new version of ``document_id``: ``<id>-v2``, ``<id>-v3`` …
    (``d-x-v2`` goes on as ``d-x-v3``)."""
    base = _VERSION_SUFFIX.sub("", document_id)
    found = re.search(r"-v(\d{1,6})\Z", document_id)
    number = int(found.group(1)) + 1 if found else 2
    while True:
        yield f"{base}-v{number}"
        number += 1


class ReviewState(StrEnum):
    """Where a document in force stands against its review date."""

    DUE = "due"
    OVERDUE = "overdue"


def review_state(
    document: Document, today: date, window: int = REVIEW_WINDOW_DAYS
) -> ReviewState | None:
    """Overdue (date passed), due (within ``window`` days) or None; only documents in force."""
    if document.status is not S.APPROVED or document.review_by is None:
        return None
    if document.review_by < today:
        return ReviewState.OVERDUE
    if document.review_by <= today + timedelta(days=window):
        return ReviewState.DUE
    return None
