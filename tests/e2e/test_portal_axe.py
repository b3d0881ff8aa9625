"""axe-core (from node_modules) on every portal page: no serious or critical violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PATHS = [
    "/",
    "/?enhet=ou-avd-aldre",
    "/processer/p-hemtjanst",
    "/processer/p-hemtjanst-gfp",
    "/processer/p-avvikelse/utskrift",
    "/aktiviteter/a-ht-utreda",
    "/aktiviteter/a-ht-gw-beviljas",
    "/dokument/d-rut-social-dokumentation",
    "/dokument/d-rut-avvikelse-2019",
    "/roller",
    "/roller/r-underskoterska",
    "/sok",
    "/sok?q=avvikelse",
    "/sok?q=avvikelce&typ=dokument",
    "/sok?q=qwertyuiop",
    "/processer/p-finns-inte",
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The axe-core bundle the npm lockfile pins."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `npm ci`")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", PATHS)
def test_no_serious_accessibility_violation(
    browser: Browser, demo_url: str, axe_source: str, path: str, width: int
) -> None:
    # The pages forbid inline scripts (CSP); the test lifts that only to inject axe.
    context = browser.new_context(
        locale="sv-SE", viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    try:
        page.goto(demo_url + path)
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
        )
    finally:
        context.close()
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
