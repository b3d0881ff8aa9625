"""``qms bpmn conformance DIR``: every .bpmn file imported, exported, validated, re-imported.

A file passes when it imports without error, its export (through the graph mapping, as the
app exports) validates against the OMG XSDs, and importing that export gives the same model:
the same graph (activities, flows, roles) and the same file (diagram included, unless the
file lacked one and the export had to lay it out). Files named like a reference case
(``A.1.0-export.bpmn``) are also counted against ``Reference/A.1.0.bpmn``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qms.bpmn.compare import against_reference, differences
from qms.bpmn.from_graph import document
from qms.bpmn.model import Definitions
from qms.bpmn.reader import read
from qms.bpmn.safe import parse
from qms.bpmn.schema import validate
from qms.bpmn.to_graph import ProcessGraph, to_graph
from qms.bpmn.writer import write
from qms.domain.errors import InvalidInput

CASE = re.compile(r"\A([A-Z]\.\d+\.\d+)")


@dataclass
class Row:
    """The verdict on one file."""

    path: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    reference: list[str] | None = None
    nodes: int = 0
    laid_out: bool = False


def _graph_key(graphs: list[ProcessGraph]) -> object:
    return [
        (
            g.process_id,
            g.name,
            [(a.id, a.content()) for a in g.activities],
            sorted((f.source, f.target, sorted(f.props.items())) for f in g.flows),
            sorted((r.id, r.name) for r in g.roles),
            sorted(g.performers.items()),
        )
        for g in graphs
    ]


def _diagrams(model: Definitions) -> object:
    return [(d.element, len(d.shapes), len(d.edges)) for d in model.diagrams]


def check(path: Path, label: str, references: dict[str, Definitions]) -> Row:
    """Import, export, validate, re-import and compare one file."""
    row = Row(label, False)
    try:
        model = read(path.read_bytes(), label)
        graphs = to_graph(model)
    except InvalidInput as exc:
        row.problems = exc.lines()[:3]
        return row
    row.nodes = sum(len(g.activities) for g in graphs)
    before = _diagrams(model)
    exported = write(document(graphs, read(path.read_bytes(), label)))
    row.problems += [f"XSD {e}" for e in validate(parse(exported, f"{label} (export)"))[:3]]
    again = read(exported, f"{label} (export)")
    if _graph_key(to_graph(again)) != _graph_key(graphs):
        row.problems.append("återimporten gav en annan graf")
    row.laid_out = _diagrams(again) != before
    changed = [d for d in differences(model, again) if not (row.laid_out and d == "diagrams")]
    row.problems += [f"återimporten skiljer sig i {part}" for part in changed]
    match = CASE.match(path.name)
    if match and match.group(1) in references and path.parent.name != "Reference":
        row.reference = against_reference(model, references[match.group(1)])
    row.passed = not row.problems
    return row


def load_references(folder: Path) -> dict[str, Definitions]:
    """The reference models of ``folder`` (or its parent) by case name (``A.1.0``)."""
    for base in (folder, folder.parent):
        if (base / "Reference").is_dir():
            found = {}
            for path in sorted((base / "Reference").glob("*.bpmn")):
                try:
                    found[path.stem] = read(path.read_bytes(), str(path))
                except InvalidInput:
                    continue
            return found
    return {}


def conformance(folder: Path) -> Iterator[Row]:
    """One row per ``.bpmn`` file under ``folder``, in path order."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder} är ingen katalog", {str(folder): ["katalogen finns inte"]})
    references = load_references(folder)
    for path in sorted(folder.rglob("*.bpmn")):
        yield check(path, str(path.relative_to(folder)), references)
