"""In Chromium: upload a PDF rutin, link it to an activity, see it in the portal; a job to Klart."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def real_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Rutin for overlamning vid skiftbyte")
    pdf.output(str(path))
    return path


def test_upload_a_pdf_rutin_and_link_it_to_an_activity(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path], tmp_path: Path
) -> None:
    page.goto(f"{coordinator_url}/arbetsyta/dokument/ny")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera ett dokument")
    page.get_by_label(re.compile(r"^Typ")).select_option(label="Rutin")
    page.get_by_label(re.compile(r"^Titel")).fill("Rutin för överlämning vid skiftbyte")
    page.get_by_label("Ägare (roll)").select_option("r-enhetschef")
    page.get_by_label("Eller ladda upp en fil (PDF eller DOCX)").set_input_files(
        str(real_pdf(tmp_path / "overlamning.pdf"))
    )
    shoot(page, "ws-document-new")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rutin för överlämning vid skiftbyte")
    expect(page.get_by_role("status")).to_have_text("Sparat.")
    expect(page.get_by_role("link", name="overlamning.pdf")).to_be_visible()
    page.get_by_label("Koppla till en process eller aktivitet").select_option("a-vp-analys")
    page.get_by_role("button", name="Koppla", exact=True).click()
    uses = page.locator("#anvands")
    expect(uses).to_contain_text("Sammanställa analysunderlag och styrsignaler")
    expect(uses).to_contain_text("i Verksamhetsplan")
    shoot(page, "ws-document-linked")

    with page.expect_download() as download:
        page.get_by_role("link", name="overlamning.pdf").click()
    assert download.value.suggested_filename == "overlamning.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    uses.get_by_role("link", name="Sammanställa analysunderlag och styrsignaler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sammanställa analysunderlag och styrsignaler"
    )
    routine = page.get_by_role("heading", name="Rutin för överlämning vid skiftbyte")
    expect(routine).to_be_visible()
    shoot(page, "ws-document-in-portal")


def test_a_fake_pdf_is_refused_next_to_the_field(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path], tmp_path: Path
) -> None:
    fake = tmp_path / "rutin.pdf"
    fake.write_text("Det här är ingen PDF", encoding="utf-8")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{coordinator_url}/arbetsyta/dokument/ny")
    page.get_by_label(re.compile(r"^Titel")).fill("Falsk rutin")
    page.get_by_label("Eller ladda upp en fil (PDF eller DOCX)").set_input_files(str(fake))
    page.get_by_role("button", name="Spara").click()
    field = page.get_by_label("Eller ladda upp en fil (PDF eller DOCX)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#fel-file")).to_contain_text("varken en PDF eller ett Word-dokument")
    expect(page.get_by_label(re.compile(r"^Titel"))).to_have_value("Falsk rutin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "ws-document-refused-375")


def test_a_job_progress_page_reaches_done(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/arbetsyta/jobb")
    page.get_by_role("button", name="Rita om alla kartor").click()
    expect(page).to_have_url(re.compile(r"/arbetsyta/jobb/[0-9a-f]{12}$"))
    expect(page.locator("[data-job-state]")).to_have_text("Klart", timeout=30_000)
    expect(page.locator("[data-job-result]")).to_contain_text("ritade på nytt")
    assert page.locator("progress").evaluate("p => p.value === p.max")
    shoot(page, "ws-job-done")
