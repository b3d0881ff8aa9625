"""``qms bench-portal`` serves a data directory in a child process and reports every page type."""

from __future__ import annotations

from pathlib import Path

import pytest

from process_models import DEMO
from qms.cli import main


@pytest.mark.slow
def test_bench_portal_reports_each_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "load", str(DEMO)]) == 0
    capsys.readouterr()
    assert (
        main(["--data-dir", str(tmp_path), "bench-portal", "--clients", "2", "--requests", "3"])
        == 0
    )
    out = capsys.readouterr().out
    for page in ("startsida", "processida", "rollsida", "sökning"):
        assert f"\n{page} " in out
    assert out.count(" 0 fel") == 8
    assert "svar, 1 fel" not in out
