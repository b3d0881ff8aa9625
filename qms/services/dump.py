"""Lossless dump and restore of the whole graph, change log included (format: ``jsonl``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from exporters import jsonl
from qms.domain.snapshot import Snapshot
from qms.search.port import SearchIndex
from qms.services.reindex import reindex
from qms.storage.port import GraphStore


def snapshot(store: GraphStore) -> Snapshot:
    """The whole graph now, in dump order."""
    return Snapshot(tuple(store.iter_entities()), tuple(store.iter_links()), tuple(store.changes()))


def dump_lines(store: GraphStore) -> Iterator[str]:
    """The dump of the store as JSON lines."""
    return jsonl.lines(snapshot(store))


def dump(store: GraphStore, out: IO[str]) -> int:
    """Write the dump to ``out``; returns the number of lines."""
    count = 0
    for line in dump_lines(store):
        out.write(line + "\n")
        count += 1
    return count


def restore(store: GraphStore, search: SearchIndex, lines: Iterable[str]) -> int:
    """Replace the graph with a dump (validated first) and rebuild the search index.

    The store keeps its old content if loading the new one fails; on the embedded store even
    a process killed half-way leaves either the old graph or the new one (``replace``).
    """
    new = jsonl.parse(lines)
    store.replace(new.entities, new.links, new.changes)
    reindex(store, search)
    return len(new.entities)
