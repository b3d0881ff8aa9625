"""Process diagrams in Chromium: bpmn-js draws them, the modeler saves the next version."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress  # type: ignore[import-untyped]
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from qms.services.app import Qms
from qms.services.bpmn_graph import process_graph
from qms.services.bpmn_import import import_bpmn
from web import create_app

pytestmark = pytest.mark.e2e
RICH = (Path(__file__).parents[1] / "unit" / "bpmn" / "data" / "rich.bpmn").read_bytes()
MINI = Path(__file__).parents[1] / "web" / "fixtures" / "mini.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Qms]]:
    """A server of its own (saves change the data), with mini.yaml and the rich file."""
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("diagrams")), "TESTING": True})
    qms = app.extensions["qms"]
    qms.load(MINI, "test")
    import_bpmn(qms, RICH, "rich.bpmn", "test")
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", qms
    finally:
        server.close()
        while server._map:
            for channel in list(server._map.values()):
                channel.handle_close()
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        qms.close()


def _keep(shot: Path) -> None:
    target = os.environ.get("QMS_SCREENSHOT_DIR")
    if target:
        shutil.copy(shot, Path(target) / shot.name)


def _console(page: Page) -> list[str]:
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(message.text)

    page.on("console", note)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_bpmn_js_draws_the_process_diagram(
    page: Page, site: tuple[str, Qms], tmp_path: Path
) -> None:
    url, _ = site
    problems = _console(page)
    page.goto(url + "/processer/Proc_bistand")
    viewer = page.locator("[data-bpmn-viewer]")
    if viewer.count() == 0:  # the process page is another feature; draw on the modeler's page
        pytest.skip("the process page does not include diagram/viewer.html yet")
    expect(viewer).to_have_attribute("data-state", "ready", timeout=15000)
    expect(page.locator(".diagram-fallback")).to_be_hidden()
    expect(viewer.locator(".djs-element[data-element-id='Task_reg']")).to_be_visible()
    expect(viewer.locator(".bjs-powered-by")).to_be_visible()  # bpmn.io's watermark stays
    shot = tmp_path / "qms-diagram-viewer.png"
    page.locator(".diagram").screenshot(path=str(shot))
    _keep(shot)
    assert problems == []


def test_without_javascript_the_svg_is_shown(browser: Browser, site: tuple[str, Qms]) -> None:
    url, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "/processer/Proc_bistand")
    fallback = page.locator(".diagram-fallback")
    if fallback.count() == 0:
        context.close()
        pytest.skip("the process page does not include diagram/viewer.html yet")
    expect(fallback).to_be_visible()
    assert page.evaluate("document.querySelector('.diagram-fallback').naturalWidth") > 100
    context.close()


def test_the_modeler_saves_the_next_version(
    page: Page, site: tuple[str, Qms], tmp_path: Path
) -> None:
    url, qms = site
    problems = _console(page)
    page.goto(url + "/processer/Proc_bistand/modellera")
    root = page.locator("[data-bpmn-modeler]")
    expect(root).to_have_attribute("data-state", "ready", timeout=15000)
    page.evaluate(
        """() => {
          const modeler = document.querySelector('[data-bpmn-modeler]').bpmnModeler;
          const registry = modeler.get('elementRegistry');
          modeler.get('modeling').updateLabel(registry.get('Task_reg'), 'Registrera i systemet');
        }"""
    )
    expect(page.locator("[data-status]")).not_to_have_attribute("data-kind", "ok")
    page.get_by_role("button").filter(has=page.locator("[data-save]")).or_(
        page.locator("[data-save]")
    ).click()
    expect(page.locator("[data-status]")).to_have_attribute("data-kind", "ok", timeout=15000)
    names = {a.id: a.name for a in process_graph(qms.store, "Proc_bistand").activities}
    assert names["Task_reg"] == "Registrera i systemet"
    shot = tmp_path / "qms-diagram-modeler.png"
    page.screenshot(path=str(shot))
    _keep(shot)
    assert problems == []


def test_a_stale_modeler_save_says_so(page: Page, site: tuple[str, Qms]) -> None:
    url, qms = site
    page.goto(url + "/processer/Proc_bistand/modellera")
    expect(page.locator("[data-bpmn-modeler]")).to_have_attribute(
        "data-state", "ready", timeout=15000
    )
    changed = RICH.replace(b'name="Fatta beslut"', b'name="Besluta"')
    import_bpmn(qms, changed, "other.bpmn", "someone-else", process_id="Proc_bistand")
    page.locator("[data-save]").click()
    status = page.locator("[data-status]")
    expect(status).to_have_attribute("data-kind", "conflict", timeout=15000)
    expect(status).to_contain_text("ladda om sidan")
