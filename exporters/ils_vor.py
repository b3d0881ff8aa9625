"""``ils-vor``: the väsentlighets- och riskanalys as ILS lists it, one row per risk.

Finns rutinbeskrivning is Ja when every process or activity the risk threatens is governed by
a rutin, instruktion or checklista (as the risk register page says "ja"); a partly covered
risk is Nej. Genomförs löpande kontroller is Ja when a kontrollmoment or an egenkontroll
checks the risk. Sannolikhet and konsekvens are written as the matrix labels them
("2 - Mindre sannolikt").
"""

from __future__ import annotations

from exporters import XLSX, ExportContext, Output, register_format
from exporters.index import GraphIndex
from exporters.terms import NO, YES
from exporters.xlsx import LIST_SEPARATOR, Column, Sheet, Table, xlsx_output
from qms.domain.entities import Action, Document, Process, Risk, RiskMatrix, Role
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import DEFAULT, DEFAULT_ID, scale_label
from qms.domain.snapshot import Snapshot
from qms.domain.views import HOW_TO_KINDS

PROCESS, RISK, ROUTINE, CONTROLLED = (
    "Process",
    "Risk",
    "Finns rutinbeskrivning",
    "Genomförs löpande kontroller",
)
PROBABILITY, CONSEQUENCE, VALUE, ACTION, RESPONSIBLE, YEAR, ID = (
    "Sannolikhet",
    "Konsekvens/väsentlighet",
    "Riskvärde",
    "Åtgärd",
    "Ansvarig",
    "År",
    "Id",
)
SHEET_NAME = "Väsentlighets- och riskanalys"


def sheet(matrix: RiskMatrix = DEFAULT) -> Sheet:
    """The layout; the scale columns' value lists come from the matrix in use."""
    probability = tuple(
        scale_label(matrix.probability_labels, n)
        for n in range(1, len(matrix.probability_labels) + 1)
    )
    consequence = tuple(
        scale_label(matrix.consequence_labels, n)
        for n in range(1, len(matrix.consequence_labels) + 1)
    )
    return Sheet(
        SHEET_NAME,
        (
            Column(PROCESS, width=30),
            Column(RISK, width=40),
            Column(ROUTINE, "choice", (YES, NO)),
            Column(CONTROLLED, "choice", (YES, NO)),
            Column(PROBABILITY, "choice", probability),
            Column(CONSEQUENCE, "choice", consequence),
            Column(VALUE, "int"),
            Column(ACTION, width=40),
            Column(RESPONSIBLE),
            Column(YEAR, "int"),
            Column(ID),
        ),
    )


def matrix_of(index: GraphIndex) -> RiskMatrix:
    """The stored matrix, else the default."""
    found = index.by_id.get(DEFAULT_ID)
    return found if isinstance(found, RiskMatrix) else DEFAULT


def processes_of(index: GraphIndex, risk_id: str) -> list[str]:
    """Names of the processes a risk threatens, directly or through an activity."""
    names = []
    for target in index.targets(Rel.THREATENS, risk_id):
        entity = index.by_id.get(target)
        if isinstance(entity, Process):
            names.append(entity.name)
        elif entity is not None and entity.LABEL is Label.ACTIVITY:
            names += [index.caption(p) for p in index.sources(Rel.HAS_ACTIVITY, target)]
    return sorted(dict.fromkeys(n for n in names if n))


def has_routine(index: GraphIndex, risk_id: str) -> bool:
    """Whether every threatened process or activity is governed by a rutin (none: False)."""
    doable = [
        t
        for t in index.targets(Rel.THREATENS, risk_id)
        if (e := index.by_id.get(t)) is not None and e.LABEL in (Label.ACTIVITY, Label.PROCESS)
    ]

    def governed(entity_id: str) -> bool:
        return any(
            isinstance(d := index.by_id.get(doc), Document) and d.kind in HOW_TO_KINDS
            for doc in index.targets(Rel.GOVERNED_BY, entity_id)
        )

    return bool(doable) and all(governed(t) for t in doable)


def is_controlled(index: GraphIndex, risk_id: str) -> bool:
    """Whether a kontrollmoment or an egenkontroll checks the risk."""
    return bool(index.sources(Rel.CONTROLS, risk_id) or index.sources(Rel.CHECKS, risk_id))


def risks_in_order(index: GraphIndex, scope: str | None) -> list[Risk]:
    """The risks of the scope, highest value first (the register's order)."""
    units = index.scope(scope)
    risks = [r for r in index.all(Risk) if index.in_scope(r.id, units)]
    risks.sort(key=lambda r: (-r.value, -r.consequence, r.title))
    return risks


def table(snapshot: Snapshot, context: ExportContext) -> Table:
    """The analysis as one sheet."""
    index = GraphIndex(snapshot)
    matrix = matrix_of(index)
    found = Table(sheet(matrix))
    for risk in risks_in_order(index, context.scope):
        actions = sorted(
            a.title
            for a in (index.by_id.get(s) for s in index.sources(Rel.ADDRESSES, risk.id))
            if isinstance(a, Action)
        )
        owner = index.one(Rel.OWNED_BY, risk.id, Role)
        found.add(
            LIST_SEPARATOR.join(processes_of(index, risk.id)),
            risk.title,
            YES if has_routine(index, risk.id) else NO,
            YES if is_controlled(index, risk.id) else NO,
            scale_label(matrix.probability_labels, risk.probability),
            scale_label(matrix.consequence_labels, risk.consequence),
            risk.value,
            LIST_SEPARATOR.join(actions),
            owner.name if owner else "",
            risk.year,
            risk.id,
        )
    return found


@register_format(
    "ils-vor",
    title="ILS: väsentlighets- och riskanalys",
    description="Riskerna med rutin, löpande kontroller, sannolikhet, konsekvens och riskvärde.",
    suffix=".xlsx",
    media_type=XLSX,
    scoped=True,
)
def export(snapshot: Snapshot, context: ExportContext) -> Output:
    """The analysis as .xlsx (and CSV)."""
    return xlsx_output([table(snapshot, context)])
