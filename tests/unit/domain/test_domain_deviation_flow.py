"""The avvikelse workflow: each step asks for what the next one builds on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from qms.domain.deviation_flow import (
    IVO_REPORT_DAYS,
    TRANSITIONS,
    Case,
    ivo_deadline,
    refusals,
)
from qms.domain.entities import Action, Cause, Deviation
from qms.domain.kinds import DeviationKind, DeviationStatus, IncidentClass

S = DeviationStatus
CAUSE = Cause(id="c-1", description="Otydlig rutin")
ACTION = Action(id="act-1", title="Skriv om rutinen")


def case(status: S = S.REGISTERED, **fields: object) -> Case:
    return Case(Deviation(id="av-1", title="Missad insats", status=status, **fields))  # type: ignore[arg-type]


def test_a_case_moves_one_step_at_a_time() -> None:
    assert refusals(case(investigator="Eva"), S.FOLLOW_UP) == [
        "Ärendet kan inte gå direkt dit; ta ett steg i taget."
    ]
    assert refusals(case(), S.REGISTERED) == ["Ärendet har redan den statusen."]


def test_investigation_needs_someone_investigating() -> None:
    assert refusals(case(), S.INVESTIGATING) == ["Ange vem som utreder ärendet."]
    assert refusals(case(investigator="Eva Lind"), S.INVESTIGATING) == []


def test_actions_need_a_root_cause() -> None:
    plain = case(S.INVESTIGATING, investigator="Eva")
    assert refusals(plain, S.ACTIONS) == ["Ange minst en grundorsak innan åtgärder planeras."]
    assert refusals(replace(plain, causes=(CAUSE,)), S.ACTIONS) == []


def test_lex_sarah_needs_its_classification_and_the_serious_decision() -> None:
    lex = replace(case(S.INVESTIGATING, kind=DeviationKind.LEX_SARAH), causes=(CAUSE,))
    assert len(refusals(lex, S.ACTIONS)) == 3
    decided = replace(
        lex,
        deviation=replace(
            lex.deviation,
            incident_class=IncidentClass.CARE_INJURY,  # a lex Maria class: wrong kind
            serious=False,
            serious_decided_by="Socialchef",
            serious_decided_on=date(2026, 10, 5),
        ),
    )
    assert refusals(decided, S.ACTIONS) == [
        "Ange om det gäller ett missförhållande/en vårdskada eller en risk för det."
    ]
    right = replace(
        decided, deviation=replace(decided.deviation, incident_class=IncidentClass.MISCONDUCT)
    )
    assert refusals(right, S.ACTIONS) == []


def test_every_action_must_address_a_cause_of_the_case() -> None:
    base = replace(
        case(S.ACTIONS, follow_up_on=date(2027, 1, 20)),
        causes=(CAUSE,),
        actions=((ACTION, frozenset({"c-other"})),),
    )
    assert refusals(base, S.FOLLOW_UP) == [
        "Åtgärden ”Skriv om rutinen” är inte kopplad till någon orsak."
    ]
    fixed = replace(base, actions=((ACTION, frozenset({"c-1"})),))
    assert refusals(fixed, S.FOLLOW_UP) == []
    no_date = replace(fixed, deviation=replace(fixed.deviation, follow_up_on=None))
    assert refusals(no_date, S.FOLLOW_UP) == ["Ange när åtgärdernas effekt ska följas upp."]


def test_closing_needs_the_follow_up_outcome_and_a_serious_case_reported_to_ivo() -> None:
    serious = case(
        S.FOLLOW_UP,
        kind=DeviationKind.LEX_MARIA,
        serious=True,
        serious_decided_on=date(2026, 10, 1),
    )
    assert refusals(serious, S.CLOSED) == [
        "Ange resultatet av uppföljningen.",
        "Ett allvarligt ärende ska vara anmält till IVO innan det avslutas.",
    ]
    done = replace(
        serious.deviation, follow_up_outcome="Inga nya fel", reported_to_ivo_on=date(2026, 10, 9)
    )
    assert refusals(Case(done), S.CLOSED) == []


def test_only_a_suggestion_may_be_answered_and_closed_at_once() -> None:
    assert refusals(case(), S.CLOSED) == [
        "Bara synpunkter kan besvaras och avslutas utan utredning."
    ]
    suggestion = case(kind=DeviationKind.SUGGESTION)
    assert refusals(suggestion, S.CLOSED) == ["Ange svaret på synpunkten."]
    answered = case(kind=DeviationKind.SUGGESTION, follow_up_outcome="Tack, vi ändrar menyn.")
    assert refusals(answered, S.CLOSED) == []


@pytest.mark.parametrize(
    ("status", "back"),
    [(s, t) for s, targets in TRANSITIONS.items() for t in targets[1:] if s is not S.REGISTERED],
)
def test_a_step_back_is_always_allowed(status: S, back: S) -> None:
    assert refusals(case(status), back) == []


def test_the_ivo_deadline_counts_from_the_serious_decision() -> None:
    lex = Deviation(
        id="av-2",
        title="x",
        kind=DeviationKind.LEX_SARAH,
        serious=True,
        serious_decided_on=date(2026, 11, 1),
    )
    due = ivo_deadline(lex, date(2026, 11, 12))
    assert due is not None
    assert due.due == date(2026, 11, 1 + IVO_REPORT_DAYS)
    assert (due.days_left, due.approaching, due.overdue) == (3, True, False)
    late = ivo_deadline(lex, date(2026, 11, 20))
    assert late is not None
    assert late.overdue
    reported = ivo_deadline(replace(lex, reported_to_ivo_on=date(2026, 11, 10)), date(2026, 12, 1))
    assert reported is not None
    assert not reported.overdue
    assert ivo_deadline(replace(lex, serious=False), date(2026, 11, 12)) is None
