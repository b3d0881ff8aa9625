"""Recording a målbedömning and an indicator's utfall: one unit of work, Swedish errors."""

from __future__ import annotations

import pytest

from qms.domain.entities import GoalAssessment, Indicator
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.labels import Label, Rel
from qms.services import goal_followup
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms

ACTOR = coordinator("samordnare")
FORM = {
    "year": "2026",
    "tertial": "3",
    "verdict": "partly_met",
    "analysis": "Bättre.",
    "planned_actions": "Fortsätt.",
}


def test_records_and_then_revises_one_tertial(demo: Qms) -> None:
    first = goal_followup.record_assessment(demo, ACTOR, "g-em-ekonomi-prognos", FORM)
    links = demo.store.neighbours(Label.GOAL, "g-em-ekonomi-prognos", Rel.HAS_ASSESSMENT)
    assert [n.id for n in links] == [first.id]
    again = goal_followup.record_assessment(
        demo, ACTOR, "g-em-ekonomi-prognos", FORM | {"verdict": "met", "planned_actions": ""}
    )
    assert again.id == first.id
    assert again.version == 2
    stored = demo.store.get(Label.GOAL_ASSESSMENT, first.id)
    assert isinstance(stored, GoalAssessment)
    assert stored.verdict == "met"


def test_not_met_needs_planned_actions(demo: Qms) -> None:
    before = demo.store.counts()["GoalAssessment"]
    with pytest.raises(InvalidInput) as caught:
        goal_followup.record_assessment(
            demo,
            ACTOR,
            "g-em-ekonomi-prognos",
            FORM | {"verdict": "not_met", "planned_actions": " "},
        )
    assert caught.value.errors == {
        "planned_actions": ["Ange planerade åtgärder när målet inte är uppfyllt."]
    }
    assert demo.store.counts()["GoalAssessment"] == before


def test_bad_fields_are_named_in_swedish(demo: Qms) -> None:
    with pytest.raises(InvalidInput) as caught:
        goal_followup.record_assessment(
            demo, ACTOR, "g-em-ekonomi-prognos", {"year": "tjugo", "tertial": "4", "verdict": "bra"}
        )
    errors = caught.value.errors
    assert errors["year"] == ["Ange ett heltal."]
    assert errors["tertial"] == ["Ange tertial 1, 2 eller 3 (3 = verksamhetsberättelsen)."]
    assert errors["analysis"] == ["Fältet måste fyllas i."]
    assert "verdict" in errors


def test_anonymous_may_not_assess(demo: Qms) -> None:
    with pytest.raises(Forbidden):
        goal_followup.record_assessment(demo, ANONYMOUS, "g-em-ekonomi-prognos", FORM)


def test_latest_outcome_updates_the_indicator(demo: Qms) -> None:
    form = {
        "indicator": "ind-nojdhet-hemtjanst",
        "year": "2026",
        "tertial": "3",
        "value": "89,5".replace(",", "."),
        "women": "90",
        "men": "",
    }
    saved = goal_followup.record_outcome(demo, ACTOR, "g-nm-aldre", {"ind-nojdhet-hemtjanst"}, form)
    assert (saved.value, saved.women, saved.men) == (89.5, 90.0, None)
    indicator = demo.store.get(Label.INDICATOR, "ind-nojdhet-hemtjanst")
    assert isinstance(indicator, Indicator)
    assert indicator.outcome_value == 89.5
    older = form | {"tertial": "1", "value": "80"}
    goal_followup.record_outcome(demo, ACTOR, "g-nm-aldre", {"ind-nojdhet-hemtjanst"}, older)
    indicator = demo.store.get(Label.INDICATOR, "ind-nojdhet-hemtjanst")
    assert isinstance(indicator, Indicator)
    assert indicator.outcome_value == 89.5


def test_outcome_of_another_goals_indicator_is_refused(demo: Qms) -> None:
    form = {"indicator": "ind-sjukfranvaro", "year": "2026", "tertial": "3", "value": "7"}
    with pytest.raises(InvalidInput) as caught:
        goal_followup.record_outcome(demo, ACTOR, "g-nm-aldre", {"ind-nojdhet-hemtjanst"}, form)
    assert caught.value.errors == {"indicator": ["Välj en av målets indikatorer."]}
