"""The internkontrollplan on a real embedded store: gaps, new kontrollmoment, results."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from process_models import DEMO
from qms.domain.entities import Control
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.kinds import InspectionOutcome
from qms.domain.labels import Label, Rel
from qms.services import controls, risks
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.config import Settings

ACTOR = coordinator("samordnare")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("controls")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def test_the_plan_holds_risks_at_the_threshold_and_above(demo: Qms) -> None:
    entries = controls.control_plan(demo, risks.RiskFilter(year=2026))
    assert entries
    assert all(e.row.risk.value >= 10 for e in entries)
    assert "risk-attest" not in [e.row.risk.id for e in entries]  # 9: below
    lakemedel = next(e for e in entries if e.row.risk.id == "risk-lakemedel")
    assert [(c.control.id, c.owner and c.owner.id) for c in lakemedel.controls] == [
        ("km-lakemedel", "r-mas")
    ]


def test_the_demo_gap_and_closing_it(demo: Qms) -> None:
    gaps = [row.risk.id for row in controls.risks_without_control(demo)]
    assert gaps == ["risk-forskola-tillsyn"]
    form = {
        "title": "Räkning mot namnlista vid utevistelse",
        "method": "Stickprov – rektor följer två förflyttningar per månad",
        "frequency": "monthly",
        "reporting": "Tertialrapport",
        "owner": "r-rektor",
    }
    saved = controls.save_control(demo, ACTOR, "risk-forskola-tillsyn", form)
    assert saved.year == 2026  # the risk's year
    assert controls.risks_without_control(demo) == []
    unit = demo.store.neighbours(Label.CONTROL, saved.id, Rel.BELONGS_TO)
    assert [ref.id for ref in unit] == ["ou-avd-forskola"]


def test_control_form_errors_and_permission(demo: Qms) -> None:
    with pytest.raises(InvalidInput) as caught:
        controls.save_control(
            demo, ACTOR, "risk-nyckel", {"title": "", "frequency": "ibland", "owner": "x"}
        )
    assert caught.value.errors["frequency"] == ["Välj en frekvens i listan."]
    assert "title" in caught.value.errors
    with pytest.raises(Forbidden):
        controls.save_control(
            demo, ANONYMOUS, "risk-nyckel", {"title": "x", "frequency": "monthly"}
        )


def test_a_result_is_recorded_with_its_outcome(demo: Qms) -> None:
    before = demo.store.get(Label.CONTROL, "km-lexsarah")
    data = {"result": "Nio av tio kände till skyldigheten.", "outcome": "remarks"}
    saved = controls.record_control_result(
        demo, ACTOR, "km-lexsarah", data | {"version": before.version}
    )
    stored = demo.store.get(Label.CONTROL, "km-lexsarah")
    assert isinstance(stored, Control)
    assert (stored.outcome, stored.result, saved.version) == (
        InspectionOutcome.REMARKS,
        data["result"],
        before.version + 1,
    )
    assert [c.field for c in demo.store.changes("km-lexsarah") if c.op == "update"] == [
        "outcome",
        "result",
    ]
