"""The shape of the graph: which relationships join which labels, and field types."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from qms.domain.entities import ENTITY_TYPES, Entity
from qms.domain.errors import InvalidInput
from qms.domain.labels import Label, Rel

L = Label


@dataclass(frozen=True)
class RelType:
    """A relationship type, the (source, target) label pairs it may join, its properties."""

    name: Rel
    pairs: tuple[tuple[Label, Label], ...]
    props: tuple[tuple[str, type], ...] = ()
    description: str = ""

    def allows(self, source: Label, target: Label) -> bool:
        """Whether this type may join a ``source`` node to a ``target`` node."""
        return (source, target) in self.pairs


def _pairs(
    sources: tuple[Label, ...], targets: tuple[Label, ...]
) -> tuple[tuple[Label, Label], ...]:
    return tuple((s, t) for s in sources for t in targets)


_OWNED = (
    L.PROCESS,
    L.DOCUMENT,
    L.RISK,
    L.SELF_INSPECTION,
    L.ACTION,
    L.INITIATIVE,
    L.CONTROL,
    L.INDICATOR,
)
_IN_UNIT = (
    L.GOAL,
    L.PROCESS,
    L.DOCUMENT,
    L.ROLE,
    L.RISK,
    L.SELF_INSPECTION,
    L.DEVIATION,
    L.CONTROL,
    L.RISK_MATRIX,
)

REL_TYPES: dict[Rel, RelType] = {
    r.name: r
    for r in (
        RelType(
            Rel.PART_OF, _pairs((L.ORG_UNIT,), (L.ORG_UNIT,)), description="enhet → överordnad"
        ),
        RelType(
            Rel.BELONGS_TO,
            _pairs(_IN_UNIT, (L.ORG_UNIT,)),
            description="hör till organisationsenhet",
        ),
        RelType(
            Rel.BREAKS_DOWN, _pairs((L.GOAL,), (L.GOAL,)), description="mål → målet det bryter ned"
        ),
        RelType(Rel.EXPECTS, _pairs((L.GOAL,), (L.EXPECTED_RESULT,))),
        RelType(Rel.MEASURES, _pairs((L.INDICATOR,), (L.GOAL, L.EXPECTED_RESULT))),
        RelType(Rel.SUPPORTS, _pairs((L.INITIATIVE,), (L.GOAL,))),
        RelType(Rel.CONTRIBUTES_TO, _pairs((L.PROCESS, L.ACTIVITY), (L.GOAL,))),
        RelType(Rel.SUBPROCESS_OF, _pairs((L.PROCESS,), (L.PROCESS,))),
        RelType(Rel.HAS_ACTIVITY, _pairs((L.PROCESS,), (L.ACTIVITY,))),
        RelType(
            Rel.FLOWS_TO,
            _pairs((L.ACTIVITY,), (L.ACTIVITY,)),
            props=(("name", str), ("condition", str), ("is_default", bool)),
        ),
        RelType(Rel.PERFORMED_BY, _pairs((L.ACTIVITY,), (L.ROLE,))),
        RelType(Rel.OWNED_BY, _pairs(_OWNED, (L.ROLE,)), description="ägare / ansvarig roll"),
        RelType(Rel.GOVERNED_BY, _pairs((L.PROCESS, L.ACTIVITY), (L.DOCUMENT,))),
        RelType(Rel.THREATENS, _pairs((L.RISK,), (L.ACTIVITY, L.PROCESS, L.GOAL))),
        RelType(Rel.CHECKS, _pairs((L.SELF_INSPECTION,), (L.PROCESS, L.ACTIVITY, L.RISK))),
        RelType(Rel.HAS_RESULT, _pairs((L.SELF_INSPECTION,), (L.INSPECTION_RESULT,))),
        RelType(Rel.AFFECTS, _pairs((L.DEVIATION,), (L.ACTIVITY, L.PROCESS))),
        RelType(Rel.RAISED_BY, _pairs((L.DEVIATION,), (L.INSPECTION_RESULT,))),
        RelType(
            Rel.REALISES,
            _pairs((L.DEVIATION,), (L.RISK,)),
            description="avvikelse → risken som inträffat",
        ),
        RelType(Rel.CAUSED_BY, _pairs((L.DEVIATION,), (L.CAUSE,))),
        RelType(Rel.ADDRESSES, _pairs((L.ACTION,), (L.CAUSE, L.RISK, L.DEVIATION))),
        RelType(
            Rel.HAS_ASSESSMENT,
            _pairs((L.GOAL,), (L.GOAL_ASSESSMENT,)),
            description="mål → målbedömning per tertial",
        ),
        RelType(
            Rel.HAS_OUTCOME,
            _pairs((L.INDICATOR,), (L.INDICATOR_OUTCOME,)),
            description="indikator → utfall per tertial",
        ),
        RelType(
            Rel.CONTROLS,
            _pairs((L.CONTROL,), (L.RISK, L.PROCESS, L.ACTIVITY)),
            description="kontrollmoment → risken (eller processen) det kontrollerar",
        ),
        RelType(
            Rel.SUPERSEDES,
            _pairs((L.DOCUMENT,), (L.DOCUMENT,)),
            description="ny version → versionen den ersätter",
        ),
        RelType(
            Rel.HAS_MODEL,
            _pairs((L.PROCESS,), (L.PROCESS_MODEL,)),
            description="processen ritad som BPMN-fil",
        ),
    )
}


@dataclass(frozen=True)
class Link:
    """One relationship instance: ``source -[rel]-> target`` with its properties."""

    rel: Rel
    source: str
    target: str
    props: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the link: at most one link of a type between two nodes."""
        return (self.rel.value, self.source, self.target)


@dataclass(frozen=True)
class Reference:
    """An inline reference field of an entity in files and forms, stored as a link."""

    rel: Rel
    many: bool
    targets: tuple[Label, ...]


def _ref(rel: Rel, many: bool, *targets: Label) -> Reference:
    return Reference(rel, many, targets)


#: The reference fields each label accepts in files and forms (outgoing links).
REFERENCES: dict[Label, dict[str, Reference]] = {
    L.ORG_UNIT: {"parent": _ref(Rel.PART_OF, False, L.ORG_UNIT)},
    L.GOAL: {
        "parent": _ref(Rel.BREAKS_DOWN, False, L.GOAL),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
        "expected_results": _ref(Rel.EXPECTS, True, L.EXPECTED_RESULT),
        "assessments": _ref(Rel.HAS_ASSESSMENT, True, L.GOAL_ASSESSMENT),
    },
    L.GOAL_ASSESSMENT: {},
    L.EXPECTED_RESULT: {},
    L.INDICATOR: {
        "measures": _ref(Rel.MEASURES, True, L.GOAL, L.EXPECTED_RESULT),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
        "outcomes": _ref(Rel.HAS_OUTCOME, True, L.INDICATOR_OUTCOME),
    },
    L.INDICATOR_OUTCOME: {},
    L.INITIATIVE: {
        "goals": _ref(Rel.SUPPORTS, True, L.GOAL),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
    },
    L.PROCESS: {
        "parent": _ref(Rel.SUBPROCESS_OF, False, L.PROCESS),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
        "goals": _ref(Rel.CONTRIBUTES_TO, True, L.GOAL),
        "documents": _ref(Rel.GOVERNED_BY, True, L.DOCUMENT),
        "activities": _ref(Rel.HAS_ACTIVITY, True, L.ACTIVITY),
    },
    L.ACTIVITY: {
        "role": _ref(Rel.PERFORMED_BY, False, L.ROLE),
        "documents": _ref(Rel.GOVERNED_BY, True, L.DOCUMENT),
        "goals": _ref(Rel.CONTRIBUTES_TO, True, L.GOAL),
    },
    L.ROLE: {"org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT)},
    L.DOCUMENT: {
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
        "supersedes": _ref(Rel.SUPERSEDES, False, L.DOCUMENT),
    },
    L.RISK: {
        "threatens": _ref(Rel.THREATENS, True, L.ACTIVITY, L.PROCESS, L.GOAL),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
    },
    L.RISK_MATRIX: {"org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT)},
    L.CONTROL: {
        "controls": _ref(Rel.CONTROLS, True, L.RISK, L.PROCESS, L.ACTIVITY),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
    },
    L.SELF_INSPECTION: {
        "checks": _ref(Rel.CHECKS, True, L.PROCESS, L.ACTIVITY, L.RISK),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
        "results": _ref(Rel.HAS_RESULT, True, L.INSPECTION_RESULT),
    },
    L.INSPECTION_RESULT: {},
    L.DEVIATION: {
        "affects": _ref(Rel.AFFECTS, True, L.ACTIVITY, L.PROCESS),
        "org_unit": _ref(Rel.BELONGS_TO, False, L.ORG_UNIT),
        "raised_by": _ref(Rel.RAISED_BY, False, L.INSPECTION_RESULT),
        "realises": _ref(Rel.REALISES, True, L.RISK),
        "causes": _ref(Rel.CAUSED_BY, True, L.CAUSE),
    },
    L.CAUSE: {},
    # Written by ``qms bpmn import`` and the modeler, never by model files.
    L.PROCESS_MODEL: {},
    L.ACCOUNT: {},
    L.API_TOKEN: {},
    L.ACTION: {
        "addresses": _ref(Rel.ADDRESSES, True, L.CAUSE, L.RISK, L.DEVIATION),
        "owner": _ref(Rel.OWNED_BY, False, L.ROLE),
    },
}


@functools.cache
def field_types(label: Label) -> dict[str, type]:
    """Each stored field of a label and its base type (str, int, float, bool, date, tuple, enum)."""
    cls = ENTITY_TYPES[label]
    hints = typing.get_type_hints(cls)
    result: dict[str, type] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if isinstance(hint, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        result[f.name] = typing.get_origin(hint) or hint
    return result


def coerce(label: Label, props: dict[str, Any]) -> Entity:
    """Build an entity from stored properties (strings for enums and dates, lists for tuples)."""
    kinds = field_types(label)
    try:
        values = {
            name: _convert(kinds[name], value)
            for name, value in props.items()
            if name in kinds and value is not None
        }
        return ENTITY_TYPES[label](**values)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            f"{label} {props.get('id')}: {exc}", {f"{props.get('id')}": [str(exc)]}
        ) from exc


def _convert(kind: type, value: Any) -> Any:
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(value)
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    if kind is tuple:
        return tuple(value)
    return value


def check_link(link: Link, source: Label, target: Label) -> None:
    """Refuse a link whose type may not join these two labels."""
    if not REL_TYPES[link.rel].allows(source, target):
        raise InvalidInput(
            f"{link.rel} kan inte gå från {source} till {target}",
            {f"{link.source}.{link.rel}": [f"{source} → {target} är inte tillåtet"]},
        )


__all__ = [
    "ENTITY_TYPES",
    "REFERENCES",
    "REL_TYPES",
    "Link",
    "Reference",
    "RelType",
    "check_link",
    "coerce",
    "field_types",
]
