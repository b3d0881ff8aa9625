"""Hostile XML inside an uploaded .xlsx: refused, or read without expanding anything.

An .xlsx is a zip of XML parts. Each attack is planted in a real exported workbook — in the
worksheet, in the shared strings and in the workbook part — and the file goes through the
importer exactly as an upload does (``imports.plan_import``). Nothing may be expanded (no
billion laughs), no local file may be read into a cell, no URL may be fetched, and the
answer must come quickly.
"""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

import exporters
from process_models import DEMO
from qms.domain.errors import InvalidInput
from qms.services import imports
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.dump import dump_lines, snapshot

SECRET = "HEMLIGT-7f3a9c"
PARTS = ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml")
_LAUGHS = "".join(
    f'<!ENTITY {chr(c)} "{f"&{chr(c - 1)};" * 10}">' for c in range(ord("b"), ord("k"))
)
#: Ten levels of ten: 10^9 copies of the first entity if a parser expanded it.
BOMB = f'<!ENTITY a "{"lol" * 10}">{_LAUGHS}'


class Hits(BaseHTTPRequestHandler):
    """Counts every request: a parser that fetches an external entity or DTD shows up here."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        """Record the path and answer with an entity that would leak the secret."""
        Hits.seen.append(self.path)
        body = f'<!ENTITY leak "{SECRET}">'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server API)
        """Quiet."""


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def qms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("xml") / "data"))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


@pytest.fixture(scope="module")
def workbook(qms: Qms) -> bytes:
    """The SOSFS export with its first data cell moved to a shared-strings part.

    openpyxl writes inline strings; Excel writes shared strings, which openpyxl reads with
    another parser, so both are attacked.
    """
    exported = exporters.get("ils-sosfs")(snapshot(qms.store))
    cell = re.compile(rb'<c r="A2" t="inlineStr"><is><t>([^<]*)</t></is></c>')
    edits: dict[str, Callable[[bytes], bytes]] = {
        "xl/worksheets/sheet1.xml": lambda b: cell.sub(b'<c r="A2" t="s"><v>0</v></c>', b),
        "[Content_Types].xml": lambda b: b.replace(
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
            "</Types>".encode(),
        ),
        "xl/_rels/workbook.xml.rels": lambda b: b.replace(
            b"</Relationships>",
            f'<Relationship Id="rIdSst" Type="{SST}" Target="sharedStrings.xml"/>'
            "</Relationships>".encode(),
        ),
    }
    with zipfile.ZipFile(io.BytesIO(exported)) as source:
        found = cell.search(source.read("xl/worksheets/sheet1.xml"))
    assert found is not None
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + found.group(1) + b"</t></si></sst>"
    )
    return rezip(exported, edits, {"xl/sharedStrings.xml": strings})


def rezip(
    data: bytes, edits: dict[str, Callable[[bytes], bytes]], extra: dict[str, bytes] | None = None
) -> bytes:
    """A copy of the zip with parts edited and parts added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        assert set(edits) <= set(source.namelist())
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, edits.get(info.filename, lambda b: b)(body))
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def attacks(secret_file: Path, web: str) -> dict[str, tuple[str, str]]:
    """Name → (internal subset, the reference planted in a text)."""
    return {
        "billion laughs": (BOMB, "&j;"),
        "external file": (f'<!ENTITY x SYSTEM "{secret_file.as_uri()}">', "&x;"),
        "external url": (f'<!ENTITY x SYSTEM "{web}/entity">', "&x;"),
        "parameter entity dtd": (f'<!ENTITY % p SYSTEM "{web}/evil.dtd"> %p;', "&leak;"),
    }


def plant(data: bytes, part: str, subset: str, reference: str) -> bytes:
    """The workbook with a DOCTYPE in ``part`` and ``reference`` in its first text."""
    return rezip(data, {part: lambda body: _poison(body, subset.encode(), reference.encode())})


def _poison(body: bytes, subset: bytes, reference: bytes) -> bytes:
    root = re.search(rb"<(\w+)[\s>]", body.split(b"?>", 1)[-1])
    assert root is not None
    text = b"<t>" + reference + b"</t>"
    planted, count = re.subn(rb"<t>[^<]*</t>|<t [^>]*>[^<]*</t>", text, body, count=1)
    if not count:  # the workbook part has no text elements: use a sheet name
        name = b'name="' + reference + b'"'
        planted, count = re.subn(rb'name="[^"]*"', name, body, count=1)
    assert count == 1
    doctype = b"<!DOCTYPE " + root.group(1) + b" [" + subset + b"]>"
    if planted.startswith(b"<?xml"):
        head, rest = planted.split(b"?>", 1)
        return head + b"?>" + doctype + rest
    return doctype + planted


def outcome(run: Callable[[], object]) -> str:
    """``refused: …`` or the text of the plan the importer made."""
    try:
        plan = run()
    except InvalidInput as exc:  # BadFile: the upload page shows these lines
        return f"refused: {exc} {exc.errors}"
    return f"read: {plan!r}"


def test_openpyxl_uses_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize(
    "attack", ["billion laughs", "external file", "external url", "parameter entity dtd"]
)
def test_hostile_xml_in_a_workbook_is_refused_or_harmless(
    qms: Qms, workbook: bytes, web: str, tmp_path: Path, part: str, attack: str
) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    subset, reference = attacks(secret_file, web)[attack]
    data = plant(workbook, part, subset, reference)
    before = list(dump_lines(qms.store))
    Hits.seen.clear()
    started = time.perf_counter()
    result = outcome(lambda: imports.plan_import(qms, "ils-sosfs", data, "sosfs.xlsx"))
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"{attack} in {part} took {elapsed:.1f} s"
    assert SECRET not in result
    assert "lol" * 30 not in result
    assert Hits.seen == []
    assert list(dump_lines(qms.store)) == before


def test_the_untouched_workbook_is_read(qms: Qms, workbook: bytes) -> None:
    # The attacks above are planted in a file the importer accepts as it is.
    assert outcome(
        lambda: imports.plan_import(qms, "ils-sosfs", workbook, "sosfs.xlsx")
    ).startswith("read: ")


def test_an_undefined_entity_in_a_sheet_is_refused_in_swedish(qms: Qms, workbook: bytes) -> None:
    # No DTD at all: openpyxl only meets the entity while it reads the rows, where the parser
    # raises; the upload answers with one Swedish line instead of a server error.
    data = rezip(workbook, {PARTS[0]: lambda b: b.replace(b"<v>0</v>", b"<v>&odef;</v>", 1)})
    with pytest.raises(InvalidInput) as refused:
        imports.plan_import(qms, "ils-sosfs", data, "sosfs.xlsx")
    assert refused.value.lines() == [f"sosfs.xlsx: {imports.UNREADABLE_XML}"]
