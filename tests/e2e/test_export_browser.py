"""In Chromium: choose a unit on /export and download the SOSFS process list for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect


def test_download_the_process_list_of_one_unit(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/export")
    page.get_by_label("Organisationsenhet").select_option("ou-avd-aldre")
    page.get_by_role("button", name="Välj enhet").click()
    card = page.locator("#format-ils-sosfs")
    expect(card).to_contain_text("ils-sosfs-ou-avd-aldre.xlsx")
    shoot(page, "export-page")
    with page.expect_download() as download:
        card.get_by_role("button", name="Ladda ned", exact=True).click()
    assert download.value.suggested_filename == "ils-sosfs-ou-avd-aldre.xlsx"
    page.set_viewport_size({"width": 375, "height": 800})
    shoot(page, "export-page-narrow")
