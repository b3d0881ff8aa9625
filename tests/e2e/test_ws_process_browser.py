"""In Chromium: map a process from an empty unit with the list editor; reorder by keyboard;
the diagram follows the list; a conflicting save by a second session is warned about."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

EMPTY_UNIT = "ou-enh-fsk-norr"  # Förskoleenhet Norr: no processes and no roles in the demo
STEPS = ["Ta emot", "Samtala", "Inskola", "Följa upp", "Avsluta"]


def _role(page: Page, name: str) -> None:
    page.locator("#f-name").fill(name)
    page.get_by_role("button", name="Skapa rollen").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def _names(page: Page) -> list[str]:
    return page.locator(".ws-row .ws-row-name a").all_inner_texts()


def _svg_order(page: Page, url: str, names: list[str]) -> list[str]:
    svg = page.request.get(url).text()
    places = {}
    for name in names:
        match = re.search(r'<text[^>]*x="([\d.]+)"[^>]*>' + re.escape(name) + "<", svg)
        assert match, f"{name} is not in the diagram"
        places[name] = float(match.group(1))
    return sorted(names, key=places.__getitem__)


def test_build_a_process_from_an_empty_unit(
    page: Page, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    page.goto(f"{coordinator_url}/arbetsyta?enhet={EMPTY_UNIT}")
    expect(page.locator(".ws-tree .muted")).to_have_count(3)  # no process of any kind yet
    page.get_by_role("link", name="Enhetens roller").click()
    _role(page, "Pedagog Norr")
    _role(page, "Rektor Norr")

    page.goto(f"{coordinator_url}/arbetsyta?enhet={EMPTY_UNIT}")
    page.get_by_role("link", name="Ny process").click()
    page.locator("#f-name").fill("Inskolning i Förskoleenhet Norr")
    page.get_by_label("Uppdrag").fill("Ge barnet en trygg start i förskolan.")
    page.get_by_label("Vad startar processen").fill("Barnet har fått en plats.")
    page.get_by_label("Processägare (roll)").select_option(label="Rektor Norr")
    page.get_by_label("Med vem").fill("Vårdnadshavare")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text("Sparat.")
    expect(page.locator(".ws-changed")).to_contain_text("Ändrad av webb")
    process_id = page.url.split("/arbetsyta/processer/")[1].split("?")[0]

    page.get_by_role("link", name="Redigera aktiviteterna").click()
    for number, step in enumerate(STEPS):
        page.locator("#ny-name").fill(step)
        page.locator("#ny-role").select_option(
            label="Pedagog Norr" if number % 2 else "Rektor Norr"
        )
        page.get_by_role("button", name="Lägg till", exact=True).click()
        expect(page.locator(".ws-row")).to_have_count(number + 1)
    assert _names(page) == STEPS

    page.get_by_role("link", name="Inskola").click()
    documents = page.locator("fieldset.ws-checks label", has_text="Rutin")
    rutin = documents.first.inner_text().strip()
    documents.first.locator("input").check()
    page.get_by_role("button", name="Spara").click()
    row = page.locator(".ws-row", has_text="Inskola")
    expect(row).to_contain_text(rutin)
    expect(row).to_contain_text("Utförs av: Rektor Norr")
    shoot(page, "workspace-aktivitetslista")

    # keyboard: move "Avsluta" two steps up with the arrow keys on its handle
    handle = page.get_by_role("button", name="Flytta Avsluta med piltangenterna")
    handle.focus()
    handle.press("ArrowUp")
    expect(page.locator("#lista-status")).to_contain_text("Sparat: Avsluta är nu nummer 4")
    handle.press("ArrowUp")
    expect(page.locator("#lista-status")).to_contain_text("Sparat: Avsluta är nu nummer 3")
    wanted = ["Ta emot", "Samtala", "Avsluta", "Inskola", "Följa upp"]
    page.reload()
    assert _names(page) == wanted

    # the diagram follows the list
    svg_url = f"{coordinator_url}/processer/{process_id}/diagram.svg"
    assert _svg_order(page, svg_url, STEPS) == wanted
    page.set_viewport_size({"width": 375, "height": 800})
    shoot(page, "workspace-aktivitetslista-mobil")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{coordinator_url}/processer/{process_id}")
    expect(page.locator("h1")).to_contain_text("Inskolning i Förskoleenhet Norr")
    shoot(page, "workspace-processidan")


def test_reorder_without_javascript_buttons(browser: Browser, coordinator_url: str) -> None:
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{coordinator_url}/arbetsyta/processer/ny?enhet={EMPTY_UNIT}")
        page.locator("#f-name").fill("Knappordning Norr")
        page.get_by_role("button", name="Spara").click()
        page.get_by_role("link", name="Redigera aktiviteterna").click()
        for step in ("Först", "Sedan"):
            page.locator("#ny-name").fill(step)
            page.get_by_role("button", name="Lägg till", exact=True).click()
        expect(page.locator(".ws-handle")).to_have_count(0)  # no script: buttons only
        row = page.locator(".ws-row", has_text="Sedan")
        row.get_by_role("button", name=re.compile("^Flytta upp")).click()
        expect(page.locator(".ws-row .ws-row-name a")).to_have_text(["Sedan", "Först"])
    finally:
        context.close()


def test_a_conflicting_save_by_a_second_session(
    browser: Browser, coordinator_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    first = browser.new_context(locale="sv-SE").new_page()
    second = browser.new_context(locale="sv-SE").new_page()
    try:
        first.goto(f"{coordinator_url}/arbetsyta/processer/ny?enhet={EMPTY_UNIT}")
        first.locator("#f-name").fill("Samtidig process Norr")
        first.get_by_role("button", name="Spara").click()
        edit_url = first.url.split("?")[0]
        first.goto(edit_url)
        second.goto(edit_url)
        first.get_by_label("Uppdrag").fill("Anna skrev det här först.")
        first.get_by_role("button", name="Spara").click()
        expect(first.get_by_role("status")).to_have_text("Sparat.")

        second.get_by_label("Önskad effekt").fill("Berits text")
        second.get_by_role("button", name="Spara").click()
        warning = second.locator(".ws-conflict")
        expect(warning).to_contain_text("Någon annan sparade först")
        expect(warning).to_contain_text("Uppdrag: ändrad")
        expect(warning).to_contain_text("Anna skrev det här först.")
        expect(second.get_by_label("Önskad effekt")).to_have_value("Berits text")
        expect(second.get_by_label("Uppdrag")).to_have_value("Anna skrev det här först.")
        shoot(second, "workspace-konflikt")
        second.get_by_role("button", name="Spara").click()  # saving again, now knowingly
        expect(second.get_by_role("status")).to_have_text("Sparat.")
        expect(second.get_by_label("Uppdrag")).to_have_value("Anna skrev det här först.")
        expect(second.get_by_label("Önskad effekt")).to_have_value("Berits text")
    finally:
        first.context.close()
        second.context.close()


def test_reorder_by_drag_and_drop(page: Page, coordinator_url: str) -> None:
    page.goto(f"{coordinator_url}/arbetsyta/processer/ny?enhet={EMPTY_UNIT}")
    page.locator("#f-name").fill("Dragordning Norr")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Redigera aktiviteterna").click()
    for step in ("Ettan", "Tvåan", "Trean"):
        page.locator("#ny-name").fill(step)
        page.get_by_role("button", name="Lägg till", exact=True).click()
    rows = page.locator(".ws-row")
    rows.nth(2).drag_to(rows.nth(0), target_position={"x": 20, "y": 5})
    expect(page.locator("#lista-status")).to_contain_text("Sparat: Trean är nu nummer 1")
    page.reload()
    expect(page.locator(".ws-row .ws-row-name a")).to_have_text(["Trean", "Ettan", "Tvåan"])
