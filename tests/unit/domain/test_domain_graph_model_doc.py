"""docs/graph-model.md lists every label with its fields and every relationship with its pairs."""

from __future__ import annotations

from pathlib import Path

from qms.domain.entities import AUDIT_FIELDS
from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label

DOC = Path(__file__).parents[3] / "docs" / "graph-model.md"


def rows() -> dict[str, list[str]]:
    found = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            found[cells[0].strip("`")] = cells[1:]
    return found


def test_every_label_is_documented_with_its_fields() -> None:
    table = rows()
    for label in Label:
        fields = [f for f in field_types(label) if f != "id" and f not in AUDIT_FIELDS]
        assert table[label.value][0].split(" — ")[0] == ", ".join(fields), label


def test_every_relationship_is_documented_with_its_pairs() -> None:
    table = rows()
    for rel in REL_TYPES.values():
        pairs = "; ".join(sorted(f"{s.value} → {t.value}" for s, t in rel.pairs))
        assert table[rel.name.value][0] == pairs, rel.name
