"""The document registry on a real embedded store: register, files, where used, attach."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF

from process_models import DEMO
from qms.domain.entities import Document, OrgUnit
from qms.domain.errors import Conflict, Forbidden, InvalidInput
from qms.domain.kinds import DocumentKind, DocumentStatus, OrgLevel
from qms.domain.labels import Label, Rel
from qms.services import doc_registry
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.file_store import DOCX, PDF, Upload

ACTOR = coordinator("samordnare")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("documents")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def real_pdf(text: str) -> bytes:
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


def upload(data: bytes, name: str = "rutin.pdf") -> Upload:
    return Upload(io.BytesIO(data), name, len(data))


def form(title: str, **extra: object) -> dict[str, object]:
    return {"title": title, "kind": "routine", "doc_version": "1.0", **extra}


def blobs(qms: Qms) -> set[str]:
    root = qms.settings.data_dir / "files"
    return {p.name for p in root.rglob("*") if p.is_file() and "blobs" in p.parts}


def temporary(qms: Qms) -> list[Path]:
    folder = qms.settings.data_dir / "files" / "tmp"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_rutin_is_registered_with_its_pdf_and_checksum(demo: Qms) -> None:
    data = real_pdf("Rutin for nyckelkvittens")
    saved = doc_registry.save_document(
        demo,
        ACTOR,
        form(
            "Rutin för nyckelkvittens",
            owner="r-enhetschef",
            org_unit="ou-sdf",
            review_by="2027-01-15",
            legal_reference="SoL 5 kap.",
        ),
        upload(data, "Nyckelkvittens.pdf"),
    )
    assert isinstance(saved, Document)
    assert (saved.kind, saved.status, saved.version) == (  # the workflow approves, not a form
        DocumentKind.ROUTINE,
        DocumentStatus.DRAFT,
        1,
    )
    view = doc_registry.detail(demo, saved.id)
    assert view.owner is not None
    assert view.owner.id == "r-enhetschef"
    assert view.unit is not None
    assert view.unit.id == "ou-sdf"
    assert view.file is not None
    assert (view.file.media_type, view.file.name, view.file.uploaded_by) == (
        PDF,
        "Nyckelkvittens.pdf",
        "samordnare",
    )
    stored, path = doc_registry.stored_file(demo, saved.id)
    assert path.read_bytes() == data
    assert path.name == stored.checksum
    assert temporary(demo) == []


def test_the_same_file_for_two_documents_is_stored_once(demo: Qms) -> None:
    data = real_pdf("Samma innehall")
    one = doc_registry.save_document(demo, ACTOR, form("Kopia ett"), upload(data))
    before = blobs(demo)
    two = doc_registry.save_document(demo, ACTOR, form("Kopia två"), upload(data))
    assert blobs(demo) == before
    assert one.file_checksum == two.file_checksum != ""


def test_a_docx_replaces_the_pdf_and_the_old_file_stays_in_the_history(demo: Qms) -> None:
    saved = doc_registry.save_document(demo, ACTOR, form("Byter fil"), upload(real_pdf("v1")))
    values = doc_registry.form_values(doc_registry.detail(demo, saved.id))
    doc_registry.save_document(
        demo, ACTOR, values | {"doc_version": "2.0"}, upload(real_docx(), "v2.docx"), saved.id
    )
    view = doc_registry.detail(demo, saved.id)
    assert view.file is not None
    assert view.file.media_type == DOCX
    assert [f.media_type for f in view.history] == [PDF, DOCX]
    assert view.document.doc_version == "2.0"


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"%PDF-1.4 fake", "falsk.pdf"), (b"MZ\x90\x00" + b"\x00" * 60, "program.pdf")],
    ids=["fake-pdf", "renamed-exe"],
)
def test_a_refused_file_saves_nothing(demo: Qms, data: bytes, name: str) -> None:
    count = len(demo.store.entities(Label.DOCUMENT))
    before = blobs(demo)
    with pytest.raises(InvalidInput) as refused:
        doc_registry.save_document(demo, ACTOR, form("Ska inte sparas"), upload(data, name))
    assert "file" in refused.value.errors
    assert len(demo.store.entities(Label.DOCUMENT)) == count
    assert blobs(demo) == before
    assert temporary(demo) == []


def test_field_errors_and_file_errors_come_together_and_a_good_file_is_not_kept(
    demo: Qms,
) -> None:
    count = len(demo.store.entities(Label.DOCUMENT))
    before = blobs(demo)
    with pytest.raises(InvalidInput) as refused:
        doc_registry.save_document(
            demo,
            ACTOR,
            {
                "title": "x" * 10_000,
                "kind": "memo",
                "url": "javascript:alert(1)",
                "decided_on": "2026-05-01",
                "review_by": "1 januari",
                "owner": "d-sol",
            },
            upload(real_pdf("bra fil")),
        )
    errors = refused.value.errors
    assert errors["title"] == ["Ange en titel (högst 300 tecken)."]
    assert errors["kind"] == ["Välj en typ i listan."]
    assert errors["url"] == ["Ange en webbadress som börjar med http:// eller https://."]
    assert errors["review_by"] == ["Ogiltigt datum (ÅÅÅÅ-MM-DD)."]
    assert errors["decided_on"] == [
        "Sätts av dokumentstyrningen (granska, fastställ, upphäv), inte i formuläret."
    ]
    assert errors["owner"] == ["Finns inte eller kan inte väljas här: d-sol."]
    assert len(demo.store.entities(Label.DOCUMENT)) == count
    assert blobs(demo) == before
    assert temporary(demo) == []


def test_an_empty_title_is_refused(demo: Qms) -> None:
    with pytest.raises(InvalidInput) as refused:
        doc_registry.save_document(demo, ACTOR, form("   "))
    assert refused.value.errors["title"] == ["Ange en titel (högst 300 tecken)."]


def test_a_link_must_be_http_or_https(demo: Qms) -> None:
    saved = doc_registry.save_document(
        demo, ACTOR, form("Länkad", url="https://start.stockholm/regler")
    )
    assert saved.url == "https://start.stockholm/regler"
    with pytest.raises(InvalidInput):
        doc_registry.save_document(demo, ACTOR, form("Fil-länk", url="file:///etc/passwd"))


def test_where_used_lists_processes_then_activities_with_their_process(demo: Qms) -> None:
    uses = doc_registry.where_used(demo.store, "d-rut-mal")
    labels = [u.target.label for u in uses]
    assert Label.PROCESS in labels
    assert Label.ACTIVITY in labels
    assert labels == sorted(labels, key=lambda label: label is Label.ACTIVITY)
    analys = next(u for u in uses if u.target.id == "a-vp-analys")
    assert analys.process is not None
    assert analys.process.id == "p-verksamhetsplan"


def test_attach_and_detach_an_activity(demo: Qms) -> None:
    saved = doc_registry.save_document(demo, ACTOR, form("Kopplas", org_unit="ou-sdf"))
    assert doc_registry.attach(demo, ACTOR, saved.id, "a-vp-ils") is True
    assert doc_registry.attach(demo, ACTOR, saved.id, "a-vp-ils") is False
    assert [u.target.id for u in doc_registry.where_used(demo.store, saved.id)] == ["a-vp-ils"]
    governed = demo.store.neighbours(Label.ACTIVITY, "a-vp-ils", Rel.GOVERNED_BY)
    assert saved.id in [ref.id for ref in governed]
    assert doc_registry.detach(demo, ACTOR, saved.id, "a-vp-ils") is True
    assert doc_registry.where_used(demo.store, saved.id) == []


def test_a_document_of_another_organisation_is_refused(demo: Qms) -> None:
    with demo.unit_of_work("test") as uow:
        uow.add(OrgUnit(id="ou-annan-kommun", name="Annan kommun", level=OrgLevel.COUNCIL))
    foreign = doc_registry.save_document(
        demo, ACTOR, form("Främmande rutin", org_unit="ou-annan-kommun")
    )
    with pytest.raises(InvalidInput) as refused:
        doc_registry.attach(demo, ACTOR, foreign.id, "a-vp-analys")
    assert refused.value.errors["target"] == [
        "Dokumentet hör till en annan organisation (Annan kommun) än aktiviteten "
        "(Kommunfullmäktige i Stockholms stad)."
    ]
    assert doc_registry.where_used(demo.store, foreign.id) == []
    offered = [g.process.id for g in doc_registry.targets(demo, foreign.id)]
    assert "p-verksamhetsplan" not in offered


def test_only_processes_and_activities_can_be_governed(demo: Qms) -> None:
    with pytest.raises(InvalidInput) as refused:
        doc_registry.attach(demo, ACTOR, "d-rut-mal", "r-enhetschef")
    assert refused.value.errors["target"] == ["Välj en process eller en aktivitet."]


def test_a_stale_version_is_a_conflict_and_shows_what_changed(demo: Qms) -> None:
    saved = doc_registry.save_document(demo, ACTOR, form("Två flikar"))
    seen = doc_registry.form_values(doc_registry.detail(demo, saved.id))
    other = coordinator("kollega")
    doc_registry.save_document(demo, other, seen | {"body": "Kollegans text"}, None, saved.id)
    with pytest.raises(Conflict):
        doc_registry.save_document(demo, ACTOR, seen | {"title": "Mitt namn"}, None, saved.id)
    assert demo.store.get(Label.DOCUMENT, saved.id).caption == "Två flikar"
    missed = doc_registry.changes_since(demo.store, saved.id, seen["version"])
    assert [(e.field, e.before, e.after, e.actor) for e in missed] == [
        ("body", "", "Kollegans text", "kollega")
    ]


def test_only_those_who_may_edit_processes_may_register(demo: Qms) -> None:
    with pytest.raises(Forbidden):
        doc_registry.save_document(demo, ANONYMOUS, form("Anonym"))
    with pytest.raises(Forbidden):
        doc_registry.attach(demo, ANONYMOUS, "d-rut-mal", "a-vp-ils")


def test_the_registry_filters_and_counts_uses(demo: Qms) -> None:
    from datetime import date

    rows = doc_registry.registry(demo, date(2026, 6, 1), kind="routine", text="mål")
    assert rows
    assert all(r.document.kind is DocumentKind.ROUTINE for r in rows)
    mal = next(r for r in rows if r.document.id == "d-rut-mal")
    assert mal.uses == len(doc_registry.where_used(demo.store, "d-rut-mal"))
    assert not dataclasses.asdict(mal)["has_file"]
