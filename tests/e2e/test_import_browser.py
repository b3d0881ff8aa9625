"""In Chromium: upload an own risk list, map its columns, preview, and apply the import."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import Page, expect


def test_own_risk_list_mapped_previewed_and_applied(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path], tmp_path: Path
) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Riskrubrik", "Sannolikhet", "Konsekvens", "Anteckning"])
    ws.append(["Importerad risk i webbläsaren", 2, "4 - Allvarlig", "ignoreras"])
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "mina-risker.xlsx"
    path.write_bytes(out.getvalue())
    page.goto(f"{coordinator_url}/import")
    page.get_by_label("Egen risklista", exact=False).check()
    page.locator("#f-file").set_input_files(str(path))
    shoot(page, "quality-import-upload")
    page.get_by_role("button", name="Förhandsgranska importen").click()
    expect(page.locator("h1")).to_have_text("Välj kolumner")
    page.locator("#f-map-risk").select_option("Riskrubrik")
    shoot(page, "quality-import-kolumner")
    page.get_by_role("button", name="Förhandsgranska importen").click()
    expect(page.locator("h1")).to_have_text("Förhandsgranskning av importen")
    expect(page.locator("table.import-table")).to_contain_text("Importerad risk i webbläsaren")
    shoot(page, "quality-import-forhandsgranskning")
    page.get_by_role("button", name="Läs in: spara alltihop").click()
    expect(page.locator("h1")).to_have_text("Importen är sparad")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{coordinator_url}/import")
    shoot(page, "quality-import-upload-375")
