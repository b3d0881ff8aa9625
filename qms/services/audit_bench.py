"""``qms bench-audit``: what the change log costs a write on the embedded store.

N single-entity updates (one field each, so one change entry each) are timed with the change
log on, as every write in QMS runs, and with it off — a unit of work whose ``_record`` does
nothing, a subclass only this benchmark uses. The two kinds alternate write by write on the
same store, the demo organisation with its change log, so that drift and cache warmth hit
both alike. Each time covers the whole unit of work: BEGIN, the version check, the update,
the change entry, COMMIT.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from process_models import DEMO
from qms.domain.changes import Change
from qms.domain.entities import Process
from qms.domain.labels import Label
from qms.search.sqlite import SqliteSearchIndex
from qms.services.forms import fetch
from qms.services.loader import load_models
from qms.storage.embedded.store import EmbeddedGraphStore, EmbeddedUnitOfWork

WARM_UP = 20


class UnloggedUnitOfWork(EmbeddedUnitOfWork):
    """The baseline: the same unit of work, its change-log write left out (benchmark only)."""

    def _record(self, change: Change) -> None:
        """Write nothing."""


class BenchStore(EmbeddedGraphStore):
    """The embedded store with a switch for the change log (benchmark only)."""

    log_changes = True

    def _new_unit_of_work(self, actor: str) -> EmbeddedUnitOfWork:
        if self.log_changes:
            return super()._new_unit_of_work(actor)
        return UnloggedUnitOfWork(actor, self.engine)


@dataclass(frozen=True)
class Timings:
    """Milliseconds per write of one kind."""

    samples: list[float]

    @property
    def median(self) -> float:
        """The median write."""
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """The 95th percentile write."""
        return statistics.quantiles(self.samples, n=20, method="inclusive")[-1]


def _write(store: BenchStore, process_id: str, number: int, *, logged: bool) -> float:
    """One update of one field of one process; its duration in ms."""
    store.log_changes = logged
    started = time.perf_counter()
    with store.unit_of_work("bench") as uow:
        current = fetch(uow, Process, process_id)
        text = f"Mätning {number} {'med' if logged else 'utan'} ändringslogg"
        uow.update(dataclasses.replace(current, purpose=text))
    return (time.perf_counter() - started) * 1000


def measure(store: BenchStore, writes: int) -> tuple[Timings, Timings]:
    """``writes`` logged and ``writes`` unlogged updates, interleaved; (on, off)."""
    processes = [entity.id for entity in store.entities(Label.PROCESS)]
    on: list[float] = []
    off: list[float] = []
    for number in range(WARM_UP + writes):
        target = processes[number % len(processes)]
        first_logged = number % 2 == 0  # alternate which kind goes first
        for logged in (first_logged, not first_logged):
            took = _write(store, target, number, logged=logged)
            if number >= WARM_UP:
                (on if logged else off).append(took)
    return Timings(on), Timings(off)


def run_audit_bench(writes: int = 300) -> Iterator[str]:
    """Load the demo into a temporary store, time the writes, yield the report lines."""
    with tempfile.TemporaryDirectory(prefix="qms-bench-audit-") as folder:
        data = Path(folder)
        store = BenchStore(data / "graph")
        index = SqliteSearchIndex(data / "search.sqlite3")
        try:
            load_models(store, index, DEMO, "bench")
            before = len(store.changes())
            yield (
                f"Demoorganisationen: {len(store.changes())} poster i ändringsloggen; "
                f"{writes} + {writes} uppdateringar av ett fält, varannan med och varannan "
                f"utan ändringslogg (efter {WARM_UP} uppvärmningar)"
            )
            on, off = measure(store, writes)
            logged = len(store.changes()) - before
        finally:
            index.close()
            store.close()
    yield from report(on, off, logged)


def report(on: Timings, off: Timings, logged: int) -> list[str]:
    """The figures as lines: median and p95 per kind, and the difference."""
    overhead = on.median - off.median
    return [
        f"{'med ändringslogg':<36} median {on.median:6.2f} ms   p95 {on.p95:6.2f} ms",
        f"{'utan ändringslogg (endast mätning)':<36} median {off.median:6.2f} ms   "
        f"p95 {off.p95:6.2f} ms",
        f"{'ändringsloggens kostnad':<36} median {overhead:+6.2f} ms "
        f"({overhead / off.median:+.0%}) per skrivning",
        f"Utan-fallet är en underklass av arbetsenheten vars _record inte skriver något; "
        f"den används bara här. Ändringsposter skrivna (uppvärmningen medräknad): {logged}.",
    ]
