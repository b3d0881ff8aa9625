"""The årshjul of recurring checks and the rules of the risk matrix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from qms.domain.kinds import Frequency
from qms.domain.risk_matrix import DEFAULT, level_of, needs_control, problems, scale_label
from qms.domain.schedule import is_overdue, next_due_after, occurrences, step


def test_month_end_checks_stay_on_month_ends() -> None:
    assert occurrences(date(2026, 3, 31), Frequency.QUARTERLY, 2026) == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]
    assert step(date(2026, 1, 31), Frequency.MONTHLY) == date(2026, 2, 28)


def test_occurrences_reach_back_and_forward_from_the_anchor() -> None:
    assert occurrences(date(2026, 9, 15), Frequency.TERTIAL, 2027) == [
        date(2027, 1, 15),
        date(2027, 5, 15),
        date(2027, 9, 15),
    ]
    assert len(occurrences(date(2026, 1, 5), Frequency.WEEKLY, 2026)) == 52
    assert occurrences(date(2026, 5, 1), Frequency.YEARLY, 2025) == [date(2025, 5, 1)]


def test_a_run_moves_the_due_date_past_itself() -> None:
    assert next_due_after(date(2026, 9, 30), Frequency.MONTHLY, date(2026, 11, 2)) == date(
        2026, 11, 30
    )
    assert next_due_after(date(2026, 9, 30), Frequency.YEARLY, date(2026, 9, 1)) == date(
        2027, 9, 30
    )
    # A yearly check done two years early covers nothing.
    assert next_due_after(date(2026, 9, 30), Frequency.YEARLY, date(2024, 9, 1)) == date(
        2026, 9, 30
    )
    assert is_overdue(date(2026, 9, 30), date(2026, 10, 1))
    assert not is_overdue(date(2026, 9, 30), date(2026, 9, 30))
    assert not is_overdue(None, date(2026, 9, 30))


def test_the_default_matrix_is_valid_and_places_values_in_levels() -> None:
    assert problems(DEFAULT) == {}
    assert [level_of(DEFAULT, v).name for v in (1, 4, 5, 10, 25)] == [
        "Låg",
        "Låg",
        "Medel",
        "Hög",
        "Mycket hög",
    ]
    assert needs_control(DEFAULT, 10)
    assert not needs_control(DEFAULT, 9)
    assert scale_label(DEFAULT.probability_labels, 2) == "2 - Mindre sannolikt"


def test_a_broken_matrix_is_refused_field_by_field() -> None:
    broken = replace(
        DEFAULT,
        probability_labels=("Låg", "Hög"),
        level_colours=("#fff", "#2e7d32", "#ef6c00", "#c62828"),
        level_minimums=("1", "5", "5", "15"),
        control_threshold=30,
    )
    assert set(problems(broken)) == {
        "probability_labels",
        "level_colours",
        "level_minimums",
        "control_threshold",
    }
