"""``/sparning``: sentences and the picture of a trace."""

from __future__ import annotations

from flask.testing import FlaskClient
from lxml import etree


def test_deviation_trace_page(org_client: FlaskClient) -> None:
    response = org_client.get("/sparning/avvikelse/dev-lexsarah-utebliven-insats")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "som bryter ned inriktningsmålet ”Ett Stockholm som håller samman”." in html
    assert "<svg" in html
    assert ">berör<" in html
    assert 'href="/mal/g-im-1"' in html
    assert "Utebliven insats" not in html  # the title may hold personal data


def test_risk_trace_page_and_svg_file(org_client: FlaskClient) -> None:
    html = org_client.get("/sparning/risk/risk-lakemedel").get_data(as_text=True)
    assert "Risken ”Läkemedel ges inte eller ges fel vid delegering” hotar" in html
    response = org_client.get("/sparning/risk/risk-lakemedel.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = etree.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_unknown_ids_and_kinds_are_404(org_client: FlaskClient) -> None:
    assert org_client.get("/sparning/avvikelse/dev-finns-inte").status_code == 404
    assert org_client.get("/sparning/risk/risk-finns-inte.svg").status_code == 404
    assert org_client.get("/sparning/process/p-hemtjanst").status_code == 404


def test_coordinator_sees_the_title(coordinator_client: FlaskClient) -> None:
    html = coordinator_client.get("/sparning/avvikelse/dev-lexsarah-utebliven-insats").get_data(
        as_text=True
    )
    assert "Lex Sarah-rapporten ”Utebliven insats" in html
