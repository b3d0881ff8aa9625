"""Entity schemas built from the domain: required fields, Swedish messages, references."""

from datetime import date
from enum import StrEnum
from typing import Any

import pytest
from marshmallow import ValidationError

from qms.domain.kinds import (
    ActionStatus,
    ActivityType,
    DeviationKind,
    DeviationStatus,
    DocumentKind,
    DocumentStatus,
    Frequency,
    GoalLevel,
    InspectionOutcome,
    OrgLevel,
    ProcessKind,
    RiskStatus,
)
from qms.domain.labels import Label
from qms.services.schemas import ID_FIELD_MESSAGE, entity_schema

REQUIRED = "Fältet måste fyllas i."
NOT_EMPTY = "Fältet får inte vara tomt."
INVALID = "Ogiltigt värde."
UNKNOWN = "Okänt fält."
BAD_DATE = "Ogiltigt datum (ÅÅÅÅ-MM-DD)."
SCALE = "Ange ett värde från 1 till 5."


def load(label: Label, data: Any) -> dict[str, Any]:
    result: dict[str, Any] = entity_schema(label)().load(data)
    return result


def errors(label: Label, data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        load(label, data)
    messages: dict[str, Any] = caught.value.messages  # type: ignore[assignment]
    return messages


MINIMAL: dict[Label, dict[str, Any]] = {
    Label.ORG_UNIT: {"name": "Äldreomsorg", "level": "department"},
    Label.GOAL: {"title": "Trygg äldreomsorg", "level": "unit"},
    Label.EXPECTED_RESULT: {"description": "Fler nöjda brukare"},
    Label.INDICATOR: {"name": "Nöjdhet"},
    Label.INITIATIVE: {"title": "Utbildning i lex Sarah"},
    Label.ROLE: {"name": "Enhetschef"},
    Label.DOCUMENT: {"title": "Rutin för läkemedel", "kind": "routine"},
    Label.PROCESS: {"name": "Hemtjänst", "kind": "core"},
    Label.ACTIVITY: {"name": "Dela läkemedel"},
    Label.RISK: {"title": "Fall i hemmet"},
    Label.SELF_INSPECTION: {"title": "Journalgranskning"},
    Label.INSPECTION_RESULT: {"performed_on": "2025-03-01"},
    Label.DEVIATION: {"title": "Missad insats"},
    Label.CAUSE: {"description": "Otydlig rutin"},
    Label.ACTION: {"title": "Uppdatera rutinen"},
    Label.PROCESS_MODEL: {"xml": "<definitions/>"},
    Label.ACCOUNT: {"name": "Anna Andersson"},
    Label.API_TOKEN: {"name": "Stratsys", "account": "anna", "secret_hash": "ab12"},
    Label.GOAL_ASSESSMENT: {"year": 2026, "tertial": 1, "verdict": "met"},
    Label.INDICATOR_OUTCOME: {"year": 2026, "tertial": 2},
    Label.RISK_MATRIX: {
        "name": "Riskmatris",
        "probability_labels": ["Låg", "Medel", "Hög"],
        "consequence_labels": ["Liten", "Märkbar", "Allvarlig"],
        "level_names": ["Grön", "Röd"],
        "level_colours": ["#00aa00", "#aa0000"],
        "level_minimums": ["1", "5"],
        "control_threshold": 5,
    },
    Label.CONTROL: {"title": "Stickprov av delegeringar"},
}


def test_every_label_has_a_minimal_example() -> None:
    assert set(MINIMAL) == set(Label)


@pytest.mark.parametrize("label", list(Label))
def test_only_the_documented_fields_are_required(label: Label) -> None:
    assert errors(label, {"id": "x1"}) == {name: [REQUIRED] for name in MINIMAL[label]}


@pytest.mark.parametrize("label", list(Label))
def test_a_minimal_entity_loads_as_given(label: Label) -> None:
    data = {"id": "x1", **MINIMAL[label]}
    loaded = load(label, data)
    assert set(loaded) == set(data)
    assert loaded["id"] == "x1"


def test_the_id_is_required() -> None:
    assert errors(Label.ROLE, {"name": "Enhetschef"}) == {"id": [REQUIRED]}


@pytest.mark.parametrize("bad_id", ["", "-p", "p 1", "hemtjänst", "p/1", "x" * 101])
def test_an_invalid_id_is_explained(bad_id: str) -> None:
    assert errors(Label.ROLE, {"id": bad_id, "name": "Chef"}) == {"id": [ID_FIELD_MESSAGE]}


def test_a_required_field_may_not_be_null() -> None:
    assert errors(Label.ROLE, {"id": "r1", "name": None}) == {"name": [NOT_EMPTY]}


def test_optional_fields_may_be_null() -> None:
    loaded = load(
        Label.DOCUMENT,
        {
            "id": "d1",
            "title": "Rutin",
            "kind": "routine",
            "review_by": None,
            "body": None,
            "status": None,
        },
    )
    assert (loaded["review_by"], loaded["body"], loaded["status"]) == (None, None, None)


def test_input_that_is_not_a_mapping_is_refused_in_swedish() -> None:
    assert errors(Label.ROLE, ["r1"]) == {"_schema": ["Ogiltig typ: en mappning krävs."]}


@pytest.mark.parametrize(
    "field",
    ["foo", "version", "created_by", "updated_at", "position_in_list"],
)
def test_unknown_and_audit_fields_are_refused(field: str) -> None:
    assert errors(Label.ROLE, {"id": "r1", "name": "Chef", field: 1}) == {field: [UNKNOWN]}


@pytest.mark.parametrize(
    ("label", "field", "kind"),
    [
        (Label.ORG_UNIT, "level", OrgLevel),
        (Label.GOAL, "level", GoalLevel),
        (Label.PROCESS, "kind", ProcessKind),
        (Label.ACTIVITY, "node_type", ActivityType),
        (Label.DOCUMENT, "kind", DocumentKind),
        (Label.DOCUMENT, "status", DocumentStatus),
        (Label.RISK, "status", RiskStatus),
        (Label.SELF_INSPECTION, "frequency", Frequency),
        (Label.INSPECTION_RESULT, "outcome", InspectionOutcome),
        (Label.DEVIATION, "kind", DeviationKind),
        (Label.DEVIATION, "status", DeviationStatus),
        (Label.ACTION, "status", ActionStatus),
    ],
)
def test_an_enum_field_lists_the_allowed_values(
    label: Label, field: str, kind: type[StrEnum]
) -> None:
    data = {"id": "x1", **MINIMAL[label], field: "nonsense"}
    allowed = ", ".join(member.value for member in kind)
    assert errors(label, data) == {field: [f"Ogiltigt värde; tillåtna: {allowed}."]}
    for member in kind:
        assert load(label, {**data, field: member.value})[field] == member.value


def test_enum_values_are_case_sensitive() -> None:
    assert "kind" in errors(Label.PROCESS, {"id": "p1", "name": "P", "kind": "Core"})


@pytest.mark.parametrize("value", ["2025-03-01", date(2025, 3, 1)])
def test_dates_load_from_iso_text_or_a_yaml_date(value: Any) -> None:
    loaded = load(Label.DOCUMENT, {"id": "d1", "title": "R", "kind": "routine", "review_by": value})
    assert loaded["review_by"] == date(2025, 3, 1)


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "01/03/2025", "snart", 20250301])
def test_a_bad_date_is_explained(value: Any) -> None:
    data = {"id": "d1", "title": "R", "kind": "routine", "review_by": value}
    assert errors(Label.DOCUMENT, data) == {"review_by": [BAD_DATE]}


def test_a_required_date_is_required() -> None:
    assert errors(Label.INSPECTION_RESULT, {"id": "ir1"}) == {"performed_on": [REQUIRED]}


def test_list_fields_load_lists_of_text() -> None:
    loaded = load(
        Label.PROCESS,
        {
            "id": "p1",
            "name": "P",
            "kind": "core",
            "recipients": ["brukare", "anhöriga"],
            "stakeholders": [],
        },
    )
    assert loaded["recipients"] == ["brukare", "anhöriga"]
    assert loaded["stakeholders"] == []


def test_a_list_field_refuses_a_single_text() -> None:
    data = {"id": "p1", "name": "P", "kind": "core", "recipients": "brukare"}
    assert errors(Label.PROCESS, data) == {"recipients": [INVALID]}


def test_a_list_field_names_the_bad_item() -> None:
    data = {"id": "a1", "name": "A", "inputs": ["beslut", 7]}
    assert errors(Label.ACTIVITY, data) == {"inputs": {1: [INVALID]}}


@pytest.mark.parametrize(
    ("label", "field", "value"),
    [
        (Label.GOAL, "year", "tjugo"),
        (Label.GOAL, "year", True),
        (Label.INDICATOR, "target_value", "många"),
        (Label.PROCESS, "archived", "kanske"),
        (Label.ROLE, "description", ["a"]),
    ],
)
def test_a_value_of_the_wrong_type_is_explained_in_swedish(
    label: Label, field: str, value: Any
) -> None:
    assert errors(label, {"id": "x1", **MINIMAL[label], field: value}) == {field: [INVALID]}


def test_numbers_and_flags_load_as_numbers_and_flags() -> None:
    loaded = load(
        Label.INDICATOR,
        {"id": "i1", "name": "Nöjdhet", "target_value": "87.5", "split_by_gender": True},
    )
    assert loaded["target_value"] == 87.5
    assert loaded["split_by_gender"] is True
    assert (
        load(Label.GOAL, {"id": "g1", "title": "G", "level": "unit", "year": "2025"})["year"]
        == 2025
    )


def test_text_up_to_twenty_thousand_characters_is_accepted() -> None:
    body = "x" * 20000
    assert (
        load(Label.DOCUMENT, {"id": "d1", "title": "R", "kind": "routine", "body": body})["body"]
        == body
    )


def test_too_long_text_is_explained_in_swedish() -> None:
    messages = errors(
        Label.DOCUMENT, {"id": "d1", "title": "R", "kind": "routine", "body": "x" * 20001}
    )
    assert list(messages) == ["body"]
    assert not messages["body"][0].startswith("Longer than")


def test_a_number_that_is_not_finite_is_refused_in_swedish() -> None:
    messages = errors(Label.INDICATOR, {"id": "i1", "name": "N", "target_value": float("nan")})
    assert list(messages) == ["target_value"]
    assert not messages["target_value"][0].startswith("Special numeric values")


# -- references ----------------------------------------------------------------------


def test_a_single_reference_is_an_id() -> None:
    loaded = load(
        Label.PROCESS, {"id": "p1", "name": "P", "kind": "core", "owner": "r-chef", "parent": None}
    )
    assert (loaded["owner"], loaded["parent"]) == ("r-chef", None)


def test_a_single_reference_may_not_be_a_mapping() -> None:
    data = {"id": "p1", "name": "P", "kind": "core", "owner": {"id": "r-chef", "name": "Chef"}}
    assert errors(Label.PROCESS, data) == {"owner": [INVALID]}


def test_a_list_reference_holds_ids() -> None:
    loaded = load(Label.RISK, {"id": "rk1", "title": "Fall", "threatens": ["a1", "p1", "g1"]})
    assert loaded["threatens"] == ["a1", "p1", "g1"]


def test_a_list_reference_must_be_a_list() -> None:
    data = {"id": "rk1", "title": "Fall", "threatens": "a1"}
    assert errors(Label.RISK, data) == {"threatens": [INVALID]}


def test_a_list_reference_to_one_label_may_nest_the_entities() -> None:
    loaded = load(
        Label.PROCESS,
        {
            "id": "p1",
            "name": "P",
            "kind": "core",
            "activities": ["a0", {"id": "a1", "name": "Ta emot", "node_type": "start_event"}],
        },
    )
    assert loaded["activities"] == [
        "a0",
        {"id": "a1", "name": "Ta emot", "node_type": "start_event"},
    ]


def test_nested_entities_are_validated_by_their_own_schema() -> None:
    data = {
        "id": "p1",
        "name": "P",
        "kind": "core",
        "activities": [{"id": "a1"}, {"id": "a2", "name": "A", "colour": "red"}],
    }
    assert errors(Label.PROCESS, data) == {
        "activities": {0: {"name": [REQUIRED]}, 1: {"colour": [UNKNOWN]}}
    }


def test_nested_entities_may_nest_further() -> None:
    loaded = load(
        Label.PROCESS,
        {
            "id": "p1",
            "name": "P",
            "kind": "core",
            "activities": [
                {
                    "id": "a1",
                    "name": "A",
                    "documents": [{"id": "d1", "title": "Rutin", "kind": "routine"}],
                }
            ],
        },
    )
    assert loaded["activities"][0]["documents"][0]["kind"] == "routine"


def test_a_list_reference_to_several_labels_takes_ids_only() -> None:
    data = {"id": "rk1", "title": "Fall", "threatens": [{"id": "a1", "name": "A"}]}
    assert errors(Label.RISK, data) == {"threatens": {0: ["Ange ett id."]}}


def test_a_reference_item_that_is_neither_id_nor_mapping_is_explained() -> None:
    data = {"id": "p1", "name": "P", "kind": "core", "activities": [7]}
    assert errors(Label.PROCESS, data) == {
        "activities": {0: ["Ange ett id eller ett inbäddat objekt."]}
    }


def test_a_reference_item_may_not_be_null() -> None:
    data = {"id": "d1", "title": "Avvikelse", "causes": [None]}
    assert errors(Label.DEVIATION, data) == {"causes": {0: [NOT_EMPTY]}}


# -- the risk scale ------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_risk_scale_accepts_one_to_five(value: int) -> None:
    loaded = load(
        Label.RISK, {"id": "rk1", "title": "Fall", "probability": value, "consequence": value}
    )
    assert (loaded["probability"], loaded["consequence"]) == (value, value)


@pytest.mark.parametrize("value", [0, 6, -1, 25])
@pytest.mark.parametrize("field", ["probability", "consequence"])
def test_risk_scale_refuses_values_outside_one_to_five(field: str, value: int) -> None:
    assert errors(Label.RISK, {"id": "rk1", "title": "Fall", field: value}) == {field: [SCALE]}


def test_risk_scale_reports_both_fields_at_once() -> None:
    data = {"id": "rk1", "title": "Fall", "probability": 0, "consequence": 9}
    assert errors(Label.RISK, data) == {"probability": [SCALE], "consequence": [SCALE]}


def test_risk_scale_is_not_checked_on_other_labels() -> None:
    assert "probability" in errors(Label.DEVIATION, {"id": "d1", "title": "A", "probability": 3})


def test_an_empty_risk_scale_value_is_loaded_or_explained() -> None:
    try:
        loaded = load(Label.RISK, {"id": "rk1", "title": "Fall", "probability": None})
    except ValidationError as exc:
        assert list(exc.messages) == ["probability"]  # noqa: PT017
    else:
        assert loaded["probability"] is None


# -- activity flows ------------------------------------------------------------------


def test_activity_flows_get_defaults() -> None:
    loaded = load(
        Label.ACTIVITY,
        {
            "id": "a-bedom",
            "name": "Är händelsen allvarlig?",
            "node_type": "exclusive_gateway",
            "next": [
                {"to": "a-anmal", "name": "Ja", "condition": "allvarligt missförhållande"},
                {"to": "a-atgarda", "default": True},
            ],
        },
    )
    assert loaded["next"] == [
        {
            "to": "a-anmal",
            "name": "Ja",
            "condition": "allvarligt missförhållande",
            "default": False,
        },
        {"to": "a-atgarda", "name": "", "condition": "", "default": True},
    ]


def test_a_flow_needs_a_target_and_known_keys_in_a_mapping() -> None:
    data = {"id": "a1", "name": "A", "next": [{"name": "Ja"}, {"to": "a2", "when": "x"}, "a3"]}
    assert errors(Label.ACTIVITY, data) == {
        "next": {
            0: {"to": [REQUIRED]},
            1: {"when": [UNKNOWN]},
            2: {"_schema": ["Ogiltig typ: en mappning krävs."]},
        }
    }


def test_flows_may_not_be_null() -> None:
    assert errors(Label.ACTIVITY, {"id": "a1", "name": "A", "next": None}) == {"next": [NOT_EMPTY]}


def test_only_activities_have_flows() -> None:
    data = {"id": "p1", "name": "P", "kind": "core", "next": [{"to": "p2"}]}
    assert errors(Label.PROCESS, data) == {"next": [UNKNOWN]}


def test_a_bare_yaml_number_is_taken_as_text_where_text_is_expected() -> None:
    loaded = load(Label.GOAL, {"id": "g1", "title": "Mål", "level": "council", "code": 1.5})
    assert loaded["code"] == "1.5"


def test_a_fraction_is_refused_where_a_whole_number_is_expected() -> None:
    assert errors(Label.RISK, {"id": "r1", "title": "R", "probability": 2.5}) == {
        "probability": [INVALID]
    }
