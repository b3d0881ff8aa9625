"""Rendered pages are kept a while, per URL and language, and dropped when anything is written."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from web.page_cache import PageCache

PROCESS = "processes:\n  - {{id: p-c, name: {name}, kind: core, purpose: Kakelugn}}\n"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_second_view_is_served_from_the_cache(app: Flask, tmp_path: Path) -> None:
    model = tmp_path / "p.yaml"
    model.write_text(PROCESS.format(name="Första"), encoding="utf-8")
    app.extensions["qms"].load(model, "test")
    client = app.test_client()
    assert client.get("/processer/p-c").headers["X-Cache"] == "miss"
    assert client.get("/processer/p-c").headers["X-Cache"] == "hit"
    english = client.get("/processer/p-c", headers={"Accept-Language": "en"})
    assert english.headers["X-Cache"] == "miss"
    assert "Activities in order" in english.get_data(as_text=True)


def test_a_write_drops_pages_landscape_and_vocabulary(app: Flask, tmp_path: Path) -> None:
    model = tmp_path / "p.yaml"
    model.write_text(PROCESS.format(name="Första"), encoding="utf-8")
    qms = app.extensions["qms"]
    qms.load(model, "test")
    client = app.test_client()
    for path in ("/processer/p-c", "/", "/sok?q=kakelugm"):
        client.get(path)
    model.write_text(PROCESS.format(name="Andra").replace("Kakelugn", "Vedspis"), "utf-8")
    qms.load(model, "test")
    page = client.get("/processer/p-c")
    assert page.headers["X-Cache"] == "miss"
    assert "<h1>Andra</h1>" in page.get_data(as_text=True)
    assert ">Andra</a></h3>" in client.get("/").get_data(as_text=True)
    assert "Visar träffar för ”vedspis”" in client.get("/sok?q=vedspiz").get_data(as_text=True)


def test_not_found_is_never_kept(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/processer/p-saknas").status_code == 404
    again = client.get("/processer/p-saknas")
    assert again.status_code == 404
    assert again.headers.get("X-Cache") != "hit"


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    from web import create_app

    app = create_app({"DATA_DIR": str(tmp_path), "TESTING": True, "PAGE_CACHE_SECONDS": 0})
    try:
        assert "page_cache" not in app.extensions
        assert "X-Cache" not in app.test_client().get("/").headers
    finally:
        app.extensions["qms"].close()


def test_pages_expire_and_the_least_used_goes_first() -> None:
    clock = Clock()
    cache = PageCache(ttl=10, size=2, clock=clock)
    cache.put(("a",), "A", 0)
    cache.put(("b",), "B", 0)
    assert cache.get(("a",)) == "A"  # now b is the least recently used
    cache.put(("c",), "C", 0)
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) == "A"
    clock.now = 10
    assert cache.get(("a",)) is None


def test_a_page_rendered_across_a_write_is_not_kept() -> None:
    cache = PageCache(ttl=10, size=2)
    before = cache.generation
    cache.clear()  # a write lands while the page is being rendered
    cache.put(("a",), "old", before)
    assert cache.get(("a",)) is None
