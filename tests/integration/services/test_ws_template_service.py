"""A new organisation unit started from the demo's styrprocesser, on a real embedded store."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from process_models import DEMO
from qms.domain.entities import Activity, OrgUnit, Process
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.labels import Label, Rel
from qms.services import templates
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.config import Settings

ACTOR = coordinator("samordnare")
ALL = [p.id for p in templates.template_processes()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("templates")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def outgoing(qms: Qms, label: Label, entity_id: str, rel: Rel) -> list[str]:
    return [link.target for link in qms.store.outgoing(label, entity_id, rel)]


def test_the_template_offers_the_demo_styrprocesser() -> None:
    names = {p.id: p.name for p in templates.template_processes()}
    assert {"p-verksamhetsplan", "p-tertialrapport", "p-vor-ik"} <= set(names)
    assert names["p-verksamhetsplan"] == "Verksamhetsplan"


def test_a_unit_from_the_template_gets_copies_of_every_process(demo: Qms) -> None:
    report = templates.create_unit(
        demo,
        ACTOR,
        {
            "id": "ou-ost",
            "name": "Enhet Öst",
            "level": "unit",
            "parent": "ou-avd-aldre",
            "processes": ALL,
        },
    )
    assert isinstance(report.unit, OrgUnit)
    assert report.unit.version == 1
    assert outgoing(demo, Label.ORG_UNIT, "ou-ost", Rel.PART_OF) == ["ou-avd-aldre"]
    assert report.processes == [f"ou-ost-{pid}" for pid in ALL]
    for pid in ALL:
        copy_id = f"ou-ost-{pid}"
        copy, original = demo.store.get(Label.PROCESS, copy_id), demo.store.get(Label.PROCESS, pid)
        assert isinstance(copy, Process)
        assert isinstance(original, Process)
        assert copy.content() == original.content()
        assert outgoing(demo, Label.PROCESS, copy_id, Rel.BELONGS_TO) == ["ou-ost"]
        assert outgoing(demo, Label.PROCESS, copy_id, Rel.GOVERNED_BY) == outgoing(
            demo, Label.PROCESS, pid, Rel.GOVERNED_BY
        )
        assert outgoing(demo, Label.PROCESS, copy_id, Rel.OWNED_BY) == outgoing(
            demo, Label.PROCESS, pid, Rel.OWNED_BY
        )
        steps = outgoing(demo, Label.PROCESS, pid, Rel.HAS_ACTIVITY)
        assert sorted(outgoing(demo, Label.PROCESS, copy_id, Rel.HAS_ACTIVITY)) == sorted(
            f"ou-ost-{a}" for a in steps
        )
        for step in steps:
            new = f"ou-ost-{step}"
            assert outgoing(demo, Label.ACTIVITY, new, Rel.FLOWS_TO) == [
                f"ou-ost-{t}" for t in outgoing(demo, Label.ACTIVITY, step, Rel.FLOWS_TO)
            ]
            assert outgoing(demo, Label.ACTIVITY, new, Rel.GOVERNED_BY) == outgoing(
                demo, Label.ACTIVITY, step, Rel.GOVERNED_BY
            )
            assert outgoing(demo, Label.ACTIVITY, new, Rel.PERFORMED_BY) == outgoing(
                demo, Label.ACTIVITY, step, Rel.PERFORMED_BY
            )
    assert report.activities == sum(
        len(outgoing(demo, Label.PROCESS, pid, Rel.HAS_ACTIVITY)) for pid in ALL
    )
    assert report.dropped == []


def test_flow_conditions_are_copied(demo: Qms) -> None:
    templates.create_unit(
        demo, ACTOR, {"id": "ou-gw", "name": "Grindar", "level": "unit", "processes": ["p-vor-ik"]}
    )
    original = {
        (link.source, link.target): link.props
        for step in outgoing(demo, Label.PROCESS, "p-vor-ik", Rel.HAS_ACTIVITY)
        for link in demo.store.outgoing(Label.ACTIVITY, step, Rel.FLOWS_TO)
    }
    copied = {
        (link.source.removeprefix("ou-gw-"), link.target.removeprefix("ou-gw-")): link.props
        for step in outgoing(demo, Label.PROCESS, "ou-gw-p-vor-ik", Rel.HAS_ACTIVITY)
        for link in demo.store.outgoing(Label.ACTIVITY, step, Rel.FLOWS_TO)
    }
    assert copied == original
    assert any(props.get("condition") or props.get("name") for props in copied.values())


def test_the_copy_is_edited_independently(demo: Qms) -> None:
    templates.create_unit(
        demo,
        ACTOR,
        {"id": "ou-egen", "name": "Egen", "level": "unit", "processes": ["p-tertialrapport"]},
    )
    with demo.unit_of_work("test") as uow:
        copy = uow.get(Label.PROCESS, "ou-egen-p-tertialrapport")
        assert isinstance(copy, Process)
        uow.update(dataclasses.replace(copy, name="Tertialrapport för Egen"))
        step = uow.get(Label.ACTIVITY, "ou-egen-a-t-enhet")
        assert isinstance(step, Activity)
        uow.update(dataclasses.replace(step, name="Egen uppföljning"))
    assert demo.store.get(Label.PROCESS, "p-tertialrapport").caption == "Tertialrapport"
    assert demo.store.get(Label.ACTIVITY, "a-t-enhet").caption.startswith("Följa upp")


def test_a_unit_without_template_is_just_the_unit(demo: Qms) -> None:
    report = templates.create_unit(demo, ACTOR, {"name": "Tom enhet", "level": "unit"})
    assert report.unit.id == "ou-tom-enhet"
    assert report.processes == []
    assert demo.store.neighbours(Label.ORG_UNIT, "ou-tom-enhet", Rel.BELONGS_TO, "in") == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "level": "unit"}, "name", "Ange ett namn (högst 200 tecken)."),
        ({"name": "x" * 10_000, "level": "unit"}, "name", "Ange ett namn (högst 200 tecken)."),
        ({"name": "A", "level": "kommun"}, "level", "Välj en nivå i listan."),
        (
            {"name": "A", "level": "unit", "parent": "p-mal"},
            "parent",
            "Finns inte eller kan inte väljas här: p-mal.",
        ),
        (
            {"name": "A", "level": "unit", "id": "ou sdf!"},
            "id",
            "Ogiltigt id: använd bokstäver, siffror och _ . : - (högst 100 tecken).",
        ),
        ({"name": "A", "level": "unit", "id": "ou-sdf"}, "id", "Id:t ou-sdf används redan."),
        (
            {"name": "A", "level": "unit", "processes": ["p-hemtjanst"]},
            "processes",
            "Finns inte i mallen: p-hemtjanst.",
        ),
    ],
    ids=["empty", "10000", "level", "parent", "bad-id", "taken-id", "not-template"],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    demo: Qms, data: dict[str, object], field: str, message: str
) -> None:
    units = len(demo.store.entities(Label.ORG_UNIT))
    processes = len(demo.store.entities(Label.PROCESS))
    with pytest.raises(InvalidInput) as refused:
        templates.create_unit(demo, ACTOR, data)
    assert refused.value.errors[field] == [message]
    assert len(demo.store.entities(Label.ORG_UNIT)) == units
    assert len(demo.store.entities(Label.PROCESS)) == processes


def test_copies_whose_ids_are_taken_save_nothing(demo: Qms) -> None:
    with demo.unit_of_work("test") as uow:
        uow.add(Activity(id="ou-krock-a-vp-start", name="Finns redan"))
    with pytest.raises(InvalidInput) as refused:
        templates.create_unit(
            demo,
            ACTOR,
            {
                "id": "ou-krock",
                "name": "Krock",
                "level": "unit",
                "processes": ["p-verksamhetsplan"],
            },
        )
    assert "ou-krock-a-vp-start" in refused.value.errors["id"][0]
    assert demo.store.label_of("ou-krock") is None


def test_only_those_who_may_edit_processes_may_create_units(demo: Qms) -> None:
    with pytest.raises(Forbidden):
        templates.create_unit(demo, ANONYMOUS, {"name": "Anonym", "level": "unit"})


def test_on_an_empty_graph_the_copies_keep_what_exists_and_report_the_rest(
    tmp_path: Path,
) -> None:
    qms = Qms.open(Settings(data_dir=tmp_path / "empty"))
    try:
        report = templates.create_unit(
            qms, ACTOR, {"id": "ou-ny", "name": "Ny kommun", "level": "council", "processes": ALL}
        )
        assert len(qms.store.entities(Label.PROCESS)) == len(ALL)
        assert "r-enhetschef" in report.dropped
        assert "d-rut-mal" in report.dropped
        flows = list(qms.store.links(Rel.FLOWS_TO))
        assert flows
        assert all(link.source.startswith("ou-ny-") for link in flows)
    finally:
        qms.close()


def test_a_new_organisation_does_not_take_the_demo_organisations_documents(demo: Qms) -> None:
    report = templates.create_unit(
        demo,
        ACTOR,
        {
            "id": "ou-egen-kommun",
            "name": "Egen kommun",
            "level": "council",
            "processes": ["p-tertialrapport"],
        },
    )
    assert "d-rut-tertialrapport" in report.dropped
    copied = "ou-egen-kommun-p-tertialrapport"
    assert outgoing(demo, Label.PROCESS, copied, Rel.GOVERNED_BY) == []
    assert outgoing(demo, Label.PROCESS, copied, Rel.OWNED_BY) == ["r-stadsdelsdirektor"]
