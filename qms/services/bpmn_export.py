"""A process of the graph as a BPMN 2.0 file: the kept file brought up to date, or a new one."""

from __future__ import annotations

import hashlib

from qms.bpmn.from_graph import document
from qms.bpmn.model import Definitions
from qms.bpmn.reader import read
from qms.bpmn.writer import write
from qms.services.bpmn_graph import process_graph, sharing, stored_model
from qms.storage.port import GraphStore


def export_model(store: GraphStore, process_id: str) -> Definitions:
    """The model of a process's file: every pool drawn with it, laid out where needed."""
    model = stored_model(store, process_id)
    others = sharing(store, model) if model is not None else []
    ids = [process_id, *(pid for pid in others if pid != process_id)]
    graphs = [process_graph(store, pid) for pid in ids]
    kept = read(model.xml.encode("utf-8"), model.source or model.id) if model else None
    return document(graphs, kept)


def export_process(store: GraphStore, process_id: str) -> bytes:
    """The BPMN 2.0 XML of a process (XSD-valid, with DI); ``NotFound`` for unknown ids."""
    return write(export_model(store, process_id))


def revision(data: bytes) -> str:
    """A short fingerprint of an export: what the modeler sends back to prove it is current."""
    return hashlib.sha256(data).hexdigest()[:16]
