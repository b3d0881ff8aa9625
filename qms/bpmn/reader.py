"""Read BPMN 2.0 XML into the model: parse safely, bring within the XSD, then read."""

from __future__ import annotations

from qms.bpmn.errors import Problems, refuse
from qms.bpmn.model import Definitions
from qms.bpmn.ns import BPMN, local, q, split
from qms.bpmn.read_elements import Reader
from qms.bpmn.safe import parse
from qms.bpmn.sanitise import normalise_namespaces, rename, sanitise

__all__ = ["local", "read"]


def read(data: bytes, source: str, renames: dict[str, str] | None = None) -> Definitions:
    """The model of a BPMN file; ``InvalidInput`` naming file, line, id and tag on errors."""
    root = parse(data, source)
    normalise_namespaces(root)
    if root.tag != q(BPMN, "definitions"):
        raise refuse(source, f"rotelementet är <{split(root.tag)[1]}>, inte BPMN <definitions>")
    problems = Problems(source)
    sanitise(root, problems)
    rename(root, renames or {})
    definitions = Reader(problems).definitions(root)
    problems.raise_if_any()
    definitions.warnings = problems.warnings
    return definitions
