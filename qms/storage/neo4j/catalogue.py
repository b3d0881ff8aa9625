"""Every statement the Neo4j store can send, generated from the domain (for the linter).

The texts come from the same builders the adapter calls, for every label, every allowed
(type, source, target) and every migration, so the test that lints them sees exactly what
can reach the server. A test also records what the adapter really runs and checks it is here.
"""

from __future__ import annotations

from collections.abc import Iterator

from qms.domain.graph import REL_TYPES
from qms.domain.labels import Label
from qms.domain.trace import TRACE_HOPS
from qms.storage import queries as qq
from qms.storage import schema as q
from qms.storage import views
from qms.storage.neo4j import bulk, migrate
from qms.storage.queries import Dialect


def _per_label() -> Iterator[str]:
    for label in Label:
        yield q.read_query(label)
        yield q.list_query(label)
        yield q.read_many_query(label)
        yield q.create_query(label)
        yield q.update_query(label)
        yield q.delete_query(label)
        yield qq.lock_query(label.value)
        yield bulk.node_query(label.value)
        yield from (query for _, _, query in views.neighbourhood_queries(label))
    for name in (*(label.value for label in Label), q.CHANGE_LABEL):
        yield qq.count_nodes_query(name)
        yield qq.clear_in_batches_query(name)


def _per_link() -> Iterator[str]:
    for rel, rel_type in REL_TYPES.items():
        yield qq.links_query(rel)
        yield qq.count_links_query(rel)
        for source, target in rel_type.pairs:
            yield q.link_exists_query(rel, source, target)
            yield q.unlink_query(rel, source, target)
            yield q.link_create_query(rel, source, target)
            yield bulk.link_query(rel, source, target)
            yield qq.links_query(rel, source)
            yield qq.neighbours_query(source, rel)
            yield qq.neighbours_query(target, rel, inverse=True)


def _views() -> Iterator[str]:
    yield qq.find_label_query(Dialect.NEO4J)
    yield from qq.watchers_queries(Dialect.NEO4J)
    yield from views.VIEW_QUERIES.values()
    yield from views.ACTIVITY_QUERIES.values()
    yield qq.ROLE_ACTIVITIES
    yield qq.ROLE_DOCUMENTS
    yield qq.changes_query(of_entity=True)
    yield qq.changes_query(of_entity=False)
    yield bulk.change_query()
    for label, steps in TRACE_HOPS.items():
        for step in steps:
            for other in qq.hop_targets(label, step.rel, inverse=step.inverse):
                yield qq.hop_many_query(label, step.rel, other, inverse=step.inverse)


def _schema() -> Iterator[str]:
    yield migrate.APPLIED
    yield migrate.RECORD
    yield migrate.AWAIT
    for _, _, statements in migrate.available():
        yield from statements


def statements() -> list[str]:
    """Every distinct statement text, in a stable order."""
    return list(dict.fromkeys([*_schema(), *_per_label(), *_per_link(), *_views()]))
