"""The risk register and matrix services on a real embedded store with the demo loaded."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from process_models import DEMO
from qms.domain.entities import Deviation, Risk
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.graph import Link
from qms.domain.labels import Label, Rel
from qms.domain.risk_matrix import DEFAULT, DEFAULT_ID
from qms.services import risks
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.config import Settings

ACTOR = coordinator("samordnare")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    """The demo organisation; tests add their own risks."""
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("risks")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path / "data"))
    yield opened
    opened.close()


def matrix_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "name": DEFAULT.name,
        "probability_labels": list(DEFAULT.probability_labels),
        "consequence_labels": list(DEFAULT.consequence_labels),
        "level_names": list(DEFAULT.level_names),
        "level_colours": list(DEFAULT.level_colours),
        "level_minimums": list(DEFAULT.level_minimums),
        "control_threshold": 10,
    }
    return form | changes


def risk_form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "title": "Brandlarm fungerar inte",
        "cause": "Ingen provar larmen",
        "probability": 2,
        "consequence": 5,
        "year": 2026,
        "threatens": ["a-ht-utfora"],
        "owner": "r-enhetschef",
        "org_unit": "ou-enh-hemtjanst",
    }
    return form | changes


def test_the_stored_matrix_is_used_and_the_default_without_one(demo: Qms, empty: Qms) -> None:
    assert risks.current_matrix(empty.store) is DEFAULT
    stored = risks.current_matrix(demo.store)
    assert stored.id == DEFAULT_ID
    assert stored.version >= 1


def test_matrix_problems_are_field_errors_and_nothing_is_saved(empty: Qms) -> None:
    bad = matrix_form(level_colours=["red", "#f9a825", "#ef6c00", "#c62828"], control_threshold=99)
    with pytest.raises(InvalidInput) as caught:
        risks.save_matrix(empty, ACTOR, bad)
    assert caught.value.errors["level_colours"] == ["Ange färger som #rrggbb."]
    assert caught.value.errors["control_threshold"] == ["Ange ett riskvärde från 1 till 25."]
    assert risks.current_matrix(empty.store) is DEFAULT


def test_a_smaller_scale_is_refused_while_risks_lie_outside_it(demo: Qms) -> None:
    three = ["Låg", "Medel", "Hög"]
    form = matrix_form(
        consequence_labels=three,
        probability_labels=three,
        level_minimums=["1", "3", "5", "7"],
        control_threshold=6,
        version=risks.current_matrix(demo.store).version,
    )
    with pytest.raises(InvalidInput) as caught:
        risks.save_matrix(demo, ACTOR, form)
    message = caught.value.errors["consequence_labels"][0]
    assert "risk-lakemedel" in message
    assert "risk-forskola-tillsyn" in message
    assert "risk-attest" not in message  # konsekvens 3 fits
    assert len(risks.current_matrix(demo.store).consequence_labels) == 5


def test_matrix_saved_and_renamed(empty: Qms) -> None:
    saved = risks.save_matrix(empty, ACTOR, matrix_form(level_names=["A", "B", "C", "D"]))
    assert saved.version == 1
    again = risks.save_matrix(empty, ACTOR, matrix_form(control_threshold=12, version=1))
    assert (again.version, again.control_threshold) == (2, 12)
    assert risks.current_matrix(empty.store).level_names == DEFAULT.level_names


def test_writes_need_the_permission(demo: Qms) -> None:
    with pytest.raises(Forbidden):
        risks.save_risk(demo, ANONYMOUS, risk_form())


def test_a_new_risk_is_in_the_register_sorted_by_value(demo: Qms) -> None:
    saved = risks.save_risk(demo, ACTOR, risk_form())
    rows = risks.register(demo, risks.RiskFilter(unit="ou-avd-aldre", year=2026))
    ids = [row.risk.id for row in rows]
    assert saved.id in ids
    assert [row.risk.value for row in rows] == sorted((r.risk.value for r in rows), reverse=True)
    row = next(r for r in rows if r.risk.id == saved.id)
    assert (row.level.name, row.owner and row.owner.id, row.controlled) == (
        "Hög",
        "r-enhetschef",
        False,
    )
    assert row.routine == "yes"
    assert [r.risk.id for r in rows if r.unit and r.unit.id == "ou-enh-ekonomi"] == []


def test_risk_form_errors_are_swedish_and_nothing_is_saved(demo: Qms) -> None:
    before = len(demo.store.entities(Label.RISK))
    with pytest.raises(InvalidInput) as caught:
        risks.save_risk(
            demo, ACTOR, risk_form(title="", probability=6, threatens=["ou-kf"], owner="nobody")
        )
    errors = caught.value.errors
    assert errors["probability"] == ["Välj ett steg från 1 till 5."]
    assert "ou-kf" in errors["threatens"][0]
    assert "nobody" in errors["owner"][0]
    assert len(demo.store.entities(Label.RISK)) == before


def test_a_reassessment_lands_in_the_change_log(demo: Qms) -> None:
    saved = risks.save_risk(demo, ACTOR, risk_form(title="Fallolyckor vid dusch"))
    form = risks.form_values(demo, saved.id)
    form.update(probability=4, consequence=4)
    for key in ("created_at", "created_by", "updated_at", "updated_by", "id"):
        form.pop(key, None)
    again = risks.save_risk(demo, ACTOR, form, saved.id)
    assert again.value == 16
    history = risks.detail(demo, saved.id).history
    assert [(c.field, c.after) for c in history] == [("consequence", "4"), ("probability", "4")]


def test_a_later_realisation_asks_for_a_reassessment(demo: Qms) -> None:
    saved = risks.save_risk(demo, ACTOR, risk_form(title="Larmet uteblir"))
    assert not risks.detail(demo, saved.id).reassess
    with demo.unit_of_work("test") as uow:
        uow.add(Deviation(id="dev-larm-test", title="Larm", occurred_on=date(2026, 1, 2)))
        uow.link(Link(Rel.REALISES, "dev-larm-test", saved.id))
    found = risks.detail(demo, saved.id)
    assert found.reassess
    assert [r.deviation.id for r in found.realisations] == ["dev-larm-test"]


def test_a_stale_version_is_a_conflict(demo: Qms) -> None:
    from qms.domain.errors import Conflict

    saved = risks.save_risk(demo, ACTOR, risk_form(title="Dörren står öppen"))
    form = risk_form(title="Dörren står öppen", version=saved.version)
    risks.save_risk(demo, ACTOR, form | {"probability": 3}, saved.id)
    with pytest.raises(Conflict):
        risks.save_risk(demo, ACTOR, form | {"probability": 1}, saved.id)
    stored = demo.store.get(Label.RISK, saved.id)
    assert isinstance(stored, Risk)
    assert dataclasses.replace(stored).probability == 3
