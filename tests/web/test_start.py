"""The start page groups processes under their Swedish kind headings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from web import create_app


def section(html: str, heading: str) -> str:
    """The HTML of the ``<section>`` whose ``<h2>`` is ``heading``."""
    match = re.search(rf"<section[^>]*>\s*<h2[^>]*>{heading}</h2>(.*?)</section>", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def test_start_page_is_swedish_and_accessible(demo_client: FlaskClient) -> None:
    html = demo_client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "<title>QMS – processer och kvalitet</title>" in html
    assert "<h1>QMS – processer och kvalitet</h1>" in html
    assert 'href="#innehall"' in html
    assert '<main id="innehall"' in html
    assert 'name="viewport"' in html
    assert "<script" not in html


@pytest.mark.parametrize(
    ("heading", "process", "others"),
    [
        ("Huvudprocesser", "Hemtjänst", ["Bemanna verksamheten", "Uppföljning av"]),
        ("Stödprocesser", "Bemanna verksamheten", ["Hemtjänst", "Uppföljning av"]),
        ("Styrprocesser", "Uppföljning av verksamhetsplanen", ["Hemtjänst", "Bemanna"]),
    ],
)
def test_each_process_is_listed_under_its_kind(
    demo_client: FlaskClient, heading: str, process: str, others: list[str]
) -> None:
    html = section(demo_client.get("/").get_data(as_text=True), heading)
    assert f">{process}</a></h3>" in html
    for other in others:
        assert other not in html


def test_headings_come_in_process_map_order(demo_client: FlaskClient) -> None:
    html = demo_client.get("/").get_data(as_text=True)
    positions = [html.index(f">{h}</h2>") for h in ("Huvudprocesser", "Stödprocesser",
                                                     "Styrprocesser")]
    assert positions == sorted(positions)


def test_long_purpose_is_shortened(demo_client: FlaskClient) -> None:
    html = section(demo_client.get("/").get_data(as_text=True), "Huvudprocesser")
    purpose = re.search(r'class="process-purpose">(.*?)</p>', html, re.S)
    assert purpose
    assert purpose.group(1).startswith("Ge den som har beviljats hemtjänst")
    assert purpose.group(1).endswith("…")
    assert len(purpose.group(1)) <= 141
    assert "genomförandeplanen" not in html


def test_short_purpose_is_shown_whole(demo_client: FlaskClient) -> None:
    html = section(demo_client.get("/").get_data(as_text=True), "Stödprocesser")
    assert "Rätt person på rätt plats vid rätt tid.</p>" in html


def test_empty_store_shows_how_to_load_the_demo(client: FlaskClient) -> None:
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Inga processer ännu." in html
    assert "<code>qms load process_models/demo</code>" in html
    assert "<h2" not in html


def test_process_names_are_escaped(app: Flask, tmp_path: Path) -> None:
    model = tmp_path / "evil.yaml"
    model.write_text(
        "processes:\n  - {id: p-x, name: '<b>Fet</b>', kind: support}\n", encoding="utf-8"
    )
    app.extensions["qms"].load(model, "test")
    html = app.test_client().get("/").get_data(as_text=True)
    assert "&lt;b&gt;Fet&lt;/b&gt;" in html
    assert "Inga huvudprocesser ännu." in html


def test_data_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QMS_DATA_DIR", str(tmp_path / "fromenv"))
    app = create_app({"TESTING": True})
    try:
        assert app.extensions["qms"].settings.data_dir == tmp_path / "fromenv"
        assert (tmp_path / "fromenv" / "graph").exists()
        assert app.config["SECRET_KEY"]
    finally:
        app.extensions["qms"].close()
