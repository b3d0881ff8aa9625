"""A real waitress server on a temporary store, and the system Chromium via Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import waitress  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page, sync_playwright

from process_models import DEMO
from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
MINI = Path(__file__).parents[1] / "web" / "fixtures" / "mini.yaml"


@contextmanager
def serve(data_dir: Path, model: Path, **config: Any) -> Iterator[str]:
    """The app on waitress with ``model`` loaded; yields its base URL."""
    app = create_app({"DATA_DIR": str(data_dir), "TESTING": True, **config})
    app.extensions["qms"].load(model, "test")
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name=f"waitress-{model.stem}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop(server, thread)
        app.extensions["qms"].close()


@pytest.fixture(scope="session")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the app with ``mini.yaml`` loaded."""
    with serve(tmp_path_factory.mktemp("e2e-data"), MINI) as url:
        yield url


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the app with the whole demo organisation."""
    with serve(tmp_path_factory.mktemp("e2e-demo"), DEMO) as url:
        yield url


@pytest.fixture(scope="session")
def coordinator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo organisation on an open-access server: every visitor is a coordinator.

    Tests write through it (new avvikelser, results); each makes its own entities.
    """
    with serve(tmp_path_factory.mktemp("e2e-quality"), DEMO, OPEN_ACCESS=True) as url:
        yield url


def stop(server: Any, thread: threading.Thread) -> None:
    """Close every socket so the asyncore loop ends, then stop the worker threads."""
    # waitress has no stop(): with the listening socket, its trigger and any kept-alive
    # connection closed, the socket map is empty and the loop returns within one poll timeout.
    server.close()
    while server._map:
        for channel in list(server._map.values()):
            channel.handle_close()
    thread.join(timeout=10)
    server.task_dispatcher.shutdown()
    assert not thread.is_alive(), "waitress did not stop"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium; skipped when it is not installed, unless CI requires it."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
        if os.environ.get("QMS_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$QMS_SCREENSHOT_DIR`` (to look at the pictures afterwards) or a temporary directory."""
    target = os.environ.get("QMS_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        return Path(target)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def shoot(screenshot_dir: Path) -> Callable[[Page, str], Path]:
    """``shoot(page, name)``: a full-page screenshot ``name.png``; returns its path."""

    def take(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    return take


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh Swedish-locale page; its context is closed afterwards."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
