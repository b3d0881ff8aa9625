"""In Chromium: re-assess a risk, read its history, restore the first version; the pages at
1280 and 375 px, with axe-core finding nothing serious."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RISK = "risk-ekb-felutbetalning"  # no other browser test changes it
NEW_TEXT = "En beskrivning som skrevs om och sedan ångrades."


def serious_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found: list[dict[str, object]] = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def test_change_read_the_history_and_restore(
    browser: Browser, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    wide = browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = wide.new_page()
    try:
        page.goto(f"{coordinator_url}/risker/{RISK}/andra")
        old_text = page.get_by_label("Beskrivning").input_value()
        page.get_by_label("Beskrivning").fill(NEW_TEXT)
        page.locator("form.quality-form button[type=submit]").click()
        expect(page).to_have_url(f"{coordinator_url}/risker/{RISK}")

        page.get_by_role("link", name="Historik").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Historik för")
        newest = page.locator(".history-entry").first
        expect(newest.get_by_role("heading", level=2)).to_have_text("Version 2: ändrad")
        expect(newest.locator("tr", has_text="Beskrivning")).to_contain_text(NEW_TEXT)
        shoot(page, "history-1280")
        assert serious_violations(page) == []

        page.get_by_role("button", name="Återställ version 1").click()
        expect(page.get_by_role("status")).to_have_text(
            "Version 1 återställdes: den är nu version 3."
        )
        expect(page.locator(".history-entry").first).to_contain_text("Återställd till version 1")
        page.goto(f"{coordinator_url}/risker/{RISK}/andra")
        expect(page.get_by_label("Beskrivning")).to_have_value(old_text)
    finally:
        wide.close()

    narrow = browser.new_context(
        locale="sv-SE", viewport={"width": 375, "height": 800}, bypass_csp=True
    )
    phone = narrow.new_page()
    try:
        phone.goto(f"{coordinator_url}/historik/{RISK}")
        expect(phone.locator(".history-entry")).to_have_count(3)
        widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], "the page scrolls sideways at 375 px"
        shoot(phone, "history-375")
        assert serious_violations(phone) == [], json.dumps(serious_violations(phone))
        phone.goto(f"{coordinator_url}/historik/{RISK}/version/2")
        expect(phone.locator("caption")).to_have_text("Innehåll i version 2")
        shoot(phone, "history-version-375")
        assert serious_violations(phone) == []
    finally:
        narrow.close()
