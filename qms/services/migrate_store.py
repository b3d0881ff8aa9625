"""Copy a whole embedded store into Neo4j and prove the copy exact (``qms migrate``)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from exporters import jsonl
from qms.domain.errors import InvalidInput, StoreError
from qms.domain.labels import Label, Rel
from qms.services.backends import open_neo4j
from qms.services.config import Settings
from qms.services.dump import dump_lines, snapshot
from qms.services.reindex import reindex
from qms.storage.embedded.store import EmbeddedGraphStore
from qms.storage.port import GraphStore


@dataclass(frozen=True)
class CopyReport:
    """What was copied, and the checksum both sides' dumps share."""

    nodes: int
    links: int
    changes: int
    checksum: str
    replaced: int = 0
    indexed: int = 0


def checksum(lines: Iterable[str]) -> str:
    """SHA-256 of dump lines as ``qms dump`` writes them."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def copy_store(source: GraphStore, target: GraphStore, *, force: bool = False) -> CopyReport:
    """Copy graph and change log into an empty ``target``; verify counts and the checksum."""
    held = sum(target.counts().values())
    if held and not force:
        raise InvalidInput(
            f"måldatabasen är inte tom ({held} noder, länkar och ändringsposter); "
            "använd --force för att ersätta innehållet"
        )
    copied = snapshot(source)
    if not copied.entities:
        # Never let a wrong --data-dir (an empty store) wipe a database with --force.
        raise InvalidInput("källan är tom: ingen graf att kopiera (kontrollera --data-dir)")
    expected = checksum(jsonl.lines(copied))
    if held:
        target.clear()
    target.bulk_load(copied.entities, copied.links, copied.changes)
    before, after = source.counts(), target.counts()
    if before != after:
        wrong = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        raise StoreError(
            "antalen skiljer sig efter kopieringen: "
            + ", ".join(f"{k} {before.get(k, 0)} → {after.get(k, 0)}" for k in wrong)
        )
    got = checksum(dump_lines(target))
    if got != expected:
        raise StoreError(
            f"kontrollsumman för dumpen skiljer sig (källa {expected[:12]}, mål {got[:12]}); "
            "jämför `qms dump` från båda sidor"
        )
    return CopyReport(
        nodes=sum(before[label.value] for label in Label),
        links=sum(before[rel.value] for rel in Rel),
        changes=len(copied.changes),
        checksum=got,
        replaced=held,
    )


def migrate_to_neo4j(settings: Settings, *, force: bool = False) -> CopyReport:
    """Copy the embedded store in ``settings.data_dir`` to the Neo4j of ``settings``."""
    if not settings.graph_path.exists():
        raise InvalidInput(f"ingen inbäddad graf i {settings.data_dir} att kopiera")
    source = EmbeddedGraphStore(settings.graph_path)
    try:
        target, index, _ = open_neo4j(settings)
        try:
            report = copy_store(source, target, force=force)
            indexed = reindex(target, index)
        finally:
            index.close()
            target.close()
    finally:
        source.close()
    return dataclasses.replace(report, indexed=indexed)
