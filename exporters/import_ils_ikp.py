"""``ils-ikp`` back in: the internkontrollplan, one row per risk and kontrollmoment.

Read: the kontrollmoment's columns (Kontrollmoment, Kontrollmetod, Frekvens, Ansvarig,
Rapportering, Resultat, Utfall, År, Kontroll-id) and which risk it checks (Risk-id, else the
risk's title). A kontrollmoment on several rows checks each of their risks and must say the
same on every row. The risk's own columns (Process, Risk, Riskvärde) belong to the VoR and
are not changed; a row without a kontrollmoment (a risk still lacking one) is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping

from exporters.ils_ikp import (
    CONTROL,
    CONTROL_ID,
    FREQUENCY,
    METHOD,
    OUTCOME,
    PROCESS,
    REPORTING,
    RESPONSIBLE,
    RESULT,
    RISK,
    RISK_ID,
    SHEET,
    VALUE,
    YEAR,
)
from exporters.import_workbook import Row, fill, open_workbook, read_rows
from exporters.importers import Draft, Importer, Item, LinkSpec, Ref, register
from qms.domain.labels import Label, Rel

FIELDS = (
    (CONTROL, "title"),
    (METHOD, "method"),
    (FREQUENCY, "frequency"),
    (REPORTING, "reporting"),
    (RESULT, "result"),
    (OUTCOME, "outcome"),
    (YEAR, "year"),
)


def read(data: bytes, mapping: Mapping[str, str] | None = None) -> Draft:
    """The draft of an internkontrollplan sheet."""
    draft = Draft(
        managed=frozenset(
            {(Rel.CONTROLS, Label.CONTROL, Label.RISK), (Rel.OWNED_BY, Label.CONTROL, Label.ROLE)}
        )
    )
    book = open_workbook(data, "ils-ikp.xlsx")
    seen: dict[str, tuple[Item, str]] = {}
    optional = (PROCESS, VALUE, RISK_ID, CONTROL_ID)
    for row in read_rows(book, SHEET, draft, optional=optional):
        _row(row, draft, seen)
    book.close()
    return draft


def _row(row: Row, draft: Draft, seen: dict[str, tuple[Item, str]]) -> None:
    if not row.text(CONTROL) and not row.text(CONTROL_ID):
        return  # a risk above the threshold that still lacks a kontrollmoment
    if not row.text(RISK) and not row.text(RISK_ID):
        draft.problem(
            row.where(RISK), "Ange vilken risk kontrollmomentet gäller (Risk eller Risk-id)."
        )
        return
    where = row.where(RISK_ID) if row.text(RISK_ID) else row.where(RISK)
    risk = Ref((Label.RISK,), id=row.text(RISK_ID), name=row.text(RISK), where=where)
    if not row.text(CONTROL):
        draft.problem(row.where(CONTROL), "Cellen måste fyllas i.")
    data, columns, refused = fill(Label.CONTROL, FIELDS, row, draft)
    owner = row.text(RESPONSIBLE)
    control_id = row.text(CONTROL_ID)
    if control_id in seen:
        first, first_owner = seen[control_id]
        if first.data != data or first_owner != owner:
            draft.problem(
                row.where(CONTROL_ID),
                f"Kontrollmomentet {control_id} står olika här och på rad {first.where.row}.",
            )
        me = Ref((Label.CONTROL,), where=row.where(CONTROL_ID), item=first)
        draft.links.append(LinkSpec(Rel.CONTROLS, me, risk, row.where(RISK)))
        return
    item = Item(
        Label.CONTROL,
        row.where(),
        data,
        columns,
        id=control_id,
        name=row.text(CONTROL),
        parent=risk,
        parent_rel=Rel.CONTROLS,
        parent_outgoing=True,
        refused=refused,
    )
    if control_id:
        seen[control_id] = (item, owner)
    draft.items.append(item)
    if owner:
        me = Ref((Label.CONTROL,), where=row.where(CONTROL), item=item)
        role = Ref((Label.ROLE,), name=owner, where=row.where(RESPONSIBLE))
        draft.links.append(LinkSpec(Rel.OWNED_BY, me, role, role.where))


register(
    Importer(
        "ils-ikp",
        "ILS: internkontrollplan",
        read,
        description="Kontrollmomenten med metod, frekvens, ansvarig, rapportering och resultat, "
        "kopplade till riskerna de kontrollerar.",
    )
)
