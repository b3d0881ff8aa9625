"""Document control rules: the steps, what may be edited, dates, versions, review state."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from qms.domain.document_flow import (
    ReviewState,
    approval_problems,
    edit_refusal,
    four_eyes_refusal,
    next_doc_version,
    one_year_after,
    review_state,
    transition_refusal,
    version_ids,
)
from qms.domain.entities import Document
from qms.domain.kinds import DocumentKind, DocumentStatus

S = DocumentStatus
TODAY = date(2026, 6, 1)


def doc(status: S = S.DRAFT, body: str = "Text", review_by: date | None = None) -> Document:
    return Document(
        id="d-x", title="X", kind=DocumentKind.ROUTINE, status=status, body=body,
        review_by=review_by,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "target", "allowed"),
    [
        (S.DRAFT, S.REVIEW, True),
        (S.DRAFT, S.APPROVED, False),
        (S.DRAFT, S.REVOKED, False),
        (S.REVIEW, S.APPROVED, True),
        (S.REVIEW, S.DRAFT, True),
        (S.APPROVED, S.REVOKED, True),
        (S.APPROVED, S.DRAFT, False),
        (S.REVOKED, S.APPROVED, False),
        (S.REVOKED, S.DRAFT, False),
    ],
)
def test_only_the_steps_of_the_workflow(status: S, target: S, allowed: bool) -> None:
    assert (transition_refusal(doc(status), target) is None) is allowed


def test_a_document_without_content_is_not_approved() -> None:
    refusal = transition_refusal(doc(S.REVIEW, body="  "), S.APPROVED)
    assert refusal == "Ett dokument utan innehåll, länk eller fil kan inte fastställas."


@pytest.mark.parametrize(
    ("status", "editable"),
    [(S.DRAFT, True), (S.REVIEW, False), (S.APPROVED, False), (S.REVOKED, False)],
)
def test_only_a_draft_is_edited(status: S, editable: bool) -> None:
    assert (edit_refusal(doc(status)) is None) is editable


def test_four_eyes_refuses_an_author() -> None:
    assert four_eyes_refusal("anna", {"anna", "bo"})
    assert four_eyes_refusal("cecilia", {"anna", "bo"}) is None


@pytest.mark.parametrize(
    ("day", "later"),
    [(date(2026, 6, 1), date(2027, 6, 1)), (date(2028, 2, 29), date(2029, 2, 28))],
)
def test_the_default_review_is_a_year_on(day: date, later: date) -> None:
    assert one_year_after(day) == later


def test_approval_dates_are_checked() -> None:
    assert approval_problems(TODAY, date(2027, 6, 1), TODAY) == {}
    assert approval_problems(date(2024, 5, 23), date(2026, 6, 1), TODAY) == {}
    problems = approval_problems(date(2026, 6, 2), date(2026, 5, 31), TODAY)
    assert problems == {
        "decided_on": ["Beslutsdatumet kan inte ligga efter i dag."],
        "review_by": ["Nästa revision kan inte ligga före i dag."],
    }
    assert approval_problems(TODAY, TODAY, TODAY) == {
        "review_by": ["Nästa revision måste ligga efter beslutsdatumet."]
    }


@pytest.mark.parametrize(
    ("current", "following"),
    [
        ("1.0", "2.0"),
        ("1.4", "2.0"),
        ("3", "4.0"),
        (" 2.3.1 ", "3.0"),
        ("SFS 2025:400", "SFS 2025:400"),
    ],
)
def test_the_version_label_is_raised(current: str, following: str) -> None:
    assert next_doc_version(current) == following


def test_version_ids_count_on() -> None:
    assert list(itertools.islice(version_ids("d-rut-mal"), 2)) == ["d-rut-mal-v2", "d-rut-mal-v3"]
    assert next(iter(version_ids("d-rut-mal-v2"))) == "d-rut-mal-v3"


@pytest.mark.parametrize(
    ("status", "review_by", "state"),
    [
        (S.APPROVED, date(2026, 5, 31), ReviewState.OVERDUE),
        (S.APPROVED, TODAY, ReviewState.DUE),
        (S.APPROVED, date(2026, 7, 1), ReviewState.DUE),  # 30 days on
        (S.APPROVED, date(2026, 7, 2), None),
        (S.APPROVED, None, None),
        (S.DRAFT, date(2026, 5, 1), None),
        (S.REVOKED, date(2026, 5, 1), None),
    ],
)
def test_review_state(status: S, review_by: date | None, state: ReviewState | None) -> None:
    assert review_state(doc(status, review_by=review_by), TODAY) is state
