"""The ``qms`` command: real stores, real files, one clear line per error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from process_models import DEMO
from qms.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    directory = str(tmp_path / "data")
    assert run(capsys, "--data-dir", directory, "load", str(DEMO))[0] == 0
    return directory


def test_load_search_trace(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", data, "search", "inskolning")
    assert code == 0
    assert "Rutin för inskolning" in out
    picture = Path(data) / "trace.svg"
    code, out, _ = run(
        capsys, "--data-dir", data, "trace", "deviation", "dev-gfp-saknas", "--svg", str(picture)
    )
    assert code == 0
    assert "inriktningsmålet ”Ett Stockholm som håller samman”" in out
    assert out.startswith("1. Avvikelsen ”Genomförandeplaner saknas för nya kunder” berör")
    assert "<svg" in picture.read_text(encoding="utf-8")


def test_load_twice_is_idempotent(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", data, "load", str(DEMO))
    assert code == 0
    assert "Inläst: 0 nya, 0 ändrade" in out


def test_dump_restore_round_trip(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run(capsys, "--data-dir", data, "dump", str(first))[0] == 0
    other = str(tmp_path / "other")
    assert run(capsys, "--data-dir", other, "restore", str(first))[0] == 0
    assert run(capsys, "--data-dir", other, "dump", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_export_jsonl_equals_dump(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dumped, exported = tmp_path / "d.jsonl", tmp_path / "e.jsonl"
    assert run(capsys, "--data-dir", data, "dump", str(dumped))[0] == 0
    assert run(capsys, "--data-dir", data, "export", "jsonl", "--out", str(exported))[0] == 0
    assert exported.read_bytes() == dumped.read_bytes()
    code, _, err = run(capsys, "--data-dir", data, "export", "pdf", "--out", str(exported))
    assert code == 2
    assert "kända: 2c8-excel, bpmn, ils-goals" in err


def test_errors_are_one_line_each_and_exit_non_zero(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--data-dir", data, "trace", "deviation", "dev-nope")
    assert code == 1
    assert err.strip() == "qms: Deviation dev-nope finns inte"
    bad = tmp_path / "bad.yaml"
    bad.write_text("roles:\n  - {id: r-x}\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", data, "load", str(bad))
    assert code == 2
    assert err.splitlines() == [
        f"qms: {bad}: 1 fel, inget sparades",
        f"qms: {bad}: r-x.name: Fältet måste fyllas i.",
    ]


def test_generate_and_reindex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "gen")
    code, out, _ = run(capsys, "--data-dir", data, "generate", "--nodes", "2000")
    assert code == 0
    assert "2000 noder" in out
    code, _, err = run(capsys, "--data-dir", data, "generate", "--nodes", "2000")
    assert code == 2
    assert "--replace" in err
    code, out, _ = run(capsys, "--data-dir", data, "reindex")
    assert code == 0
    assert "dokument" in out


def test_console_script_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qms.cli", "trace", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "deviation" in result.stdout
    assert "risk" in result.stdout
