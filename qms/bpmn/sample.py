"""Synthetic processes of any size, for layout tests and benchmarks (reproducible)."""

from __future__ import annotations

import random

from qms.bpmn.to_graph import ProcessGraph
from qms.domain.entities import Activity, Role
from qms.domain.graph import Link
from qms.domain.kinds import ActivityType
from qms.domain.labels import Rel


def _flow(source: str, target: str, name: str = "", default: bool = False) -> Link:
    condition = f"svar = {name.lower()}" if name and not default else ""
    props = {"name": name, "condition": condition, "is_default": default}
    return Link(Rel.FLOWS_TO, source, target, props)


def synthetic_process(size: int, seed: int = 1, lanes: int = 4) -> ProcessGraph:
    """A process of ``size`` activities: tasks, decisions with two branches, a few loops."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not security)
    pid = f"p-syn-{size}-{seed}"
    roles = tuple(Role(id=f"{pid}-r{i}", name=f"Roll {i + 1}") for i in range(lanes))
    activities: list[Activity] = []
    flows: list[Link] = []
    performers: dict[str, str] = {}
    lane = 0

    def add(kind: ActivityType, name: str) -> str:
        nonlocal lane
        ident = f"{pid}-a{len(activities) + 1}"
        activities.append(
            Activity(id=ident, name=name, position=len(activities) + 1, node_type=kind)
        )
        if rng.random() < 0.25:
            lane = rng.randrange(lanes)
        performers[ident] = roles[lane].id
        return ident

    previous = add(ActivityType.START_EVENT, "Ärendet kommer in")
    while len(activities) < size - 1:
        room = size - 1 - len(activities)
        if room >= 4 and rng.random() < 0.2:
            split = add(ActivityType.EXCLUSIVE_GATEWAY, f"Beslut {len(activities)}?")
            yes = add(ActivityType.USER_TASK, f"Utför steg {len(activities)}")
            no = add(ActivityType.TASK, f"Dokumentera {len(activities)}")
            join = add(ActivityType.EXCLUSIVE_GATEWAY, "")
            flows += [
                _flow(previous, split),
                _flow(split, yes, "Ja"),
                _flow(split, no, "Nej", True),
            ]
            flows += [_flow(yes, join), _flow(no, join)]
            previous = join
        else:
            task = add(ActivityType.TASK, f"Handlägg del {len(activities)}")
            flows.append(_flow(previous, task))
            if len(activities) > 6 and rng.random() < 0.05:
                # back to a recent step, as a request for more information does
                earlier = activities[
                    rng.randrange(max(1, len(activities) - 12), len(activities) - 3)
                ].id
                flows.append(_flow(task, earlier, "Komplettera"))
            previous = task
    end = add(ActivityType.END_EVENT, "Ärendet avslutat")
    flows.append(_flow(previous, end))
    unique = {(f.source, f.target): f for f in flows}
    return ProcessGraph(
        pid,
        f"Syntetisk process {size}",
        tuple(activities),
        tuple(unique.values()),
        roles,
        performers,
    )
