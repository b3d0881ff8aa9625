"""Every demo avvikelse could have reached its status under the workflow rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest

from process_models import DEMO
from qms.domain.deviation_flow import ANSWER_ONLY, Case, is_lex, ivo_deadline, refusals
from qms.domain.entities import Deviation
from qms.domain.kinds import DeviationStatus
from qms.domain.labels import Label
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.deviation_reads import load_case

S = DeviationStatus
MAIN_LINE = (S.REGISTERED, S.INVESTIGATING, S.ACTIONS, S.FOLLOW_UP, S.CLOSED)
#: The demo's "now": its newest dates are from November 2026.
DEMO_NOW = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    """The demo organisation loaded from its files (read only here)."""
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("demo-deviations")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def path_to(case: Case) -> list[DeviationStatus]:
    """The statuses the case went through, from registrerad to where it is."""
    dev = case.deviation
    if dev.status is S.CLOSED and dev.kind in ANSWER_ONLY and not case.causes:
        return [S.REGISTERED, S.CLOSED]
    return list(MAIN_LINE[: MAIN_LINE.index(dev.status) + 1])


def demo_cases(demo: Qms) -> list[Case]:
    return [load_case(demo.store, d.id)[0] for d in demo.store.entities(Label.DEVIATION)]


def test_every_demo_case_could_have_reached_its_status(demo: Qms) -> None:
    problems = {}
    for case in demo_cases(demo):
        path = path_to(case)
        for before, after in zip(path, path[1:], strict=False):
            at = dataclasses.replace(case.deviation, status=before)
            reasons = refusals(Case(at, case.causes, case.actions), after)
            if reasons:
                problems[f"{case.deviation.id} {before}→{after}"] = reasons
    assert problems == {}


@pytest.mark.parametrize("status", list(S))
def test_the_demo_has_a_case_in_every_status(demo: Qms, status: DeviationStatus) -> None:
    assert any(case.deviation.status is status for case in demo_cases(demo))


def test_demo_cases_carry_the_fields_of_their_status(demo: Qms) -> None:
    for case in demo_cases(demo):
        dev = case.deviation
        assert dev.reported_on is not None, dev.id
        assert dev.occurred_on is not None, dev.id
        assert dev.occurred_on <= dev.reported_on, dev.id
        assert (dev.closed_on is not None) == (dev.status is S.CLOSED), dev.id
        if dev.status is S.CLOSED:
            assert dev.follow_up_outcome
            assert dev.closed_on
            assert dev.closed_on >= dev.reported_on
        if dev.status is not S.REGISTERED:
            assert dev.investigator, dev.id


def test_a_demo_lex_case_has_its_ivo_report_due_in_november(demo: Qms) -> None:
    lex = [
        d
        for d in demo.store.entities(Label.DEVIATION)
        if isinstance(d, Deviation) and is_lex(d) and d.serious
    ]
    assert {d.kind for d in lex} == {"lex_sarah", "lex_maria"}
    deadlines = [ivo_deadline(d, DEMO_NOW) for d in lex]
    assert any(d is not None and (d.approaching or d.overdue) for d in deadlines)
    assert all(d is not None and (d.reported_on or d.due >= date(2026, 11, 1)) for d in deadlines)
