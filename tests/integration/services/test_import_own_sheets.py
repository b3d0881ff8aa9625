"""A coordinator's own spreadsheet through a column mapping; 100 000 rows; the CLI command."""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from qms.cli_import import add_parser, parse_mapping
from qms.domain.entities import Process, Risk
from qms.domain.labels import Label, Rel
from qms.services import imports
from qms.services.access import coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.dump import dump_lines


@pytest.fixture
def qms(tmp_path: Path) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path / "own"))
    opened.load(Path(__file__).parents[2] / "web" / "fixtures" / "mini.yaml", "test")
    yield opened
    opened.close()


def sheet(rows: list[list[Any]], write_only: bool = False) -> bytes:
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("Mina processer") if write_only else book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MAPPING = {"namn": "Processnamn", "överordnad": "Hör till", "ägare": "Ansvarig", "typ": "Slag"}


def test_processes_by_mapping_matched_by_name_within_the_parent(qms: Qms) -> None:
    top = next(p for p in qms.store.entities(Label.PROCESS) if isinstance(p, Process))
    other_kind, other_value = (
        ("Styrprocess", "management")
        if top.kind.value != "management"
        else ("Stödprocess", "support")
    )
    data = sheet(
        [
            ["Processnamn", "Hör till", "Ansvarig", "Slag", "Anteckning"],
            [top.name, None, None, other_kind, "ignoreras"],
            ["Intag", top.name, None, None, None],
            ["Intag", "Annan ny process", None, None, None],
            ["Annan ny process", None, None, None, None],
        ]
    )
    found = imports.plan_import(qms, "egen-processlista", data, "mina.xlsx", MAPPING)
    rows = {(p.where.row, p.action, p.matched_by, p.entity.id) for p in found.entities}
    assert (2, imports.CHANGED, "matchad på namn", top.id) in rows
    assert {(r, a) for r, a, _, _ in rows} == {
        (2, imports.CHANGED),
        (3, imports.CREATED),
        (4, imports.CREATED),
        (5, imports.CREATED),
    }
    ids = sorted(p.entity.id for p in found.entities if p.action == imports.CREATED)
    assert ids == ["proc-annan-ny-process", "proc-intag", "proc-intag-2"]
    imports.apply_plan(qms, coordinator("t"), found)
    changed = qms.store.get(Label.PROCESS, top.id)
    assert isinstance(changed, Process)
    assert changed.kind.value == other_value
    parents = {(lk.source, lk.target) for lk in qms.store.links(Rel.SUBPROCESS_OF)}
    assert {("proc-intag", top.id), ("proc-intag-2", "proc-annan-ny-process")} <= parents
    again = imports.plan_import(qms, "egen-processlista", data, "mina.xlsx", MAPPING)
    assert again.empty
    assert {p.matched_by for p in again.entities} == {"matchad på namn"}


def test_risks_by_default_mapping_and_loose_numbers(qms: Qms) -> None:
    process = next(p for p in qms.store.entities(Label.PROCESS) if isinstance(p, Process))
    data = sheet(
        [
            ["Risk", "Sannolikhet", "Konsekvens", "Process", "År"],
            ["Fel i dosering", "4", "5 - Mycket allvarlig", process.id, 2026],
        ]
    )
    found = imports.plan_import(qms, "egen-risklista", data, "risker.xlsx")
    (planned,) = found.entities
    assert isinstance(planned.entity, Risk)
    assert (planned.entity.probability, planned.entity.consequence, planned.entity.year) == (
        4,
        5,
        2026,
    )
    assert [(lk.rel, lk.target) for lk in found.link_adds] == [(Rel.THREATENS, process.id)]


def test_own_sheet_problems_name_the_users_columns(qms: Qms) -> None:
    data = sheet(
        [["Risk", "Sannolikhet", "Process"], ["X", "mycket", "Ingen sådan"], [None, 2, None]]
    )
    before = list(dump_lines(qms.store))
    with pytest.raises(imports.BadFile) as caught:
        imports.plan_import(qms, "egen-risklista", data, "r.xlsx")
    assert [p.line() for p in caught.value.problems] == [
        "Sheet, rad 2, kolumn B (Sannolikhet): Ange ett heltal (fick «mycket»).",
        "Sheet, rad 2, kolumn C (Process): Okänd referens: det finns inget av typen Process "
        "som heter «Ingen sådan».",
        "Sheet, rad 3, kolumn A (Risk): Cellen måste fyllas i.",
    ]
    assert list(dump_lines(qms.store)) == before
    with pytest.raises(imports.BadFile) as missing:
        imports.plan_import(qms, "egen-processlista", data, "r.xlsx", {"ägare": "Risk"})
    assert [p.line() for p in missing.value.problems] == [
        "Sheet, rad 1: Ingen kolumn är vald för «Namn»."
    ]


def test_a_hundred_thousand_rows_one_bad_report_that_row_and_write_nothing(qms: Qms) -> None:
    rows: list[list[Any]] = [["Id", "Namn", "Överordnad"]]
    rows += [[f"x{i}", f"Process {i}", f"x{i // 10}" if i >= 10 else None] for i in range(100_000)]
    rows[77_778][2] = "x-finns-inte"
    data = sheet(rows, write_only=True)
    before = list(dump_lines(qms.store))
    started = time.perf_counter()
    with pytest.raises(imports.BadFile) as caught:
        imports.import_file(qms, coordinator("t"), "egen-processlista", data, "stor.xlsx")
    elapsed = time.perf_counter() - started
    assert [p.line() for p in caught.value.problems] == [
        "Mina processer, rad 77779, kolumn C (Överordnad): Okänd referens: det finns inget "
        "av typen Process som heter «x-finns-inte»."
    ]
    assert list(dump_lines(qms.store)) == before
    assert elapsed < 120  # about 30 s on a laptop: openpyxl's XML parsing is most of it


def test_cli_prints_the_plan_and_applies_only_without_dry_run(
    qms: Qms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lista.xlsx"
    path.write_bytes(sheet([["Namn", "Typ"], ["Ny process från CLI", "Huvudprocess"]]))
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", "egen-processlista", str(path), "--dry-run"])
    assert args.handler(qms, args) == 0
    out = capsys.readouterr().out
    assert "1 skapas" in out
    assert "Provkörning klar" in out
    assert "inget sparades" in out
    assert qms.store.label_of("proc-ny-process-fran-cli") is None
    args = parser.parse_args(
        ["import", "egen-processlista", str(path), "--mapping", "namn=Namn,typ=Typ"]
    )
    assert args.handler(qms, args) == 0
    assert "Sparat: 1 nya" in capsys.readouterr().out
    assert qms.store.label_of("proc-ny-process-fran-cli") is Label.PROCESS
    assert parse_mapping(["a=B", "c=D,e=F"]) == {"a": "B", "c": "D", "e": "F"}


def test_an_import_too_big_for_one_unit_of_work_is_planned_but_not_applied(
    qms: Qms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_WRITES", 2)
    data = sheet([["Namn"], ["A"], ["B"], ["C"]])
    found = imports.plan_import(qms, "egen-processlista", data, "x.xlsx")
    assert found.notes == [
        "Importen gör 3 ändringar; högst 2 sparas i en omgång. "
        "Dela upp filen och läs in delarna var för sig."
    ]
    before = list(dump_lines(qms.store))
    with pytest.raises(imports.InvalidInput):
        imports.apply_plan(qms, coordinator("t"), found)
    assert list(dump_lines(qms.store)) == before
