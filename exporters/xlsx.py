"""Sheet layouts and the writing of them: ``.xlsx`` workbooks and CSV (UTF-8 with BOM).

A ``Sheet`` is the one definition of a sheet's name and columns; exporters write it and
importers read against it. Every workbook gets Swedish headers, a frozen header row, widths
from the contents, dates as real dates and fixed value lists as data validation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exporters import Output

Kind = Literal["text", "int", "float", "date", "choice"]
Cell = str | int | float | date | None

#: Hidden sheet holding value lists too long for an inline validation formula.
LISTS_SHEET = "Värdelistor"
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Semicolon: what Excel with Swedish settings splits CSV files on.
CSV_DELIMITER = ";"
#: How list fields (several values in one cell) are joined.
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    """One column: its Swedish header, the type of its cells, and its fixed values if any."""

    header: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    width: int = 0  # 0: from the contents


@dataclass(frozen=True)
class Sheet:
    """A sheet's name and columns (the layout shared by an exporter and its importer)."""

    name: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """The header row."""
        return tuple(c.header for c in self.columns)

    def index(self, header: str) -> int:
        """The 0-based position of a column."""
        return self.headers.index(header)


@dataclass
class Table:
    """A sheet layout filled with rows (one value per column)."""

    sheet: Sheet
    rows: list[Sequence[Cell]] = field(default_factory=list)

    def add(self, *values: Cell) -> None:
        """Append a row; refuses a row of the wrong length."""
        if len(values) != len(self.sheet.columns):
            raise ValueError(
                f"{self.sheet.name}: {len(values)} värden för {len(self.sheet.columns)} kolumner"
            )
        self.rows.append(values)


def workbook(tables: Iterable[Table]) -> bytes:
    """The tables as one ``.xlsx`` file, a sheet each, in order."""
    book = Workbook()
    default = book.active
    lists: list[tuple[str, ...]] = []
    for table in tables:
        _write_sheet(book.create_sheet(table.sheet.name), table, lists)
    if default is not None:
        book.remove(default)
    if lists:
        _write_lists(book, lists)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(ws: Worksheet, table: Table, lists: list[tuple[str, ...]]) -> None:
    columns = table.sheet.columns
    ws.append(list(table.sheet.headers))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in table.rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
    last = len(table.rows) + 1
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        if column.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.number_format = DATE_FORMAT
        ws.column_dimensions[letter].width = column.width or _width(column, table.rows, number - 1)
        if column.choices:
            ws.add_data_validation(_validation(column, letter, last, lists))
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"


def _width(column: Column, rows: Sequence[Sequence[Cell]], at: int) -> float:
    longest = max(
        [len(column.header) + 2]
        + [len(_text(row[at])) for row in rows[:500]]
        + [len(choice) for choice in column.choices]
    )
    return float(max(MIN_WIDTH, min(MAX_WIDTH, longest + 2)))


def _validation(
    column: Column, letter: str, last: int, lists: list[tuple[str, ...]]
) -> DataValidation:
    inline = ",".join(column.choices)
    if (
        len(inline) <= 250
        and not any(c in inline for c in '"')
        and all("," not in choice for choice in column.choices)
    ):
        formula = f'"{inline}"'
    else:
        if column.choices not in lists:
            lists.append(column.choices)
        col = get_column_letter(lists.index(column.choices) + 1)
        formula = f"{quote_sheetname(LISTS_SHEET)}!${col}$1:${col}${len(column.choices)}"
    check = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ogiltigt värde",
        error=f"Välj ett värde i listan för {column.header}.",
    )
    check.add(f"{letter}2:{letter}{max(last, 2) + 1000}")
    return check


def _write_lists(book: Workbook, lists: list[tuple[str, ...]]) -> None:
    ws = book.create_sheet(LISTS_SHEET)
    for number, choices in enumerate(lists, start=1):
        for row, choice in enumerate(choices, start=1):
            ws.cell(row=row, column=number, value=choice)
    ws.sheet_state = "hidden"


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """One table as CSV for Excel: UTF-8 with BOM, semicolons, dates as ISO dates."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(table.sheet.headers)
    for row in table.rows:
        writer.writerow([_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_output(tables: Sequence[Table], record: Mapping[str, Any] | None = None) -> Output:
    """A workbook of the tables, each also as a CSV attachment named after its sheet."""
    return Output(
        workbook(tables),
        record,
        tuple((f"{t.sheet.name}.csv", csv_bytes(t)) for t in tables),
    )
