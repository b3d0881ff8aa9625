"""kill -9 in the middle of ``qms restore``: afterwards the store holds the old graph or the
new one, whole, never a mixture (the embedded store builds the new graph in a file beside the
old one and renames it over)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from process_models import DEMO
from tests.integration.reliability_kit import ROOT, dump_of, environment, qms_command, run_qms

pytestmark = pytest.mark.slow


def test_a_restore_killed_half_way_leaves_the_old_graph_whole(tmp_path: Path) -> None:
    big, target = tmp_path / "big", tmp_path / "target"
    assert run_qms(big, "generate", "--nodes", "20000", home=tmp_path).returncode == 0
    dump = tmp_path / "big.jsonl"
    assert run_qms(big, "dump", str(dump), home=tmp_path).returncode == 0
    assert run_qms(target, "load", str(DEMO), home=tmp_path).returncode == 0
    before = dump_of(target)

    restoring = subprocess.Popen(
        qms_command("--data-dir", str(target), "restore", str(dump)),
        cwd=ROOT,
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = target / "graph.restoring"
    deadline = time.monotonic() + 60
    while not staging.exists() and restoring.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert staging.exists(), "the restore never started building the new graph"
    time.sleep(0.3)  # well into loading the new graph
    restoring.send_signal(signal.SIGKILL)
    restoring.wait(30)

    assert dump_of(target) == before  # the old graph, whole
    # A new restore clears what the killed one left and completes.
    assert run_qms(target, "restore", str(dump), home=tmp_path).returncode == 0
    assert dump_of(target) == dump.read_text(encoding="utf-8").splitlines()
    assert not staging.exists()
