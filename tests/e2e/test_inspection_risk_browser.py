"""In Chromium: record an egenkontroll result with a finding and follow it to a new avvikelse;
the risk register with its heat map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect


def test_a_finding_leads_to_a_prefilled_deviation(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/egenkontroller/ek-behorighet")
    page.get_by_label("Utförd", exact=False).first.fill("2026-11-02")
    page.get_by_label("Utfall").select_option("deficient")
    page.get_by_label("Iakttagelser").fill("Fyra konton för slutade medarbetare var aktiva.")
    page.get_by_role("button", name="Spara resultatet").click()
    result = page.locator(".inspection-result", has_text="Fyra konton för slutade")
    expect(result).to_be_visible()
    shoot(page, "quality-egenkontroll-resultat")
    result.get_by_role("link", name="Registrera avvikelse").click()
    page.wait_for_load_state()
    assert "resultat=ekr-2026-11-02-ek-behorighet" in page.url


def test_risk_register_with_heat_map(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/risker?ar=2026")
    heatmap = page.locator("figure.heatmap-figure svg")
    expect(heatmap).to_be_visible()
    assert heatmap.locator("g.marker").count() == page.locator("table.risk-table tbody tr").count()
    shoot(page, "quality-riskregister")
    heatmap.locator("g.marker").first.click()
    expect(page.locator("h1")).not_to_have_text("Riskregister 2026")
    assert "/risker/" in page.url
