"""A coordinator's own spreadsheet of processes or of risks, read through a column mapping.

The first sheet is read; row 1 holds the headers. The mapping says which header holds which
field (``{"namn": "Processnamn", …}``); a field left out of the mapping is not read and not
changed. Without a mapping, headers equal to the field names (any case) are used. Text cells
are read loosely (numbers typed as text are fine), the checks are those of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from exporters.import_workbook import Row, header_row, open_workbook, read_rows
from exporters.importers import (
    BadFile,
    Draft,
    Importer,
    Item,
    LinkSpec,
    Problem,
    Reader,
    Ref,
    Where,
    register,
)
from exporters.terms import parse
from exporters.xlsx import Column, Sheet
from qms.domain.kinds import ProcessKind, RiskStatus
from qms.domain.labels import Label, Rel

_NUMBER = re.compile(r"\A\s*(\d+)\s*(?:-.*)?\Z", re.DOTALL)


@dataclass(frozen=True)
class Own:
    """One kind of own spreadsheet: the label, its targets and how they become fields."""

    label: Label
    targets: Mapping[str, str]
    required: frozenset[str]
    #: target → entity field, for plain text fields
    texts: Mapping[str, str]
    #: target → entity field, for whole numbers ("3" or "3 - Möjlig")
    numbers: Mapping[str, str]


PROCESSES = Own(
    Label.PROCESS,
    {
        "id": "Id",
        "namn": "Namn",
        "beskrivning": "Beskrivning (syfte)",
        "typ": "Typ (Huvudprocess, Stödprocess, Styrprocess)",
        "överordnad": "Överordnad process (namn eller id)",
        "ägare": "Ägare (roll)",
    },
    frozenset({"namn"}),
    {"namn": "name", "beskrivning": "purpose"},
    {},
)
RISKS = Own(
    Label.RISK,
    {
        "id": "Id",
        "risk": "Risk",
        "beskrivning": "Beskrivning",
        "orsak": "Orsak",
        "sannolikhet": "Sannolikhet (1–5)",
        "konsekvens": "Konsekvens (1–5)",
        "process": "Process som hotas (namn eller id)",
        "ägare": "Ansvarig (roll)",
        "år": "År",
        "status": "Status",
    },
    frozenset({"risk"}),
    {"risk": "title", "beskrivning": "description", "orsak": "cause"},
    {"sannolikhet": "probability", "konsekvens": "consequence", "år": "year"},
)


def default_mapping(targets: Mapping[str, str], headers: list[str]) -> dict[str, str]:
    """Targets whose name (or caption) equals a header, any case."""
    found: dict[str, str] = {}
    for target, caption in targets.items():
        for header in headers:
            if header.casefold() in (target.casefold(), caption.casefold()):
                found[target] = header
                break
    return found


def headers(data: bytes, filename: str = "") -> list[str]:
    """The headers of the first sheet (for the mapping step)."""
    book = open_workbook(data, filename)
    try:
        return header_row(book, book.sheetnames[0]) if book.sheetnames else []
    finally:
        book.close()


def reader(own: Own) -> Reader:
    """The read function of one kind of own spreadsheet."""

    def read(data: bytes, mapping: Mapping[str, str] | None = None) -> Draft:
        book = open_workbook(data)
        if not book.sheetnames:
            raise BadFile([Problem(Where("filen"), "Arbetsboken har inga blad.")])
        name = book.sheetnames[0]
        chosen = dict(mapping) if mapping else default_mapping(own.targets, header_row(book, name))
        draft = Draft(managed=_managed(own, chosen))
        for target in sorted(set(chosen) - set(own.targets)):
            draft.problem(
                Where("kolumnmappning"), f"Okänt fält «{target}»; kända: {', '.join(own.targets)}."
            )
        for target in sorted(own.required - set(chosen)):
            draft.problem(Where(name, 1), f"Ingen kolumn är vald för «{own.targets[target]}».")
        if draft.problems:
            raise BadFile(draft.problems)
        sheet = Sheet(name, tuple(Column(header) for header in dict.fromkeys(chosen.values())))
        by_header = {header: target for target, header in chosen.items()}
        required = [chosen[t] for t in own.required]
        for row in read_rows(book, sheet, draft, required=required, ignore_unknown=True):
            _row(own, {by_header[h]: v for h, v in row.values.items()}, row, chosen, draft)
        book.close()
        return draft

    return read


def _managed(own: Own, chosen: Mapping[str, str]) -> frozenset[tuple[Rel, Label, Label]]:
    managed = set()
    if "ägare" in chosen:
        managed.add((Rel.OWNED_BY, own.label, Label.ROLE))
    if own.label is Label.PROCESS and "överordnad" in chosen:
        managed.add((Rel.SUBPROCESS_OF, Label.PROCESS, Label.PROCESS))
    return frozenset(managed)


def _row(
    own: Own, cells: dict[str, object], row: Row, chosen: Mapping[str, str], draft: Draft
) -> None:
    def where(target: str) -> Where:
        return row.where(chosen[target])

    def text(target: str) -> str:
        value = cells.get(target)
        return "" if value is None else str(value).strip()

    data: dict[str, object] = {}
    columns: dict[str, str] = {}
    for target, name in own.texts.items():
        if target in chosen:
            data[name], columns[name] = text(target), where(target).column
    for target, name in own.numbers.items():
        if target in chosen:
            columns[name] = where(target).column
            found = _NUMBER.match(text(target))
            if found:
                data[name] = int(found.group(1))
            elif text(target):
                draft.problem(where(target), f"Ange ett heltal (fick «{text(target)}»).")
            elif name == "year":
                data[name] = None
    kind, choice = (ProcessKind, "typ") if own.label is Label.PROCESS else (RiskStatus, "status")
    if text(choice):
        columns["kind" if choice == "typ" else "status"] = where(choice).column
        try:
            data["kind" if choice == "typ" else "status"] = parse(kind, text(choice)).value
        except ValueError as exc:
            draft.problem(where(choice), f"Ogiltigt värde: {exc}.")
    parent_target = "överordnad" if own.label is Label.PROCESS else "process"
    parent = None
    if text(parent_target):
        value = text(parent_target)
        parent = Ref((Label.PROCESS,), id=value, name=value, where=where(parent_target))
    item = Item(
        own.label,
        row.where(),
        data,
        columns,
        id=text("id"),
        name=text("namn" if own.label is Label.PROCESS else "risk"),
        parent=parent,
        parent_rel=(Rel.SUBPROCESS_OF if own.label is Label.PROCESS else Rel.THREATENS)
        if parent_target in chosen
        else None,
        defaults={"kind": ProcessKind.CORE.value} if own.label is Label.PROCESS else {},
    )
    draft.items.append(item)
    if text("ägare"):
        me = Ref((own.label,), where=row.where(), item=item)
        role = Ref((Label.ROLE,), id=text("ägare"), name=text("ägare"), where=where("ägare"))
        draft.links.append(LinkSpec(Rel.OWNED_BY, me, role, role.where))


for _name, _title, _own in (
    ("egen-processlista", "Egen processlista (med kolumnmappning)", PROCESSES),
    ("egen-risklista", "Egen risklista (med kolumnmappning)", RISKS),
):
    register(
        Importer(
            _name,
            _title,
            reader(_own),
            targets=_own.targets,
            required=_own.required,
            description="Första bladet läses; rad 1 är rubriker. Välj vilken kolumn som är vad.",
        )
    )
