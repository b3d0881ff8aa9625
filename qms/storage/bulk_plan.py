"""What both adapters' bulk loads share: group the input and check every link before writing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from qms.domain.entities import Entity
from qms.domain.errors import InvalidInput
from qms.domain.graph import Link, check_link
from qms.domain.labels import Label, Rel

T = TypeVar("T")
Pair = tuple[Rel, Label, Label]


@dataclass
class BulkPlan:
    """Entities by label and links by (type, source label, target label), in load order."""

    by_label: dict[Label, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    by_pair: dict[Pair, list[Link]] = field(default_factory=lambda: defaultdict(list))


def plan(entities: Iterable[Entity], links: Iterable[Link]) -> BulkPlan:
    """Group the input; a link to an unknown node or between wrong labels refuses it all."""
    result = BulkPlan()
    label_of: dict[str, Label] = {}
    for entity in entities:
        result.by_label[entity.LABEL].append(entity)
        label_of[entity.id] = entity.LABEL
    for link in links:
        try:
            source, target = label_of[link.source], label_of[link.target]
        except KeyError as exc:
            raise InvalidInput(f"{link.rel}: okänd nod {exc.args[0]}") from exc
        check_link(link, source, target)
        result.by_pair[(link.rel, source, target)].append(link)
    result.by_pair = dict(sorted(result.by_pair.items()))
    return result


def slices(items: list[T], size: int) -> Iterator[list[T]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
