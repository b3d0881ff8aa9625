"""Importing spreadsheets: read → plan (the dry run) → apply all or nothing.

The importer (``exporters.importers``) turns the file into a draft; here the draft is
matched against the graph — by id, else by name within the parent — validated with the
entity schemas, and turned into a plan: what will be created, changed and left alone.
``apply`` writes the plan in one unit of work, refusing if the graph moved since.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from marshmallow import Schema

from exporters import importers
from exporters.importers import BadFile, Draft, Item, Problem, Where
from qms.domain.entities import Entity
from qms.domain.errors import Conflict, InvalidInput, NotFound
from qms.domain.graph import REL_TYPES, Link, coerce
from qms.domain.labels import Label
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.imports_match import Matcher, type_name
from qms.services.schemas import entity_schema

#: Labels a process editor keeps; everything else imported is quality work.
PROCESS_LABELS = frozenset({Label.PROCESS, Label.ACTIVITY, Label.ROLE, Label.DOCUMENT})

CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"
#: Writes (nodes and links) one import may make: one unit of work is one store transaction,
#: and the embedded store's buffer pool (256 MB) fills somewhere past 20 000 new nodes with
#: their links. Larger files are planned (the dry run works) but must be split to be applied.
MAX_WRITES = 25_000
TOO_MANY = (
    "Importen gör {count} ändringar; högst {limit} sparas i en omgång. "
    "Dela upp filen och läs in delarna var för sig."
)
ACTION_WORDS = {CREATED: "skapas", CHANGED: "ändras", UNCHANGED: "lämnas orörd"}


@dataclass(frozen=True)
class FieldChange:
    """One field of a matched entity that the file changes."""

    field: str
    column: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Planned:
    """One row of the plan: an entity and what happens to it."""

    action: str
    entity: Entity
    where: Where
    matched_by: str
    changes: tuple[FieldChange, ...] = ()


@dataclass
class ImportPlan:
    """The dry run: every entity the file names, the links it adds and removes."""

    importer: str
    entities: list[Planned] = field(default_factory=list)
    link_adds: list[Link] = field(default_factory=list)
    link_removes: list[Link] = field(default_factory=list)
    #: Stored entities of the imported labels that the file does not mention, per label.
    left_alone: dict[Label, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        """How many entities get ``action``."""
        return sum(1 for p in self.entities if p.action == action)

    #: Labels of the sources of the links added or removed.
    link_labels: set[Label] = field(default_factory=set)

    @property
    def labels(self) -> set[Label]:
        """Every label the plan writes."""
        written = {p.entity.LABEL for p in self.entities if p.action != UNCHANGED}
        return written | self.link_labels

    @property
    def empty(self) -> bool:
        """Nothing to write."""
        return not (self.link_adds or self.link_removes) and all(
            p.action == UNCHANGED for p in self.entities
        )

    def digest(self) -> str:
        """A fingerprint of what the plan writes (the web applies only what it previewed)."""
        sha = hashlib.sha256()
        for p in self.entities:
            if p.action != UNCHANGED:
                sha.update(
                    f"{p.action}|{p.entity.LABEL}|{p.entity.id}|{p.entity.version}|".encode()
                )
                sha.update(repr(sorted(p.entity.content().items(), key=str)).encode())
        for sign, links in (("+", self.link_adds), ("-", self.link_removes)):
            for link in links:
                sha.update(f"{sign}{link.key}".encode())
        return sha.hexdigest()[:32]

    @property
    def writes(self) -> int:
        """Nodes created or changed and links added or removed."""
        changed = sum(1 for p in self.entities if p.action != UNCHANGED)
        return changed + len(self.link_adds) + len(self.link_removes)

    def summary(self) -> str:
        """One Swedish line: how many of each."""
        alone = sum(self.left_alone.values())
        return (
            f"{self.count(CREATED)} skapas, {self.count(CHANGED)} ändras, "
            f"{self.count(UNCHANGED)} oförändrade; {len(self.link_adds)} kopplingar läggs till, "
            f"{len(self.link_removes)} tas bort; {alone} i grafen lämnas orörda"
        )

    def lines(self) -> list[str]:
        """The plan for a terminal: the summary, then one line per created or changed entity."""
        out = [self.summary()]
        for p in self.entities:
            if p.action == UNCHANGED:
                continue
            out.append(
                f"  {ACTION_WORDS[p.action]}: {type_name(p.entity.LABEL)} {p.entity.id}"
                f" «{p.entity.caption}» ({p.where.text()}; {p.matched_by})"
            )
            out.extend(
                f"      {c.column}: {_shown(c.before)} → {_shown(c.after)}" for c in p.changes
            )
        out.extend(f"  + {link.source} {link.rel} {link.target}" for link in self.link_adds)
        out.extend(f"  - {link.source} {link.rel} {link.target}" for link in self.link_removes)
        out.extend(f"  {note}" for note in self.notes)
        return out


@dataclass(frozen=True)
class ImportReport:
    """What ``apply`` wrote."""

    created: int
    changed: int
    unchanged: int
    linked: int
    unlinked: int


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


UNREADABLE_XML = (
    "Filen innehåller ogiltig eller otillåten XML (t.ex. entiteter) och läses inte. "
    "Öppna den i Excel och spara den som en ny .xlsx."
)


def plan_import(
    qms: Qms, name: str, data: bytes, filename: str = "", mapping: Mapping[str, str] | None = None
) -> ImportPlan:
    """The dry run of importing ``data`` as format ``name``; ``BadFile`` lists every problem."""
    try:
        importer = importers.get(name)
    except KeyError as exc:
        raise InvalidInput(str(exc.args[0])) from None
    if importer.suffixes and filename and not filename.lower().endswith(importer.suffixes):
        from exporters.import_workbook import check_file

        check_file(data, filename)  # says why (macros, old format) when it can
        raise BadFile(
            [Problem(Where(filename), f"Formatet tar emot {', '.join(importer.suffixes)}.")]
        )
    try:
        draft = importer.read(data, mapping)
    except (ParseError, DefusedXmlException):  # a part openpyxl only parses row by row
        raise BadFile([Problem(Where(filename or "filen"), UNREADABLE_XML)]) from None
    return make_plan(qms, name, draft)


def make_plan(qms: Qms, name: str, draft: Draft) -> ImportPlan:
    """Match, validate and diff a draft against the graph."""
    matcher = Matcher(qms.store, draft)
    matcher.identify()
    plan = ImportPlan(name)
    for item in draft.items:
        planned = _planned(item, matcher, draft)
        if planned is not None:
            plan.entities.append(planned)
    plan.link_adds, plan.link_removes = matcher.link_changes()
    plan.notes = list(draft.notes)
    if plan.writes > MAX_WRITES:
        plan.notes.append(TOO_MANY.format(count=plan.writes, limit=MAX_WRITES))
    plan.link_labels = {matcher.label(k.source) for k in plan.link_adds + plan.link_removes}
    seen = {p.entity.id for p in plan.entities}
    for label in {item.label for item in draft.items}:
        stored = matcher.stored_ids(label)
        plan.left_alone[label] = len(stored - seen)
    if draft.problems:
        raise BadFile(_ordered(draft.problems))
    return plan


def _ordered(problems: list[Problem]) -> list[Problem]:
    sheets: dict[str, int] = {}
    for problem in problems:
        sheets.setdefault(problem.where.sheet, len(sheets))
    return sorted(problems, key=lambda p: (sheets[p.where.sheet], p.where.row))


def _planned(item: Item, matcher: Matcher, draft: Draft) -> Planned | None:
    entity_id, stored, matched_by = matcher.identity(item)
    if not entity_id:
        return None
    schema = _schema(item.label, stored is not None)
    values = dict(item.data) if stored else item.defaults | item.data | {"id": entity_id}
    try:
        loaded: dict[str, Any] = schema.load(values)
    except Exception as exc:  # noqa: BLE001  marshmallow's ValidationError
        messages = getattr(exc, "messages", {"_schema": [str(exc)]})
        _schema_problems(item, messages, draft)
        return None
    loaded.pop("id", None)
    if stored is None:
        entity = coerce(item.label, loaded | {"id": entity_id})
        return Planned(CREATED, entity, item.where, matched_by)
    fresh = coerce(item.label, stored.content() | loaded | {"id": entity_id})
    given = {k: getattr(fresh, k) for k in loaded}
    entity = dataclasses.replace(stored, **given)
    before, after = stored.content(), entity.content()
    changes = tuple(
        FieldChange(k, item.columns.get(k, k), before[k], after[k])
        for k in after
        if before[k] != after[k]
    )
    return Planned(CHANGED if changes else UNCHANGED, entity, item.where, matched_by, changes)


@functools.cache
def _schema(label: Label, partial: bool) -> Schema:
    """One schema instance per label and mode (building one per row costs more than loading)."""
    return entity_schema(label)(partial=partial)


def _schema_problems(item: Item, messages: Any, draft: Draft) -> None:
    if not isinstance(messages, dict):
        messages = {"_schema": [str(messages)]}
    for name, found in messages.items():
        if name in item.refused:
            continue
        column = item.columns.get(str(name), "")
        where = Where(item.where.sheet, item.where.row, column)
        for message in found if isinstance(found, list) else [found]:
            shown = message if column or name == "_schema" else f"{name}: {message}"
            draft.problem(where, str(shown))


def required_permissions(plan: ImportPlan) -> set[Permission]:
    """Editing processes for process-map labels, editing quality for the rest."""
    labels = plan.labels
    needed: set[Permission] = set()
    if labels & PROCESS_LABELS:
        needed.add(Permission.EDIT_PROCESSES)
    if labels - PROCESS_LABELS:
        needed.add(Permission.EDIT_QUALITY)
    return needed


def apply_plan(qms: Qms, actor: Actor, plan: ImportPlan) -> ImportReport:
    """Write the plan in one unit of work; ``Conflict`` if the graph changed since planning."""
    for permission in sorted(required_permissions(plan)):
        actor.require(permission)
    if plan.writes > MAX_WRITES:
        raise InvalidInput(TOO_MANY.format(count=plan.writes, limit=MAX_WRITES))
    with qms.unit_of_work(actor.name) as uow:
        for p in plan.entities:
            if p.action == CREATED:
                uow.add(p.entity)
            elif p.action == CHANGED:
                uow.update(p.entity)
        for link in plan.link_removes:
            if not uow.unlink(link):
                raise Conflict(
                    f"Kopplingen {link.source} {link.rel} {link.target} finns inte längre."
                )
        for link in plan.link_adds:
            if not uow.link(_with_props(link)):
                raise Conflict(f"Kopplingen {link.source} {link.rel} {link.target} finns redan.")
    return ImportReport(
        plan.count(CREATED),
        plan.count(CHANGED),
        plan.count(UNCHANGED),
        len(plan.link_adds),
        len(plan.link_removes),
    )


def _with_props(link: Link) -> Link:
    declared = REL_TYPES[link.rel].props
    if not declared:
        return link
    defaults = {name: (False if kind is bool else "") for name, kind in declared}
    return Link(link.rel, link.source, link.target, defaults | dict(link.props))


def import_file(
    qms: Qms,
    actor: Actor,
    name: str,
    data: bytes,
    filename: str = "",
    mapping: Mapping[str, str] | None = None,
    expected_digest: str | None = None,
) -> tuple[ImportPlan, ImportReport]:
    """Plan, then apply; with ``expected_digest`` only if the plan is the one previewed."""
    plan = plan_import(qms, name, data, filename, mapping)
    if expected_digest is not None and plan.digest() != expected_digest:
        raise Conflict("Grafen har ändrats sedan förhandsgranskningen. Granska importen igen.")
    return plan, apply_plan(qms, actor, plan)


__all__ = [
    "CHANGED",
    "CREATED",
    "UNCHANGED",
    "ImportPlan",
    "ImportReport",
    "Planned",
    "Upload",
    "apply_plan",
    "drop_upload",
    "find_upload",
    "import_file",
    "keep_upload",
    "make_plan",
    "plan_import",
    "required_permissions",
]


# -- uploads waiting between preview and apply (the web's two steps) ----------------------
_TOKEN = re.compile(r"\A[0-9a-f]{32}\Z")
UPLOAD_LIFETIME = 24 * 3600


@dataclass(frozen=True)
class Upload:
    """A file kept between the preview and the apply: its format, name and bytes."""

    token: str
    name: str
    filename: str
    data: bytes


def _uploads(qms: Qms) -> Path:
    folder = qms.settings.data_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(qms: Qms, name: str, filename: str, data: bytes) -> Upload:
    """Store an uploaded file under a random token (older uploads are cleared out)."""
    folder = _uploads(qms)
    cutoff = time.time() - UPLOAD_LIFETIME
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"name": name, "filename": Path(filename).name[:200]}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return Upload(token, name, meta["filename"], data)


def find_upload(qms: Qms, token: str) -> Upload:
    """A kept upload, or ``NotFound`` (wrong or expired token)."""
    folder = _uploads(qms)
    if not _TOKEN.match(token) or not (folder / f"{token}.json").is_file():
        raise NotFound("Import", token)
    meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    return Upload(
        token, str(meta["name"]), str(meta["filename"]), (folder / f"{token}.bin").read_bytes()
    )


def drop_upload(qms: Qms, token: str) -> None:
    """Forget a kept upload (after it was applied)."""
    if _TOKEN.match(token):
        for suffix in (".bin", ".json"):
            (_uploads(qms) / f"{token}{suffix}").unlink(missing_ok=True)
