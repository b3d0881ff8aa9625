"""``qms bpmn import|export|svg|conformance`` and ``qms export bpmn`` end to end."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qms.bpmn.schema import validate
from qms.cli import main

RICH = Path(__file__).parents[2] / "unit" / "bpmn" / "data" / "rich.bpmn"


def test_import_export_and_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "bpmn", "import", str(RICH), "--kind", "support"]) == 0
    assert "Inläst: Proc_bistand;" in capsys.readouterr().out
    out = tmp_path / "out.bpmn"
    assert main([*data, "bpmn", "export", "Proc_bistand", "--out", str(out)]) == 0
    assert validate(etree.parse(str(out))) == []
    picture = tmp_path / "p.svg"
    assert main([*data, "bpmn", "svg", "Proc_bistand", "--out", str(picture)]) == 0
    assert b"Registrera" in picture.read_bytes()
    landscape = tmp_path / "karta.svg"
    assert main([*data, "bpmn", "svg", "--out", str(landscape)]) == 0
    assert "Stödprocesser" in landscape.read_text("utf-8")


def test_export_of_an_unknown_process_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path), "bpmn", "export", "p-nope", "--out", "x.bpmn"])
    assert code == 1
    assert capsys.readouterr().err.strip() == "qms: Process p-nope finns inte"


def test_conformance_prints_a_row_per_file_and_the_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "good.bpmn").write_bytes(RICH.read_bytes())
    (folder / "bad.bpmn").write_text("<definitions>", "utf-8")
    code = main(["--data-dir", str(tmp_path / "data"), "bpmn", "conformance", str(folder)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("FAIL  bad.bpmn: bad.bpmn:1: ogiltig XML")
    assert lines[1].startswith("PASS  good.bpmn  14 noder")
    assert lines[-1] == "1 passed, 1 failed"


def test_the_bpmn_exporter_writes_one_valid_file_per_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    main([*data, "bpmn", "import", str(RICH)])
    main([*data, "load", str(Path(__file__).parents[2] / "web" / "fixtures" / "mini.yaml")])
    archive = tmp_path / "all.zip"
    assert main([*data, "export", "bpmn", "--out", str(archive)]) == 0
    with zipfile.ZipFile(archive) as opened:
        names = sorted(opened.namelist())
        assert names == [
            "Proc_bistand.bpmn",
            "p-test-bemanning.bpmn",
            "p-test-hemtjanst.bpmn",
            "p-test-uppfoljning.bpmn",
        ]
        for name in names:
            assert validate(etree.fromstring(opened.read(name))) == [], name
