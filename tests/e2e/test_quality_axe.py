"""axe-core on the quality-work and workspace pages, as a coordinator sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PATHS = [
    "/kvalitet",
    "/avvikelser",
    "/avvikelser/ny?process=p-hemtjanst",
    "/avvikelser/dev-lexsarah-utebliven-insats",
    "/risker",
    "/risker/risk-gfp",
    "/riskmatris",
    "/internkontroll",
    "/egenkontroller",
    "/egenkontroller/arshjul",
    "/egenkontroller/ny",
    "/mal",
    "/mal/g-im-1",
    "/sparning/avvikelse/dev-gfp-saknas",
    "/halsa",
    "/ledning",
    "/export",
    "/import",
    "/arbetsyta",
    "/arbetsyta/processer/p-hemtjanst",
    "/arbetsyta/processer/p-hemtjanst/aktiviteter",
    "/arbetsyta/roller",
    "/arbetsyta/dokument",
    "/arbetsyta/enheter/ny",
    "/logga-in",
    "/konton/",
    "/konton/chef-hemtjanst",
]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", PATHS)
def test_no_serious_accessibility_violation(
    browser: Browser, coordinator_url: str, path: str, width: int
) -> None:
    context = browser.new_context(
        locale="sv-SE", viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    try:
        response = page.goto(coordinator_url + path)
        assert response is not None
        assert response.status == 200, path
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
        )
    finally:
        context.close()
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
