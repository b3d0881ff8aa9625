"""One entity's change log read as versions: grouped, numbered and replayed into content.

Version 1 is the creation; every later change set that updates fields is one version more;
a change set of links alone (another owner, one more rutin) keeps the version, as the unit of
work does. An entity deleted and created again under the same id (an activity re-imported
from BPMN) starts a new *life* at version 1: only the last life's versions are numbered for
viewing and restoring; earlier lives are still listed.

Content is replayed forward from the creation entry. Data loaded in bulk (``qms generate``)
has no creation entry: its content is then replayed backwards from the entity as it is now.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qms.domain.changes import Change, ChangeOp, to_json
from qms.services.field_names import decoded

Content = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One change set of the entity and the version it left the entity at."""

    changes: tuple[Change, ...]
    number: int
    #: "create", "update", "delete" or "links"
    kind: str
    life: int

    @property
    def at(self) -> str:
        """When the change set was committed (UTC, ISO text)."""
        return self.changes[0].at

    @property
    def actor(self) -> str:
        """Who made it."""
        return self.changes[0].actor

    @property
    def change_set(self) -> str:
        """The id of the change set."""
        return self.changes[0].change_set


@dataclass(frozen=True)
class Timeline:
    """Every step, oldest first, and the content after each version of the last life."""

    steps: tuple[Step, ...]
    contents: dict[int, Content]
    life: int

    @property
    def latest(self) -> int:
        """The newest version number of the last life (0 when nothing is known)."""
        return max(self.contents, default=0)


def grouped(changes: Iterable[Change]) -> list[list[Change]]:
    """Entries by change set, in the order the sets were committed."""
    sets: dict[str, list[Change]] = {}
    for change in changes:
        sets.setdefault(change.change_set, []).append(change)
    return list(sets.values())


def steps_of(changes: Iterable[Change]) -> list[Step]:
    """The change sets as numbered steps (see the module docstring)."""
    steps: list[Step] = []
    number, life = 0, 0
    for index, entries in enumerate(grouped(changes)):
        ops = {c.op for c in entries}
        if ChangeOp.CREATE in ops:
            life += 1 if index else 0
            number, kind = 1, "create"
        elif ChangeOp.UPDATE in ops:
            number, kind = number + 1, "update"
        else:
            kind = "delete" if ChangeOp.DELETE in ops else "links"
        steps.append(Step(tuple(entries), number, kind, life))
    return steps


def timeline(changes: Iterable[Change], anchor: Mapping[str, Any] | None, version: int) -> Timeline:
    """The steps and contents of an entity whose content is now ``anchor`` at ``version``.

    ``anchor`` is the entity's content as the log keeps it (None when it is gone), used only
    when the last life has no creation entry.
    """
    steps = steps_of(changes)
    life = steps[-1].life if steps else 0
    if steps and steps[0].life == life and steps[0].kind != "create" and version > 0:
        shift = version - steps[-1].number
        steps = [dataclasses.replace(s, number=s.number + shift) for s in steps]
    mine = [s for s in steps if s.life == life and s.kind in ("create", "update")]
    if mine and mine[0].kind == "create":
        contents = _forward(mine)
    elif anchor is not None:
        contents = _backward(mine, dict(anchor), version)
    else:
        contents = {}
    return Timeline(tuple(steps), contents, life)


def _forward(steps: list[Step]) -> dict[int, Content]:
    found: dict[int, Content] = {}
    current: Content = {}
    for step in steps:
        for change in step.changes:
            if change.op is ChangeOp.CREATE:
                current = dict(decoded(change.after) or {})
            elif change.op is ChangeOp.UPDATE:
                current[change.field] = decoded(change.after)
        found[step.number] = dict(current)
    return found


def _backward(steps: list[Step], current: Content, version: int) -> dict[int, Content]:
    found: dict[int, Content] = {steps[-1].number if steps else version: dict(current)}
    for step in reversed(steps):
        for change in step.changes:
            if change.op is ChangeOp.UPDATE:
                current[change.field] = decoded(change.before)
        found[step.number - 1] = dict(current)
    return {n: c for n, c in found.items() if n > 0}


def restorations(line: Timeline, ignored: Iterable[str] = ()) -> dict[int, int]:
    """Version → the older version (not the one just before) whose content it brought back.

    Fields in ``ignored`` are left out of the comparison (a document's status), and a version
    that changed only those fields restored nothing.
    """
    skip = set(ignored)

    def key(number: int) -> str:
        return to_json({k: v for k, v in line.contents[number].items() if k not in skip})

    found: dict[int, int] = {}
    seen: dict[str, int] = {}
    for number in sorted(line.contents):
        now = key(number)
        previous = key(number - 1) if number - 1 in line.contents else None
        if previous is not None and now != previous and seen.get(now, number) < number - 1:
            found[number] = seen[now]
        seen[now] = number
    return found
