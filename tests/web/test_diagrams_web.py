"""Diagram routes: BPMN out and in (with its revision), SVG, the map, bpmn-js from npm."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from lxml import etree

from qms.bpmn.schema import validate
from qms.domain.entities import Process
from qms.domain.kinds import ProcessKind
from qms.services.bpmn_graph import process_graph
from qms.services.bpmn_import import import_bpmn

RICH = (Path(__file__).parents[1] / "unit" / "bpmn" / "data" / "rich.bpmn").read_bytes()
XML = "/processer/Proc_bistand/diagram.bpmn"


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client on a store holding the rich test file as process ``Proc_bistand``."""
    import_bpmn(app.extensions["qms"], RICH, "rich.bpmn", "test")
    return app.test_client()


def _post(client: FlaskClient, data: bytes, etag: str | None) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/xml", "Accept": "application/json"}
    if etag is not None:
        headers["If-Match"] = etag
    response = client.post(XML, data=data, headers=headers)
    return response.status_code, response.get_json()


def test_the_bpmn_file_is_valid_and_carries_its_revision(client: FlaskClient) -> None:
    response = client.get(XML)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert validate(etree.fromstring(response.data)) == []
    assert response.headers["Content-Disposition"] == 'inline; filename="Proc_bistand.bpmn"'
    again = client.get(XML, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_save_is_the_next_version(app: Flask, client: FlaskClient) -> None:
    current = client.get(XML)
    edited = current.data.replace(b'name="Hembes\xc3\xb6k"', b'name="Hembes\xc3\xb6k hemma"')
    status, body = _post(client, edited, current.headers["ETag"])
    assert status == 200
    assert body["revision"] == client.get(XML).headers["ETag"].strip('"')
    names = {
        a.id: a.name for a in process_graph(app.extensions["qms"].store, "Proc_bistand").activities
    }
    assert names["Sub_task"] == "Hembesök hemma"


def test_a_save_on_a_stale_revision_is_409_with_a_clear_message(client: FlaskClient) -> None:
    seen = client.get(XML)
    first = seen.data.replace(b'name="Fatta beslut"', b'name="Besluta"')
    assert _post(client, first, seen.headers["ETag"])[0] == 200
    status, body = _post(client, seen.data, seen.headers["ETag"])
    assert status == 409
    assert "ladda om sidan" in str(body["message"])


def test_a_broken_file_is_422_with_the_problems(client: FlaskClient) -> None:
    seen = client.get(XML)
    broken = seen.data.replace(b'x="270"', b'x="tjugo"', 1)
    status, body = _post(client, broken, seen.headers["ETag"])
    assert status == 422
    assert body["errors"]
    assert all(where.startswith("modellerare:") for where in body["errors"])


def test_a_save_without_a_revision_is_refused(client: FlaskClient) -> None:
    assert _post(client, client.get(XML).data, None)[0] == 428


def test_a_too_large_save_is_refused(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("web.diagrams.MAX_BYTES", 100)
    seen = client.get(XML)
    assert _post(client, seen.data, seen.headers["ETag"])[0] == 413


def test_unknown_processes_are_404(client: FlaskClient) -> None:
    assert client.get("/processer/p-nope/diagram.bpmn").status_code == 404
    assert client.get("/processer/p-nope/diagram.svg").status_code == 404
    response = client.post("/processer/p-nope/diagram.bpmn", data=RICH, headers={"If-Match": '"x"'})
    assert response.status_code == 404


def test_svg_of_a_process_and_the_landscape(client: FlaskClient) -> None:
    picture = client.get("/processer/Proc_bistand/diagram.svg")
    assert picture.mimetype == "image/svg+xml"
    assert b"Registrera" in picture.data
    assert (
        client.get(
            "/processer/Proc_bistand/diagram.svg",
            headers={"If-None-Match": picture.headers["ETag"]},
        ).status_code
        == 304
    )
    landscape = client.get("/karta.svg")
    assert landscape.mimetype == "image/svg+xml"
    assert b'xlink:href="/processer/Proc_bistand"' in landscape.data


def test_bpmn_js_is_served_from_the_installed_package_only(client: FlaskClient) -> None:
    page = client.get("/processer/Proc_bistand/modellera").get_data(as_text=True)
    prefix = page.split('src="/bpmn-js/')[1].split("/")[0]
    with client.get(f"/bpmn-js/{prefix}/bpmn-modeler.production.min.js") as script:
        assert script.status_code == 200
        assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get(f"/bpmn-js/{prefix}/assets/bpmn-font/css/bpmn.css") as style:
        assert style.status_code == 200
    assert client.get("/bpmn-js/0.0.1/bpmn-modeler.production.min.js").status_code == 404
    assert client.get(f"/bpmn-js/{prefix}/../package.json").status_code == 404
    assert client.get(f"/bpmn-js/{prefix}/README.md").status_code == 404


def test_the_modeler_page_has_no_inline_script(client: FlaskClient) -> None:
    page = client.get("/processer/Proc_bistand/modellera").get_data(as_text=True)
    assert 'data-save-url="/processer/Proc_bistand/diagram.bpmn"' in page
    assert "<script>" not in page
    assert page.count("<script src=") == 2


def test_the_viewer_partial_draws_bpmn_js_with_the_svg_as_fallback(app: Flask) -> None:
    process = Process(id="p-x", name="Hemtjänst", kind=ProcessKind.CORE)
    with app.test_request_context("/processer/p-x"):
        html = render_template("diagram/viewer.html", process=process)
    assert 'data-xml-url="/processer/p-x/diagram.bpmn"' in html
    assert 'src="/processer/p-x/diagram.svg"' in html
    assert "<script>" not in html
    with app.test_request_context("/"):
        assert render_template("diagram/viewer.html").strip() == ""
