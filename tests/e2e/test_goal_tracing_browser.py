"""In Chromium: from a trace to a goal page; screenshots of trace, health and dashboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect


def test_from_a_trace_to_the_goal(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/sparning/avvikelse/dev-lexsarah-utebliven-insats")
    expect(page.locator("ol.trace-sentences li").first).to_contain_text("inriktningsmålet")
    expect(page.locator("figure.trace-picture svg")).to_be_visible()
    shoot(page, "goals-trace")
    page.get_by_role("link", name="Äldre i Söderort får en trygg", exact=False).first.click()
    expect(page.locator("h1")).to_have_text(
        "Äldre i Söderort får en trygg och personcentrerad omsorg med inflytande över sin vardag"
    )
    expect(page.get_by_role("heading", name="Vad hotar målet")).to_be_visible()
    shoot(page, "goals-goal")


def test_health_and_dashboard_pages(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/halsa")
    expect(page.locator("h1")).to_have_text("Ledningssystemets hälsa")
    shoot(page, "goals-health")
    page.goto(f"{coordinator_url}/ledning")
    expect(page.locator("svg.chart")).to_be_visible()
    shoot(page, "goals-dashboard")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{coordinator_url}/mal/g-em-ht-genomforandeplan")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    shoot(page, "goals-goal-phone")
