"""The one audited place where names are put into Cypher text.

Cypher takes values as ``$parameters`` but cannot take a label, a relationship type or a
property name that way, so the query builders have to write those into the text. They do it
only through ``cypher`` (and ``join`` for lists): the template is a constant of the program,
and every name put into a ``{slot}`` is checked against the domain schema — ``Label``,
``Rel``, the fields of every label and link, the change log's label and fields, the engine's
column types — and anything else raises ``UnsafeCypher``. ``tests/unit/test_scan_cypher.py``
fails on any query text built in another way anywhere in the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from functools import cache

from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label, Rel

#: The change log's node: the one label that is not a domain entity.
CHANGE_LABEL = "ChangeEntry"
CHANGE_FIELDS = (
    "id",
    "change_set",
    "at",
    "actor",
    "op",
    "label",
    "entity_id",
    "field",
    "before",
    "after",
)

_COLUMN_TYPES: dict[type, str] = {
    str: "STRING",
    int: "INT64",
    float: "DOUBLE",
    bool: "BOOLEAN",
    date: "DATE",
    tuple: "STRING[]",
}

#: A slot is a lower-case word in single braces; Cypher's map literals (``{id: $id}``) and
#: subqueries (``{ DETACH DELETE n }``) never look like that.
_SLOT = re.compile(r"\{([a-z_]+)\}")
_SEPARATORS = frozenset({"", ", ", " UNION ALL "})


class UnsafeCypher(ValueError):
    """A name that is not in the domain schema, or a template that does not fit its slots."""


class Cypher(str):
    """Query text made by ``cypher`` or ``join``: a constant template with checked names."""

    __slots__ = ()


def engine_type(kind: type) -> str:
    """The column type (LadybugDB DDL names) for a domain field type."""
    if issubclass(kind, StrEnum):
        return "STRING"
    return _COLUMN_TYPES[kind]


@cache
def vocabulary() -> frozenset[str]:
    """Every name the builders may write into a query, from the domain schema."""
    names: set[str] = {CHANGE_LABEL, *CHANGE_FIELDS, *_COLUMN_TYPES.values()}
    names.update(label.value for label in Label)
    names.update(rel.value for rel in Rel)
    for label in Label:
        names.update(field_types(label))
    for rel_type in REL_TYPES.values():
        names.update(name for name, _ in rel_type.props)
    return frozenset(names)


def name(value: Label | Rel | str) -> str:
    """The text of a label, type or property name; ``UnsafeCypher`` if the schema lacks it."""
    if isinstance(value, Label | Rel):
        return value.value
    if value in vocabulary():
        return value
    raise UnsafeCypher(f"not a name of the domain schema: {value!r}")


def cypher(template: str, /, **slots: Label | Rel | str) -> Cypher:
    """Fill each ``{slot}`` of a constant ``template`` with a checked name or a ``Cypher`` part."""
    wanted = set(_SLOT.findall(template))
    if wanted != set(slots):
        raise UnsafeCypher(f"slots {sorted(wanted)} but names for {sorted(slots)}: {template!r}")
    return Cypher(_SLOT.sub(lambda match: _fill(slots[match.group(1)]), template))


def join(parts: Iterable[Cypher], sep: str = ", ") -> Cypher:
    """Join parts made by ``cypher`` with one of the fixed separators."""
    if sep not in _SEPARATORS:
        raise UnsafeCypher(f"not an allowed separator: {sep!r}")
    texts = list(parts)
    for part in texts:
        if not isinstance(part, Cypher):
            raise UnsafeCypher(f"not made by cypher(): {part!r}")
    return Cypher(sep.join(texts))


def param_map(names: Iterable[str]) -> Cypher:
    """The map literal ``{a: $a, b: $b}``: each checked property set from its parameter."""
    pairs = join(cypher("{p}: ${p}", p=p) for p in names)
    return Cypher("{" + pairs + "}")


def _fill(value: Label | Rel | str) -> str:
    if isinstance(value, Cypher):
        return value
    return name(value)
