"""Safe reading of uploaded workbooks: refused files, formulas, wrong cells, missing columns."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook

from exporters.import_workbook import MAX_BYTES, check_file, open_workbook, read_rows
from exporters.importers import BadFile, Draft
from exporters.xlsx import Column, Sheet

LAYOUT = Sheet(
    "Saker",
    (
        Column("id"),
        Column("namn"),
        Column("antal", "int"),
        Column("datum", "date"),
        Column("status", "choice", ("Öppen", "Stängd")),
    ),
)


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook with one sheet per entry, rows as given (row 1 the headers)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes, **options: Any) -> tuple[list[Any], list[str]]:
    draft = Draft()
    book = open_workbook(data, "test.xlsx")
    rows = list(read_rows(book, LAYOUT, draft, **options))
    return rows, [p.line() for p in draft.problems]


def refused(data: bytes, filename: str = "test.xlsx") -> str:
    with pytest.raises(BadFile) as caught:
        check_file(data, filename)
    return caught.value.problems[0].line()


HEAD = ["id", "namn", "antal", "datum", "status"]


def test_good_rows_come_back_typed() -> None:
    rows, problems = read(xlsx({"Saker": [HEAD, ["a1", "Ett", 3, date(2026, 1, 2), "öppen"]]}))
    assert problems == []
    assert rows[0].values == {
        "id": "a1",
        "namn": "Ett",
        "antal": 3,
        "datum": date(2026, 1, 2),
        "status": "Öppen",
    }
    assert rows[0].number == 2


def test_wrong_cells_are_one_line_each_with_sheet_row_and_column() -> None:
    data = xlsx({"Saker": [HEAD, ["a1", "Ett", "tre", "igår", "Kanske"]]})
    _rows, problems = read(data)
    assert problems == [
        "Saker, rad 2, kolumn C (antal): Ett heltal krävs, cellen innehåller texten «tre».",
        "Saker, rad 2, kolumn D (datum): Ett datum krävs (ÅÅÅÅ-MM-DD som datumcell), "
        "cellen innehåller texten «igår».",
        "Saker, rad 2, kolumn E (status): Ogiltigt värde «Kanske»; tillåtna: Öppen, Stängd.",
    ]


def test_formulas_are_refused_not_computed() -> None:
    _rows, problems = read(xlsx({"Saker": [HEAD, ["a1", '=A1&"x"', 3, None, None]]}))
    assert problems == [
        'Saker, rad 2, kolumn B (namn): Formler tas inte emot; skriv in värdet (=A1&"x").'
    ]


def test_missing_sheet_missing_and_unknown_columns() -> None:
    _rows, problems = read(xlsx({"Annat": [HEAD]}))
    assert problems == ["Saker: Bladet saknas (bladen i filen: Annat)."]
    _rows, problems = read(xlsx({"Saker": [["id", "namn", "färg", "namn"]]}))
    assert problems == [
        "Saker, rad 1, kolumn C (färg): Okänd kolumn; kända: id, namn, antal, datum, status.",
        "Saker, rad 1, kolumn D (namn): Kolumnen finns två gånger.",
        "Saker, rad 1, kolumn antal: Kolumnen saknas.",
        "Saker, rad 1, kolumn datum: Kolumnen saknas.",
        "Saker, rad 1, kolumn status: Kolumnen saknas.",
    ]


def test_required_cells_and_blank_rows() -> None:
    data = xlsx({"Saker": [HEAD, [None, "Ett"], [None, None, None], ["b", None]]})
    rows, problems = read(data, required=("id",))
    assert [r.number for r in rows] == [2, 4]
    assert problems == ["Saker, rad 2, kolumn A (id): Cellen måste fyllas i."]


def test_encrypted_and_old_binary_files_are_refused() -> None:
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100
    encrypted = ole + "EncryptedPackage".encode("utf-16-le")
    assert "lösenordsskyddad" in refused(encrypted)
    assert ".xls-formatet" in refused(ole)


def test_macro_enabled_workbooks_are_refused_by_name_and_by_content() -> None:
    plain = xlsx({"Saker": [HEAD]})
    assert "makron" in refused(plain, "test.xlsm")
    with_vba = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(with_vba, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/vbaProject.bin", b"\0" * 10)
    assert "makron" in refused(with_vba.getvalue(), "oskyldig.xlsx")
    typed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(typed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            target.writestr(info, data)
    assert "makron" in refused(typed.getvalue())


def test_corrupt_and_oversized_files_are_refused() -> None:
    assert "skadad" in refused(b"PK\x03\x04 not really a zip")
    assert "skadad" in refused(xlsx({"Saker": [HEAD]})[:-200])
    assert "ingen Excel" in refused(_zip({"hej.txt": b"hej"}))
    assert "MB" in refused(b"\0" * (MAX_BYTES + 1))


def test_a_zip_bomb_is_refused_before_reading() -> None:
    assert "för mycket data" in refused(_zip({"xl/workbook.xml": b"\0" * (401 * 1024 * 1024)}))


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()
