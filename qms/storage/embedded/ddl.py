"""LadybugDB DDL for the current domain schema; migrations are checked against it."""

from __future__ import annotations

from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label
from qms.storage.schema import CHANGE_FIELDS, CHANGE_LABEL, engine_type


def node_table(label: Label) -> str:
    """CREATE NODE TABLE for one label."""
    cols = ", ".join(f"{name} {engine_type(kind)}" for name, kind in field_types(label).items())
    return f"CREATE NODE TABLE {label.value}({cols}, PRIMARY KEY(id))"


def rel_tables() -> list[str]:
    """CREATE REL TABLE for every relationship type with all its label pairs."""
    statements = []
    for rel in REL_TYPES.values():
        pairs = ", ".join(f"FROM {s.value} TO {t.value}" for s, t in rel.pairs)
        props = "".join(f", {name} {engine_type(kind)}" for name, kind in rel.props)
        statements.append(f"CREATE REL TABLE {rel.name.value}({pairs}{props})")
    return statements


def current_schema() -> list[str]:
    """Every DDL statement of the schema the code expects, in dependency order."""
    change_cols = ", ".join(f"{name} STRING" for name in CHANGE_FIELDS)
    return [
        *(node_table(label) for label in Label),
        f"CREATE NODE TABLE {CHANGE_LABEL}({change_cols}, PRIMARY KEY(id))",
        *rel_tables(),
    ]
