"""Reading a change log as versions: numbering, lives, replay forward and backward, restores."""

from __future__ import annotations

import itertools

from qms.domain.changes import Change, ChangeOp, to_json
from qms.services.history_log import restorations, steps_of, timeline

_ids = itertools.count(1)


def entries(op: ChangeOp, change_set: str, **rest: str) -> Change:
    return Change(
        id=f"{change_set}-{next(_ids):05d}",
        change_set=change_set,
        at=change_set,
        actor="anna",
        op=op,
        label="Process",
        entity_id="p-1",
        **rest,
    )


def create(change_set: str, **content: object) -> Change:
    return entries(ChangeOp.CREATE, change_set, after=to_json(content))


def update(change_set: str, field: str, before: object, after: object) -> Change:
    return entries(
        ChangeOp.UPDATE, change_set, field=field, before=to_json(before), after=to_json(after)
    )


def link(change_set: str, target: str) -> Change:
    return entries(ChangeOp.LINK, change_set, field="OWNED_BY", after=to_json({"target": target}))


LOG = [
    create("t1", name="A", purpose=""),
    update("t2", "name", "A", "B"),
    link("t3", "r-1"),
    update("t4", "name", "B", "A"),
    update("t4", "purpose", "", "Varför"),
]


def test_a_creation_is_version_1_and_each_update_set_one_more() -> None:
    steps = steps_of(LOG)
    assert [(s.kind, s.number) for s in steps] == [
        ("create", 1),
        ("update", 2),
        ("links", 2),
        ("update", 3),
    ]


def test_replay_forward_gives_the_content_of_every_version() -> None:
    line = timeline(LOG, None, 0)
    assert line.contents == {
        1: {"name": "A", "purpose": ""},
        2: {"name": "B", "purpose": ""},
        3: {"name": "A", "purpose": "Varför"},
    }
    assert line.latest == 3


def test_without_a_creation_entry_content_is_replayed_back_from_now() -> None:
    bulk = [update("t2", "name", "A", "B"), update("t3", "purpose", "", "Varför")]
    line = timeline(bulk, {"name": "B", "purpose": "Varför"}, 7)
    assert [s.number for s in line.steps] == [6, 7]
    assert line.contents == {
        5: {"name": "A", "purpose": ""},
        6: {"name": "B", "purpose": ""},
        7: {"name": "B", "purpose": "Varför"},
    }


def test_a_new_creation_after_a_deletion_starts_a_new_life() -> None:
    log = [
        create("t1", name="A"),
        update("t2", "name", "A", "B"),
        entries(ChangeOp.DELETE, "t3", before=to_json({"name": "B"})),
        create("t4", name="C"),
    ]
    line = timeline(log, {"name": "C"}, 1)
    assert [(s.kind, s.number, s.life) for s in line.steps] == [
        ("create", 1, 0),
        ("update", 2, 0),
        ("delete", 2, 0),
        ("create", 1, 1),
    ]
    assert line.life == 1
    assert line.contents == {1: {"name": "C"}}


def test_content_brought_back_from_an_older_version_is_a_restore() -> None:
    log = [*LOG, update("t5", "name", "A", "B"), update("t6", "name", "B", "A")]
    line = timeline(log, None, 0)
    # v4 renames to B again, but with the purpose v2 lacked; v5 brings v3 back exactly.
    assert restorations(line) == {5: 3}


def test_the_same_name_twice_is_not_a_restore_when_other_fields_differ() -> None:
    assert restorations(timeline(LOG, None, 0)) == {}


def test_ignored_fields_neither_make_nor_break_a_restore() -> None:
    log = [
        create("t1", title="A", status="draft"),
        update("t2", "status", "draft", "review"),
        update("t3", "status", "review", "draft"),
        update("t4", "title", "A", "B"),
        update("t5", "title", "B", "A"),
    ]
    line = timeline(log, None, 0)
    assert restorations(line, ("status",)) == {5: 3}
    assert restorations(line) == {3: 1, 5: 3}  # a status step back to draft counts then
