"""Importers of the ILS and 2c8 formats: round trips, edits, matching, and bad input.

Every refused file leaves the graph exactly as it was (the dump is compared byte for byte).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import exporters
from process_models import DEMO
from qms.domain.entities import Control, Process, Risk
from qms.domain.labels import Label, Rel
from qms.services import imports
from qms.services.access import Actor, coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.dump import dump_lines, snapshot

ROUND_TRIP = ["2c8-excel", "ils-sosfs", "ils-vor", "ils-ikp"]
SUFFIX = {"2c8-excel": "x.zip"}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path / "demo"))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def export(qms: Qms, name: str) -> bytes:
    return exporters.get(name)(snapshot(qms.store))


def cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values (inside a ZIP too): xlsx bytes carry a save time, values do not."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as probe:
        is_package = "xl/workbook.xml" not in probe.namelist()
    if is_package:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for name in package.namelist():
                if name.endswith(".xlsx"):
                    for key, rows in cells(package.read(name)).items():
                        found[f"{name}/{key}"] = rows
                else:
                    found[name] = [(package.read(name),)]
        return found
    book = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def plan(qms: Qms, name: str, data: bytes) -> imports.ImportPlan:
    return imports.plan_import(qms, name, data, SUFFIX.get(name, "x.xlsx"))


def problems(qms: Qms, name: str, data: bytes, filename: str = "") -> list[str]:
    before = list(dump_lines(qms.store))
    with pytest.raises(imports.BadFile) as caught:
        imports.import_file(
            qms, coordinator("t"), name, data, filename or SUFFIX.get(name, "x.xlsx")
        )
    assert list(dump_lines(qms.store)) == before  # nothing written
    return [p.line() for p in caught.value.problems]


def edit(data: bytes, sheet: str, changes: dict[tuple[int, int], Any]) -> bytes:
    """The workbook with some cells (row, column; 1-based) set."""
    book = load_workbook(io.BytesIO(data))
    for (row, column), value in changes.items():
        book[sheet].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header_index(data: bytes, sheet: str, header: str) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True)
    first = next(book[sheet].iter_rows(max_row=1, values_only=True))
    return list(first).index(header) + 1


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_export_then_import_changes_nothing_and_exports_the_same(demo: Qms, name: str) -> None:
    first = export(demo, name)
    found = plan(demo, name, first)
    assert found.empty, found.lines()[:20]
    assert found.count(imports.UNCHANGED) > 0
    imports.apply_plan(demo, coordinator("t"), found)
    assert cells(export(demo, name)) == cells(first)


def test_2c8_package_fills_an_empty_store_to_the_same_export(demo: Qms, tmp_path: Path) -> None:
    package = export(demo, "2c8-excel")
    empty = Qms.open(Settings(data_dir=tmp_path / "empty"))
    try:
        found = plan(empty, "2c8-excel", package)
        assert found.count(imports.CREATED) == len(found.entities) > 300
        assert {p.matched_by for p in found.entities} == {"nytt, id från filen"}
        imports.apply_plan(empty, coordinator("t"), found)
        assert cells(export(empty, "2c8-excel")) == cells(package)
        for other in ("ils-sosfs", "ils-vor", "ils-ikp"):
            assert cells(export(empty, other)) == cells(export(demo, other)), other
    finally:
        empty.close()


def test_an_edited_vor_row_changes_the_risk_and_exports_as_edited(demo: Qms) -> None:
    data = export(demo, "ils-vor")
    sheet = "Väsentlighets- och riskanalys"
    risk_id = load_workbook(io.BytesIO(data))[sheet].cell(row=2, column=11).value
    column = header_index(data, sheet, "Sannolikhet")
    before = demo.store.get(Label.RISK, risk_id)
    assert isinstance(before, Risk)
    new_step = 1 if before.probability != 1 else 2
    edited = edit(data, sheet, {(2, column): f"{new_step} - vad som helst"})
    found = plan(demo, "ils-vor", edited)
    changed = [p for p in found.entities if p.action == imports.CHANGED]
    assert [(p.entity.id, p.matched_by) for p in changed] == [(risk_id, "matchad på id")]
    assert [(c.field, c.before, c.after) for c in changed[0].changes] == [
        ("probability", before.probability, new_step)
    ]
    imports.apply_plan(demo, coordinator("t"), found)
    after = demo.store.get(Label.RISK, risk_id)
    assert isinstance(after, Risk)
    assert after.probability == new_step


def test_vor_rows_without_id_match_by_title_and_new_ones_threaten_their_process(demo: Qms) -> None:
    data = export(demo, "ils-vor")
    sheet = "Väsentlighets- och riskanalys"
    id_column = header_index(data, sheet, "Id")
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    ws.cell(row=2, column=id_column).value = None
    process = next(p for p in demo.store.entities(Label.PROCESS) if isinstance(p, Process))
    ws.append(
        [process.name, "Helt ny risk", "Nej", "Nej", "3", "4 - Allvarlig", 12, "", "", 2026, ""]
    )
    out = io.BytesIO()
    book.save(out)
    found = plan(demo, "ils-vor", out.getvalue())
    by_how = {p.matched_by for p in found.entities}
    assert {"matchad på id", "matchad på namn", "nytt"} <= by_how
    new = next(p for p in found.entities if p.action == imports.CREATED)
    assert new.entity.id == "risk-helt-ny-risk"
    assert new.where.row == ws.max_row
    assert [(lk.rel, lk.target) for lk in found.link_adds] == [(Rel.THREATENS, process.id)]
    imports.apply_plan(demo, coordinator("t"), found)
    assert [n.id for n in demo.store.neighbours(Label.RISK, new.entity.id, Rel.THREATENS)] == [
        process.id
    ]


def test_sosfs_edit_rename_new_subprocess_and_borttagen(demo: Qms) -> None:
    data = export(demo, "ils-sosfs")
    book = load_workbook(io.BytesIO(data))
    ws = book["Processer"]
    top_row = next(r for r in range(2, ws.max_row + 1) if not ws.cell(row=r, column=2).value)
    top_id, top_name = ws.cell(row=top_row, column=6).value, ws.cell(row=top_row, column=1).value
    ws.cell(row=top_row, column=3, value="Nytt syfte")
    ws.append([top_name, "Ny delprocess", "", "", "Skapad", ""])
    sub_row = next(r for r in range(2, ws.max_row) if ws.cell(row=r, column=2).value)
    sub_id = ws.cell(row=sub_row, column=6).value
    ws.cell(row=sub_row, column=5, value="Borttagen")
    out = io.BytesIO()
    book.save(out)
    found = plan(demo, "ils-sosfs", out.getvalue())
    changed = {p.entity.id: p for p in found.entities if p.action != imports.UNCHANGED}
    assert [c.after for c in changed[top_id].changes] == ["Nytt syfte"]
    assert [c.field for c in changed[sub_id].changes] == ["archived"]
    new = next(p for p in changed.values() if p.action == imports.CREATED)
    assert new.entity.caption == "Ny delprocess"
    assert [(lk.rel, lk.source, lk.target) for lk in found.link_adds] == [
        (Rel.SUBPROCESS_OF, new.entity.id, top_id)
    ]
    imports.apply_plan(demo, coordinator("t"), found)
    archived = demo.store.get(Label.PROCESS, sub_id)
    assert isinstance(archived, Process)
    assert archived.archived


def test_ikp_controls_change_and_the_same_control_on_two_rows_must_agree(demo: Qms) -> None:
    data = export(demo, "ils-ikp")
    sheet = "Internkontrollplan"
    method = header_index(data, sheet, "Kontrollmetod")
    control_id = header_index(data, sheet, "Kontroll-id")
    book = load_workbook(io.BytesIO(data))
    row = next(
        r for r in range(2, book[sheet].max_row + 1) if book[sheet].cell(r, control_id).value
    )
    cid = book[sheet].cell(row, control_id).value
    found = plan(demo, "ils-ikp", edit(data, sheet, {(row, method): "Stickprov"}))
    assert [(p.entity.id, p.action) for p in found.entities if p.action != "unchanged"] == [
        (cid, imports.CHANGED)
    ]
    imports.apply_plan(demo, coordinator("t"), found)
    control = demo.store.get(Label.CONTROL, cid)
    assert isinstance(control, Control)
    assert control.method == "Stickprov"
    ws = book[sheet]
    ws.append([c.value for c in ws[row]])
    ws.cell(ws.max_row, method, value="Något annat")
    out = io.BytesIO()
    book.save(out)
    assert problems(demo, "ils-ikp", out.getvalue()) == [
        f"Internkontrollplan, rad {ws.max_row}, kolumn M (Kontroll-id): "
        f"Kontrollmomentet {cid} står olika här och på rad {row}."
    ]


def test_applying_needs_the_permissions_of_what_is_written(demo: Qms) -> None:
    data = export(demo, "ils-vor")
    sheet = "Väsentlighets- och riskanalys"
    found = plan(demo, "ils-vor", edit(data, sheet, {(2, 2): "Nytt namn på risken"}))
    assert imports.required_permissions(found) == {imports.Permission.EDIT_QUALITY}
    from qms.domain.errors import Forbidden

    with pytest.raises(Forbidden):
        imports.apply_plan(demo, Actor("läsare"), found)


def test_a_stale_plan_is_refused_whole(demo: Qms) -> None:
    data = export(demo, "ils-vor")
    sheet = "Väsentlighets- och riskanalys"
    edited = edit(data, sheet, {(2, 2): "Första ändringen"})
    found = plan(demo, "ils-vor", edited)
    imports.apply_plan(demo, coordinator("a"), found)
    before = list(dump_lines(demo.store))
    from qms.domain.errors import Conflict

    with pytest.raises(Conflict):
        imports.apply_plan(demo, coordinator("b"), found)  # the versions moved on
    assert list(dump_lines(demo.store)) == before


# -- bad input: one line per problem, nothing written -------------------------------------
def test_wrong_and_missing_sheets_and_columns(demo: Qms) -> None:
    data = export(demo, "ils-vor")
    book = load_workbook(io.BytesIO(data))
    book["Väsentlighets- och riskanalys"].title = "Blad1"
    out = io.BytesIO()
    book.save(out)
    assert problems(demo, "ils-vor", out.getvalue()) == [
        "Väsentlighets- och riskanalys: Bladet saknas (bladen i filen: Blad1)."
    ]
    sheet = "Processer"
    sosfs = edit(export(demo, "ils-sosfs"), sheet, {(1, 1): "Område", (1, 3): "Färg"})
    assert problems(demo, "ils-sosfs", sosfs) == [
        "Processer, rad 1, kolumn A (Område): Okänd kolumn; kända: Område/Process, Delprocess, "
        "Beskrivning, Ägare, Ändring, Id.",
        "Processer, rad 1, kolumn C (Färg): Okänd kolumn; kända: Område/Process, Delprocess, "
        "Beskrivning, Ägare, Ändring, Id.",
        "Processer, rad 1, kolumn Område/Process: Kolumnen saknas.",
        "Processer, rad 1, kolumn Beskrivning: Kolumnen saknas.",
    ]


def test_duplicate_ids_unknown_references_wrong_types_and_formulas(demo: Qms) -> None:
    data = export(demo, "ils-vor")
    sheet = "Väsentlighets- och riskanalys"
    first_id = load_workbook(io.BytesIO(data))[sheet].cell(row=2, column=11).value
    bad = edit(
        data,
        sheet,
        {
            (3, 11): first_id,  # duplicate id
            (4, 9): "Ingen sådan roll",  # unknown reference
            (5, 10): "tjugotjugosex",  # wrong type (År is a whole number)
            (6, 2): "=UPPER(B2)",  # a formula
        },
    )
    found = problems(demo, "ils-vor", bad)
    assert found == [
        f"{sheet}, rad 3: Id:t {first_id} finns redan ({sheet}, rad 2).",
        f"{sheet}, rad 4, kolumn I (Ansvarig): Okänd referens: det finns inget av typen Roll "
        "som heter «Ingen sådan roll».",
        f"{sheet}, rad 5, kolumn J (År): Ett heltal krävs, cellen innehåller texten "
        "«tjugotjugosex».",
        f"{sheet}, rad 6, kolumn B (Risk): Formler tas inte emot; skriv in värdet (=UPPER(B2)).",
    ]


def test_2c8_unknown_reference_bad_relation_and_bad_value(demo: Qms) -> None:
    package = export(demo, "2c8-excel")
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        objects = source.read("objects.xlsx")
        relations = source.read("relationships.xlsx")
    objects = edit(objects, "Risk", {(2, 7): "hundra"})  # sannolikhet
    relations = edit(relations, "Relationer", {(2, 5): "finns-inte", (3, 3): "Äter upp"})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("objects.xlsx", objects)
        target.writestr("relationships.xlsx", relations)
    found = problems(demo, "2c8-excel", out.getvalue())
    assert (
        found[0] == "Risk, rad 2, kolumn G (sannolikhet): Ett heltal krävs, cellen innehåller "
        "texten «hundra»."
    )
    assert any("Relationer, rad 2, kolumn E (mål_id): Okänd referens" in line for line in found)
    assert any(
        line.startswith("Relationer, rad 3, kolumn C (relations_typ): Ogiltigt värde «Äter upp»")
        for line in found
    )
    assert len(found) == 3


def test_a_2c8_package_missing_a_file_or_not_a_zip(demo: Qms) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("objects.xlsx", b"")
    assert problems(demo, "2c8-excel", out.getvalue()) == [
        "relationships.xlsx: Filen saknas i paketet (där finns: objects.xlsx)."
    ]
    assert problems(demo, "2c8-excel", b"garbage") == [
        "paketet: Paketet är skadat eller ingen ZIP-fil från 2c8-exporten."
    ]


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (
            bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptedPackage".encode("utf-16-le"),
            "a.xlsx",
            "lösenordsskyddad",
        ),
        (b"PK\x03\x04trasig", "a.xlsx", "skadad"),
        (b"whatever", "a.xlsm", "makron"),
    ],
)
def test_encrypted_corrupt_and_macro_files(
    demo: Qms, data: bytes, filename: str, expected: str
) -> None:
    (line,) = problems(demo, "ils-vor", data, filename)
    assert expected in line
