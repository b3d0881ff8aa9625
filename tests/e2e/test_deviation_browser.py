"""In Chromium: report an avvikelse on a phone from a process, then start its investigation."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_report_on_a_phone_then_start_the_investigation(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{coordinator_url}/avvikelser/ny?process=p-hemtjanst")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapportera avvikelse")
    expect(page.get_by_label("Process", exact=True)).to_have_value("p-hemtjanst")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Vad hände? (kort)").fill("Kunden fick ingen lunch")
    page.get_by_label("Beskriv vad som hände").fill("Besöket klockan 12 blev aldrig av.")
    page.get_by_label("Aktivitet", exact=True).select_option(
        label="Utföra insatser och dokumentera enligt genomförandeplanen"
    )
    submit = page.get_by_role("button", name="Skicka rapporten")
    assert submit.bounding_box() is not None
    assert submit.bounding_box()["height"] >= 44  # a thumb-sized target
    shoot(page, "deviation-report-375")
    submit.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för din rapport")
    number = page.locator(".receipt-number strong").inner_text()
    assert re.fullmatch(r"av-\d{4}-\d{4}", number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "deviation-receipt-375")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Öppna ärendet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunden fick ingen lunch")
    progress = page.get_by_role("list", name="Ärendets gång")
    expect(progress.locator('[aria-current="step"]')).to_contain_text("Registrerad")
    page.get_by_label("Vem utreder?").fill("Ulla Utredare")
    page.get_by_role("button", name="Starta utredningen").click()

    expect(page.get_by_role("status")).to_contain_text("Ärendet har nu status: Under utredning.")
    expect(progress.locator('[aria-current="step"]')).to_contain_text("Under utredning")
    expect(page.locator(".dev-requirements")).to_contain_text(
        "Ange minst en grundorsak innan åtgärder planeras."
    )
    shoot(page, "deviation-investigating")
