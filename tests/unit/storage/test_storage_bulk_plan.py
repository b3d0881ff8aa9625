"""The shared grouping and checking of bulk loads."""

from __future__ import annotations

import pytest

from qms.domain.entities import Activity, Process, Role
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel
from qms.storage.bulk_plan import plan, slices

ENTITIES = [
    Process(id="p", name="P", kind=ProcessKind.CORE),
    Activity(id="a", name="A"),
    Role(id="r", name="R"),
]


def test_groups_entities_by_label_and_links_by_pair() -> None:
    grouped = plan(ENTITIES, [Link(Rel.PERFORMED_BY, "a", "r"), Link(Rel.HAS_ACTIVITY, "p", "a")])
    assert [e.id for e in grouped.by_label[Label.ACTIVITY]] == ["a"]
    assert list(grouped.by_pair) == [
        (Rel.HAS_ACTIVITY, Label.PROCESS, Label.ACTIVITY),
        (Rel.PERFORMED_BY, Label.ACTIVITY, Label.ROLE),
    ]


def test_a_link_to_an_unknown_node_is_refused() -> None:
    with pytest.raises(InvalidInput, match="okänd nod x"):
        plan(ENTITIES, [Link(Rel.PERFORMED_BY, "a", "x")])


def test_a_link_between_wrong_labels_is_refused() -> None:
    with pytest.raises(InvalidInput):
        plan(ENTITIES, [Link(Rel.FLOWS_TO, "p", "a")])


def test_slices() -> None:
    assert list(slices([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
