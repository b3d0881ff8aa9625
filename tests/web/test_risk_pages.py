"""``/risker`` and ``/riskmatris``: register with heat map, risk page, forms, permissions."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from lxml import html as lxml_html


def field_errors(page: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="field-error" id="fel-([a-z_]+)">([^<]*)</p>', page))


def test_register_with_heat_map_and_vor_columns(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.get("/risker?ar=2026")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    tree = lxml_html.fromstring(page)
    assert len(tree.xpath("//svg//g[@class='cell']")) == 25
    rows = tree.xpath("//table[@class='risk-table']/tbody/tr")
    assert len(rows) == len(tree.xpath("//svg//g[@class='marker']")) >= 12
    first = rows[0].text_content()
    for words in ("Barnavårdsutredningar", "4 - Sannolikt", "Mycket hög"):
        assert words in first
    assert "Finns rutinbeskrivning?" in page
    assert "Genomförs löpande kontroller?" in page
    assert "/risker/risk-bou-utredningstid" in page


def test_register_filters_by_unit(coordinator_client: FlaskClient) -> None:
    page = coordinator_client.get("/risker?ar=2026&enhet=ou-enh-ekonomi").get_data(as_text=True)
    assert "Attest utan behörighet" in page
    assert "Barnavårdsutredningar" not in page


def test_risk_page_links_controls_trace_and_deviations(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.get("/risker/risk-gfp")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/sparning/risk/risk-gfp" in page
    assert "/internkontroll/km-genomforandeplaner" in page
    assert "/egenkontroller/ek-genomforandeplaner" in page
    assert "dev-gfp-saknas" in page
    assert coordinator_client.get("/risker/finns-inte").status_code == 404


def test_new_risk_errors_in_swedish_with_422(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.post(
        "/risker/ny", data={"title": "", "probability": "7", "consequence": "2"}
    )
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["title"] == "Fältet måste fyllas i."
    assert errors["probability"] == "Välj ett steg från 1 till 5."
    assert errors["threatens"].startswith("Välj minst en process")


def test_create_then_reassess_a_risk(coordinator_client: FlaskClient) -> None:
    form = {
        "title": "Webbtest: matleveranser uteblir",
        "probability": "2",
        "consequence": "3",
        "year": "2026",
        "status": "open",
        "threatens": ["a-ht-utfora", "p-hemtjanst"],
        "owner": "r-enhetschef",
        "org_unit": "ou-enh-hemtjanst",
    }
    created = coordinator_client.post("/risker/ny", data=form)
    assert created.status_code == 303
    location = created.headers["Location"]
    risk_id = location.rsplit("/", 1)[1]
    edit = coordinator_client.get(f"/risker/{risk_id}/andra").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', edit)
    assert version is not None
    again = coordinator_client.post(
        f"/risker/{risk_id}/andra",
        data=form | {"probability": "5", "version": version.group(1)},
    )
    assert again.status_code == 303
    page = coordinator_client.get(location).get_data(as_text=True)
    assert "5 - Mycket sannolikt" in page
    assert "Bedömningshistorik" in page


def test_matrix_page_and_a_refused_resize(coordinator_client: FlaskClient) -> None:
    assert coordinator_client.get("/riskmatris").status_code == 200
    form = {
        "name": "Liten matris",
        "version": "1",
        "probability_labels": ["Låg", "Medel", "Hög", "", ""],
        "consequence_labels": ["Liten", "Märkbar", "Stor", "", ""],
        "level_names": ["Låg", "Hög"],
        "level_colours": ["#2e7d32", "#c62828"],
        "level_minimums": ["1", "5"],
        "control_threshold": "5",
    }
    response = coordinator_client.post("/riskmatris", data=form)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert "risk-lakemedel" in errors["probability_labels"] + errors["consequence_labels"]


def test_matrix_field_errors(coordinator_client: FlaskClient) -> None:
    form = {
        "name": "Matris",
        "probability_labels": ["A", "B", "C", "D", "E"],
        "consequence_labels": ["A", "B", "C", "D", "E"],
        "level_names": ["Låg", "Hög"],
        "level_colours": ["#2e7d32", "#c62828"],
        "level_minimums": ["2", "5"],
    }
    response = coordinator_client.post("/riskmatris", data=form)
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["level_minimums"] == "Första nivån börjar på 1 och varje nästa nivå högre."
    assert errors["control_threshold"] == "Fältet måste fyllas i."


def test_anonymous_visitors_may_read_but_not_write(org_client: FlaskClient) -> None:
    assert org_client.get("/risker").status_code == 200
    assert org_client.get("/risker/ny").status_code == 403
    assert org_client.post("/risker/ny", data={"title": "x"}).status_code == 403
    assert org_client.post("/risker/risk-gfp/andra", data={"title": "x"}).status_code == 403
    assert org_client.post("/riskmatris", data={"name": "x"}).status_code == 403
    page = org_client.get("/risker/risk-gfp").get_data(as_text=True)
    assert "/risker/risk-gfp/andra" not in page
