"""``2c8-excel``: objects and relations for 2c8 Modeling Tool's "Import från Excel".

A ZIP of ``objects.xlsx`` (a sheet per object type: id, namn, beskrivning, parent_id, ägare and
the type's own fields), ``relationships.xlsx`` (one row per link, 2c8-style Swedish relation
names), ``LÄS MIG.txt`` and every sheet as CSV under ``csv/``.

``OBJECT_TYPES`` and ``RELATIONS`` are the one definition of the layout; the importer reads
with them. ``relationships.xlsx`` holds every link between exported objects, the parent and
owner links included: ``parent_id`` and ``ägare`` in ``objects.xlsx`` repeat them for reading.
Avvikelser and their causes are left out (they may hold personal data), as are the risk
matrix (settings) and kept BPMN files (use the ``bpmn`` export).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from exporters import ZIP, ExportContext, Output, register_format
from exporters.index import GraphIndex
from exporters.terms import NO, TERMS, YES, words
from exporters.xlsx import LIST_SEPARATOR, Cell, Column, Sheet, Table, csv_bytes, workbook
from qms.domain.entities import ENTITY_TYPES, Entity
from qms.domain.graph import Link, field_types
from qms.domain.labels import Label, Rel
from qms.domain.snapshot import Snapshot

OBJECTS_FILE = "objects.xlsx"
RELATIONSHIPS_FILE = "relationships.xlsx"
README_FILE = "LÄS MIG.txt"
CSV_FOLDER = "csv"
#: A fixed timestamp, so equal graphs give equal archives.
STAMP = (2020, 1, 1, 0, 0, 0)

#: The first five columns of every object sheet.
COMMON = ("id", "namn", "beskrivning", "parent_id", "ägare")


@dataclass(frozen=True)
class Parent:
    """Which link ``parent_id`` shows; ``parent_is_source`` when the parent is the link's source."""

    rel: Rel
    parent_is_source: bool = False


@dataclass(frozen=True)
class ObjectType:
    """One object sheet: the label, the entity fields behind namn/beskrivning, own columns."""

    label: Label
    sheet_name: str
    name_field: str | None  # None: namn shows the caption and is not read back
    description_field: str | None
    parent: Parent | None
    owner: bool
    #: (header, entity field) of the type's own columns, in order.
    own: tuple[tuple[str, str], ...]

    @property
    def sheet(self) -> Sheet:
        """The sheet layout: the five common columns, then the own ones typed by field."""
        kinds = field_types(self.label)
        own = tuple(_column(header, kinds[name]) for header, name in self.own)
        return Sheet(self.sheet_name, tuple(Column(h) for h in COMMON) + own)


def _column(header: str, kind: type) -> Column:
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return Column(header, "choice", words(kind))
    if kind is bool:
        return Column(header, "choice", (YES, NO))
    if kind is date:
        return Column(header, "date")
    if kind is int:
        return Column(header, "int")
    if kind is float:
        return Column(header, "float")
    return Column(header)


OBJECT_TYPES: tuple[ObjectType, ...] = (
    ObjectType(
        Label.ORG_UNIT, "Organisationsenhet", "name", "description",
        Parent(Rel.PART_OF), False, (("nivå", "level"),),
    ),
    ObjectType(Label.ROLE, "Roll", "name", "description", None, False, ()),
    ObjectType(
        Label.PROCESS, "Process", "name", "purpose", Parent(Rel.SUBPROCESS_OF), True,
        (
            ("typ", "kind"),
            ("startar_när", "trigger"),
            ("klar_när", "ends_when"),
            ("önskad_effekt", "desired_effect"),
            ("mottagare", "recipients"),
            ("intressenter", "stakeholders"),
            ("samverkan", "collaboration"),
            ("arkiverad", "archived"),
        ),
    ),
    ObjectType(
        Label.ACTIVITY, "Aktivitet", "name", "description",
        Parent(Rel.HAS_ACTIVITY, parent_is_source=True), False,
        (("ordning", "position"), ("symbol", "node_type"), ("indata", "inputs"),
         ("utdata", "outputs")),
    ),
    ObjectType(
        Label.DOCUMENT, "Dokument", "title", "body", None, True,
        (
            ("dokumenttyp", "kind"),
            ("status", "status"),
            ("version", "doc_version"),
            ("beslutad", "decided_on"),
            ("revideras_senast", "review_by"),
            ("länk", "url"),
            ("lagrum", "legal_reference"),
        ),
    ),
    ObjectType(
        Label.GOAL, "Mål", "title", "description", Parent(Rel.BREAKS_DOWN), False,
        (("nivå", "level"), ("kod", "code"), ("år", "year"), ("arbetssätt", "working_method"),
         ("resurser", "resources")),
    ),
    ObjectType(
        Label.EXPECTED_RESULT, "Förväntat resultat", "description", None,
        Parent(Rel.EXPECTS, parent_is_source=True), False,
        (("målvärde", "target"), ("utgångsvärde", "baseline")),
    ),
    ObjectType(
        Label.INDICATOR, "Indikator", "name", None, None, True,
        (("enhet", "unit"), ("målvärde", "target_value"), ("utfall", "outcome_value"),
         ("könsuppdelad", "split_by_gender")),
    ),
    ObjectType(
        Label.INDICATOR_OUTCOME, "Indikatorutfall", None, "comment",
        Parent(Rel.HAS_OUTCOME, parent_is_source=True), False,
        (("år", "year"), ("tertial", "tertial"), ("värde", "value"), ("kvinnor", "women"),
         ("män", "men")),
    ),
    ObjectType(
        Label.GOAL_ASSESSMENT, "Målbedömning", None, "analysis",
        Parent(Rel.HAS_ASSESSMENT, parent_is_source=True), False,
        (("år", "year"), ("tertial", "tertial"), ("bedömning", "verdict"),
         ("planerade_åtgärder", "planned_actions")),
    ),
    ObjectType(
        Label.INITIATIVE, "Målaktivitet", "title", "description", None, True,
        (("start", "starts_on"), ("slut", "ends_on"), ("status", "status")),
    ),
    ObjectType(
        Label.RISK, "Risk", "title", "description", None, True,
        (("orsak", "cause"), ("sannolikhet", "probability"), ("konsekvens", "consequence"),
         ("år", "year"), ("status", "status")),
    ),
    ObjectType(
        Label.CONTROL, "Kontrollmoment", "title", None, None, True,
        (("kontrollmetod", "method"), ("frekvens", "frequency"), ("rapportering", "reporting"),
         ("år", "year"), ("resultat", "result"), ("utfall", "outcome")),
    ),
    ObjectType(
        Label.SELF_INSPECTION, "Egenkontroll", "title", "description", None, True,
        (("metod", "method"), ("frekvens", "frequency"), ("nästa_tillfälle", "next_due")),
    ),
    ObjectType(
        Label.INSPECTION_RESULT, "Egenkontrollresultat", "findings", None,
        Parent(Rel.HAS_RESULT, parent_is_source=True), False,
        (("utförd", "performed_on"), ("utfall", "outcome"), ("utförd_av", "performed_by")),
    ),
    ObjectType(
        Label.ACTION, "Åtgärd", "title", "description", None, True,
        (("status", "status"), ("klar_senast", "due_on"), ("klar_datum", "done_on")),
    ),
)  # fmt: skip

TYPE_OF_LABEL: dict[Label, ObjectType] = {t.label: t for t in OBJECT_TYPES}
TYPE_OF_SHEET: dict[str, ObjectType] = {t.sheet_name: t for t in OBJECT_TYPES}


@dataclass(frozen=True)
class Relation:
    """How a relationship type is written: its 2c8 name and whether källa/mål are swapped.

    ``reverse``: the row reads from the graph link's target to its source (2c8 reads
    breakdowns top-down: "Process Består av Delprocess").
    """

    rel: Rel
    name: str
    reverse: bool = False


RELATIONS: tuple[Relation, ...] = (
    Relation(Rel.PART_OF, "Består av", reverse=True),
    Relation(Rel.SUBPROCESS_OF, "Består av", reverse=True),
    Relation(Rel.HAS_ACTIVITY, "Består av"),
    Relation(Rel.BREAKS_DOWN, "Bryts ned i", reverse=True),
    Relation(Rel.BELONGS_TO, "Tillhör"),
    Relation(Rel.EXPECTS, "Har förväntat resultat"),
    Relation(Rel.MEASURES, "Mäter"),
    Relation(Rel.SUPPORTS, "Stödjer"),
    Relation(Rel.CONTRIBUTES_TO, "Bidrar till"),
    Relation(Rel.FLOWS_TO, "Följs av"),
    Relation(Rel.PERFORMED_BY, "Utförs av"),
    Relation(Rel.OWNED_BY, "Ägs av"),
    Relation(Rel.GOVERNED_BY, "Styrs av"),
    Relation(Rel.THREATENS, "Hotar"),
    Relation(Rel.CHECKS, "Granskar"),
    Relation(Rel.CONTROLS, "Kontrollerar"),
    Relation(Rel.HAS_RESULT, "Har resultat"),
    Relation(Rel.HAS_ASSESSMENT, "Har målbedömning"),
    Relation(Rel.HAS_OUTCOME, "Har utfall"),
    Relation(Rel.ADDRESSES, "Åtgärdar"),
    Relation(Rel.AFFECTS, "Påverkar"),
    Relation(Rel.RAISED_BY, "Upptäcktes genom"),
    Relation(Rel.REALISES, "Förverkligar"),
    Relation(Rel.CAUSED_BY, "Orsakas av"),
    Relation(Rel.SUPERSEDES, "Ersätter"),
)
RELATION_OF_REL: dict[Rel, Relation] = {r.rel: r for r in RELATIONS}

RELATIONSHIPS = Sheet(
    "Relationer",
    (
        Column("källa_typ", "choice", tuple(t.sheet_name for t in OBJECT_TYPES)),
        Column("källa_id"),
        Column("relations_typ", "choice", tuple(dict.fromkeys(r.name for r in RELATIONS))),
        Column("mål_typ", "choice", tuple(t.sheet_name for t in OBJECT_TYPES)),
        Column("mål_id"),
        # the properties of a "Följs av" (sequence flow); empty for every other relation
        Column("etikett"),
        Column("villkor"),
        Column("standardflöde", "choice", (YES, NO)),
    ),
)


def relation_of(name: str, source_sheet: str, target_sheet: str) -> tuple[Rel, bool]:
    """The graph relationship a row stands for, and whether källa/mål are swapped.

    KeyError when no relationship of that name joins these two object types.
    """
    from qms.domain.graph import REL_TYPES

    source, target = TYPE_OF_SHEET[source_sheet].label, TYPE_OF_SHEET[target_sheet].label
    for relation in RELATIONS:
        if relation.name.casefold() != name.strip().casefold():
            continue
        pair = (target, source) if relation.reverse else (source, target)
        if REL_TYPES[relation.rel].allows(*pair):
            return relation.rel, relation.reverse
    raise KeyError(f"relationen {name!r} finns inte från {source_sheet} till {target_sheet}")


README = """\
Export från QMS till 2c8 Modeling Tool
======================================

Paketet innehåller
- objects.xlsx: ett blad per objekttyp (Process, Aktivitet, Roll, Dokument, Mål, Risk …).
  Kolumnerna id, namn, beskrivning, parent_id och ägare finns på alla blad; därefter
  objekttypens egna egenskaper.
- relationships.xlsx: en rad per relation med källa_typ, källa_id, relations_typ, mål_typ
  och mål_id. Relationsnamnen följer 2c8:s svenska stil, t.ex. "Består av", "Utförs av",
  "Styrs av", "Ägs av", "Tillhör", "Bidrar till", "Hotar", "Kontrollerar", "Följs av".
- csv/: varje blad även som CSV (UTF-8 med BOM, semikolonseparerad) för Excel.

Så här läser du in i 2c8 Modeling Tool
1. Öppna arkivet (repository) och den arbetsyta (workspace) som objekten ska hamna i.
2. Välj Import från Excel och börja med objects.xlsx. Koppla varje blad till 2c8:s
   objekttyp med samma namn och kolumnen id till objektets externa id, namn till namn och
   beskrivning till beskrivning. Övriga kolumner kopplas till egenskaper med samma namn.
3. Läs sedan in relationships.xlsx och koppla källa_id och mål_id till det externa id:t.
   Relationen "Består av" läses uppifrån och ned (process består av delprocess eller
   aktivitet, enhet består av underenhet).
4. Kontrollera resultatet i en modell innan du publicerar.

Id:n ändras aldrig i QMS. Läs därför alltid in med matchning på id, så uppdateras befintliga
objekt i stället för att nya skapas. Samma filer kan läsas tillbaka till QMS med
"qms import 2c8-excel".

Avvikelser ingår inte, eftersom de kan innehålla personuppgifter.
"""


def tables(snapshot: Snapshot, context: ExportContext | None = None) -> tuple[list[Table], Table]:
    """The object sheets and the relationship sheet of a snapshot."""
    index = GraphIndex(snapshot)
    objects = []
    exported: dict[str, ObjectType] = {}
    for kind in OBJECT_TYPES:
        table = Table(kind.sheet)
        for entity in index.all(ENTITY_TYPES[kind.label]):
            table.add(*object_row(kind, entity, index))
            exported[entity.id] = kind
        objects.append(table)
    relations = Table(RELATIONSHIPS)
    rows = [_relation_row(link, exported) for link in index.links]
    for row in sorted(r for r in rows if r is not None):
        relations.add(*row)
    return objects, relations


def object_row(kind: ObjectType, entity: Entity, index: GraphIndex) -> list[Cell]:
    """One entity as a row of its sheet."""
    parent = ""
    if kind.parent is not None:
        found = (
            index.sources(kind.parent.rel, entity.id)
            if kind.parent.parent_is_source
            else index.targets(kind.parent.rel, entity.id)
        )
        parent = found[0] if found else ""
    owner = next(iter(index.targets(Rel.OWNED_BY, entity.id)), "") if kind.owner else ""
    name = getattr(entity, kind.name_field) if kind.name_field else entity.caption
    description = getattr(entity, kind.description_field) if kind.description_field else ""
    own = [cell(getattr(entity, field)) for _header, field in kind.own]
    return [entity.id, name, description, parent, owner, *own]


def cell(value: Any) -> Cell:
    """A field value as a spreadsheet cell (enums and booleans in Swedish, lists joined)."""
    if isinstance(value, StrEnum):
        return TERMS[type(value)][value]
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def _relation_row(
    link: Link, exported: dict[str, ObjectType]
) -> tuple[str, str, str, str, str, str, str, str] | None:
    relation = RELATION_OF_REL.get(link.rel)
    if relation is None or link.source not in exported or link.target not in exported:
        return None
    source, target = (link.target, link.source) if relation.reverse else (link.source, link.target)
    flow = link.rel is Rel.FLOWS_TO
    return (
        exported[source].sheet_name,
        source,
        relation.name,
        exported[target].sheet_name,
        target,
        str(link.props.get("name") or "") if flow else "",
        str(link.props.get("condition") or "") if flow else "",
        (YES if link.props.get("is_default") else NO) if flow else "",
    )


@register_format(
    "2c8-excel",
    title="2c8 Modeling Tool (Excel)",
    description="Objekt och relationer för 2c8:s Import från Excel, med instruktion.",
    suffix=".zip",
    media_type=ZIP,
)
def export(snapshot: Snapshot, context: ExportContext) -> Output:
    """The ZIP archive: objects.xlsx, relationships.xlsx, LÄS MIG.txt and csv/."""
    objects, relations = tables(snapshot, context)
    files: list[tuple[str, bytes]] = [
        (OBJECTS_FILE, workbook(objects)),
        (RELATIONSHIPS_FILE, workbook([relations])),
        (README_FILE, README.replace("\n", "\r\n").encode("utf-8")),
    ]
    for table in objects:
        files.append((f"{CSV_FOLDER}/objects - {table.sheet.name}.csv", csv_bytes(table)))
    files.append((f"{CSV_FOLDER}/relationships - {relations.sheet.name}.csv", csv_bytes(relations)))
    return Output(zip_files(files))


def zip_files(files: list[tuple[str, bytes]]) -> bytes:
    """A ZIP archive of named files with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, STAMP), data)
    return buffer.getvalue()
