"""``ils-sosfs``: the process list of ILS's module for SOSFS 2011:9, with its change column.

One row per process: Område/Process (the top process), Delprocess (empty on the top
process's own row), Beskrivning, Ägare, and Ändring — Skapad, Ändrad or Borttagen — against
the previous export of the same scope (``context.previous``, the ``record`` of that export).
The first export marks every row Skapad; a process gone since (or archived) comes back once
as Borttagen. Id is last, so a file read back matches by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exporters import XLSX, ExportContext, Output, register_format
from exporters.index import GraphIndex
from exporters.xlsx import Column, Sheet, Table, xlsx_output
from qms.domain.entities import Process, Role
from qms.domain.labels import Rel
from qms.domain.snapshot import Snapshot

CREATED, CHANGED, REMOVED = "Skapad", "Ändrad", "Borttagen"
CHANGES = (CREATED, CHANGED, REMOVED)

AREA, SUBPROCESS, DESCRIPTION, OWNER, CHANGE, ID = (
    "Område/Process",
    "Delprocess",
    "Beskrivning",
    "Ägare",
    "Ändring",
    "Id",
)
SHEET = Sheet(
    "Processer",
    (
        Column(AREA),
        Column(SUBPROCESS),
        Column(DESCRIPTION, width=60),
        Column(OWNER),
        Column(CHANGE, "choice", CHANGES),
        Column(ID),
    ),
)
#: The fields a row is compared on (what the record keeps per process id).
COMPARED = (AREA, SUBPROCESS, DESCRIPTION, OWNER)
RECORD_FORMAT = "ils-sosfs/1"


def current_rows(snapshot: Snapshot, scope: str | None) -> dict[str, dict[str, str]]:
    """Every live process of the scope: id → the compared columns, in list order."""
    index = GraphIndex(snapshot)
    units = index.scope(scope)
    processes = {p.id: p for p in index.all(Process) if not p.archived}

    def top_and_depth(pid: str) -> tuple[str, int]:
        seen, current, depth = {pid}, pid, 0
        while True:
            parent = next(iter(index.targets(Rel.SUBPROCESS_OF, current)), None)
            if parent is None or parent not in processes or parent in seen:
                return current, depth
            seen.add(parent)
            current, depth = parent, depth + 1

    placed = []
    for process in processes.values():
        if not index.in_scope(process.id, units):
            continue
        top, depth = top_and_depth(process.id)
        placed.append(
            (processes[top].name.casefold(), top, depth, process.name.casefold(), process)
        )
    placed.sort(key=lambda p: p[:4])
    rows: dict[str, dict[str, str]] = {}
    for _key, top, depth, _name, process in placed:
        owner = index.one(Rel.OWNED_BY, process.id, Role)
        rows[process.id] = {
            AREA: processes[top].name,
            SUBPROCESS: process.name if depth else "",
            DESCRIPTION: process.purpose,
            OWNER: owner.name if owner else "",
        }
    return rows


def changes(
    current: Mapping[str, Mapping[str, str]], previous: Mapping[str, Any] | None
) -> list[tuple[str, Mapping[str, str], str]]:
    """(id, columns, Skapad/Ändrad/Borttagen or '') per row: current ones, then removed ones."""
    before: Mapping[str, Mapping[str, str]] = (previous or {}).get("rows", {})
    found = []
    for pid, row in current.items():
        old = before.get(pid)
        mark = CREATED if old is None else CHANGED if dict(old) != dict(row) else ""
        found.append((pid, row, mark))
    removed = sorted(
        ((pid, row) for pid, row in before.items() if pid not in current),
        key=lambda item: (item[1].get(AREA, ""), item[1].get(SUBPROCESS, "")),
    )
    found += [(pid, row, REMOVED) for pid, row in removed]
    return found


def table(snapshot: Snapshot, context: ExportContext) -> tuple[Table, dict[str, Any]]:
    """The sheet and the record to keep for the next export's comparison."""
    current = current_rows(snapshot, context.scope)
    sheet = Table(SHEET)
    for pid, row, mark in changes(current, context.previous):
        sheet.add(*(row.get(c, "") for c in COMPARED), mark, pid)
    record = {"format": RECORD_FORMAT, "scope": context.scope, "rows": current}
    return sheet, record


@register_format(
    "ils-sosfs",
    title="ILS: processer enligt SOSFS 2011:9",
    description="Område/Process och Delprocess med ändringskolumnen Skapad/Ändrad/Borttagen "
    "jämfört med förra exporten.",
    suffix=".xlsx",
    media_type=XLSX,
    scoped=True,
    history=True,
)
def export(snapshot: Snapshot, context: ExportContext) -> Output:
    """The process list as .xlsx; the record holds each row for the next comparison."""
    sheet, record = table(snapshot, context)
    return xlsx_output([sheet], record)
