"""The shape of the graph: allowed label pairs, reference fields, field types, coercion."""

from datetime import date

import pytest

from qms.domain.entities import Document, Indicator, Process, Risk
from qms.domain.errors import InvalidInput
from qms.domain.graph import (
    REFERENCES,
    REL_TYPES,
    Link,
    RelType,
    check_link,
    coerce,
    field_types,
)
from qms.domain.kinds import ActivityType, DocumentKind, DocumentStatus, ProcessKind
from qms.domain.labels import Label, Rel


def test_every_relationship_type_is_described() -> None:
    assert set(REL_TYPES) == set(Rel)
    assert all(rel_type.name is rel for rel, rel_type in REL_TYPES.items())


def test_rel_type_allows_only_its_pairs_in_their_direction() -> None:
    rel_type = RelType(Rel.HAS_ACTIVITY, ((Label.PROCESS, Label.ACTIVITY),))
    assert rel_type.allows(Label.PROCESS, Label.ACTIVITY)
    assert not rel_type.allows(Label.ACTIVITY, Label.PROCESS)
    assert not rel_type.allows(Label.PROCESS, Label.PROCESS)


@pytest.mark.parametrize(
    ("rel", "source", "target"),
    [
        (Rel.FLOWS_TO, Label.ACTIVITY, Label.ACTIVITY),
        (Rel.HAS_ACTIVITY, Label.PROCESS, Label.ACTIVITY),
        (Rel.SUBPROCESS_OF, Label.PROCESS, Label.PROCESS),
        (Rel.CONTRIBUTES_TO, Label.ACTIVITY, Label.GOAL),
        (Rel.THREATENS, Label.RISK, Label.GOAL),
        (Rel.BREAKS_DOWN, Label.GOAL, Label.GOAL),
        (Rel.OWNED_BY, Label.DOCUMENT, Label.ROLE),
        (Rel.BELONGS_TO, Label.DEVIATION, Label.ORG_UNIT),
        (Rel.ADDRESSES, Label.ACTION, Label.CAUSE),
        (Rel.REALISES, Label.DEVIATION, Label.RISK),
    ],
)
def test_check_link_accepts_an_allowed_pair(rel: Rel, source: Label, target: Label) -> None:
    assert check_link(Link(rel, "a", "b"), source, target) is None


@pytest.mark.parametrize(
    ("rel", "source", "target"),
    [
        (Rel.FLOWS_TO, Label.PROCESS, Label.ACTIVITY),
        (Rel.FLOWS_TO, Label.ACTIVITY, Label.PROCESS),
        (Rel.HAS_ACTIVITY, Label.ACTIVITY, Label.PROCESS),
        (Rel.BREAKS_DOWN, Label.GOAL, Label.PROCESS),
        (Rel.THREATENS, Label.DEVIATION, Label.PROCESS),
        (Rel.OWNED_BY, Label.ROLE, Label.ROLE),
        (Rel.OWNED_BY, Label.DEVIATION, Label.ROLE),
        (Rel.GOVERNED_BY, Label.DOCUMENT, Label.PROCESS),
        (Rel.CAUSED_BY, Label.RISK, Label.CAUSE),
    ],
)
def test_check_link_refuses_a_pair_that_is_not_allowed(
    rel: Rel, source: Label, target: Label
) -> None:
    with pytest.raises(InvalidInput):
        check_link(Link(rel, "x1", "x2"), source, target)


def test_check_link_explains_the_refusal_in_swedish() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_link(Link(Rel.FLOWS_TO, "p-hemtjanst", "a-1"), Label.PROCESS, Label.ACTIVITY)
    assert caught.value.message == "FLOWS_TO kan inte gå från Process till Activity"
    assert caught.value.errors == {"p-hemtjanst.FLOWS_TO": ["Process → Activity är inte tillåtet"]}


def test_link_identity_ignores_its_properties() -> None:
    plain = Link(Rel.FLOWS_TO, "a-1", "a-2")
    named = Link(Rel.FLOWS_TO, "a-1", "a-2", {"name": "Ja", "is_default": True})
    assert plain == named
    assert hash(plain) == hash(named)
    assert named.key == ("FLOWS_TO", "a-1", "a-2")
    assert Link(Rel.FLOWS_TO, "a-2", "a-1") != plain


def test_every_label_has_reference_fields() -> None:
    assert set(REFERENCES) == set(Label)


@pytest.mark.parametrize("label", list(Label))
def test_reference_fields_only_name_allowed_links(label: Label) -> None:
    refused = [
        (name, target)
        for name, ref in REFERENCES[label].items()
        for target in ref.targets
        if not REL_TYPES[ref.rel].allows(label, target)
    ]
    assert refused == []


@pytest.mark.parametrize("label", list(Label))
def test_reference_fields_do_not_shadow_entity_fields(label: Label) -> None:
    assert not set(REFERENCES[label]) & set(field_types(label))


def test_field_types_unwrap_optionals_and_generics() -> None:
    kinds = field_types(Label.DOCUMENT)
    assert kinds["id"] is str
    assert kinds["version"] is int
    assert kinds["title"] is str
    assert kinds["kind"] is DocumentKind
    assert kinds["status"] is DocumentStatus
    assert kinds["review_by"] is date
    assert kinds["decided_on"] is date


def test_field_types_of_lists_numbers_and_flags() -> None:
    assert field_types(Label.PROCESS)["recipients"] is tuple
    assert field_types(Label.PROCESS)["archived"] is bool
    assert field_types(Label.ACTIVITY)["node_type"] is ActivityType
    assert field_types(Label.ACTIVITY)["position"] is int
    assert field_types(Label.INDICATOR)["target_value"] is float
    assert field_types(Label.GOAL)["year"] is int


def test_coerce_converts_iso_dates_and_enum_strings() -> None:
    document = coerce(
        Label.DOCUMENT,
        {
            "id": "d1",
            "title": "Rutin för läkemedel",
            "kind": "routine",
            "status": "approved",
            "decided_on": "2024-03-01",
            "review_by": "2025-03-01",
        },
    )
    assert isinstance(document, Document)
    assert document.kind is DocumentKind.ROUTINE
    assert document.status is DocumentStatus.APPROVED
    assert document.decided_on == date(2024, 3, 1)
    assert document.review_by == date(2025, 3, 1)


def test_coerce_keeps_date_objects() -> None:
    document = coerce(
        Label.DOCUMENT, {"id": "d1", "title": "T", "kind": "law", "review_by": date(2025, 3, 1)}
    )
    assert isinstance(document, Document)
    assert document.review_by == date(2025, 3, 1)


def test_coerce_turns_lists_into_tuples() -> None:
    process = coerce(
        Label.PROCESS,
        {
            "id": "p1",
            "name": "Hemtjänst",
            "kind": "core",
            "recipients": ["brukare", "anhöriga"],
            "stakeholders": [],
        },
    )
    assert isinstance(process, Process)
    assert process.kind is ProcessKind.CORE
    assert process.recipients == ("brukare", "anhöriga")
    assert process.stakeholders == ()


def test_coerce_leaves_out_none_and_unknown_names() -> None:
    indicator = coerce(
        Label.INDICATOR,
        {"id": "i1", "name": "Nöjdhet", "target_value": None, "no_such_field": "x", "version": 4},
    )
    assert indicator == Indicator(id="i1", name="Nöjdhet", version=4)


def test_coerce_keeps_numbers_as_given() -> None:
    risk = coerce(Label.RISK, {"id": "rk1", "title": "Fall", "probability": 3, "consequence": 4})
    assert isinstance(risk, Risk)
    assert risk.value == 12


def test_coerce_reports_a_missing_required_field_as_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        coerce(Label.DOCUMENT, {"id": "d1", "kind": "law"})
    assert caught.value.message.startswith("Document d1: ")
    assert "title" in caught.value.message


def test_coerce_reports_an_unknown_enum_value_as_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        coerce(Label.DOCUMENT, {"id": "d1", "title": "T", "kind": "memo"})


def test_coerce_reports_an_impossible_date_as_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        coerce(Label.DOCUMENT, {"id": "d1", "title": "T", "kind": "law", "review_by": "2025-02-30"})
