"""The staff portal in a real Chromium: find the rutin fast, by search, by role, by keyboard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$QMS_SCREENSHOT_DIR`` (to look at them) or a temporary dir."""
    target = os.environ.get("QMS_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        return Path(target)
    return tmp_path_factory.mktemp("screenshots")


def shot(page: Page, directory: Path, name: str) -> Path:
    """Save a full-page screenshot and return its path."""
    path = directory / f"portal-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def test_search_avvikelse_to_rutin_in_three_clicks(page: Page, demo_url: str, shots: Path) -> None:
    clicks = 0
    page.goto(demo_url + "/")
    page.get_by_label("Vad letar du efter?").fill("avvikelse")
    page.get_by_role("button", name="Sök").click()
    clicks += 1
    expect(page.get_by_role("heading", level=2, name="Processer (2)")).to_be_visible()
    page.get_by_role("link", name="Avvikelser, klagomål och synpunkter", exact=True).click()
    clicks += 1
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Avvikelser, klagomål och synpunkter"
    )
    steps = page.locator("ol.steps")
    steps.get_by_role("link", name="Rutin för avvikelser, klagomål och synpunkter").first.click()
    clicks += 1
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rutin för avvikelser, klagomål och synpunkter"
    )
    expect(page.get_by_text("registrerar den i avvikelsesystemet samma dag")).to_be_visible()
    assert clicks <= 3
    shot(page, shots, "flow-avvikelse-rutin")


def test_role_page_lists_my_activities(page: Page, demo_url: str, shots: Path) -> None:
    page.goto(demo_url + "/")
    page.get_by_role("link", name="Vad gör jag som …? Välj din roll").click()
    page.get_by_role("link", name="Undersköterska", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad gör jag som undersköterska?")
    process = page.locator("section.role-process", has=page.get_by_role(
        "heading", name="Hemtjänst – från beslut till insats"))
    expect(process.get_by_role("link", name="Rutin för läkemedelshantering och delegering")
           ).to_be_visible()
    expect(page.get_by_text("Rutin saknas").first).to_be_visible()
    shot(page, shots, "role-underskoterska")


def test_keyboard_only_search(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "/")
    for _ in range(12):  # skip link, menu … then the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "sok":
            break
    search = page.get_by_label("Vad letar du efter?")
    expect(search).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("läkemdel")  # one letter missing
    page.keyboard.press("Enter")
    expect(page.get_by_text("Visar träffar för ”läkemedel”")).to_be_visible()
    for _ in range(20):  # search box, button, filters … then the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.results') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('.results') !== null")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(first)


PAGES = {
    "start": "/",
    "process": "/processer/p-hemtjanst",
    "subprocess": "/processer/p-hemtjanst-gfp",
    "activity": "/aktiviteter/a-ht-utreda",
    "document": "/dokument/d-rut-social-dokumentation",
    "roles": "/roller",
    "role": "/roller/r-underskoterska",
    "search": "/sok?q=avvikelse",
    "search-typo": "/sok?q=avvikelce",
    "search-empty": "/sok?q=qwertyuiop",
    "print": "/processer/p-avvikelse/utskrift",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_a_phone_without_errors(
    browser: Browser, demo_url: str, shots: Path, name: str
) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        response = page.goto(demo_url + PAGES[name])
        assert response is not None
        assert response.status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, shots, f"phone-{name}")
        assert problems == []
    finally:
        context.close()


def test_not_found_page_fits_a_phone(browser: Browser, demo_url: str, shots: Path) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        response = page.goto(demo_url + "/processer/p-finns-inte")
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("search")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, shots, "phone-not-found")
    finally:
        context.close()
