"""Read models of the avvikelse pages: the case with its next steps, and the register."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from qms.domain.deviation_flow import (
    ANSWER_ONLY,
    TRANSITIONS,
    Case,
    IvoDeadline,
    ivo_deadline,
)
from qms.domain.deviation_flow import refusals as flow_refusals
from qms.domain.entities import (
    Action,
    Cause,
    Deviation,
    InspectionResult,
    Risk,
    SelfInspection,
)
from qms.domain.kinds import DeviationKind, DeviationStatus
from qms.domain.labels import Label, Rel
from qms.services.deviation_reads import (
    Links,
    affected_processes,
    process_of_activity,
)
from qms.services.deviation_reads import deviations as all_deviations
from qms.services.org_units import unit_subtree
from qms.storage.port import GraphStore

S = DeviationStatus
#: Fields the form of a step may fill in on the way (the rest of what a step needs has a form
#: of its own: causes, actions, classification, IVO report).
INLINE: dict[DeviationStatus, tuple[str, ...]] = {
    S.INVESTIGATING: ("investigator",),
    S.FOLLOW_UP: ("follow_up_on",),
    S.CLOSED: ("follow_up_outcome",),
}
_PLACEHOLDER: dict[str, Any] = {
    "investigator": "x",
    "follow_up_on": date(2000, 1, 1),
    "follow_up_outcome": "x",
}
#: How many rows the register shows at most (filters narrow it).
MAX_ROWS = 500


@dataclass(frozen=True)
class Step:
    """A status the case may move to from where it is, and what stands in the way."""

    target: DeviationStatus
    forward: bool
    refusals: tuple[str, ...]
    #: What the step's own form cannot fill in (the step is possible once these are done).
    blocking: tuple[str, ...]
    #: Fields the step's form asks for on the way.
    fields: tuple[str, ...]

    @property
    def possible(self) -> bool:
        """Whether submitting the step's form (with its fields filled) can succeed."""
        return not self.blocking


@dataclass(frozen=True)
class ActionView:
    """An action with the causes of this case it addresses."""

    action: Action
    causes: tuple[Cause, ...]


@dataclass(frozen=True)
class CaseView:
    """The detail page of one case, as much of it as the actor may see."""

    deviation: Deviation
    restricted: bool
    may_handle: bool
    causes: tuple[Cause, ...]
    actions: tuple[ActionView, ...]
    cause_count: int
    action_count: int
    links: Links
    ivo: IvoDeadline | None
    steps: tuple[Step, ...]
    notice: str = ""

    @property
    def reassess(self) -> tuple[Risk, ...]:
        """The risks this case realised: their assessment should be looked at again."""
        return self.links.risks

    @property
    def result(self) -> InspectionResult | None:
        """The egenkontroll result that found it."""
        return self.links.result

    @property
    def inspection(self) -> SelfInspection | None:
        """The egenkontroll that found it."""
        return self.links.inspection


def steps(case: Case) -> tuple[Step, ...]:
    """The moves open from the case's status, each with its refusals."""
    dev = case.deviation
    found = []
    for index, target in enumerate(TRANSITIONS[dev.status]):
        if target is S.CLOSED and dev.status is S.REGISTERED and dev.kind not in ANSWER_ONLY:
            continue  # only a synpunkt may be answered straight away; no point offering it
        reasons = tuple(flow_refusals(case, target))
        fields = tuple(f for f in INLINE.get(target, ()) if not getattr(dev, f)) if reasons else ()
        blocking = reasons
        if fields:
            filled = dataclasses.replace(dev, **{f: _PLACEHOLDER[f] for f in fields})
            blocking = tuple(flow_refusals(Case(filled, case.causes, case.actions), target))
        forward = index == 0 or dev.status is S.REGISTERED
        found.append(Step(target, forward, reasons, blocking, fields))
    return tuple(found)


def case_view(
    case: Case,
    links: Links,
    *,
    restricted: bool,
    may_handle: bool,
    today: date,
    ivo_days: int,
    notice: str,
    withhold: Any,
) -> CaseView:
    """The case as the actor may see it (``withhold`` empties the personal fields)."""
    dev = case.deviation
    by_id = {c.id: c for c in case.causes}
    actions = tuple(
        ActionView(a, tuple(by_id[c] for c in sorted(addressed) if c in by_id))
        for a, addressed in case.actions
    )
    return CaseView(
        deviation=withhold(dev) if restricted else dev,
        restricted=restricted,
        may_handle=may_handle,
        causes=() if restricted else case.causes,
        actions=() if restricted else actions,
        cause_count=len(case.causes),
        action_count=len(case.actions),
        links=links,
        ivo=ivo_deadline(dev, today, ivo_days),
        steps=steps(case) if may_handle and not restricted else (),
        notice=notice if restricted else "",
    )


@dataclass(frozen=True)
class Row:
    """One line of the register."""

    deviation: Deviation
    ivo: IvoDeadline | None
    unit: str
    processes: tuple[str, ...]


@dataclass(frozen=True)
class Register:
    """The register: rows for those who may read them, counts for everyone."""

    rows: tuple[Row, ...]
    restricted: bool
    total: int
    by_status: dict[DeviationStatus, int]
    by_kind: dict[DeviationKind, int]
    filters: dict[str, Any]
    truncated: bool = False
    notice: str = ""


def _urgency(row: Row) -> tuple[int, int, str]:
    ivo = row.ivo
    if ivo is not None and ivo.overdue:
        return (0, ivo.due.toordinal(), row.deviation.id)
    if ivo is not None and ivo.approaching:
        return (1, ivo.due.toordinal(), row.deviation.id)
    when = row.deviation.occurred_on or row.deviation.reported_on or date.min
    return (2, -when.toordinal(), row.deviation.id)


def register(
    store: GraphStore,
    filters: Mapping[str, Any],
    *,
    readable: Callable[[Deviation, str | None], bool],
    today: date,
    ivo_days: int,
    notice: str,
) -> Register:
    """The filtered register; lex cases whose IVO report is due soon or late come first.

    Counts cover every selected case; rows only the cases ``readable(case, unit)`` allows.
    """
    activity_process = process_of_activity(store)
    affected = affected_processes(store, activity_process)
    unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
    units = {u.id: u.caption for u in store.entities(Label.ORG_UNIT)}
    selected = all_deviations(store)
    if filters.get("status"):
        selected = [d for d in selected if d.status == filters["status"]]
    if filters.get("kind"):
        selected = [d for d in selected if d.kind == filters["kind"]]
    if filters.get("org_unit"):
        wanted = unit_subtree(store, filters["org_unit"])
        selected = [d for d in selected if unit_of.get(d.id) in wanted]
    if filters.get("process"):
        process = filters["process"]
        selected = [d for d in selected if process in affected.get(d.id, ())]
    by_status = Counter(d.status for d in selected)
    by_kind = Counter(d.kind for d in selected)
    shown = [d for d in selected if readable(d, unit_of.get(d.id))]
    rows: list[Row] = []
    if shown:
        process_names = {p.id: p.caption for p in store.entities(Label.PROCESS)}
        rows = sorted(
            (
                Row(
                    d,
                    ivo_deadline(d, today, ivo_days),
                    units.get(unit_of.get(d.id, ""), ""),
                    tuple(sorted(process_names.get(p, p) for p in affected.get(d.id, ()))),
                )
                for d in shown
            ),
            key=_urgency,
        )
    restricted = len(shown) < len(selected)
    return Register(
        rows=tuple(rows[:MAX_ROWS]),
        restricted=restricted,
        total=len(selected),
        by_status={s: by_status.get(s, 0) for s in DeviationStatus},
        by_kind={k: by_kind.get(k, 0) for k in DeviationKind},
        filters=dict(filters),
        truncated=len(rows) > MAX_ROWS,
        notice=notice if restricted else "",
    )
