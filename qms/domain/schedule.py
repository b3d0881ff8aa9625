"""The årshjul of egenkontroller and kontrollmoment: when each is due, and what is overdue."""

from __future__ import annotations

from datetime import date, timedelta

from qms.domain.kinds import Frequency

#: Months between two runs; weekly runs step by days instead.
MONTHS: dict[Frequency, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.TERTIAL: 4,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


def step(day: date, frequency: Frequency, count: int = 1) -> date:
    """``day`` moved ``count`` periods (negative: back), the day clamped to the month's end."""
    if frequency is Frequency.WEEKLY:
        return day + timedelta(weeks=count)
    months = day.year * 12 + day.month - 1 + MONTHS[frequency] * count
    year, month = divmod(months, 12)
    return date(year, month + 1, min(day.day, _month_length(year, month + 1)))


def _month_length(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def occurrences(anchor: date, frequency: Frequency, year: int) -> list[date]:
    """Every due date in ``year`` of a check that is due on ``anchor`` and recurs.

    Each date is counted from the anchor, so a check due on the 31st stays on month ends.
    """
    count = 0
    while step(anchor, frequency, count).year >= year:
        count -= 1
    found = []
    while (day := step(anchor, frequency, count)).year <= year:
        if day.year == year:
            found.append(day)
        count += 1
    return found


def next_due_after(anchor: date, frequency: Frequency, performed_on: date) -> date:
    """The due date after a run on ``performed_on``.

    A run within the period that ends on the due date covers it (the next one is a period
    later); a run even earlier covers nothing; a late run covers what it missed, and the
    schedule goes on from the first due date after the run.
    """
    if step(anchor, frequency, -1) < performed_on < anchor:
        return step(anchor, frequency)
    count = 0
    while step(anchor, frequency, count) <= performed_on:
        count += 1
    return step(anchor, frequency, count)


def is_overdue(next_due: date | None, today: date) -> bool:
    """A check whose due date has passed without a run."""
    return next_due is not None and next_due < today
