"""kill -9 in the middle of a large import: after a restart nothing of it is there, all else is.

``qms workspace import`` loads model files in one unit of work, the same code path as an
import from the browser. The import runs as its own process; a probe counts the change-log
entries it writes (the real unit of work, nothing replaced) so that the kill lands while the
transaction is open and thousands of writes are already in it. Then the store is opened
again as a restarted server would: the dump must equal the one from before the import, and
the search index — not rebuilt — must agree with the graph.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from process_models import DEMO
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.indexing import INDEXED, search_doc
from tests.integration.reliability_kit import ROOT, dump_of, environment, run_qms

pytestmark = pytest.mark.slow

#: Change-log entries the import has written when the kill is sent (of about 10 000).
KILL_AFTER = 2_000
PROBE = """
import sys
from pathlib import Path

from qms.storage import unit_of_work

marker, after, args = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
written = 0
log = unit_of_work.UnitOfWork._log


def counted(self, *a, **k):
    global written
    log(self, *a, **k)
    written += 1
    if written == after:
        marker.write_text(str(written))


unit_of_work.UnitOfWork._log = counted
from qms.cli import main

sys.exit(main(args))
"""


def model_files(folder: Path, processes: int, word: str) -> Path:
    """Support processes of six activities each, every text carrying ``word``."""
    folder.mkdir(parents=True)
    items = [
        {
            "id": f"p-{word}-{i}",
            "name": f"{word.capitalize()}process {i}",
            "kind": "support",
            "purpose": f"Prova en avbruten import ({word}).",
            "activities": [
                {
                    "id": f"a-{word}-{i}-{j}",
                    "name": f"{word.capitalize()} steg {j} i flöde {i}",
                    "node_type": "task",
                    "description": f"Steg {j} av importprovet {word}.",
                }
                for j in range(6)
            ],
        }
        for i in range(processes)
    ]
    path = folder / "processes.yaml"
    path.write_text(yaml.safe_dump({"processes": items}, allow_unicode=True), encoding="utf-8")
    return folder


def indexed(data_dir: Path) -> set[tuple[str, str, str]]:
    """(id, label, title) of every document in the search index file."""
    with sqlite3.connect(data_dir / "search.sqlite3") as conn:
        return set(conn.execute("SELECT id, label, title FROM docs"))


def test_kill_during_a_large_import_leaves_no_partial_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_qms(data, "load", str(DEMO), home=tmp_path).returncode == 0
    small = model_files(tmp_path / "small", 10, "giraffkvitto")
    committed = run_qms(data, "workspace", "import", str(small), home=tmp_path)
    assert committed.returncode == 0, committed.stderr
    before = dump_of(data)
    index_before = indexed(data)

    big = model_files(tmp_path / "big", 600, "zebrakvitto")
    marker = tmp_path / "written"
    importer = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(marker), str(KILL_AFTER), "--data-dir", str(data)]
        + ["workspace", "import", str(big)],
        cwd=ROOT,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while not marker.exists() and importer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), f"the import never got {KILL_AFTER} writes in: {importer.stderr}"
    time.sleep(0.5)  # let it write on: the kill lands wherever the import happens to be
    importer.send_signal(signal.SIGKILL)
    out, _ = importer.communicate(timeout=30)
    assert importer.returncode == -signal.SIGKILL
    assert "inlästa" not in out  # it had not finished

    # Restart: open the same files again (the engine replays or drops its log).
    assert dump_of(data) == before
    assert indexed(data) == index_before
    qms = Qms.open(Settings(data_dir=data))
    try:
        assert qms.search("zebrakvitto") == []
        found = qms.search("giraffkvitto", limit=100)
        assert len(found) == 10 * 7  # the committed import: 10 processes, 60 activities
        graph = {
            (doc.id, doc.label, doc.title)
            for label in INDEXED
            for entity in qms.store.entities(label)
            if (doc := search_doc(entity)) is not None
        }
    finally:
        qms.close()
    assert indexed(data) == graph  # no reindex happened: the index agrees by itself
