"""LadybugDB DDL for the current domain schema; migrations are checked against it."""

from __future__ import annotations

from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label
from qms.storage.cypher import CHANGE_FIELDS, CHANGE_LABEL, cypher, engine_type, join


def node_table(label: Label) -> str:
    """CREATE NODE TABLE for one label."""
    cols = join(
        cypher("{name} {kind}", name=name, kind=engine_type(kind))
        for name, kind in field_types(label).items()
    )
    return cypher("CREATE NODE TABLE {label}({cols}, PRIMARY KEY(id))", label=label, cols=cols)


def rel_tables() -> list[str]:
    """CREATE REL TABLE for every relationship type with all its label pairs."""
    statements: list[str] = []
    for rel in REL_TYPES.values():
        pairs = join(cypher("FROM {source} TO {target}", source=s, target=t) for s, t in rel.pairs)
        props = join(
            (
                cypher(", {name} {kind}", name=name, kind=engine_type(kind))
                for name, kind in rel.props
            ),
            "",
        )
        statements.append(
            cypher("CREATE REL TABLE {rel}({pairs}{props})", rel=rel.name, pairs=pairs, props=props)
        )
    return statements


def current_schema() -> list[str]:
    """Every DDL statement of the schema the code expects, in dependency order."""
    change_cols = join(cypher("{name} STRING", name=name) for name in CHANGE_FIELDS)
    return [
        *(node_table(label) for label in Label),
        cypher(
            "CREATE NODE TABLE {label}({cols}, PRIMARY KEY(id))",
            label=CHANGE_LABEL,
            cols=change_cols,
        ),
        *rel_tables(),
    ]
