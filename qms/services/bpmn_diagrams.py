"""Server-side SVG: a process drawn by Graphviz, and the process landscape; cached by hash."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from qms.bpmn import landscape, svg
from qms.bpmn.ids import resolve, xml_id
from qms.bpmn.layout import scene_of
from qms.domain.entities import OrgUnit, Process
from qms.domain.errors import NotFound
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label, Rel
from qms.services.bpmn_export import export_model
from qms.storage.port import GraphStore


class SvgCache:
    """Rendered SVG by the SHA-256 of its dot text: the same picture is drawn once."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, text: str, render: Callable[[str], bytes]) -> tuple[bytes, str]:
        """The SVG of ``text`` and its content hash (an ETag)."""
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key], key
        drawn = render(text)
        with self._lock:
            self._items[key] = drawn
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return drawn, key


CACHE = SvgCache()


def process_svg(store: GraphStore, process_id: str) -> tuple[bytes, str]:
    """The process (with the pools drawn beside it) as SVG, and its hash."""
    model = export_model(store, process_id)
    known = {xml_id(process_id): process_id}
    found = next(p for p in model.processes if resolve(p.id, known) == process_id)
    return CACHE.get(svg.source(scene_of(model, found)), svg.render)


def landscape_svg(
    store: GraphStore, headings: dict[ProcessKind, str], other: str, link: str
) -> tuple[bytes, str]:
    """Huvud-, stöd- and styrprocesser in three bands per organisation unit, each a link."""
    children = {link_.source for link_ in store.links(Rel.SUBPROCESS_OF)}
    unit_of = {link_.source: link_.target for link_ in store.links(Rel.BELONGS_TO)}
    names = {u.id: u.name for u in store.entities(Label.ORG_UNIT) if isinstance(u, OrgUnit)}
    groups: dict[str, list[Process]] = {}
    for entity in store.entities(Label.PROCESS):
        if isinstance(entity, Process) and not entity.archived and entity.id not in children:
            groups.setdefault(unit_of.get(entity.id, ""), []).append(entity)
    if not groups:
        raise NotFound(Label.PROCESS, "*")
    order = sorted(groups, key=lambda u: (u == "", names.get(u, "").casefold()))
    units = [landscape.Unit(names.get(u, other), tuple(groups[u])) for u in order]
    return CACHE.get(landscape.source(units, headings, link), svg.render)
