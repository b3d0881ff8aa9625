"""A synthetic municipality of realistic shape, for benchmarks (``qms generate``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from qms.domain import entities as e
from qms.domain.graph import Link
from qms.domain.kinds import (
    DeviationKind,
    DocumentKind,
    DocumentStatus,
    GoalLevel,
    OrgLevel,
    ProcessKind,
)
from qms.domain.labels import Rel

_BASES = (
    "hemtjänst boende förskola utredning bistånd insats läkemedel journal avvikelse brukare "
    "vårdnadshavare delegering samverkan beslut trygghet delaktighet nattpatrull måltid hygien "
    "fallrisk nutrition demens introduktion inköp upphandling arkiv kommunikation"
).split()
_PREFIXES = (
    "hem vård social bistånds läkemedels förskole skol personal ekonomi kvalitets avvikelse "
    "risk journal besluts insats genomförande uppföljnings planerings dokumentations samverkans"
).split()
_SUFFIXES = (
    "plan rutin hantering uppföljning process kontroll möte rapport beslut analys ansvar "
    "utbildning register underlag"
).split()
#: A Zipf-distributed vocabulary, as in real text: a few words are everywhere, most are rare.
_WORDS = tuple(_BASES + [p + s for p in _PREFIXES for s in _SUFFIXES])
_WEIGHTS = tuple(1 / rank for rank in range(1, len(_WORDS) + 1))
_STAMP = "2026-01-01T00:00:00.000000Z"


@dataclass
class Graph:
    """Generated nodes and links."""

    entities: list[e.Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def add(self, entity: e.Entity) -> str:
        """Keep an entity; return its id."""
        self.entities.append(entity)
        return entity.id

    def link(self, rel: Rel, source: str, target: str, **props: object) -> None:
        """Keep a link."""
        self.links.append(Link(rel, source, target, dict(props)))


def generate(nodes: int, seed: int = 1) -> Graph:
    """About ``nodes`` nodes and three links per node, shaped like a city's districts."""
    rnd = random.Random(seed)
    g = Graph()
    stamp: dict[str, Any] = {
        "version": 1,
        "created_at": _STAMP,
        "created_by": "generate",
        "updated_at": _STAMP,
        "updated_by": "generate",
    }

    def words(n: int) -> str:
        return " ".join(rnd.choices(_WORDS, _WEIGHTS, k=n))

    scale = max(nodes // 1000, 1)
    units = [
        g.add(e.OrgUnit(id=f"ou{i}", name=f"Enhet {words(2)} {i}", level=OrgLevel.UNIT, **stamp))
        for i in range(2 * scale)
    ]
    roles = [
        g.add(e.Role(id=f"r{i}", name=f"{words(1).capitalize()}handläggare {i}", **stamp))
        for i in range(5 * scale)
    ]
    goals: list[str] = []
    upper: list[str] = []
    for level, count in zip(GoalLevel, (4, 3 * scale, 6 * scale, 20 * scale), strict=True):
        level_ids = [
            g.add(e.Goal(id=f"g{len(goals) + i}", title=f"Mål {words(4)}", level=level, **stamp))
            for i in range(count)
        ]
        for goal in level_ids if upper else ():
            g.link(Rel.BREAKS_DOWN, goal, rnd.choice(upper))
        goals.extend(level_ids)
        upper = level_ids
    docs = [
        g.add(
            e.Document(
                id=f"d{i}",
                title=f"Rutin för {words(3)}",
                kind=DocumentKind.ROUTINE,
                status=DocumentStatus.APPROVED,
                body=words(30),
                review_by=date(2026, 1, 1) + timedelta(days=i % 700),
                **stamp,
            )
        )
        for i in range(12 * scale)
    ]
    for doc in docs:
        g.link(Rel.OWNED_BY, doc, rnd.choice(roles))
        g.link(Rel.BELONGS_TO, doc, rnd.choice(units))
    activities: list[str] = []
    processes: list[str] = []
    for p in range(50 * scale):
        pid = g.add(
            e.Process(
                id=f"p{p}",
                name=f"Process {words(3)} {p}",
                kind=rnd.choice(list(ProcessKind)),
                purpose=words(12),
                **stamp,
            )
        )
        # Families of five: a huvudprocess, two delprocesser, and one level below each.
        if p % 5:
            g.link(Rel.SUBPROCESS_OF, pid, f"p{p - p % 5 + (p % 5 > 2) * (p % 5 - 2)}")
        processes.append(pid)
        g.link(Rel.OWNED_BY, pid, rnd.choice(roles))
        g.link(Rel.BELONGS_TO, pid, rnd.choice(units))
        for goal in rnd.sample(goals[-26 * scale :], 2):
            g.link(Rel.CONTRIBUTES_TO, pid, goal)
        g.link(Rel.GOVERNED_BY, pid, rnd.choice(docs))
        previous = None
        for a in range(11):
            aid = g.add(
                e.Activity(
                    id=f"a{p}_{a}",
                    name=f"{words(3).capitalize()}",
                    position=a + 1,
                    description=words(8),
                    **stamp,
                )
            )
            activities.append(aid)
            g.link(Rel.HAS_ACTIVITY, pid, aid)
            g.link(Rel.PERFORMED_BY, aid, rnd.choice(roles))
            if rnd.random() < 0.8:
                g.link(Rel.GOVERNED_BY, aid, rnd.choice(docs))
            if rnd.random() < 0.3:
                g.link(Rel.CONTRIBUTES_TO, aid, rnd.choice(goals[-20 * scale :]))
            if previous is not None:
                g.link(Rel.FLOWS_TO, previous, aid, name="", condition="", is_default=False)
            previous = aid
    risks = []
    for i in range(20 * scale):
        rid = g.add(
            e.Risk(
                id=f"risk{i}",
                title=f"Risk för {words(3)}",
                probability=rnd.randint(1, 5),
                consequence=rnd.randint(1, 5),
                **stamp,
            )
        )
        risks.append(rid)
        g.link(Rel.THREATENS, rid, rnd.choice(activities))
        g.link(Rel.OWNED_BY, rid, rnd.choice(roles))
    for i in range(60 * scale):
        did = g.add(
            e.Deviation(
                id=f"dev{i}",
                title=f"Avvikelse {words(3)}",
                kind=rnd.choice(list(DeviationKind)),
                occurred_on=date(2026, 1, 1) + timedelta(days=i % 300),
                **stamp,
            )
        )
        g.link(Rel.AFFECTS, did, rnd.choice(activities))
        g.link(Rel.BELONGS_TO, did, rnd.choice(units))
        if rnd.random() < 0.3:
            g.link(Rel.REALISES, did, rnd.choice(risks))
    causes = []
    for i in range(nodes - len(g.entities)):
        if i % 2:
            causes.append(g.add(e.Cause(id=f"c{i}", description=f"Orsak {words(5)}", **stamp)))
            g.link(Rel.CAUSED_BY, f"dev{rnd.randrange(60 * scale)}", causes[-1])
        else:
            g.add(e.Action(id=f"act{i}", title=f"Åtgärd {words(4)}", **stamp))
            g.link(Rel.ADDRESSES, f"act{i}", causes[-1] if causes else rnd.choice(risks))
    return g
