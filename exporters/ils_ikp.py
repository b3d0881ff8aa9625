"""``ils-ikp``: the internkontrollplan as ILS lists it.

One row per risk and kontrollmoment: every risk at or above the matrix's control threshold
(a row with empty control columns where no kontrollmoment checks it yet: a gap to fill) and
every risk below it that a kontrollmoment checks anyway. Highest risk value first.
"""

from __future__ import annotations

from exporters import XLSX, ExportContext, Output, register_format
from exporters.ils_vor import matrix_of, processes_of, risks_in_order
from exporters.index import GraphIndex
from exporters.terms import term, words
from exporters.xlsx import LIST_SEPARATOR, Column, Sheet, Table, xlsx_output
from qms.domain.entities import Control, Role
from qms.domain.kinds import Frequency, InspectionOutcome
from qms.domain.labels import Rel
from qms.domain.risk_matrix import needs_control
from qms.domain.snapshot import Snapshot

PROCESS, RISK, VALUE, CONTROL, METHOD, FREQUENCY = (
    "Process",
    "Risk",
    "Riskvärde",
    "Kontrollmoment",
    "Kontrollmetod",
    "Frekvens",
)
RESPONSIBLE, REPORTING, RESULT, OUTCOME, YEAR, RISK_ID, CONTROL_ID = (
    "Ansvarig",
    "Rapportering",
    "Resultat",
    "Utfall",
    "År",
    "Risk-id",
    "Kontroll-id",
)
SHEET = Sheet(
    "Internkontrollplan",
    (
        Column(PROCESS, width=30),
        Column(RISK, width=40),
        Column(VALUE, "int"),
        Column(CONTROL, width=40),
        Column(METHOD, width=40),
        Column(FREQUENCY, "choice", words(Frequency)),
        Column(RESPONSIBLE),
        Column(REPORTING, width=30),
        Column(RESULT, width=40),
        Column(OUTCOME, "choice", words(InspectionOutcome)),
        Column(YEAR, "int"),
        Column(RISK_ID),
        Column(CONTROL_ID),
    ),
)


def table(snapshot: Snapshot, context: ExportContext) -> Table:
    """The plan as one sheet."""
    index = GraphIndex(snapshot)
    matrix = matrix_of(index)
    found = Table(SHEET)
    for risk in risks_in_order(index, context.scope):
        controls = sorted(
            (
                c
                for s in index.sources(Rel.CONTROLS, risk.id)
                if isinstance(c := index.by_id.get(s), Control)
            ),
            key=lambda c: (c.title, c.id),
        )
        if not controls and not needs_control(matrix, risk.value):
            continue
        process = LIST_SEPARATOR.join(processes_of(index, risk.id))
        listed: list[Control | None] = [*controls] or [None]
        for control in listed:
            owner = index.one(Rel.OWNED_BY, control.id, Role) if control else None
            found.add(
                process,
                risk.title,
                risk.value,
                control.title if control else "",
                control.method if control else "",
                term(control.frequency) if control else "",
                owner.name if owner else "",
                control.reporting if control else "",
                control.result if control else "",
                term(control.outcome) if control else "",
                (control.year if control else None) or risk.year,
                risk.id,
                control.id if control else "",
            )
    return found


@register_format(
    "ils-ikp",
    title="ILS: internkontrollplan",
    description="Riskerna över kontrollgränsen med kontrollmoment, metod, frekvens och resultat.",
    suffix=".xlsx",
    media_type=XLSX,
    scoped=True,
)
def export(snapshot: Snapshot, context: ExportContext) -> Output:
    """The plan as .xlsx (and CSV)."""
    return xlsx_output([table(snapshot, context)])
