"""``Deviations`` on a real embedded store: reporting, handling, the workflow, access."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qms.domain.deviation_flow import TRANSITIONS
from qms.domain.entities import Action, Cause, Deviation
from qms.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.kinds import DeviationKind, DeviationStatus, IncidentClass
from qms.domain.labels import Label, Rel
from qms.services.access import ANONYMOUS, Actor, Permission, coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.deviations import Deviations, StaleVersion

TODAY = date(2026, 11, 20)
S = DeviationStatus
COORDINATOR = coordinator("kim")
#: A medarbetare: may report and follow their own reports, nothing more.
REPORTER = Actor("mia", frozenset({Permission.REPORT_DEVIATIONS}), account="mia")
HANDLER_WITHOUT_READ = Actor("hanna", frozenset({Permission.HANDLE_DEVIATIONS}))
MODEL = """
org_units:
  - {id: u-top, name: Förvaltningen, level: administration}
  - {id: u-unit, name: Hemtjänst Syd, level: unit, parent: u-top}
processes:
  - id: p-care
    name: Hemtjänst
    kind: core
    org_unit: u-unit
    activities:
      - {id: a-plan, name: Planera besök, position: 1}
      - {id: a-visit, name: Utföra besök, position: 2}
  - {id: p-other, name: Lön, kind: support}
risks:
  - {id: r-missed, title: Missade besök, probability: 3, consequence: 4, threatens: [a-plan]}
self_inspections:
  - id: si-journal
    title: Journalgranskning
    checks: [a-visit, r-missed]
    org_unit: u-unit
    results:
      - id: ir-oct
        performed_on: 2026-10-16
        outcome: deficient
        findings: Fem av tio saknade genomförandeplan.
"""


@pytest.fixture
def qms(tmp_path: Path) -> Iterator[Qms]:
    """A small organisation: a unit, a process with two activities, a risk, an egenkontroll."""
    opened = Qms.open(Settings(data_dir=tmp_path / "data"))
    model = tmp_path / "model"
    model.mkdir()
    (model / "org.yaml").write_text(MODEL, encoding="utf-8")
    opened.load(model, "test")
    yield opened
    opened.close()


@pytest.fixture
def svc(qms: Qms) -> Deviations:
    """The service with today pinned."""
    return Deviations(qms, TODAY)


def report(svc: Deviations, **data: Any) -> Deviation:
    """A minimal valid report, with ``data`` on top."""
    base: dict[str, Any] = {"title": "Besök uteblev", "occurred_on": "2026-11-18"}
    return svc.report(REPORTER, base | {"process": "p-care"} | data)


def case_at(
    qms: Qms,
    status: DeviationStatus,
    kind: DeviationKind = DeviationKind.DEVIATION,
    **fields: Any,
) -> Deviation:
    """A case stored straight at ``status`` with all that status needs (a cause, an action)."""
    complete: dict[str, Any] = {
        "investigator": "Ulla",
        "follow_up_on": date(2026, 12, 1),
        "follow_up_outcome": "Inga fler missade besök.",
        "occurred_on": date(2026, 11, 1),
        "reported_on": date(2026, 11, 2),
    }
    if kind in (DeviationKind.LEX_SARAH, DeviationKind.LEX_MARIA):
        complete |= {
            "incident_class": IncidentClass.MISCONDUCT
            if kind is DeviationKind.LEX_SARAH
            else IncidentClass.CARE_INJURY,
            "serious": True,
            "serious_decided_by": "Avdelningschef",
            "serious_decided_on": date(2026, 11, 3),
            "reported_to_ivo_on": date(2026, 11, 10),
        }
    number = len(qms.store.entities(Label.DEVIATION)) + 1
    dev = Deviation(id=f"dev-{number}", title="Fall", kind=kind, status=status, **complete)
    dev = dataclasses.replace(dev, **fields)
    with qms.unit_of_work("test") as uow:
        uow.add(dev)
        uow.add(Cause(id=f"{dev.id}-c", description="Ingen rutin"))
        uow.add(Action(id=f"{dev.id}-a", title="Skriv rutin"))
        uow.link(Link(Rel.CAUSED_BY, dev.id, f"{dev.id}-c"))
        uow.link(Link(Rel.ADDRESSES, f"{dev.id}-a", f"{dev.id}-c"))
        uow.link(Link(Rel.AFFECTS, dev.id, "a-plan"))
    stored = qms.store.get(Label.DEVIATION, dev.id)
    assert isinstance(stored, Deviation)
    return stored


# -- report ------------------------------------------------------------------------------
def test_a_reporter_gets_a_case_number(svc: Deviations, qms: Qms) -> None:
    first = report(svc, activity="a-visit", org_unit="u-unit", location="Kök", kind="complaint")
    second = report(svc)
    assert (first.id, second.id) == ("av-2026-0001", "av-2026-0002")
    assert first.status is S.REGISTERED
    assert first.kind is DeviationKind.COMPLAINT
    assert first.reported_on == TODAY
    affected = {link.target for link in qms.store.outgoing(Label.DEVIATION, first.id, Rel.AFFECTS)}
    assert affected == {"p-care", "a-visit"}
    assert qms.store.neighbours(Label.DEVIATION, first.id, Rel.BELONGS_TO)[0].id == "u-unit"


def test_report_links_the_result_and_the_risk(svc: Deviations, qms: Qms) -> None:
    dev = report(svc, raised_by="ir-oct", realises="r-missed")
    view = svc.view(COORDINATOR, dev.id)
    assert view.result is not None
    assert view.result.id == "ir-oct"
    assert view.inspection is not None
    assert view.inspection.id == "si-journal"
    assert [r.id for r in view.reassess] == ["r-missed"]


def test_report_refuses_bad_input_field_by_field_and_saves_nothing(
    svc: Deviations, qms: Qms
) -> None:
    with pytest.raises(InvalidInput) as caught:
        svc.report(
            REPORTER,
            {"title": "x" * 10_000, "occurred_on": "2026-12-24", "process": "p-missing"},
        )
    assert caught.value.errors["title"] == ["Högst 300 tecken."]
    assert caught.value.errors["process"] == ["Processen finns inte."]
    with pytest.raises(InvalidInput) as future:
        svc.report(REPORTER, {"title": "Fall", "occurred_on": "2026-12-24", "location": "Hall"})
    assert future.value.errors == {"occurred_on": ["Datumet kan inte ligga i framtiden."]}
    with pytest.raises(InvalidInput) as nowhere:
        svc.report(REPORTER, {"title": " ", "occurred_on": "2026-11-01"})
    assert set(nowhere.value.errors) == {"title", "location"}
    assert qms.store.entities(Label.DEVIATION) == []


# -- update and optimistic locking ------------------------------------------------------
def test_update_needs_the_permission(svc: Deviations) -> None:
    dev = report(svc)
    with pytest.raises(Forbidden):
        svc.update(ANONYMOUS, dev.id, {"investigator": "Ulla"}, dev.version)


def test_stale_version_is_a_conflict_saying_what_changed(svc: Deviations, qms: Qms) -> None:
    dev = report(svc)
    svc.update(COORDINATOR, dev.id, {"investigator": "Ulla", "kind": "complaint"}, dev.version)
    with pytest.raises(StaleVersion) as caught:
        svc.update(COORDINATOR, dev.id, {"investigator": "Bengt"}, dev.version)
    assert isinstance(caught.value, Conflict)
    assert any(line.startswith("Utredare: – → Ulla (kim,") for line in caught.value.changes)
    assert any(line.startswith("Typ: avvikelse → klagomål") for line in caught.value.changes)
    stored = qms.store.get(Label.DEVIATION, dev.id)
    assert isinstance(stored, Deviation)
    assert stored.investigator == "Ulla"


def test_a_conflict_hides_personal_text_from_those_who_may_not_read_it(svc: Deviations) -> None:
    dev = report(svc)
    svc.update(COORDINATOR, dev.id, {"investigator": "Ulla"}, dev.version)
    with pytest.raises(StaleVersion) as caught:
        svc.update(HANDLER_WITHOUT_READ, dev.id, {"follow_up_on": "2026-12-01"}, dev.version)
    assert caught.value.changes[0].startswith("Utredare: (dold) → (dold)")


# -- causes and actions ------------------------------------------------------------------
def test_an_action_must_address_a_cause_of_this_case(svc: Deviations, qms: Qms) -> None:
    dev = report(svc)
    other = report(svc)
    own = svc.add_cause(COORDINATOR, dev.id, {"description": "Schemat saknar marginal"})
    foreign = svc.add_cause(COORDINATOR, other.id, {"description": "Annat"})
    with pytest.raises(InvalidInput) as none:
        svc.add_action(COORDINATOR, dev.id, {"title": "Ny rutin"}, [])
    assert none.value.errors == {"causes": ["Välj minst en orsak som åtgärden ska åtgärda."]}
    with pytest.raises(InvalidInput) as wrong:
        svc.add_action(COORDINATOR, dev.id, {"title": "Ny rutin"}, [foreign.id])
    assert wrong.value.errors == {"causes": ["Välj bland ärendets egna orsaker."]}
    assert qms.store.entities(Label.ACTION) == []
    action = svc.add_action(COORDINATOR, dev.id, {"title": "Ny rutin"}, [own.id])
    view = svc.view(COORDINATOR, dev.id)
    assert [(a.action.id, [c.id for c in a.causes]) for a in view.actions] == [
        (action.id, [own.id])
    ]


def test_action_field_errors_and_cause_errors_come_together(svc: Deviations) -> None:
    dev = report(svc)
    with pytest.raises(InvalidInput) as caught:
        svc.add_action(COORDINATOR, dev.id, {"title": "", "due_on": "inte ett datum"}, [])
    assert set(caught.value.errors) == {"title", "due_on", "causes"}


def test_unknown_case_is_not_found(svc: Deviations) -> None:
    with pytest.raises(NotFound):
        svc.view(COORDINATOR, "av-2026-9999")
    with pytest.raises(NotFound):
        svc.add_cause(COORDINATOR, "av-2026-9999", {"description": "x"})
    with pytest.raises(NotFound):
        svc.move(COORDINATOR, "r-missed", "investigating", 1)


# -- the workflow ----------------------------------------------------------------------
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition_is_allowed_or_refused_as_the_flow_says(
    svc: Deviations, qms: Qms, status: DeviationStatus, target: DeviationStatus
) -> None:
    dev = case_at(qms, status)
    allowed = target in TRANSITIONS[status] and not (status is S.REGISTERED and target is S.CLOSED)
    if not allowed:
        with pytest.raises(InvalidInput) as caught:
            svc.move(COORDINATOR, dev.id, target.value, dev.version)
        assert caught.value.errors  # a Swedish reason, by field
        stored = qms.store.get(Label.DEVIATION, dev.id)
        assert stored == dev
        return
    moved = svc.move(COORDINATOR, dev.id, target.value, dev.version)
    assert moved.deviation.status is target
    assert moved.deviation.closed_on == (TODAY if target is S.CLOSED else None)


def test_a_suggestion_is_answered_and_closed_from_registered(svc: Deviations) -> None:
    dev = report(svc, kind="suggestion")
    with pytest.raises(InvalidInput) as caught:
        svc.move(COORDINATOR, dev.id, "closed", dev.version)
    assert caught.value.errors == {"follow_up_outcome": ["Ange svaret på synpunkten."]}
    moved = svc.move(
        COORDINATOR, dev.id, "closed", dev.version, {"follow_up_outcome": "Tack, vi gör så."}
    )
    assert (moved.deviation.status, moved.deviation.closed_on) == (S.CLOSED, TODAY)


@pytest.mark.parametrize(
    ("status", "target", "missing", "field"),
    [
        (S.REGISTERED, S.INVESTIGATING, {"investigator": ""}, "investigator"),
        (S.ACTIONS, S.FOLLOW_UP, {"follow_up_on": None}, "follow_up_on"),
        (S.FOLLOW_UP, S.CLOSED, {"follow_up_outcome": ""}, "follow_up_outcome"),
    ],
)
def test_a_missing_field_refuses_the_step_by_that_field(
    svc: Deviations,
    qms: Qms,
    status: DeviationStatus,
    target: DeviationStatus,
    missing: dict[str, Any],
    field: str,
) -> None:
    dev = case_at(qms, status, **missing)
    with pytest.raises(InvalidInput) as caught:
        svc.move(COORDINATOR, dev.id, target.value, dev.version)
    assert list(caught.value.errors) == [field]
    assert qms.store.get(Label.DEVIATION, dev.id) == dev


def test_actions_need_a_root_cause(svc: Deviations, qms: Qms) -> None:
    dev = report(svc)
    moved = svc.move(COORDINATOR, dev.id, "investigating", dev.version, {"investigator": "Ulla"})
    with pytest.raises(InvalidInput) as caught:
        svc.move(COORDINATOR, dev.id, "actions", moved.deviation.version)
    assert caught.value.errors == {"causes": ["Ange minst en grundorsak innan åtgärder planeras."]}


def test_follow_up_needs_every_action_tied_to_a_cause(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.ACTIONS)
    with qms.unit_of_work("test") as uow:
        uow.add(Action(id="loose", title="Lös åtgärd"))
        uow.link(Link(Rel.ADDRESSES, "loose", dev.id))
    with pytest.raises(InvalidInput) as caught:
        svc.move(COORDINATOR, dev.id, "follow_up", dev.version)
    assert caught.value.errors == {
        "actions": ["Åtgärden ”Lös åtgärd” är inte kopplad till någon orsak."]
    }


def test_a_refused_move_saves_none_of_its_fields(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.ACTIONS, follow_up_on=None)
    with qms.unit_of_work("test") as uow:
        uow.add(Action(id="loose", title="Lös åtgärd"))
        uow.link(Link(Rel.ADDRESSES, "loose", dev.id))
    with pytest.raises(InvalidInput):
        svc.move(COORDINATOR, dev.id, "follow_up", dev.version, {"follow_up_on": "2026-12-01"})
    assert qms.store.get(Label.DEVIATION, dev.id) == dev


def test_a_stale_move_is_a_conflict(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.REGISTERED)
    svc.update(COORDINATOR, dev.id, {"investigator": "Bengt"}, dev.version)
    with pytest.raises(StaleVersion):
        svc.move(COORDINATOR, dev.id, "investigating", dev.version)


def test_lex_cases_need_the_assessment_before_actions(svc: Deviations, qms: Qms) -> None:
    dev = case_at(
        qms,
        S.INVESTIGATING,
        DeviationKind.LEX_SARAH,
        incident_class=None,
        serious=None,
        serious_decided_by="",
        serious_decided_on=None,
    )
    with pytest.raises(InvalidInput) as caught:
        svc.move(COORDINATOR, dev.id, "actions", dev.version)
    assert set(caught.value.errors) == {"incident_class", "serious", "serious_decided_by"}
    with pytest.raises(InvalidInput) as wrong_class:
        svc.classify(
            COORDINATOR,
            dev.id,
            {
                "incident_class": "care_injury",
                "serious": "true",
                "serious_decided_by": "Avdelningschef",
                "serious_decided_on": "2026-11-15",
            },
        )
    assert list(wrong_class.value.errors) == ["incident_class"]
    classified = svc.classify(
        COORDINATOR,
        dev.id,
        {
            "incident_class": "misconduct",
            "serious": "true",
            "serious_decided_by": "Avdelningschef",
            "serious_decided_on": "2026-11-15",
        },
        dev.version,
    )
    assert (classified.incident_class, classified.serious) == (IncidentClass.MISCONDUCT, True)
    svc.move(COORDINATOR, dev.id, "actions", classified.version)


def test_a_serious_lex_case_is_closed_only_after_the_ivo_report(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.FOLLOW_UP, DeviationKind.LEX_MARIA, reported_to_ivo_on=None)
    with pytest.raises(InvalidInput) as caught:
        svc.move(COORDINATOR, dev.id, "closed", dev.version)
    assert list(caught.value.errors) == ["reported_to_ivo_on"]
    deadline = svc.view(COORDINATOR, dev.id).ivo
    assert deadline is not None
    assert deadline.overdue
    reported = svc.record_ivo_report(
        COORDINATOR, dev.id, {"reported_to_ivo_on": "2026-11-19", "ivo_reference": "IVO 1/26"}
    )
    moved = svc.move(COORDINATOR, dev.id, "closed", reported.version)
    assert moved.deviation.status is S.CLOSED


def test_the_ivo_report_days_come_from_the_settings(qms: Qms) -> None:
    dev = case_at(qms, S.INVESTIGATING, DeviationKind.LEX_SARAH, reported_to_ivo_on=None)
    relaxed = Deviations(qms, TODAY, ivo_report_days=30).view(COORDINATOR, dev.id).ivo
    assert relaxed is not None
    assert relaxed.due == date(2026, 12, 3)


def test_closing_suggests_re_assessing_the_realised_risk(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.FOLLOW_UP)
    with qms.unit_of_work("test") as uow:
        uow.link(Link(Rel.REALISES, dev.id, "r-missed"))
    moved = svc.move(COORDINATOR, dev.id, "closed", dev.version)
    assert [r.id for r in moved.reassess] == ["r-missed"]
    reopened = svc.move(COORDINATOR, dev.id, "follow_up", moved.deviation.version)
    assert reopened.deviation.closed_on is None
    assert reopened.reassess == ()


def test_a_closed_case_takes_no_edits(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.CLOSED)
    with pytest.raises(InvalidInput):
        svc.add_cause(COORDINATOR, dev.id, {"description": "Sent påkommen"})


def test_steps_say_what_each_move_needs(svc: Deviations) -> None:
    dev = report(svc)
    (step,) = svc.view(COORDINATOR, dev.id).steps
    assert step.target is S.INVESTIGATING
    assert step.forward
    assert step.refusals == ("Ange vem som utreder ärendet.",)
    assert step.fields == ("investigator",)
    assert step.possible


# -- access ------------------------------------------------------------------------------
def test_the_view_withholds_personal_text_without_the_permission(svc: Deviations, qms: Qms) -> None:
    dev = case_at(qms, S.ACTIONS, description="Kunden Anna föll", location="Storgatan 1")
    view = svc.view(ANONYMOUS, dev.id)
    assert view.restricted
    assert view.notice
    assert all(getattr(view.deviation, name) == "" for name in Deviation.PERSONAL)
    assert (view.causes, view.actions, view.steps) == ((), (), ())
    assert (view.cause_count, view.action_count) == (1, 1)
    assert view.deviation.status is S.ACTIONS
    full = svc.view(COORDINATOR, dev.id)
    assert full.deviation.location == "Storgatan 1"
    assert len(full.causes) == 1


def test_the_register_gives_counts_only_without_the_permission(svc: Deviations) -> None:
    report(svc)
    report(svc, kind="complaint")
    hidden = svc.list(ANONYMOUS)
    assert hidden.rows == ()
    assert hidden.total == 2
    assert hidden.restricted
    assert hidden.by_kind[DeviationKind.COMPLAINT] == 1
    assert len(svc.list(COORDINATOR).rows) == 2


# -- the register and figures ----------------------------------------------------------
def test_lex_cases_with_an_ivo_deadline_come_first(svc: Deviations, qms: Qms) -> None:
    plain = case_at(qms, S.INVESTIGATING, occurred_on=date(2026, 11, 19))
    late = case_at(qms, S.INVESTIGATING, DeviationKind.LEX_SARAH, reported_to_ivo_on=None)
    soon = case_at(
        qms,
        S.INVESTIGATING,
        DeviationKind.LEX_MARIA,
        reported_to_ivo_on=None,
        serious_decided_on=date(2026, 11, 10),
    )
    ids = [row.deviation.id for row in svc.list(COORDINATOR).rows]
    assert ids == [late.id, soon.id, plain.id]


def test_the_register_filters(svc: Deviations, qms: Qms) -> None:
    in_unit = report(svc, org_unit="u-unit", kind="complaint")
    other = report(svc, process="p-other")
    by_parent = svc.list(COORDINATOR, {"org_unit": "u-top"})
    assert [r.deviation.id for r in by_parent.rows] == [in_unit.id]
    by_process = svc.list(COORDINATOR, {"process": "p-other"})
    assert [r.deviation.id for r in by_process.rows] == [other.id]
    assert svc.list(COORDINATOR, {"kind": "complaint", "status": "registered"}).total == 1
    with pytest.raises(InvalidInput) as caught:
        svc.list(COORDINATOR, {"status": "nonsense", "org_unit": "u-nope"})
    assert set(caught.value.errors) == {"status"}


def test_overdue_follow_ups_and_open_cases_per_process_and_month(svc: Deviations, qms: Qms) -> None:
    late = case_at(qms, S.FOLLOW_UP, follow_up_on=date(2026, 11, 1))
    case_at(qms, S.CLOSED, follow_up_on=date(2026, 10, 1))
    case_at(qms, S.ACTIONS, follow_up_on=date(2026, 12, 24))
    assert [d.id for d in svc.overdue_follow_ups()] == [late.id]
    report(svc, activity="a-visit", occurred_on="2026-10-05")
    counts = svc.open_by_process_and_month()
    assert counts == {"p-care": {"2026-10": 1, "2026-11": 2}}  # the closed one left out


def test_prefill_from_an_inspection_result(svc: Deviations) -> None:
    values = svc.prefill({"result": "ir-oct"})
    assert values == {
        "raised_by": "ir-oct",
        "title": "Brist vid egenkontroll: Journalgranskning",
        "description": "Fem av tio saknade genomförandeplan.",
        "occurred_on": date(2026, 10, 16),
        "process": "p-care",
        "activity": "a-visit",
        "realises": "r-missed",
        "org_unit": "u-unit",
    }
    assert svc.prefill({"process": "p-nope", "activity": "a-plan"}) == {
        "activity": "a-plan",
        "process": "p-care",
    }


def test_a_visitor_without_the_permission_may_not_report(svc: Deviations, qms: Qms) -> None:
    before = len(qms.store.entities(Label.DEVIATION))
    with pytest.raises(Forbidden):
        svc.report(ANONYMOUS, {"title": "Fall", "occurred_on": "2026-11-01", "location": "Hall"})
    assert len(qms.store.entities(Label.DEVIATION)) == before


def test_the_reporter_reads_their_own_case_and_no_other(svc: Deviations) -> None:
    own = report(svc, description="Brukaren Anna föll")
    other = svc.report(
        Actor("bo", frozenset({Permission.REPORT_DEVIATIONS}), account="bo"),
        {"title": "Annat fall", "occurred_on": "2026-11-01", "location": "Hall"},
    )
    assert own.reported_by_account == "mia"
    assert not svc.view(REPORTER, own.id).restricted
    assert svc.view(REPORTER, other.id).restricted
    listed = {row.deviation.id for row in svc.list(REPORTER).rows}
    assert own.id in listed
    assert other.id not in listed


def test_a_case_reported_on_a_process_belongs_to_the_process_s_unit(
    svc: Deviations, qms: Qms
) -> None:
    dev = report(svc)  # only the process is given
    assert [n.id for n in qms.store.neighbours(Label.DEVIATION, dev.id, Rel.BELONGS_TO)] == [
        "u-unit"
    ]
