"""``bpmn``: every process as a BPMN 2.0 file (XSD-valid, with DI), together in a ZIP archive.

One ``<process-id>.bpmn`` per file kept with the processes (pools drawn together stay
together) and one per process without a kept file, laid out by Graphviz.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict

from exporters import register
from qms.bpmn.from_graph import document
from qms.bpmn.reader import read
from qms.bpmn.to_graph import ProcessGraph
from qms.bpmn.writer import write
from qms.domain.entities import Activity, Entity, Process, ProcessModel, Role
from qms.domain.graph import Link
from qms.domain.labels import Rel
from qms.domain.snapshot import Snapshot

#: A fixed timestamp, so equal graphs give equal archives.
STAMP = (2020, 1, 1, 0, 0, 0)


def graphs(snapshot: Snapshot) -> dict[str, ProcessGraph]:
    """Each process of the snapshot as the BPMN codec sees it."""
    by_id: dict[str, Entity] = {e.id: e for e in snapshot.entities}
    out: dict[tuple[Rel, str], list[Link]] = defaultdict(list)
    for link in snapshot.links:
        out[(link.rel, link.source)].append(link)
    found = {}
    for process in (e for e in snapshot.entities if isinstance(e, Process)):
        steps = [by_id[link.target] for link in out[(Rel.HAS_ACTIVITY, process.id)]]
        activities = sorted(
            (a for a in steps if isinstance(a, Activity)), key=lambda a: (a.position, a.id)
        )
        ids = {a.id for a in activities}
        flows = [
            link for a in activities for link in out[(Rel.FLOWS_TO, a.id)] if link.target in ids
        ]
        performers = {
            a.id: link.target for a in activities for link in out[(Rel.PERFORMED_BY, a.id)]
        }
        roles = {r: by_id[r] for r in performers.values() if isinstance(by_id.get(r), Role)}
        found[process.id] = ProcessGraph(
            process.id,
            process.name,
            tuple(activities),
            tuple(flows),
            tuple(r for r in roles.values() if isinstance(r, Role)),
            performers,
        )
    return found


@register("bpmn")
def export(snapshot: Snapshot) -> bytes:
    """A ZIP archive of BPMN files, one per kept model or process without one."""
    by_process = graphs(snapshot)
    models = {e.id: e for e in snapshot.entities if isinstance(e, ProcessModel)}
    drawn_with: dict[str, list[str]] = defaultdict(list)
    for link in snapshot.links:
        if link.rel is Rel.HAS_MODEL and link.target in models and link.source in by_process:
            drawn_with[link.target].append(link.source)
    files: list[tuple[str, list[str], ProcessModel | None]] = [
        (pids[0], pids, models[mid]) for mid, pids in sorted(drawn_with.items())
    ]
    covered = {pid for pids in drawn_with.values() for pid in pids}
    files += [(pid, [pid], None) for pid in sorted(by_process) if pid not in covered]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pids, model in files:
            kept = read(model.xml.encode("utf-8"), model.id) if model else None
            data = write(document([by_process[pid] for pid in pids], kept))
            archive.writestr(zipfile.ZipInfo(f"{name}.bpmn", STAMP), data)
    return buffer.getvalue()
