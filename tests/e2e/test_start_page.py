"""The start page in a real browser: headings, a process, no sideways scroll on a phone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

HEADINGS = ("Huvudprocesser", "Stödprocesser", "Styrprocesser")


def keep(shot: Path) -> None:
    """Copy a screenshot to ``$QMS_SCREENSHOT_DIR`` when set (CI artefacts, reviews)."""
    target = os.environ.get("QMS_SCREENSHOT_DIR")
    if target:
        shutil.copy(shot, Path(target) / shot.name)


def test_start_page_on_a_desktop(page: Page, live_url: str, tmp_path: Path) -> None:
    response = page.goto(live_url + "/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_title("QMS – processer och kvalitet")
    expect(page.get_by_role("heading", level=1)).to_have_text("QMS – processer och kvalitet")
    for heading in HEADINGS:
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    core = page.locator("section", has=page.get_by_role("heading", name="Huvudprocesser"))
    expect(core.get_by_role("heading", level=3, name="Hemtjänst")).to_be_visible()
    shot = tmp_path / "qms-start.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    keep(shot)


def test_start_page_fits_a_phone(page: Page, live_url: str, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", name="Bemanna verksamheten")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    shot = tmp_path / "qms-start-375.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    keep(shot)


def test_skip_link_moves_focus_to_main(page: Page, live_url: str) -> None:
    page.goto(live_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_health_over_http(page: Page, live_url: str) -> None:
    response = page.request.get(live_url + "/health")
    assert response.status == 200
    assert response.json()["nodes"] == 4
