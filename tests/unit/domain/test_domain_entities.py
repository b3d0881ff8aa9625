"""Entities: captions, editable content, document review, risk value and the id rule."""

import dataclasses
from datetime import date

import pytest

from qms.domain.entities import (
    AUDIT_FIELDS,
    ENTITY_TYPES,
    ID_PATTERN,
    Cause,
    Document,
    Entity,
    ExpectedResult,
    Goal,
    InspectionResult,
    Process,
    Risk,
    Role,
)
from qms.domain.kinds import DocumentKind, DocumentStatus, GoalLevel, ProcessKind
from qms.domain.labels import Label

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        (Process(id="p1", name="Hemtjänst", kind=ProcessKind.CORE), "Hemtjänst"),
        (Goal(id="g1", title="Trygg äldreomsorg", level=GoalLevel.UNIT), "Trygg äldreomsorg"),
        (ExpectedResult(id="er1", description="Fler nöjda brukare"), "Fler nöjda brukare"),
        (InspectionResult(id="ir1", performed_on=TODAY, findings="Två brister"), "Två brister"),
        (Cause(id="c1", description="Otydlig rutin"), "Otydlig rutin"),
        (Role(id="r1", name="Enhetschef"), "Enhetschef"),
    ],
)
def test_caption_reads_the_title_field_of_each_label(entity: Entity, expected: str) -> None:
    assert entity.caption == expected


def test_content_leaves_out_identity_and_audit_stamps() -> None:
    role = Role(
        id="r1",
        name="Enhetschef",
        description="Leder enheten",
        version=3,
        created_at="2025-01-01T00:00:00.000000Z",
        created_by="anna",
        updated_at="2025-02-01T00:00:00.000000Z",
        updated_by="bo",
    )
    assert role.content() == {"name": "Enhetschef", "description": "Leder enheten"}


def test_content_includes_fields_left_at_their_defaults() -> None:
    content = Document(id="d1", title="Rutin för läkemedel", kind=DocumentKind.ROUTINE).content()
    assert content["status"] is DocumentStatus.DRAFT
    assert content["doc_version"] == "1.0"
    assert content["review_by"] is None
    assert not set(content) & {"id", *AUDIT_FIELDS}


def test_entities_are_immutable() -> None:
    role = Role(id="r1", name="Enhetschef")
    with pytest.raises(dataclasses.FrozenInstanceError):
        role.name = "Chef"  # type: ignore[misc]


def test_every_label_has_exactly_one_entity_type() -> None:
    assert set(ENTITY_TYPES) == set(Label)
    assert all(cls.LABEL is label for label, cls in ENTITY_TYPES.items())


def _document(status: DocumentStatus, review_by: date | None) -> Document:
    return Document(
        id="d1", title="Rutin", kind=DocumentKind.ROUTINE, status=status, review_by=review_by
    )


@pytest.mark.parametrize(
    ("status", "review_by", "overdue"),
    [
        (DocumentStatus.APPROVED, date(2025, 5, 31), True),
        (DocumentStatus.APPROVED, date(2020, 1, 1), True),
        (DocumentStatus.APPROVED, TODAY, False),
        (DocumentStatus.APPROVED, date(2025, 6, 2), False),
        (DocumentStatus.APPROVED, None, False),
        (DocumentStatus.DRAFT, date(2020, 1, 1), False),
        (DocumentStatus.REVIEW, date(2020, 1, 1), False),
        (DocumentStatus.REVOKED, date(2020, 1, 1), False),
    ],
)
def test_only_an_approved_document_past_its_review_date_is_overdue(
    status: DocumentStatus, review_by: date | None, overdue: bool
) -> None:
    assert _document(status, review_by).review_overdue(TODAY) is overdue


@pytest.mark.parametrize(
    ("probability", "consequence", "value"),
    [(1, 1, 1), (2, 3, 6), (3, 2, 6), (4, 5, 20), (5, 5, 25)],
)
def test_risk_value_is_probability_times_consequence(
    probability: int, consequence: int, value: int
) -> None:
    risk = Risk(id="rk1", title="Fall", probability=probability, consequence=consequence)
    assert risk.value == value


def test_a_new_risk_starts_at_the_lowest_value() -> None:
    assert Risk(id="rk1", title="Fall").value == 1


@pytest.mark.parametrize(
    "entity_id",
    ["p", "9", "p-hemtjanst", "A1_b.c:d-e", "2024:nmd.1", "x" * 100],
)
def test_id_pattern_accepts_letters_digits_and_separators(entity_id: str) -> None:
    assert ID_PATTERN.match(entity_id) is not None


@pytest.mark.parametrize(
    "entity_id",
    [
        "",
        "-p",
        "_p",
        ".p",
        "p hemtjanst",
        "p/1",
        "hemtjänst",
        "x" * 101,
        pytest.param("p1\n"),
    ],
)
def test_id_pattern_refuses_other_ids(entity_id: str) -> None:
    assert ID_PATTERN.match(entity_id) is None
