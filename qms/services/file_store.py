"""Uploaded files in the data directory: checked by content, stored once by their SHA-256.

A file is received in two steps so that nothing is kept when anything else is refused:
``stage`` streams it to a temporary file (with a size cap) and checks its type, and
``keep`` moves it into place only when the use case is about to commit.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from qms.domain.errors import InvalidInput

MAX_BYTES = 25 * 2**20
CHUNK = 64 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx"}
FIELD = "file"
_CHECKSUM = re.compile(r"\A[0-9a-f]{64}\Z")
_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}\Z")
#: A PDF ends with ``%%EOF``; readers accept a little trailing junk after it.
_PDF_TAIL = 1024


class FileTooLarge(InvalidInput):
    """The upload is over the size limit (the web answers 413)."""


def too_large(limit: int = MAX_BYTES) -> FileTooLarge:
    """The refusal of an upload over ``limit`` bytes, next to the file field."""
    message = f"Filen är för stor: högst {limit // 2**20} MB."
    return FileTooLarge("Filen kunde inte tas emot.", {FIELD: [message]})


@dataclass(frozen=True)
class StoredFile:
    """A file kept for a document: its content checksum, size, type and original name."""

    checksum: str
    size: int
    media_type: str
    name: str
    uploaded_at: str = ""
    uploaded_by: str = ""


@dataclass(frozen=True)
class Upload:
    """A file as it arrives: its byte stream, the name the user gave, the length announced."""

    stream: IO[bytes]
    name: str
    declared: int | None = None


@dataclass(frozen=True)
class Staged:
    """A received file waiting in the temporary folder for its use case to commit."""

    path: Path
    file: StoredFile


def sniff(path: Path) -> str | None:
    """The media type by content: a PDF (header and end marker) or a DOCX (its zip parts)."""
    with path.open("rb") as source:
        head = source.read(8)
        if head.startswith(b"%PDF-"):
            source.seek(max(0, path.stat().st_size - _PDF_TAIL))
            return PDF if b"%%EOF" in source.read() else None
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return DOCX if {"[Content_Types].xml", "word/document.xml"} <= names else None


def clean_name(name: str, media_type: str) -> str:
    """The file name a user gave, without folders or control characters, with the right ending."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return (stem[:150] or "dokument") + EXTENSIONS[media_type]


class FileStore:
    """Files under ``root``: ``blobs/ab/<sha256>``, ``meta/<document id>.json``, ``tmp/``."""

    def __init__(self, root: Path, limit: int = MAX_BYTES) -> None:
        self.root = root
        self.limit = limit
        self._lock = threading.Lock()

    def stage(self, upload: Upload) -> Staged:
        """Stream an upload to a temporary file (never more than the limit) and check its type."""
        stream, name = upload.stream, upload.name
        if upload.declared is not None and upload.declared > self.limit:
            raise too_large(self.limit)
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        path, digest, size = Path(tmp), hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > self.limit:
                        raise too_large(self.limit)
                    digest.update(chunk)
                    out.write(chunk)
            media_type = sniff(path) if size else None
            if media_type is None:
                raise InvalidInput(
                    "Filen kunde inte tas emot.",
                    {FIELD: [_refusal(size)]},
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        stored = StoredFile(digest.hexdigest(), size, media_type, clean_name(name, media_type))
        return Staged(path, stored)

    def keep(self, staged: Staged) -> bool:
        """Move a staged file into place; False when the same content was already stored."""
        target = self.path_of(staged.file.checksum)
        with self._lock:
            if target.exists():
                staged.path.unlink(missing_ok=True)
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, target)
            return True

    def discard(self, staged: Staged) -> None:
        """Forget a staged file (its use case was refused)."""
        staged.path.unlink(missing_ok=True)

    def remove(self, checksum: str) -> None:
        """Remove a stored file (only to undo a ``keep`` whose use case failed)."""
        with self._lock:
            self.path_of(checksum).unlink(missing_ok=True)

    def path_of(self, checksum: str) -> Path:
        """Where the file with this SHA-256 lives."""
        if not _CHECKSUM.match(checksum):
            raise InvalidInput(f"ogiltig kontrollsumma {checksum!r}")
        return self.root / "blobs" / checksum[:2] / checksum


def _refusal(size: int) -> str:
    if size == 0:
        return "Filen är tom."
    return "Filen är varken en PDF eller ett Word-dokument (DOCX); typen avgörs av innehållet."
