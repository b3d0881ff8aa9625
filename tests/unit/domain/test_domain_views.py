"""Read models: the rutin gap of an activity and the goal of a trace path."""

import pytest

from qms.domain.entities import Activity, Document
from qms.domain.kinds import ActivityType, DocumentKind
from qms.domain.labels import Label, Rel
from qms.domain.views import ActivityView, NodeRef, Step, TracePath

TASKS = [
    ActivityType.TASK,
    ActivityType.USER_TASK,
    ActivityType.MANUAL_TASK,
    ActivityType.SERVICE_TASK,
    ActivityType.SEND_TASK,
    ActivityType.RECEIVE_TASK,
    ActivityType.SCRIPT_TASK,
    ActivityType.BUSINESS_RULE_TASK,
]


def _view(node_type: ActivityType, *documents: Document) -> ActivityView:
    activity = Activity(id="a1", name="Dela läkemedel", node_type=node_type)
    return ActivityView(activity=activity, role=None, documents=documents, next_ids=())


def _document(kind: DocumentKind) -> Document:
    return Document(id=f"d-{kind}", title=f"Dokument {kind}", kind=kind)


@pytest.mark.parametrize("node_type", TASKS)
def test_a_task_without_documents_lacks_a_routine(node_type: ActivityType) -> None:
    assert _view(node_type).lacks_routine


@pytest.mark.parametrize("node_type", TASKS)
def test_a_task_with_a_routine_has_no_gap(node_type: ActivityType) -> None:
    assert not _view(node_type, _document(DocumentKind.ROUTINE)).lacks_routine


@pytest.mark.parametrize(
    "node_type",
    [t for t in ActivityType if t not in TASKS],
)
def test_events_gateways_and_subprocesses_never_lack_a_routine(node_type: ActivityType) -> None:
    assert not _view(node_type).lacks_routine


def test_a_task_governed_only_by_a_law_still_lacks_a_routine() -> None:
    assert _view(ActivityType.TASK, _document(DocumentKind.LAW)).lacks_routine


def test_the_goal_of_a_trace_path_is_its_last_node() -> None:
    start = NodeRef(Label.RISK, "rk1", "Fall")
    goal = NodeRef(Label.GOAL, "g1", "Trygg äldreomsorg")
    path = TracePath((start, goal), (Step(Rel.THREATENS, False),))
    assert path.goal is goal


def test_a_path_of_one_node_has_no_steps() -> None:
    only = NodeRef(Label.GOAL, "g1", "Trygg äldreomsorg")
    path = TracePath((only,))
    assert path.steps == ()
    assert path.goal is only
