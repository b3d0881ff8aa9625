"""The audit-logging benchmark measures what it says: logged writes log, the baseline does not."""

from __future__ import annotations

from pathlib import Path

from process_models import DEMO
from qms.domain.labels import Label
from qms.search.sqlite import SqliteSearchIndex
from qms.services.audit_bench import WARM_UP, BenchStore, Timings, measure, report
from qms.services.loader import load_models


def test_logged_writes_log_and_the_baseline_writes_the_same_without(tmp_path: Path) -> None:
    store = BenchStore(tmp_path / "graph")
    index = SqliteSearchIndex(tmp_path / "search.sqlite3")
    try:
        load_models(store, index, DEMO, "test")
        versions = {e.id: e.version for e in store.entities(Label.PROCESS)}
        before = len(store.changes())
        on, off = measure(store, 30)
        logged = store.changes()[before:]
        after = {e.id: e.version for e in store.entities(Label.PROCESS)}
    finally:
        index.close()
        store.close()
    assert len(on.samples) == len(off.samples) == 30
    assert len(logged) == WARM_UP + 30  # one change entry per logged write, none for the rest
    assert {c.field for c in logged} == {"purpose"}
    assert sum(after.values()) - sum(versions.values()) == 2 * (WARM_UP + 30)  # every write wrote


def test_report_names_both_kinds_and_the_difference() -> None:
    lines = report(Timings([2.0, 2.0, 3.0]), Timings([1.0, 1.0, 2.0]), 3)
    assert "med ändringslogg" in lines[0]
    assert "median   2.00 ms" in lines[0]
    assert "+1.00 ms (+100%)" in lines[2]
    assert "bara här" in lines[3]
