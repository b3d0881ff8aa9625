"""``ils-sosfs`` back in: ILS's process list (Område/Process, Delprocess, …, Ändring, Id).

A row with an Id is that process; a row without one is matched by name — an Område/Process
among the top processes, a Delprocess among the subprocesses of its Område. Beskrivning is the
process's purpose, Ägare a role by name. A new Delprocess is placed under its Område; a
matched one keeps its place (ILS's list is flat, the graph may be deeper). Ändring
Borttagen archives the process; Skapad and Ändrad are only read as information.
"""

from __future__ import annotations

from collections.abc import Mapping

from exporters.ils_sosfs import AREA, CHANGE, DESCRIPTION, ID, OWNER, REMOVED, SHEET, SUBPROCESS
from exporters.import_workbook import Row, open_workbook, read_rows
from exporters.importers import Draft, Importer, Item, LinkSpec, Ref, register
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel

PROCESS = (Label.PROCESS,)


def read(data: bytes, mapping: Mapping[str, str] | None = None) -> Draft:
    """The draft of an ILS process list."""
    draft = Draft(managed=frozenset({(Rel.OWNED_BY, Label.PROCESS, Label.ROLE)}))
    book = open_workbook(data, "ils-sosfs.xlsx")
    for row in read_rows(book, SHEET, draft, required=(AREA,), optional=(CHANGE, ID)):
        _row(row, draft)
    book.close()
    return draft


def _row(row: Row, draft: Draft) -> None:
    area, sub = row.text(AREA), row.text(SUBPROCESS)
    removed = row.text(CHANGE) == REMOVED
    name = sub or area
    column = SUBPROCESS if sub else AREA
    data: dict[str, object] = {"name": name}
    if DESCRIPTION not in row.refused:
        data["purpose"] = row.text(DESCRIPTION)
    if removed:
        data = {"archived": True}
    item = Item(
        Label.PROCESS,
        row.where(),
        data,
        {"name": row.where(column).column, "purpose": row.where(DESCRIPTION).column},
        id=row.text(ID),
        name=name,
        parent=Ref(PROCESS, name=area, where=row.where(AREA)) if sub else None,
        parent_rel=Rel.SUBPROCESS_OF,
        link_parent=False,
        must_exist=removed,
        defaults={"kind": ProcessKind.CORE.value},
    )
    draft.items.append(item)
    if removed:
        return
    me = Ref(PROCESS, where=row.where(column), item=item)
    if row.text(OWNER) and OWNER not in row.refused:
        owner = Ref((Label.ROLE,), name=row.text(OWNER), where=row.where(OWNER))
        draft.links.append(LinkSpec(Rel.OWNED_BY, me, owner, owner.where))


register(
    Importer(
        "ils-sosfs",
        "ILS: processer enligt SOSFS 2011:9",
        read,
        description="Processlistan från ILS-modulen för SOSFS 2011:9 (Område/Process, "
        "Delprocess, Beskrivning, Ägare, Ändring, Id).",
    )
)
