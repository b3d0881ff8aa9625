"""Document control: utkast → granskning → fastställd → upphävd.

A fastställd document is never edited: changes go into a new version, which runs the same
steps; the version it replaces is upphävd when the new one is fastställd. An upphävd
document stays, unchanged, as evidence of what applied when.
"""

from __future__ import annotations

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
WORKFLOW_FIELDS = ("status", "decided_on")


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
