"""Uploaded files: checked by content (not name), size-capped while streaming, stored by SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF

from qms.domain.errors import InvalidInput
from qms.services.file_store import (
    DOCX,
    PDF,
    FileStore,
    FileTooLarge,
    StoredFile,
    Upload,
    clean_name,
    sniff,
)


def real_pdf(text: str = "Rutin för test") -> bytes:
    """A small, real PDF made by fpdf2."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def real_docx() -> bytes:
    """The smallest zip Word accepts as a document: content types and word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def fake_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


@pytest.fixture
def files(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files", limit=64 * 1024)


def stage(files: FileStore, data: bytes, name: str, declared: int | None = None) -> StoredFile:
    return files.stage(Upload(io.BytesIO(data), name, declared)).file


def leftovers(files: FileStore) -> list[Path]:
    return [p for p in files.root.rglob("*") if p.is_file()]


def test_a_real_pdf_is_staged_with_its_checksum(files: FileStore) -> None:
    data = real_pdf()
    stored = stage(files, data, "Rutin.pdf")
    assert (stored.media_type, stored.size) == (PDF, len(data))
    assert stored.checksum == hashlib.sha256(data).hexdigest()
    assert stored.name == "Rutin.pdf"


def test_a_real_docx_is_recognised_whatever_its_name(files: FileStore) -> None:
    stored = stage(files, real_docx(), "rutin.pdf")
    assert stored.media_type == DOCX
    assert stored.name == "rutin.docx"  # the ending follows the content


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7 this is only text that starts like a PDF", "fake.pdf"),
        ("Hej! Det här är en textfil.\n".encode(), "rutin.pdf"),
        (fake_exe(), "rutin.pdf"),
        (fake_exe(), "rutin.docx"),
        (b"PK\x03\x04 not really a zip", "rutin.docx"),
    ],
    ids=["fake-pdf", "text-named-pdf", "exe-named-pdf", "exe-named-docx", "broken-zip"],
)
def test_anything_else_is_refused_and_nothing_is_left(
    files: FileStore, data: bytes, name: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        stage(files, data, name)
    assert "varken en PDF eller ett Word-dokument" in refused.value.errors["file"][0]
    assert leftovers(files) == []


def test_a_zip_without_word_parts_is_refused(files: FileStore) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InvalidInput):
        stage(files, buffer.getvalue(), "kalkyl.docx")


def test_an_empty_file_is_refused(files: FileStore) -> None:
    with pytest.raises(InvalidInput) as refused:
        stage(files, b"", "tom.pdf")
    assert refused.value.errors["file"] == ["Filen är tom."]


def test_a_declared_length_over_the_limit_is_refused_before_reading(files: FileStore) -> None:
    class Untouchable(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise AssertionError("the body must not be read")

    with pytest.raises(FileTooLarge) as refused:
        files.stage(Upload(Untouchable(), "stor.pdf", 200 * 2**20))  # type: ignore[arg-type]
    assert refused.value.errors["file"] == ["Filen är för stor: högst 0 MB."]


def test_a_stream_over_the_limit_stops_at_the_cap(files: FileStore) -> None:
    read = 0

    class Endless(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            nonlocal read
            read += size
            return b"%PDF-" + b"x" * (size - 5)

    with pytest.raises(FileTooLarge):
        files.stage(Upload(Endless(), "stor.pdf"))  # type: ignore[arg-type]
    assert read <= files.limit + 64 * 1024
    assert leftovers(files) == []


def test_the_same_content_is_kept_once(files: FileStore) -> None:
    data = real_pdf()
    first = files.stage(Upload(io.BytesIO(data), "a.pdf"))
    second = files.stage(Upload(io.BytesIO(data), "b.pdf"))
    assert files.keep(first) is True
    assert files.keep(second) is False
    blobs = list((files.root / "blobs").rglob("*"))
    assert [p.name for p in blobs if p.is_file()] == [first.file.checksum]
    assert files.path_of(first.file.checksum).read_bytes() == data
    assert list((files.root / "tmp").iterdir()) == []


def test_names_lose_folders_and_control_characters() -> None:
    assert clean_name("C:\\Users\\x\\Rutin för Öst.pdf", PDF) == "Rutin för Öst.pdf"
    assert clean_name("../../etc/passwd", PDF) == "passwd.pdf"
    assert clean_name("a\x00b\n.exe", DOCX) == "ab.docx"
    assert clean_name("", PDF) == "dokument.pdf"


def test_a_checksum_must_look_like_one(files: FileStore) -> None:
    with pytest.raises(InvalidInput):
        files.path_of("../../secret")


def test_sniff_reads_the_content_not_the_name(tmp_path: Path) -> None:
    path = tmp_path / "whatever.txt"
    path.write_bytes(real_pdf())
    assert sniff(path) == PDF
