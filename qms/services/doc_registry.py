"""The document registry: styrdokument and rutiner, their files, and where they are used."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, pre_load, validate

from qms.domain.changes import Change, ChangeOp
from qms.domain.document_flow import WORKFLOW_FIELDS, edit_refusal
from qms.domain.entities import Activity, Document, Process
from qms.domain.errors import InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.kinds import DocumentKind, DocumentStatus
from qms.domain.labels import Label, Rel
from qms.domain.views import NodeRef
from qms.services import doc_control
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.file_store import FileStore, Staged, StoredFile, Upload
from qms.services.forms import check_refs, fetch, load, new_id, relink
from qms.services.schemas import MESSAGES, QmsSchema, WholeNumber
from qms.storage.port import GraphStore

GOVERNED = (Label.PROCESS, Label.ACTIVITY)
_DATE: dict[str, Any] = MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."}


def files(qms: Qms) -> FileStore:
    """The uploaded files of this data directory."""
    return FileStore(qms.settings.data_dir / "files")


def _web_address(value: str) -> None:
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ValidationError("Ange en webbadress som börjar med http:// eller https://.")


def _text(limit: int, message: str, required: bool = False) -> fields.String:
    if required:
        return fields.String(
            required=True,
            error_messages=MESSAGES,
            validate=validate.Length(min=1, max=limit, error=message),
        )
    return fields.String(
        load_default="", error_messages=MESSAGES, validate=validate.Length(max=limit, error=message)
    )


class DocumentForm(QmsSchema):
    """A styrdokument or rutin as entered (the file comes beside it); status, decision date
    and approver are set by the workflow (``qms.services.doc_control``), never here."""

    title = _text(300, "Ange en titel (högst {max} tecken).", required=True)
    kind = fields.String(
        required=True,
        error_messages=MESSAGES,
        validate=validate.OneOf([k.value for k in DocumentKind], error="Välj en typ i listan."),
    )
    doc_version = fields.String(
        load_default="1.0",
        error_messages=MESSAGES,
        validate=validate.Length(min=1, max=50, error="Ange en version (högst {max} tecken)."),
    )
    review_by = fields.Date(load_default=None, allow_none=True, error_messages=_DATE)
    legal_reference = _text(500, "Högst {max} tecken.")
    url = fields.String(
        load_default="",
        error_messages=MESSAGES,
        validate=[validate.Length(max=2000, error="Högst {max} tecken."), _web_address],
    )
    body = _text(20000, "Högst {max} tecken.")
    owner = fields.String(load_default="", error_messages=MESSAGES)
    org_unit = fields.String(load_default="", error_messages=MESSAGES)
    version = WholeNumber(load_default=0, error_messages=MESSAGES)

    @pre_load
    def _tidy(self, data: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        tidy = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        if tidy.get("review_by") == "":
            tidy["review_by"] = None
        if tidy.get("doc_version") == "":
            tidy["doc_version"] = "1.0"
        return tidy


def save_document(
    qms: Qms,
    actor: Actor,
    data: Mapping[str, Any],
    upload: Upload | None = None,
    document_id: str | None = None,
) -> Document:
    """Register a document, or change one (``version`` must be the one the user saw).

    Field errors of the form and of the file are reported together; nothing is kept, not
    even the file, when anything is refused.
    """
    actor.require(Permission.EDIT_PROCESSES)
    if document_id is not None:
        _check_editable(qms.store, actor, document_id)
    store, errors = files(qms), _workflow_fields(data)
    loaded: dict[str, Any] = {}
    try:
        loaded = load(DocumentForm(), _without(data, WORKFLOW_FIELDS), "Dokumentet")
    except InvalidInput as exc:
        errors.update(exc.errors)
    owner = str(loaded.pop("owner", data.get("owner")) or "").strip()
    unit = str(loaded.pop("org_unit", data.get("org_unit")) or "").strip()
    errors.update(
        check_refs(
            qms.store,
            {
                "owner": ([owner] if owner else [], (Label.ROLE,)),
                "org_unit": ([unit] if unit else [], (Label.ORG_UNIT,)),
            },
        )
    )
    staged: Staged | None = None
    if upload is not None:
        try:
            staged = store.stage(upload)
        except InvalidInput as exc:
            if not errors:
                raise
            errors.update(exc.errors)
    if errors:
        if staged is not None:
            store.discard(staged)
        raise InvalidInput("Dokumentet kunde inte sparas.", errors)
    if not actor.can_for(Permission.EDIT_PROCESSES, unit or None):
        if staged is not None:
            store.discard(staged)
        actor.require_for(Permission.EDIT_PROCESSES, unit or None)
    version = loaded.pop("version")
    loaded["kind"] = DocumentKind(loaded["kind"])
    return _write(qms, actor, document_id, version, loaded, owner, unit, staged)


def _write(
    qms: Qms,
    actor: Actor,
    document_id: str | None,
    version: int,
    loaded: dict[str, Any],
    owner: str,
    unit: str,
    staged: Staged | None,
) -> Document:
    store = files(qms)
    kept = False
    if staged is not None:
        loaded |= {
            "file_name": staged.file.name,
            "file_checksum": staged.file.checksum,
            "file_media_type": staged.file.media_type,
            "file_size": staged.file.size,
        }
    try:
        with qms.unit_of_work(actor.name) as uow:
            if staged is not None:
                kept = store.keep(staged)  # before the commit: a committed file always exists
            if document_id is None:
                saved = uow.add(Document(id=new_id(uow, "d", loaded["title"]), **loaded))
                old_owner: list[str] = []
                old_unit: list[str] = []
            else:
                current = fetch(uow, Document, document_id)
                _refuse_edit(current)  # again inside: it may have been fastställd meanwhile
                saved = uow.update(dataclasses.replace(current, version=version, **loaded))
                old_owner = _targets(qms.store, saved.id, Rel.OWNED_BY)
                old_unit = _targets(qms.store, saved.id, Rel.BELONGS_TO)
            relink(uow, saved.id, Rel.OWNED_BY, old_owner, [owner] if owner else [])
            relink(uow, saved.id, Rel.BELONGS_TO, old_unit, [unit] if unit else [])
    except BaseException:
        if staged is not None:
            store.discard(staged)
            if kept:  # stored for this write alone: nothing else refers to it
                store.remove(staged.file.checksum)
        raise
    assert isinstance(saved, Document)  # noqa: S101  (uow returns what it was given)
    return saved


def _targets(store: GraphStore, source: str, rel: Rel) -> list[str]:
    return [link.target for link in store.outgoing(Label.DOCUMENT, source, rel)]


def _workflow_fields(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Refusals for fields only the workflow sets, should a form send them."""
    message = "Sätts av dokumentstyrningen (granska, fastställ, upphäv), inte i formuläret."
    return {name: [message] for name in WORKFLOW_FIELDS if name in data}


def _without(data: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in names}


def _check_editable(store: GraphStore, actor: Actor, document_id: str) -> None:
    """Refuse before anything is read or stored: no right in the unit, or not a draft."""
    actor.require_for(Permission.EDIT_PROCESSES, doc_control.unit_of(store, document_id))
    _refuse_edit(fetch(store, Document, document_id))


def _refuse_edit(document: Document) -> None:
    refusal = edit_refusal(document)
    if refusal:
        raise InvalidInput(refusal, {"_schema": [refusal]})


# -- governing processes and activities -----------------------------------------------------
def attach(qms: Qms, actor: Actor, document_id: str, target_id: str) -> bool:
    """Let a document govern a process or an activity of the same organisation."""
    actor.require(Permission.EDIT_PROCESSES)
    actor.require_for(Permission.EDIT_PROCESSES, doc_control.unit_of(qms.store, document_id))
    _check_target(qms.store, document_id, target_id)
    with qms.unit_of_work(actor.name) as uow:
        if fetch(uow, Document, document_id).status is DocumentStatus.REVOKED:
            message = "Ett upphävt dokument kan inte kopplas; koppla den gällande versionen."
            raise InvalidInput("Dokumentet kunde inte kopplas.", {"target": [message]})
        return uow.link(Link(Rel.GOVERNED_BY, target_id, document_id))


def detach(qms: Qms, actor: Actor, document_id: str, target_id: str) -> bool:
    """Stop a document governing a process or an activity."""
    actor.require(Permission.EDIT_PROCESSES)
    fetch(qms.store, Document, document_id)
    actor.require_for(Permission.EDIT_PROCESSES, doc_control.unit_of(qms.store, document_id))
    with qms.unit_of_work(actor.name) as uow:
        return uow.unlink(Link(Rel.GOVERNED_BY, target_id, document_id))


def _check_target(store: GraphStore, document_id: str, target_id: str) -> Label:
    fetch(store, Document, document_id)
    label = store.label_of(target_id)
    if label not in GOVERNED:
        raise InvalidInput(
            "Dokumentet kunde inte kopplas.", {"target": ["Välj en process eller en aktivitet."]}
        )
    ours = organisation_of(store, Label.DOCUMENT, document_id)
    theirs = organisation_of(store, label, target_id)
    if ours and theirs and ours != theirs:
        names = {ref.id: ref.caption for ref in _units(store, ours, theirs)}
        raise InvalidInput(
            "Dokumentet kunde inte kopplas.",
            {
                "target": [
                    f"Dokumentet hör till en annan organisation ({names.get(ours, ours)}) "
                    f"än {'processen' if label is Label.PROCESS else 'aktiviteten'} "
                    f"({names.get(theirs, theirs)})."
                ]
            },
        )
    return label


def _units(store: GraphStore, *ids: str) -> list[NodeRef]:
    found = []
    for unit_id in ids:
        entity = store.get(Label.ORG_UNIT, unit_id)
        found.append(NodeRef(Label.ORG_UNIT, unit_id, entity.caption))
    return found


def organisation_of(store: GraphStore, label: Label, entity_id: str) -> str | None:
    """The top organisation unit (no parent) a document, process or activity belongs to."""
    if label is Label.ACTIVITY:
        owners = store.neighbours(Label.ACTIVITY, entity_id, Rel.HAS_ACTIVITY, "in")
        if not owners:
            return None
        label, entity_id = Label.PROCESS, owners[0].id
    unit: str | None = None
    for _ in range(50):  # a process tree is never this deep; the bound guards against cycles
        units = _out(store, label, entity_id, Rel.BELONGS_TO)
        if units:
            unit = units[0]
            break
        parents = _out(store, label, entity_id, Rel.SUBPROCESS_OF) if label is Label.PROCESS else []
        if not parents:
            return None
        entity_id = parents[0]
    return root_unit(store, unit) if unit is not None else None


def root_unit(store: GraphStore, unit: str) -> str:
    """The top of the ``PART_OF`` chain above an organisation unit (the unit itself if none)."""
    seen: set[str] = set()
    while unit not in seen:
        seen.add(unit)
        parents = _out(store, Label.ORG_UNIT, unit, Rel.PART_OF)
        if not parents:
            return unit
        unit = parents[0]
    return unit


def _out(store: GraphStore, label: Label, entity_id: str, rel: Rel) -> list[str]:
    return [link.target for link in store.outgoing(label, entity_id, rel)]


# -- reads -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Use:
    """A process or an activity (with its process) that a document governs."""

    target: NodeRef
    process: NodeRef | None = None


def where_used(store: GraphStore, document_id: str) -> list[Use]:
    """Every process and activity governed by a document: processes first, then by name."""
    uses = []
    for ref in store.neighbours(Label.DOCUMENT, document_id, Rel.GOVERNED_BY, "in"):
        process = None
        if ref.label is Label.ACTIVITY:
            owners = store.neighbours(Label.ACTIVITY, ref.id, Rel.HAS_ACTIVITY, "in")
            process = owners[0] if owners else None
        uses.append(Use(ref, process))
    return sorted(
        uses,
        key=lambda u: (
            u.target.label is Label.ACTIVITY,
            (u.process.caption if u.process else "").casefold(),
            u.target.caption.casefold(),
        ),
    )


@dataclass(frozen=True)
class Row:
    """A document of the registry list."""

    document: Document
    owner: NodeRef | None
    uses: int
    has_file: bool
    overdue: bool


def registry(qms: Qms, today: date, kind: str = "", status: str = "", text: str = "") -> list[Row]:
    """Every document (filtered by kind, status and words of the title), by title."""
    store = qms.store
    roles = {r.id: r for r in store.entities(Label.ROLE)}
    owner_of = {link.source: link.target for link in store.links(Rel.OWNED_BY)}
    uses: dict[str, int] = {}
    for link in store.links(Rel.GOVERNED_BY):
        uses[link.target] = uses.get(link.target, 0) + 1
    words = text.casefold().split()
    rows = []
    for entity in store.entities(Label.DOCUMENT):
        if not isinstance(entity, Document):
            continue
        if (kind and entity.kind != kind) or (status and entity.status != status):
            continue
        if words and not all(w in entity.title.casefold() for w in words):
            continue
        role = roles.get(owner_of.get(entity.id, ""))
        owner = NodeRef(Label.ROLE, role.id, role.caption) if role else None
        has_file = bool(entity.file_checksum)
        rows.append(
            Row(entity, owner, uses.get(entity.id, 0), has_file, entity.review_overdue(today))
        )
    return sorted(rows, key=lambda r: r.document.title.casefold())


@dataclass(frozen=True)
class Detail:
    """One document as its edit page shows it."""

    document: Document
    owner: NodeRef | None
    unit: NodeRef | None
    uses: list[Use]
    file: StoredFile | None
    history: list[StoredFile]


def detail(qms: Qms, document_id: str) -> Detail:
    """A document with its owner, unit, where it is used and its file."""
    store = qms.store
    document = fetch(store, Document, document_id)
    owners = store.neighbours(Label.DOCUMENT, document_id, Rel.OWNED_BY)
    units = store.neighbours(Label.DOCUMENT, document_id, Rel.BELONGS_TO)
    history = _file_history(store.changes(document_id))
    return Detail(
        document,
        owners[0] if owners else None,
        units[0] if units else None,
        where_used(store, document_id),
        history[-1] if history else None,
        history,
    )


def _file_history(changes: list[Change]) -> list[StoredFile]:
    """Every file the document has had, oldest first, from its change log.

    A creation logs the whole content at once; an update logs each changed field.
    """
    by_set: dict[str, tuple[Change, dict[str, Any]]] = {}
    for change in changes:
        if change.op is ChangeOp.CREATE and not change.field:
            values = {k: v for k, v in json.loads(change.after).items() if k.startswith("file_")}
            by_set[change.change_set] = (change, values)
        elif change.field.startswith("file_"):
            entry = by_set.setdefault(change.change_set, (change, {}))
            entry[1][change.field] = json.loads(change.after)
    found: list[StoredFile] = []
    current: dict[str, Any] = {}
    for change, values in sorted(by_set.values(), key=lambda entry: entry[0].at):
        current |= values  # a field the update did not change keeps its value
        if values.get("file_checksum"):
            found.append(
                StoredFile(
                    checksum=current["file_checksum"],
                    size=current.get("file_size") or 0,
                    media_type=current.get("file_media_type") or "",
                    name=current.get("file_name") or "",
                    uploaded_at=change.at,
                    uploaded_by=change.actor,
                )
            )
    return found


def form_values(view: Detail) -> dict[str, Any]:
    """A stored document as its form shows it."""
    d = view.document
    return {
        "title": d.title,
        "kind": d.kind.value,
        "doc_version": d.doc_version,
        "review_by": d.review_by.isoformat() if d.review_by else "",
        "legal_reference": d.legal_reference,
        "url": d.url,
        "body": d.body,
        "owner": view.owner.id if view.owner else "",
        "org_unit": view.unit.id if view.unit else "",
        "version": d.version,
    }


def stored_file(qms: Qms, document_id: str) -> tuple[StoredFile, Path]:
    """The current file of a document and its path (``NotFound`` when it has none)."""
    document = fetch(qms.store, Document, document_id)
    kept = files(qms)
    if not document.file_checksum or not kept.path_of(document.file_checksum).exists():
        raise NotFound("Fil", document_id)
    current = StoredFile(
        checksum=document.file_checksum,
        size=document.file_size,
        media_type=document.file_media_type,
        name=document.file_name,
    )
    return current, kept.path_of(document.file_checksum)


@dataclass(frozen=True)
class TargetGroup:
    """A process a document may govern, and its activities in order."""

    process: NodeRef
    activities: tuple[NodeRef, ...]


def targets(qms: Qms, document_id: str) -> list[TargetGroup]:
    """The unarchived processes and activities of the document's organisation, by name."""
    store = qms.store
    ours = organisation_of(store, Label.DOCUMENT, document_id)
    parent_unit = {link.source: link.target for link in store.links(Rel.PART_OF)}
    unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
    parent_process = {link.source: link.target for link in store.links(Rel.SUBPROCESS_OF)}

    def root(process_id: str) -> str | None:
        seen: set[str] = set()
        while process_id not in unit_of and process_id in parent_process:
            if process_id in seen:
                return None
            seen.add(process_id)
            process_id = parent_process[process_id]
        unit = unit_of.get(process_id)
        while unit in parent_unit and unit not in seen:
            seen.add(unit)
            unit = parent_unit[unit]
        return unit

    steps: dict[str, list[str]] = {}
    for link in store.links(Rel.HAS_ACTIVITY):
        steps.setdefault(link.source, []).append(link.target)
    activities = {a.id: a for a in store.entities(Label.ACTIVITY) if isinstance(a, Activity)}
    groups = []
    for process in store.entities(Label.PROCESS):
        if not isinstance(process, Process) or process.archived:
            continue
        theirs = root(process.id)
        if ours and theirs and ours != theirs:
            continue
        found = sorted(
            (activities[i] for i in steps.get(process.id, ()) if i in activities),
            key=lambda a: (a.position, a.id),
        )
        groups.append(
            TargetGroup(
                NodeRef(Label.PROCESS, process.id, process.name),
                tuple(NodeRef(Label.ACTIVITY, a.id, a.name) for a in found),
            )
        )
    return sorted(groups, key=lambda g: g.process.caption.casefold())


@dataclass(frozen=True)
class Edit:
    """One field someone else changed: what it was, what it became, who and when."""

    field: str
    before: Any
    after: Any
    actor: str
    at: str


def changes_since(store: GraphStore, document_id: str, version: int) -> list[Edit]:
    """The field changes saved after ``version`` (what a conflicting save did not see)."""
    current = fetch(store, Document, document_id)
    missed = current.version - version
    if missed <= 0:
        return []
    updates = [c for c in store.changes(document_id) if c.op is ChangeOp.UPDATE]
    sets = list(dict.fromkeys(c.change_set for c in updates))[-missed:]
    return [
        Edit(c.field, _decoded(c.before), _decoded(c.after), c.actor, c.at)
        for c in updates
        if c.change_set in sets
    ]


def _decoded(text: str) -> Any:
    try:
        return json.loads(text) if text else ""
    except ValueError:
        return text
