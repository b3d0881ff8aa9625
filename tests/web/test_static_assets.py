"""Static files under content-hashed URLs, cached for a year; and the headers every page gets."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def stylesheet(client: FlaskClient) -> str:
    """The stylesheet URL the start page links to."""
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert found
    return found[1]


def test_stylesheet_url_carries_its_content_hash(org_client: FlaskClient) -> None:
    assert re.fullmatch(r"/static/qms\.css\?v=[0-9a-f]{12}", stylesheet(org_client))


def test_hashed_url_is_cached_for_a_year(org_client: FlaskClient) -> None:
    with org_client.get(stylesheet(org_client)) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.public
        assert "immutable" in response.headers["Cache-Control"]


def test_unhashed_or_stale_url_is_revalidated(org_client: FlaskClient) -> None:
    for url in ("/static/qms.css", "/static/qms.css?v=000000000000"):
        with org_client.get(url) as response:
            assert response.status_code == 200
            assert response.cache_control.no_cache
            assert response.cache_control.max_age is None


def test_pages_forbid_inline_scripts(org_client: FlaskClient) -> None:
    response = org_client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert re.fullmatch(r"app;dur=\d+\.\d", response.headers["Server-Timing"])


def test_read_pages_need_no_javascript(org_client: FlaskClient) -> None:
    for path in ("/", "/processer/p-hemtjanst", "/aktiviteter/a-ht-utreda",
                 "/dokument/d-rut-avvikelse", "/roller", "/roller/r-underskoterska",
                 "/sok?q=avvikelse", "/processer/p-hemtjanst/utskrift"):
        html = org_client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
