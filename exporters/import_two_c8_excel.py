"""``2c8-excel`` back in: the ZIP of ``objects.xlsx`` and ``relationships.xlsx``.

Read with the exporter's own layout (``OBJECT_TYPES``, ``RELATIONSHIPS``, ``relation_of``).
Every object sheet must be there; ``parent_id`` and ``ägare`` are links like the rows of
``relationships.xlsx`` (the exporter writes both), and the file speaks for every 2c8 relation
of the objects it holds: such a link missing from the file is removed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from openpyxl.workbook.workbook import Workbook

from exporters.import_workbook import (
    MAX_BYTES,
    MAX_UNPACKED,
    Row,
    fill,
    open_workbook,
    read_rows,
)
from exporters.importers import (
    BadFile,
    Draft,
    Importer,
    Item,
    LinkSpec,
    Problem,
    Ref,
    Where,
    register,
)
from exporters.terms import YES
from exporters.two_c8_excel import (
    OBJECT_TYPES,
    OBJECTS_FILE,
    RELATIONS,
    RELATIONSHIPS,
    RELATIONSHIPS_FILE,
    TYPE_OF_SHEET,
    ObjectType,
    relation_of,
)
from exporters.xlsx import LISTS_SHEET
from qms.domain.graph import REL_TYPES
from qms.domain.labels import Label, Rel

EXPORTED = frozenset(t.label for t in OBJECT_TYPES)


def read(data: bytes, mapping: Mapping[str, str] | None = None) -> Draft:
    """The draft of a 2c8 package (the ZIP the ``2c8-excel`` export writes)."""
    objects, relationships = _unpack(data)
    draft = Draft(managed=_managed())
    book = open_workbook(objects, OBJECTS_FILE)
    _refuse_unknown_sheets(book, {t.sheet_name for t in OBJECT_TYPES}, OBJECTS_FILE, draft)
    for kind in OBJECT_TYPES:
        for row in read_rows(book, kind.sheet, draft, required=("id",)):
            _object(kind, row, draft)
    book.close()
    links = open_workbook(relationships, RELATIONSHIPS_FILE)
    _refuse_unknown_sheets(links, {RELATIONSHIPS.name}, RELATIONSHIPS_FILE, draft)
    required = ("källa_typ", "källa_id", "relations_typ", "mål_typ", "mål_id")
    for row in read_rows(links, RELATIONSHIPS, draft, required=required):
        _relation(row, draft)
    links.close()
    return draft


def _unpack(data: bytes) -> tuple[bytes, bytes]:
    where = Where("paketet")
    if len(data) > MAX_BYTES:
        raise BadFile([Problem(where, f"Paketet är större än {MAX_BYTES // 2**20} MB.")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = {info.filename: info for info in package.infolist()}
            missing = [n for n in (OBJECTS_FILE, RELATIONSHIPS_FILE) if n not in names]
            if missing:
                found = ", ".join(sorted(names)) or "inga filer"
                raise BadFile(
                    [
                        Problem(Where(n), f"Filen saknas i paketet (där finns: {found}).")
                        for n in missing
                    ]
                )
            if sum(names[n].file_size for n in (OBJECTS_FILE, RELATIONSHIPS_FILE)) > MAX_UNPACKED:
                raise BadFile([Problem(where, "Paketet packas upp till för mycket data.")])
            return package.read(OBJECTS_FILE), package.read(RELATIONSHIPS_FILE)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise BadFile(
            [Problem(where, "Paketet är skadat eller ingen ZIP-fil från 2c8-exporten.")]
        ) from None


def _refuse_unknown_sheets(book: Workbook, known: set[str], file: str, draft: Draft) -> None:
    for name in book.sheetnames:
        if name not in known and name != LISTS_SHEET:
            draft.problem(
                Where(f"{file}: {name}"), f"Okänt blad; kända: {', '.join(sorted(known))}."
            )


def _managed() -> frozenset[tuple[Rel, Label, Label]]:
    return frozenset(
        (relation.rel, source, target)
        for relation in RELATIONS
        for source, target in REL_TYPES[relation.rel].pairs
        if source in EXPORTED and target in EXPORTED
    )


def _object(kind: ObjectType, row: Row, draft: Draft) -> None:
    cells = [("namn", kind.name_field), ("beskrivning", kind.description_field), *kind.own]
    data, columns, refused = fill(kind.label, cells, row, draft)
    entity_id = row.text("id")
    item = Item(
        kind.label,
        row.where(),
        data,
        columns,
        id=entity_id,
        name=row.text("namn"),
        refused=refused,
    )
    me = Ref((kind.label,), id=entity_id, where=row.where("id"))
    if kind.parent is not None and row.text("parent_id"):
        parent = Ref(_parent_labels(kind), id=row.text("parent_id"), where=row.where("parent_id"))
        if kind.parent.parent_is_source:
            draft.links.append(LinkSpec(kind.parent.rel, parent, me, parent.where))
        else:
            draft.links.append(LinkSpec(kind.parent.rel, me, parent, parent.where))
    if kind.owner and row.text("ägare"):
        owner = Ref((Label.ROLE,), id=row.text("ägare"), where=row.where("ägare"))
        draft.links.append(LinkSpec(Rel.OWNED_BY, me, owner, owner.where))
    if entity_id:
        draft.items.append(item)


def _parent_labels(kind: ObjectType) -> tuple[Label, ...]:
    assert kind.parent is not None  # noqa: S101  (callers check)
    pairs = REL_TYPES[kind.parent.rel].pairs
    if kind.parent.parent_is_source:
        return tuple(dict.fromkeys(s for s, t in pairs if t is kind.label))
    return tuple(dict.fromkeys(t for s, t in pairs if s is kind.label))


def _relation(row: Row, draft: Draft) -> None:
    if row.refused:
        return
    source_sheet, target_sheet = row.text("källa_typ"), row.text("mål_typ")
    try:
        rel, reverse = relation_of(row.text("relations_typ"), source_sheet, target_sheet)
    except KeyError:
        draft.problem(
            row.where("relations_typ"),
            f"Relationen «{row.text('relations_typ')}» finns inte från {source_sheet} "
            f"till {target_sheet}.",
        )
        return
    source = Ref(
        (TYPE_OF_SHEET[source_sheet].label,), id=row.text("källa_id"), where=row.where("källa_id")
    )
    target = Ref(
        (TYPE_OF_SHEET[target_sheet].label,), id=row.text("mål_id"), where=row.where("mål_id")
    )
    if reverse:
        source, target = target, source
    props: dict[str, Any] = {}
    if rel is Rel.FLOWS_TO:
        props = {
            "name": row.text("etikett"),
            "condition": row.text("villkor"),
            "is_default": row.text("standardflöde") == YES,
        }
    draft.links.append(LinkSpec(rel, source, target, row.where(), props))


register(
    Importer(
        "2c8-excel",
        "2c8 Modeling Tool (Excel-paket)",
        read,
        suffixes=(".zip",),
        description="ZIP-paketet från exporten 2c8-excel: objects.xlsx och relationships.xlsx.",
    )
)
