"""Reading an uploaded workbook safely: refuse what is not plain data, stream the rows.

Refused before a cell is read: files over ``MAX_BYTES``, encrypted or old binary files (OLE
compound documents), macro-enabled workbooks, corrupt zips and zip bombs. Then each sheet
is read as a stream (openpyxl read-only, formulas kept as formulas so they can be refused);
every cell is checked against its column and each problem becomes one line.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from exporters.importers import BadFile, Draft, Problem, Where
from exporters.terms import NO, YES, parse, words
from exporters.xlsx import LIST_SEPARATOR, Column, Sheet
from qms.domain.entities import ENTITY_TYPES
from qms.domain.graph import field_types
from qms.domain.labels import Label

MAX_BYTES = 20 * 1024 * 1024
#: Uncompressed, all parts together: a 100 000-row sheet is well below this.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_ROWS = 200_000
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


KIND_WORDS = {"text": "text", "int": "ett heltal", "float": "ett tal", "date": "ett datum"}


@dataclass
class Row:
    """One data row: good cells by header; refused cells are left out and named."""

    sheet: str
    number: int
    values: dict[str, Any]
    letters: dict[str, str]
    refused: set[str] = field(default_factory=set)

    def where(self, header: str = "") -> Where:
        """The place of this row, or of one of its cells."""
        if not header:
            return Where(self.sheet, self.number)
        return Where(self.sheet, self.number, f"{self.letters.get(header, '?')} ({header})")

    def text(self, header: str) -> str:
        """The cell as text ("" when empty or refused)."""
        value = self.values.get(header)
        return "" if value is None else str(value)


def check_file(data: bytes, filename: str = "", what: str = "Filen") -> None:
    """Refuse a file that is too big, encrypted, macro-enabled or not a valid xlsx zip."""
    where = Where(filename or "filen")
    if len(data) > MAX_BYTES:
        _refuse(where, f"Filen är {len(data) // 1024 // 1024} MB; högst {MAX_BYTES // 2**20} MB.")
    if data[:8] == OLE_SIGNATURE:
        if _ENCRYPTED_MARK in data:
            _refuse(where, "Filen är lösenordsskyddad (krypterad). Spara den utan lösenord.")
        _refuse(where, "Filen är i det gamla .xls-formatet. Spara den som .xlsx.")
    if filename.lower().endswith((".xlsm", ".xltm", ".xlam")):
        _refuse(where, "Filer med makron (.xlsm) tas inte emot. Spara som .xlsx utan makron.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            names = {part.filename.lower() for part in parts}
            types = package.read("[Content_Types].xml") if "[content_types].xml" in names else b""
            if sum(part.file_size for part in parts) > MAX_UNPACKED:
                _refuse(where, "Filen packas upp till för mycket data; dela upp den.")
            bad = package.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        _refuse(where, "Filen är skadad eller ingen Excel-fil (.xlsx).")
    if bad is not None:
        _refuse(where, f"Filen är skadad (delen {bad} går inte att läsa).")
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        _refuse(where, "Filen innehåller makron. Spara den som en vanlig .xlsx utan makron.")
    if "xl/workbook.xml" not in names or not types:
        _refuse(where, "Filen är ingen Excel-arbetsbok (.xlsx).")


def open_workbook(data: bytes, filename: str = "") -> Workbook:
    """The workbook, read-only with formulas kept, after ``check_file``."""
    check_file(data, filename)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001  openpyxl raises many kinds on broken parts (its
        # English text stays in the traceback, not in front of the user)
        message = "Filen går inte att läsa: den är skadad eller inte en arbetsbok som Excel sparat."
        raise BadFile([Problem(Where(filename), message)]) from exc


def _refuse(where: Where, message: str) -> None:
    raise BadFile([Problem(where, message)])


def read_rows(
    book: Workbook,
    sheet: Sheet,
    draft: Draft,
    required: Collection[str] = (),
    optional: Collection[str] = (),
    sheet_optional: bool = False,
    ignore_unknown: bool = False,
) -> Iterator[Row]:
    """The sheet's data rows; missing sheets and columns, bad headers and cells go to ``draft``.

    ``required``: headers whose cell every row must fill; ``optional``: columns that may be
    left out of the sheet.
    """
    if sheet.name not in book.sheetnames:
        if not sheet_optional:
            found = ", ".join(book.sheetnames) or "inga"
            draft.problem(Where(sheet.name), f"Bladet saknas (bladen i filen: {found}).")
        return
    rows = book[sheet.name].iter_rows()
    head = next(rows, ())
    letters: dict[str, str] = {}
    positions: list[tuple[int, Column]] = []
    expected = {c.header.casefold(): c for c in sheet.columns}
    for index, cell in enumerate(head):
        text = str(cell.value).strip() if cell.value is not None else ""
        if not text:
            continue
        letter = _letter(index)
        column = expected.get(text.casefold())
        if column is None and ignore_unknown:
            continue
        if column is None:
            known = ", ".join(c.header for c in sheet.columns)
            draft.problem(
                Where(sheet.name, 1, f"{letter} ({text})"), f"Okänd kolumn; kända: {known}."
            )
        elif column.header in letters:
            draft.problem(Where(sheet.name, 1, f"{letter} ({text})"), "Kolumnen finns två gånger.")
        else:
            letters[column.header] = letter
            positions.append((index, column))
    missing = [
        c.header for c in sheet.columns if c.header not in letters and c.header not in optional
    ]
    for header in missing:
        draft.problem(Where(sheet.name, 1, header), "Kolumnen saknas.")
    if missing:
        return
    yield from _data_rows(rows, sheet.name, positions, letters, set(required), draft)


def _data_rows(
    rows: Iterator[Any],
    name: str,
    positions: list[tuple[int, Column]],
    letters: dict[str, str],
    required: set[str],
    draft: Draft,
) -> Iterator[Row]:
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            draft.problem(
                Where(name, number), f"Bladet har fler än {MAX_ROWS} rader; dela upp det."
            )
            return
        row = Row(name, number, {}, letters)
        filled = False
        for index, column in positions:
            cell = cells[index] if index < len(cells) else None
            raw = None if cell is None else cell.value
            if isinstance(raw, str):
                raw = raw.strip() or None
                if raw is not None and raw.startswith("'="):
                    raw = raw[1:]  # how exports keep text that starts with = from being a formula
            if raw is None:
                continue
            filled = True
            if cell is not None and cell.data_type == "f":
                _refused(row, column, draft, f"Formler tas inte emot; skriv in värdet ({raw}).")
                continue
            try:
                row.values[column.header] = convert(column, raw)
            except ValueError as exc:
                _refused(row, column, draft, str(exc))
        if not filled:
            continue
        for column in (c for _, c in positions if c.header in required):
            if column.header not in row.values and column.header not in row.refused:
                _refused(row, column, draft, "Cellen måste fyllas i.")
        yield row


def _refused(row: Row, column: Column, draft: Draft, message: str) -> None:
    row.refused.add(column.header)
    draft.problem(row.where(column.header), message)


def convert(column: Column, raw: Any) -> Any:
    """A cell's value as the column takes it; ``ValueError`` with a Swedish reason."""
    if column.choices:
        return _choice(column, raw)
    kind = column.kind
    if kind in ("text", "choice"):
        if isinstance(raw, datetime | date):
            raise ValueError(f"Text krävs, cellen innehåller ett datum ({_shown(raw)}).")
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return str(raw) if not isinstance(raw, bool) else ("Ja" if raw else "Nej")
    if kind == "date":
        if isinstance(raw, datetime):
            if raw.time() != datetime.min.time():
                raise ValueError(f"Ett datum utan klockslag krävs ({_shown(raw)}).")
            return raw.date()
        if isinstance(raw, date):
            return raw
        raise ValueError(
            f"Ett datum krävs (ÅÅÅÅ-MM-DD som datumcell), cellen innehåller {_what(raw)}."
        )
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError(f"{KIND_WORDS[kind].capitalize()} krävs, cellen innehåller {_what(raw)}.")
    if kind == "int":
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(f"Ett heltal krävs, cellen innehåller {_shown(raw)}.")
        return int(raw)
    return raw


def _choice(column: Column, raw: Any) -> Any:
    if isinstance(raw, bool):
        raw = "Ja" if raw else "Nej"
    text = _shown(raw)
    for choice in column.choices:
        if choice.casefold() == text.casefold():
            return choice
    allowed = ", ".join(column.choices)
    raise ValueError(f"Ogiltigt värde «{text}»; tillåtna: {allowed}.")


def _shown(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _what(raw: Any) -> str:
    if isinstance(raw, bool):
        return "ett sanningsvärde"
    if isinstance(raw, datetime | date):
        return f"ett datum ({_shown(raw)})"
    if isinstance(raw, int | float):
        return f"talet {_shown(raw)}"
    shown = str(raw) if len(str(raw)) <= 40 else str(raw)[:40] + "…"
    return f"texten «{shown}»"


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_row(book: Workbook, sheet_name: str) -> list[str]:
    """The headers of a sheet's first row (for the column-mapping step)."""
    if sheet_name not in book.sheetnames:
        return []
    for cells in book[sheet_name].iter_rows(max_row=1, values_only=True):
        return [str(v).strip() for v in cells if v is not None and str(v).strip()]
    return []


def field_value(label: Label, name: str, value: Any) -> Any:
    """A cell as the entity field takes it: Swedish words to enum values, Ja/Nej to booleans,
    ``a; b`` to a list; an empty cell to "" (text), [] (lists) or None. ValueError in Swedish."""
    kind = field_types(label)[name]
    if value is None or value == "":
        return "" if kind is str else [] if kind is tuple else None
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return parse(kind, str(value)).value
        except ValueError:
            raise ValueError(
                f"Ogiltigt värde «{value}»; tillåtna: {', '.join(words(kind))}."
            ) from None
    if kind is bool:
        if str(value).casefold() in (YES.casefold(), NO.casefold()):
            return str(value).casefold() == YES.casefold()
        raise ValueError(f"Ange {YES} eller {NO}.")
    if kind is tuple:
        return [part.strip() for part in str(value).split(LIST_SEPARATOR.strip()) if part.strip()]
    return value


def fill(
    label: Label, cells: Iterable[tuple[str, str | None]], row: Row, draft: Draft
) -> tuple[dict[str, Any], dict[str, str], frozenset[str]]:
    """An item's fields from ``(header, field)`` pairs: values, their columns, refused fields.

    An empty cell clears a text, list or optional field; for a field that cannot be empty
    (a required choice such as status) it leaves the stored value as it is.
    """
    data: dict[str, Any] = {}
    columns: dict[str, str] = {}
    refused: set[str] = set()
    nullable = _nullable(label)
    for header, name in cells:
        if name is None or header not in row.letters:
            continue
        columns[name] = row.where(header).column
        if header in row.refused:
            refused.add(name)
            continue
        try:
            value = field_value(label, name, row.values.get(header))
        except ValueError as exc:
            refused.add(name)
            draft.problem(row.where(header), str(exc))
            continue
        if value is not None or name in nullable:
            data[name] = value
    return data, columns, frozenset(refused)


def _nullable(label: Label) -> set[str]:
    return {f.name for f in dataclasses.fields(ENTITY_TYPES[label]) if f.default is None}
