"""``/ledning``: the manager overview."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_dashboard(org_client: FlaskClient) -> None:
    response = org_client.get("/ledning")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Öppna avvikelser per process och månad" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert "<caption>Öppna avvikelser per process och månad</caption>" in html
    assert 'class="heatmap"' in html
    assert "Målbedömning per tertial 2026" in html
    assert "Ej uppfyllt" in html


def test_dashboard_for_a_unit(org_client: FlaskClient) -> None:
    html = org_client.get("/ledning?enhet=ou-enh-hemtjanst&ar=2026").get_data(as_text=True)
    assert "Ledningsöversikt: " in html
    assert 'href="/mal/g-em-ht-kontinuitet"' in html
    assert 'href="/mal/g-em-bou-utredning"' not in html
    assert org_client.get("/ledning?enhet=finns-inte").status_code == 404
