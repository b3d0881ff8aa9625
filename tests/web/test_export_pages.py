"""``/export``: the formats listed, downloads for a unit, the record kept by the web too."""

from __future__ import annotations

import io
import zipfile

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from qms.services.export_history import folder


def test_page_lists_every_format_with_a_download_button(coordinator_client: FlaskClient) -> None:
    page = coordinator_client.get("/export?enhet=ou-avd-aldre", headers={"Accept-Language": "sv"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for name in ("2c8-excel", "ils-sosfs", "ils-vor", "ils-ikp", "ils-goals", "ledningssystem"):
        assert f'action="/export/{name}"' in html
    assert "ils-sosfs-ou-avd-aldre.xlsx" in html
    assert '<option value="ou-avd-aldre" selected>' in html
    assert "Ladda ned med CSV-filer" in html


def test_download_for_a_unit_keeps_a_record(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    qms = coordinator_app.extensions["qms"]
    before = len(list(folder(qms, "ils-sosfs", "ou-avd-aldre").glob("*.json")))
    response = coordinator_client.post("/export/ils-sosfs", data={"enhet": "ou-avd-aldre"})
    assert response.status_code == 200
    assert str(response.mimetype).endswith("spreadsheetml.sheet")
    assert "ils-sosfs-ou-avd-aldre.xlsx" in response.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.data))["Processer"]
    assert ws["A1"].value == "Område/Process"
    assert len(list(folder(qms, "ils-sosfs", "ou-avd-aldre").glob("*.json"))) == before + 1


def test_download_with_csv_is_a_zip_of_workbook_and_sheets(
    coordinator_client: FlaskClient,
) -> None:
    response = coordinator_client.post("/export/ils-goals", data={"csv": "1"})
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names[0] == "ils-goals.xlsx"
    assert "Målbedömning.csv" in names


def test_unknown_format_and_visitors_are_refused(
    coordinator_client: FlaskClient, org_client: FlaskClient
) -> None:
    assert coordinator_client.post("/export/pdf").status_code == 422
    assert org_client.get("/export").status_code == 403
    assert org_client.post("/export/ils-vor").status_code == 403


def test_the_risk_register_and_the_control_plan_export_themselves(
    coordinator_client: FlaskClient,
) -> None:
    risks = coordinator_client.get("/risker?enhet=ou-sdf").get_data(as_text=True)
    assert 'action="/export/ils-vor"' in risks
    assert 'name="enhet" value="ou-sdf"' in risks
    controls = coordinator_client.get("/internkontroll").get_data(as_text=True)
    assert 'action="/export/ils-ikp"' in controls
    response = coordinator_client.post("/export/ils-vor", data={"enhet": "ou-sdf"})
    assert response.status_code == 200
    assert response.data[:2] == b"PK"  # an xlsx is a zip
