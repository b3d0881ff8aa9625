"""``ils-vor`` back in: the väsentlighets- och riskanalys, one row per risk.

Read: Risk (the title), Sannolikhet and Konsekvens/väsentlighet (``"2 - Mindre sannolikt"``
or just the number), Ansvarig (a role by name), År and Id. A row without Id is matched by the
risk's title. A new risk threatens the processes named in Process. Riskvärde, Finns
rutinbeskrivning, Genomförs löpande kontroller and Åtgärd are worked out by QMS from the graph
and are not read back.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from exporters.ils_vor import (
    ACTION,
    CONSEQUENCE,
    CONTROLLED,
    ID,
    PROBABILITY,
    PROCESS,
    RESPONSIBLE,
    RISK,
    ROUTINE,
    VALUE,
    YEAR,
    sheet,
)
from exporters.import_workbook import Row, fill, open_workbook, read_rows
from exporters.importers import Draft, Importer, Item, LinkSpec, Ref, register
from exporters.xlsx import LIST_SEPARATOR, Sheet
from qms.domain.labels import Label, Rel

DERIVED = (VALUE, ROUTINE, CONTROLLED, ACTION)
_STEP = re.compile(r"\A\s*(\d+)\s*(?:-.*)?\Z", re.DOTALL)


def layout() -> Sheet:
    """The export's layout, with the scales read as text (the matrix in use may differ)."""
    base = sheet()
    loose = tuple(
        dataclasses.replace(c, kind="text", choices=())
        if c.header in (PROBABILITY, CONSEQUENCE)
        else c
        for c in base.columns
    )
    return Sheet(base.name, loose)


def read(data: bytes, mapping: Mapping[str, str] | None = None) -> Draft:
    """The draft of a VoR sheet."""
    draft = Draft(managed=frozenset({(Rel.OWNED_BY, Label.RISK, Label.ROLE)}))
    book = open_workbook(data, "ils-vor.xlsx")
    required = (RISK, PROBABILITY, CONSEQUENCE)
    rows = 0
    for row in read_rows(book, layout(), draft, required=required, optional=(ID, *DERIVED)):
        _row(row, draft)
        rows += 1
    book.close()
    if rows:
        draft.notes.append(f"{', '.join(DERIVED)} räknas fram i QMS och läses inte in.")
    return draft


def step(row: Row, header: str, draft: Draft) -> int | None:
    """A scale step from ``"3 - Möjlig"`` or ``3``; None (and a problem) otherwise."""
    text = row.text(header)
    found = _STEP.match(text)
    if found is None:
        if header not in row.refused:
            draft.problem(
                row.where(header), f"Ange steget som en siffra, t.ex. «3 - Möjlig» (fick «{text}»)."
            )
        return None
    return int(found.group(1))


def _row(row: Row, draft: Draft) -> None:
    data, columns, refused = fill(Label.RISK, [(RISK, "title"), (YEAR, "year")], row, draft)
    for header, name in ((PROBABILITY, "probability"), (CONSEQUENCE, "consequence")):
        columns[name] = row.where(header).column
        value = step(row, header, draft)
        if value is None:
            refused |= {name}
        else:
            data[name] = value
    item = Item(
        Label.RISK,
        row.where(),
        data,
        columns,
        id=row.text(ID),
        name=row.text(RISK),
        refused=refused,
    )
    draft.items.append(item)
    me = Ref((Label.RISK,), where=row.where(RISK), item=item)
    if row.text(RESPONSIBLE):
        owner = Ref((Label.ROLE,), name=row.text(RESPONSIBLE), where=row.where(RESPONSIBLE))
        draft.links.append(LinkSpec(Rel.OWNED_BY, me, owner, owner.where))
    for name in row.text(PROCESS).split(LIST_SEPARATOR.strip()):
        if name.strip():
            process = Ref((Label.PROCESS,), name=name.strip(), where=row.where(PROCESS))
            draft.links.append(LinkSpec(Rel.THREATENS, me, process, process.where, only_new=True))


register(
    Importer(
        "ils-vor",
        "ILS: väsentlighets- och riskanalys",
        read,
        description="Riskerna med sannolikhet, konsekvens, ansvarig och år (Riskvärde med "
        "flera räknas fram och läses inte in).",
    )
)
