"""``/arbetsyta/dokument``: register, upload, attach, download; refusals next to the field."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF

from qms.domain.labels import Label


def real_pdf(text: str = "Rutin") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def real_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def field_error(html: str, name: str) -> str:
    """The error shown next to a field (it precedes the input it describes)."""
    found = re.search(rf'<p class="field-error" id="fel-{name}">([^<]*)</p>', html)
    assert found, f"no error next to {name}"
    assert f'aria-describedby="fel-{name}' in html
    return found.group(1)


def documents(app: Flask) -> int:
    return len(app.extensions["qms"].store.entities(Label.DOCUMENT))


def blobs(app: Flask) -> int:
    root = app.extensions["qms"].settings.data_dir / "files" / "blobs"
    return len([p for p in root.rglob("*") if p.is_file()]) if root.exists() else 0


def post_new(client: FlaskClient, data: dict[str, object]) -> tuple[int, str, str]:
    response = client.post("/arbetsyta/dokument/ny", data=data, content_type="multipart/form-data")
    return (
        response.status_code,
        response.get_data(as_text=True),
        response.headers.get("Location", ""),
    )


def test_the_registry_lists_documents_with_filters(coordinator_client: FlaskClient) -> None:
    html = coordinator_client.get("/arbetsyta/dokument?typ=law").get_data(as_text=True)
    assert "Dokumentregister" in html
    assert "Socialtjänstlag" in html
    assert "Rutin för mål" not in html


def test_a_pdf_rutin_is_registered_and_downloaded(coordinator_client: FlaskClient) -> None:
    data = real_pdf("Nyckelrutin")
    status, _, location = post_new(
        coordinator_client,
        {
            "title": "Rutin för nycklar på Öst",
            "kind": "routine",
            "owner": "r-enhetschef",
            "file": (io.BytesIO(data), "Nyckelrutin Öst.pdf"),
        },
    )
    assert status == 303
    page = coordinator_client.get(location).get_data(as_text=True)
    assert "Sparat." in page
    assert "Nyckelrutin Öst.pdf" in page
    with coordinator_client.get(location.split("?")[0] + "/fil") as download:
        assert download.status_code == 200
        assert download.mimetype == "application/pdf"
        disposition = download.headers["Content-Disposition"]
        assert download.data == data
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Nyckelrutin%20%C3%96st.pdf" in disposition
    document_id = location.split("?")[0].rsplit("/", 1)[1]
    portal = coordinator_client.get(f"/dokument/{document_id}").get_data(as_text=True)
    link = f'href="/arbetsyta/dokument/{document_id}/fil" download>Nyckelrutin Öst.pdf</a>'
    assert link in portal


def test_a_docx_is_served_as_word(coordinator_client: FlaskClient) -> None:
    _, _, location = post_new(
        coordinator_client,
        {
            "title": "Checklista Word",
            "kind": "checklist",
            "file": (io.BytesIO(real_docx()), "c.docx"),
        },
    )
    with coordinator_client.get(location.split("?")[0] + "/fil") as download:
        assert download.mimetype == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert download.headers["Content-Disposition"] == "attachment; filename=c.docx"
        assert download.data.startswith(b"PK\x03\x04")


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.4 bara text", "falsk.pdf"), (b"MZ\x90\x00" + b"\x00" * 100, "setup.pdf")],
    ids=["fake-pdf", "renamed-exe"],
)
def test_a_fake_file_is_refused_next_to_the_field(
    coordinator_app: Flask, coordinator_client: FlaskClient, content: bytes, name: str
) -> None:
    before, stored = documents(coordinator_app), blobs(coordinator_app)
    status, html, _ = post_new(
        coordinator_client,
        {"title": "Falsk", "kind": "routine", "file": (io.BytesIO(content), name)},
    )
    assert status == 422
    assert "varken en PDF eller ett Word-dokument" in field_error(html, "file")
    assert "Formuläret innehåller fel" in html
    assert 'value="Falsk"' in html  # what was typed stays
    assert (documents(coordinator_app), blobs(coordinator_app)) == (before, stored)


def test_bad_fields_are_refused_in_swedish(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    before = documents(coordinator_app)
    status, html, _ = post_new(
        coordinator_client,
        {
            "title": "x" * 10_000,
            "kind": "routine",
            "url": "ftp://example.org/a.pdf",
            "review_by": "31/12/2026",
        },
    )
    assert status == 422
    assert field_error(html, "title") == "Ange en titel (högst 300 tecken)."
    assert field_error(html, "url") == "Ange en webbadress som börjar med http:// eller https://."
    assert field_error(html, "review_by") == "Ogiltigt datum (ÅÅÅÅ-MM-DD)."
    assert documents(coordinator_app) == before


def test_a_200_mb_upload_is_refused_before_it_is_read(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    read = 0

    class Body(io.RawIOBase):
        """A request body that says it is 200 MB and counts what is read of it."""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            nonlocal read
            size = min(len(buffer), 64 * 1024)
            buffer[:size] = b"x" * size
            read += size
            return size

    before = documents(coordinator_app)
    response = coordinator_client.post(
        "/arbetsyta/dokument/ny",
        content_type="multipart/form-data; boundary=grans",
        environ_overrides={
            "wsgi.input": io.BufferedReader(Body()),
            "CONTENT_LENGTH": str(200 * 2**20),
        },
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert field_error(html, "file") == "Filen är för stor: högst 25 MB."
    assert read == 0
    assert documents(coordinator_app) == before


def test_a_streamed_body_without_length_is_capped(coordinator_client: FlaskClient) -> None:
    read = 0

    def endless() -> Iterator[bytes]:
        nonlocal read
        head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
        read += len(head)
        yield head
        while read < 300 * 2**20:
            read += 2**20
            yield b"%" * 2**20

    response = coordinator_client.post(
        "/arbetsyta/dokument/ny",
        content_type="multipart/form-data; boundary=b",
        environ_overrides={
            "wsgi.input": io.BufferedReader(_Iterated(endless())),
            "wsgi.input_terminated": True,
            "HTTP_TRANSFER_ENCODING": "chunked",
            "CONTENT_LENGTH": "",
        },
    )
    assert response.status_code == 413
    assert "Filen är för stor" in response.get_data(as_text=True)
    assert read < 30 * 2**20


class _Iterated(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.rest = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if not self.rest:
            self.rest = next(self.chunks, b"")
        size = min(len(buffer), len(self.rest))
        buffer[:size], self.rest = self.rest[:size], self.rest[size:]
        return size


def test_the_edit_page_shows_where_it_is_used_before_the_form(
    coordinator_client: FlaskClient,
) -> None:
    html = coordinator_client.get("/arbetsyta/dokument/d-rut-mal").get_data(as_text=True)
    assert "Här används dokumentet" in html
    # fastställd: the change starts with a new version, after where it is used
    assert html.index("Här används dokumentet") < html.index("Skapa ny version")
    assert "Verksamhetsplan" in html
    assert "En ändring påverkar" in html


def test_attach_from_the_edit_page_and_refuse_another_organisation(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    _, _, location = post_new(
        coordinator_client, {"title": "Kopplingsrutin", "kind": "routine", "org_unit": "ou-sdf"}
    )
    path = location.split("?")[0]
    moved = coordinator_client.post(path + "/koppla", data={"target": "a-vp-ils"})
    assert moved.status_code == 303
    assert "Kopplingsrutin" in coordinator_client.get("/aktiviteter/a-vp-ils").get_data(
        as_text=True
    )
    refused = coordinator_client.post(path + "/koppla", data={"target": "r-enhetschef"})
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "target") == (
        "Välj en process eller en aktivitet."
    )
    coordinator_client.post(path + "/koppla-bort", data={"target": "a-vp-ils"})
    assert "Kopplingsrutin" not in coordinator_client.get("/aktiviteter/a-vp-ils").get_data(
        as_text=True
    )


def test_a_conflicting_save_shows_what_the_other_person_changed(
    coordinator_client: FlaskClient,
) -> None:
    _, _, location = post_new(coordinator_client, {"title": "Krockrutin", "kind": "routine"})
    path = location.split("?")[0]
    base = {"title": "Krockrutin", "kind": "routine", "doc_version": "1.0", "version": "1"}
    first = coordinator_client.post(
        path, data={**base, "legal_reference": "SoL 5 kap."}, content_type="multipart/form-data"
    )
    assert first.status_code == 303
    second = coordinator_client.post(
        path, data={**base, "title": "Min titel"}, content_type="multipart/form-data"
    )
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Någon annan sparade dokumentet först" in html
    assert "legal_reference" in html
    assert "SoL 5 kap." in html
    assert 'value="Min titel"' in html
    assert 'name="version" value="2"' in html


def test_a_visitor_without_permission_cannot_register(client: FlaskClient) -> None:
    assert client.get("/arbetsyta/dokument/ny").status_code == 403
    assert client.get("/arbetsyta/dokument").status_code == 403


def test_a_document_without_file_has_no_download(coordinator_client: FlaskClient) -> None:
    assert coordinator_client.get("/arbetsyta/dokument/d-rut-mal/fil").status_code == 404
