"""The start page's landscape: top-level processes of a unit and the rutiner that apply."""

from __future__ import annotations

from datetime import date

import pytest

from qms.domain.entities import Document, OrgUnit, Process
from qms.domain.errors import NotFound
from qms.domain.kinds import DocumentKind, DocumentStatus, OrgLevel, ProcessKind
from qms.services.landscape import Landscape, _tree, start_page

UNITS = [
    OrgUnit(id="ou-sdf", name="Förvaltningen", level=OrgLevel.ADMINISTRATION),
    OrgUnit(id="ou-avd", name="Avdelningen", level=OrgLevel.DEPARTMENT),
    OrgUnit(id="ou-enh-b", name="B-enheten", level=OrgLevel.UNIT),
    OrgUnit(id="ou-enh-a", name="A-enheten", level=OrgLevel.UNIT),
]
PARENT_UNIT = {"ou-avd": "ou-sdf", "ou-enh-a": "ou-avd", "ou-enh-b": "ou-avd"}


def process(pid: str, kind: ProcessKind = ProcessKind.CORE, archived: bool = False) -> Process:
    """A process named after its id."""
    return Process(id=pid, name=pid, kind=kind, archived=archived)


def routine(did: str, updated: str) -> Document:
    """An approved rutin changed at ``updated``."""
    return Document(
        id=did, title=did, kind=DocumentKind.ROUTINE, status=DocumentStatus.APPROVED,
        updated_at=updated, decided_on=date(2025, 1, 1),
    )


@pytest.fixture
def landscape() -> Landscape:
    """Two processes at the avdelning, a delprocess at an enhet, rutiner at three levels."""
    return Landscape(
        processes=(
            process("p-a"), process("p-a-sub"), process("p-b", ProcessKind.SUPPORT),
            process("p-old", archived=True),
        ),
        routines=(routine("d-enh", "2026-03"), routine("d-sdf", "2026-02"),
                  routine("d-other", "2026-01")),
        units=_tree(UNITS, PARENT_UNIT),
        parent_process={"p-a-sub": "p-a"},
        parent_unit=PARENT_UNIT,
        unit_of={"p-a": "ou-avd", "p-a-sub": "ou-enh-a", "p-b": "ou-avd", "p-old": "ou-avd",
                 "d-enh": "ou-enh-a", "d-sdf": "ou-sdf", "d-other": "ou-enh-b"},
    )


def test_units_come_as_a_tree() -> None:
    assert [(u.id, depth) for u, depth in _tree(UNITS, PARENT_UNIT)] == [
        ("ou-sdf", 0), ("ou-avd", 1), ("ou-enh-a", 2), ("ou-enh-b", 2),
    ]


def test_everything_shows_top_level_unarchived_processes(landscape: Landscape) -> None:
    page = start_page(landscape)
    assert [p.id for p in page.groups[ProcessKind.CORE]] == ["p-a"]
    assert [p.id for p in page.groups[ProcessKind.SUPPORT]] == ["p-b"]
    assert [d.id for d in page.routines] == ["d-enh", "d-sdf", "d-other"]


def test_a_unit_shows_its_own_processes_as_top_level(landscape: Landscape) -> None:
    page = start_page(landscape, "ou-enh-a")
    assert page.unit is not None
    assert [p.id for p in page.groups[ProcessKind.CORE]] == ["p-a-sub"]
    assert not page.groups[ProcessKind.SUPPORT]


def test_rutiner_of_the_units_above_apply(landscape: Landscape) -> None:
    page = start_page(landscape, "ou-enh-a")
    assert [d.id for d in page.routines] == ["d-enh", "d-sdf"]


def test_unknown_unit_is_not_found(landscape: Landscape) -> None:
    with pytest.raises(NotFound):
        start_page(landscape, "ou-x")
