"""In Chromium: a draft rutin sent for review and fastställd with the workflow buttons, a new
version started, and the review page; screenshots, axe-core and the 375 px width checked."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from process_models import DEMO
from tests.e2e.conftest import serve

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DRAFT = "/arbetsyta/dokument/d-rut-nyckelhantering"


@pytest.fixture(scope="module")
def doc_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo on an open-access server whose "today" is the tests' 2026-06-01."""
    data = tmp_path_factory.mktemp("e2e-doccontrol")
    with serve(data, DEMO, OPEN_ACCESS=True, TODAY=date(2026, 6, 1)) as url:
        yield url


def no_serious_violation(page: Page) -> None:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
    )
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)


def test_a_draft_is_sent_for_review_and_approved(
    browser: Browser, doc_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    try:
        page.goto(doc_url + DRAFT)
        flow = page.locator("#styrning")
        expect(flow.locator('[aria-current="step"]')).to_have_text("Utkast")
        shoot(page, "doccontrol-draft")
        flow.get_by_role("button", name="Skicka till granskning").click()
        expect(page.get_by_role("status")).to_have_text(
            "Skickat till granskning. Under granskningen kan det inte ändras."
        )
        expect(flow.locator('[aria-current="step"]')).to_have_text("Under granskning")
        expect(page.get_by_label("Beslutsdatum")).to_have_value("2026-06-01")
        shoot(page, "doccontrol-review")
        page.get_by_label("Revideras senast").fill("2027-05-31")
        flow.get_by_role("button", name="Fastställ").click()
        expect(page.get_by_role("status")).to_have_text("Fastställt: den här versionen gäller nu.")
        expect(flow.locator('[aria-current="step"]')).to_have_text("Fastställd")
        expect(page.get_by_text("Ett fastställt dokument ändras inte")).to_be_visible()
        expect(page.get_by_role("button", name="Skapa ny version")).to_be_visible()
        no_serious_violation(page)
        shoot(page, "doccontrol-approved")

        page.get_by_role("button", name="Skapa ny version").click()
        expect(page).to_have_url(doc_url + DRAFT + "-v2")
        expect(page.get_by_role("status")).to_have_text("Ny version 1.0 skapad som utkast.")
        expect(page.get_by_label("Titel (obligatoriskt)")).to_have_value(
            "Rutin för nycklar och digitala lås i hemtjänsten"
        )
        shoot(page, "doccontrol-new-version")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_review_page(
    browser: Browser, doc_url: str, shoot: Callable[[Page, str], Path], width: int
) -> None:
    context = browser.new_context(
        locale="sv-SE", viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    try:
        page.goto(doc_url + "/arbetsyta/dokument")
        page.get_by_role("link", name="Revisioner att göra").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Revisioner att göra")
        overdue = page.get_by_role("table", name="Dokument vars revisionsdatum har passerat")
        expect(overdue).to_contain_text("Rutin för social dokumentation")
        due = page.get_by_role("table", name="Dokument att revidera inom 30 dagar")
        expect(due).to_contain_text("om 29 dagar")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        no_serious_violation(page)
        shoot(page, f"doccontrol-reviews-{width}")
        page.goto(doc_url + "/arbetsyta/dokument/d-rut-attest")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        no_serious_violation(page)
        shoot(page, f"doccontrol-approved-document-{width}")
    finally:
        context.close()
