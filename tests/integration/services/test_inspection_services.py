"""Egenkontroller on a real embedded store: results, next due dates, overdue list, årshjul."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from process_models import DEMO
from qms.domain.entities import InspectionResult, SelfInspection
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import Frequency
from qms.domain.labels import Label, Rel
from qms.services import inspections
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.config import Settings

ACTOR = coordinator("samordnare")
TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("inspections")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def add_inspection(qms: Qms, inspection_id: str, next_due: date, frequency: Frequency) -> None:
    with qms.unit_of_work("test") as uow:
        uow.add(
            SelfInspection(
                id=inspection_id,
                title=f"Test {inspection_id}",
                frequency=frequency,
                next_due=next_due,
            )
        )
        uow.link(Link(Rel.CHECKS, inspection_id, "a-ht-utfora"))
        uow.link(Link(Rel.BELONGS_TO, inspection_id, "ou-enh-hemtjanst"))


def test_the_overdue_list_holds_only_past_due_checks(demo: Qms) -> None:
    overdue = [row.inspection.id for row in inspections.overdue_inspections(demo, TODAY)]
    assert overdue == ["ek-genomforandeplaner"]
    assert inspections.overdue_inspections(demo, date(2026, 9, 30)) == []
    in_kansli = inspections.overdue_inspections(demo, TODAY, unit="ou-enh-kansli")
    assert in_kansli == []


def test_a_result_is_linked_and_moves_the_next_due_date(demo: Qms) -> None:
    add_inspection(demo, "ek-test-kvartal", date(2026, 9, 30), Frequency.QUARTERLY)
    data = {
        "performed_on": "2026-11-18",
        "outcome": "deficient",
        "findings": "Två akter saknade genomförandeplan.",
        "version": 1,
    }
    result = inspections.record_result(demo, ACTOR, "ek-test-kvartal", data, TODAY)
    stored = demo.store.get(Label.SELF_INSPECTION, "ek-test-kvartal")
    assert isinstance(stored, SelfInspection)
    assert stored.next_due == date(2026, 12, 30)
    linked = demo.store.neighbours(Label.SELF_INSPECTION, "ek-test-kvartal", Rel.HAS_RESULT)
    assert [ref.id for ref in linked] == [result.id]
    found = demo.store.get(Label.INSPECTION_RESULT, result.id)
    assert isinstance(found, InspectionResult)
    assert (found.performed_by, found.findings) == ("samordnare", data["findings"])
    assert "ek-test-kvartal" not in [
        r.inspection.id for r in inspections.overdue_inspections(demo, TODAY)
    ]


def test_an_early_run_covers_the_coming_due_date() -> None:
    monthly = SelfInspection(
        id="x", title="x", frequency=Frequency.MONTHLY, next_due=date(2026, 12, 15)
    )
    assert inspections.advanced(monthly, date(2026, 12, 10)) == date(2027, 1, 15)
    assert inspections.advanced(monthly, date(2026, 12, 15)) == date(2027, 1, 15)
    assert inspections.advanced(monthly, date(2027, 2, 1)) == date(2027, 2, 15)
    unplanned = SelfInspection(id="y", title="y", frequency=Frequency.YEARLY)
    assert inspections.advanced(unplanned, date(2026, 3, 1)) == date(2027, 3, 1)


def test_bad_results_are_refused_with_swedish_field_errors(demo: Qms) -> None:
    add_inspection(demo, "ek-test-fel", date(2026, 12, 1), Frequency.MONTHLY)
    data = {"performed_on": "2026-12-24", "outcome": "remarks", "version": 1}
    with pytest.raises(InvalidInput) as caught:
        inspections.record_result(demo, ACTOR, "ek-test-fel", data, TODAY)
    assert caught.value.errors == {
        "performed_on": ["Datumet får inte ligga i framtiden."],
        "findings": ["Beskriv vad som hittades när utfallet inte är utan anmärkning."],
    }
    with pytest.raises(InvalidInput) as caught:
        inspections.record_result(demo, ACTOR, "ek-test-fel", {"outcome": "bra"}, TODAY)
    assert caught.value.errors["performed_on"] == ["Fältet måste fyllas i."]
    assert caught.value.errors["outcome"] == ["Välj ett utfall i listan."]
    assert demo.store.neighbours(Label.SELF_INSPECTION, "ek-test-fel", Rel.HAS_RESULT) == []


def test_anonymous_may_not_record(demo: Qms) -> None:
    data = {"performed_on": "2026-11-01", "outcome": "ok", "version": 1}
    with pytest.raises(Forbidden):
        inspections.record_result(demo, ANONYMOUS, "ek-attest", data, TODAY)


def test_the_year_wheel_places_inspections_and_controls_by_month(demo: Qms) -> None:
    months = inspections.year_wheel(demo, 2026, unit="ou-enh-ekonomi")
    attest = [m + 1 for m, entries in enumerate(months) for e in entries if e.id == "ek-attest"]
    assert attest == [4, 8, 12]
    everything = inspections.year_wheel(demo, 2026)
    tertial = [
        m + 1 for m, entries in enumerate(everything) for e in entries if e.id == "km-kontinuitet"
    ]
    assert tertial == [4, 8, 12]
    monthly = [e for entries in everything for e in entries if e.id == "ek-journalgranskning"]
    assert len(monthly) == 12
