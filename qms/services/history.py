"""The history of every entity: who changed what and when, each version's content, restore.

Read from the change log every write leaves (``qms.storage.unit_of_work``); how versions are
counted is in ``history_log``, who may read what in ``history_access``. A restore writes an
old version's content as a new version, through the ordinary unit of work, so it is itself in
the log; the history recognises it by its content ("Återställd till version k").
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any

from qms.domain.changes import ChangeOp, to_json
from qms.domain.document_flow import WORKFLOW_FIELDS, edit_refusal
from qms.domain.entities import ENTITY_TYPES, Document, Entity
from qms.domain.errors import Conflict, InvalidInput, NotFound
from qms.domain.graph import coerce, field_types
from qms.domain.labels import Label
from qms.services.access import MESSAGES, Actor, Permission
from qms.services.app import Qms
from qms.services.doc_registry import files
from qms.services.field_names import decoded, field_name, known_label, label_name, shown
from qms.services.history_access import hidden_fields, require_read
from qms.services.history_links import LinkChange, link_change, targets
from qms.services.history_log import Content, Step, Timeline, restorations, timeline
from qms.services.history_views import (
    FieldChange,
    FieldValue,
    History,
    Restored,
    Restoring,
    Subject,
    Version,
    VersionContent,
)
from qms.services.org_units import entity_unit
from qms.services.schemas import MESSAGES as FIELD_MESSAGES
from qms.services.schemas import QmsSchema, WholeNumber
from qms.storage.port import GraphStore
from qms.storage.unit_of_work import logged

__all__ = [
    "FieldChange",
    "FieldValue",
    "History",
    "LinkChange",
    "Restored",
    "Restoring",
    "Subject",
    "Version",
    "VersionContent",
    "history",
    "restore",
    "version_content",
]

PER_PAGE = 50
NOT_RESTORABLE = "Bara processer, aktiviteter, dokument och risker kan återställas."
STALE = (
    "Någon annan har ändrat posten sedan du öppnade sidan (nu version {now}, du såg version "
    "{seen}). Inget återställdes; se vad som ändrats och försök igen."
)


@dataclass(frozen=True)
class Rule:
    """Who may restore versions of a label, and which fields a restore leaves as they are."""

    permission: Permission
    kept: tuple[str, ...] = ()


#: What can be restored. A document's workflow (status, decision, approver) is never rolled
#: back; a process stays archived or not, an activity keeps its place in the list.
RESTORABLE: dict[Label, Rule] = {
    Label.PROCESS: Rule(Permission.EDIT_PROCESSES, ("archived",)),
    Label.DOCUMENT: Rule(Permission.EDIT_PROCESSES, WORKFLOW_FIELDS),
    Label.ACTIVITY: Rule(Permission.EDIT_PROCESSES, ("position",)),
    Label.RISK: Rule(Permission.EDIT_QUALITY),
}


class RestoreForm(QmsSchema):
    """A restore as posted: the version of the entity the user saw."""

    expected_version = WholeNumber(required=True, error_messages=FIELD_MESSAGES)


class PageQuery(QmsSchema):
    """The history page's query string."""

    sida = WholeNumber(load_default=1, error_messages=FIELD_MESSAGES)


@dataclass(frozen=True)
class _Log:
    label: Label
    entity: Entity | None
    line: Timeline
    hidden: frozenset[str]
    subject: Subject


def _read(store: GraphStore, actor: Actor, entity_id: str) -> _Log:
    changes = store.changes(entity_id)
    label = store.label_of(entity_id)
    entity = store.get(label, entity_id) if label is not None else None
    if label is None:
        label = known_label(changes[-1].label) if changes else None
        if label is None:
            raise NotFound("Post", entity_id)
    require_read(actor, label)
    if entity is not None:
        anchor: Content | None = json.loads(to_json(logged(entity)))
    else:
        gone = [c for c in changes if c.op is ChangeOp.DELETE]
        anchor = decoded(gone[-1].before) if gone else None
    line = timeline(changes, anchor, entity.version if entity is not None else 0)
    hidden = hidden_fields(store, actor, label, entity_id)
    return _Log(label, entity, line, hidden, _subject(label, entity_id, entity, line, hidden))


def _subject(
    label: Label, entity_id: str, entity: Entity | None, line: Timeline, hidden: frozenset[str]
) -> Subject:
    title = ENTITY_TYPES[label].TITLE_FIELD
    if title in hidden:
        caption = entity_id
    elif entity is not None:
        caption = entity.caption
    else:
        caption = str(line.contents.get(line.latest, {}).get(title) or entity_id)
    version = entity.version if entity is not None else line.latest
    return Subject(entity_id, label.value, label_name(label), caption, entity is not None, version)


def _restoring(store: GraphStore, actor: Actor, log: _Log) -> Restoring:
    rule = RESTORABLE.get(log.label)
    if rule is None or log.entity is None:
        return Restoring(False)
    if not actor.can_for(rule.permission, entity_unit(store, log.label, log.entity.id)):
        return Restoring(False)
    refusal = edit_refusal(log.entity) if isinstance(log.entity, Document) else None
    return Restoring(refusal is None, refusal or "")


def _restored(log: _Log) -> dict[int, int]:
    rule = RESTORABLE.get(log.label)
    return restorations(log.line, rule.kept) if rule is not None else {}


def _same_as_now(log: _Log, number: int) -> bool:
    """Whether version ``number`` holds what a restore would write over the latest content."""
    rule = RESTORABLE.get(log.label)
    left = set(rule.kept) if rule is not None else set()
    contents = log.line.contents
    if number not in contents:
        return False

    def kept(content: Content) -> Content:
        return {k: v for k, v in content.items() if k not in left}

    return kept(contents[number]) == kept(contents[log.line.latest])


# -- the history -----------------------------------------------------------------------------
def history(store: GraphStore, actor: Actor, entity_id: str, page: int = 1) -> History:
    """One page (``PER_PAGE`` change sets, newest first) of an entity's history.

    An entity that was deleted still has its history; an id never seen is ``NotFound``.
    """
    log = _read(store, actor, entity_id)
    steps = log.line.steps[::-1]
    pages = max(1, math.ceil(len(steps) / PER_PAGE))
    page = min(max(page, 1), pages)
    shown_steps = steps[(page - 1) * PER_PAGE : page * PER_PAGE]
    found = targets(store, actor, shown_steps)
    restored = _restored(log)
    versions = tuple(_version(log, step, found, restored) for step in shown_steps)
    notice = MESSAGES[Permission.READ_PERSONAL_DATA] if log.hidden else ""
    restoring = _restoring(store, actor, log)
    return History(log.subject, versions, len(steps), page, pages, restoring, notice)


def _version(
    log: _Log, step: Step, found: dict[str, tuple[str, str]], restored: dict[int, int]
) -> Version:
    changed: list[FieldChange] = []
    links: list[LinkChange] = []
    for change in step.changes:
        if change.op is ChangeOp.CREATE:
            values = decoded(change.after) or {}
            keys = _ordered(log.label, values)
            changed += [_field(log, k, None, values[k]) for k in keys if not _blank(values[k])]
        elif change.op is ChangeOp.UPDATE:
            before, after = decoded(change.before), decoded(change.after)
            changed.append(_field(log, change.field, before, after))
        elif change.op in (ChangeOp.LINK, ChangeOp.UNLINK):
            links.append(link_change(change, found))
    current = step.life == log.line.life
    return Version(
        number=step.number,
        at=step.at,
        actor=step.actor,
        kind=step.kind,
        change_set=step.change_set,
        fields=tuple(changed),
        links=tuple(links),
        restored_from=restored.get(step.number) if current and step.kind == "update" else None,
        viewable=current and step.kind != "delete" and step.number in log.line.contents,
        same_as_now=current and _same_as_now(log, step.number),
    )


def _ordered(label: Label, content: Content) -> list[str]:
    """The fields of ``content`` in the entity's own order (unknown ones last)."""
    order = [k for k in field_types(label) if k in content]
    return order + [k for k in content if k not in order]


def _blank(value: Any) -> bool:
    """Nothing worth listing in a creation: no text, no items, no date, a flag not set."""
    return value is None or value is False or value == "" or value == []


def _field(log: _Log, name: str, before: Any, after: Any) -> FieldChange:
    label = log.label.value
    if name in log.hidden:
        return FieldChange(name, field_name(label, name), "", "", hidden=True)
    return FieldChange(
        name, field_name(label, name), shown(label, name, before), shown(label, name, after)
    )


# -- one version -----------------------------------------------------------------------------
def _content(log: _Log, number: int) -> Content:
    content = log.line.contents.get(number)
    if content is None:
        raise NotFound("Version", f"{number} av {log.subject.entity_id}")
    return content


def version_content(store: GraphStore, actor: Actor, entity_id: str, number: int) -> VersionContent:
    """The entity as it was at version ``number`` (of its present life), replayed from the log."""
    log = _read(store, actor, entity_id)
    content = _content(log, number)
    latest = log.line.contents[log.line.latest]
    label = log.label.value
    values = tuple(
        FieldValue(
            k,
            field_name(label, k),
            "" if k in log.hidden else shown(label, k, content[k]),
            k in log.hidden,
            latest.get(k) != content[k],
        )
        for k in _ordered(log.label, content)
    )
    step = next(
        (s for s in log.line.steps[::-1] if s.life == log.line.life and s.number == number), None
    )
    return VersionContent(
        subject=log.subject,
        number=number,
        at=step.at if step is not None else "",
        actor=step.actor if step is not None else "",
        fields=values,
        values={k: v for k, v in content.items() if k not in log.hidden},
        restored_from=_restored(log).get(number),
        restoring=_restoring(store, actor, log),
        same_as_now=_same_as_now(log, number),
    )


# -- restore ---------------------------------------------------------------------------------
def restore(qms: Qms, actor: Actor, entity_id: str, number: int, expected_version: int) -> Restored:
    """Write the content of version ``number`` as a new version (itself in the log).

    Needs the label's permission in the entity's unit; ``expected_version`` is the version
    the user saw (``Conflict`` when someone changed it since). A document must be an utkast,
    and only its content comes back, never its status, decision date or approver.
    """
    store = qms.store
    log = _read(store, actor, entity_id)
    if log.entity is None:
        raise NotFound(log.label, entity_id)
    rule = RESTORABLE.get(log.label)
    if rule is None:
        raise InvalidInput(NOT_RESTORABLE, {"version": [NOT_RESTORABLE]})
    actor.require_for(rule.permission, entity_unit(store, log.label, entity_id))
    old = _content(log, number)
    with qms.unit_of_work(actor.name) as uow:
        current = uow.get(log.label, entity_id)
        if current.version != expected_version:
            raise Conflict(STALE.format(now=current.version, seen=expected_version))
        refusal = edit_refusal(current) if isinstance(current, Document) else None
        if refusal:
            raise InvalidInput(refusal, {"version": [refusal]})
        values = _values(log.label, current, old, rule)
        _check_file(qms, values, number)
        saved = uow.update(dataclasses.replace(current, **values))
    return Restored(saved, number, saved.version != current.version)


def _values(label: Label, current: Entity, old: Content, rule: Rule) -> dict[str, Any]:
    """The typed values of ``old`` a restore writes: known fields, never the kept ones."""
    kinds = field_types(label)
    typed = coerce(label, {"id": current.id, **{k: v for k, v in old.items() if k in kinds}})
    now = current.content()
    return {k: getattr(typed, k) for k in old if k in now and k not in rule.kept}


def _check_file(qms: Qms, values: dict[str, Any], number: int) -> None:
    checksum = values.get("file_checksum")
    if checksum and not files(qms).path_of(str(checksum)).exists():
        message = f"Filen i version {number} finns inte kvar; återställ en annan version."
        raise InvalidInput(message, {"version": [message]})
