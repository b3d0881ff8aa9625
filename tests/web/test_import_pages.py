"""``/import``: upload, column mapping, preview, apply; problems per row; nothing written."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

import exporters
from qms.domain.entities import Risk
from qms.domain.labels import Label
from qms.services.dump import dump_lines, snapshot
from web.quality import imports as pages

SV = {"Accept-Language": "sv"}
SHEET = "Väsentlighets- och riskanalys"


def vor(app: Flask, changes: dict[tuple[int, int], object] | None = None) -> bytes:
    data = exporters.get("ils-vor")(snapshot(app.extensions["qms"].store))
    book = load_workbook(io.BytesIO(data))
    for (row, column), value in (changes or {}).items():
        book[SHEET].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: FlaskClient, name: str, data: bytes, filename: str = "fil.xlsx") -> object:
    return client.post(
        "/import",
        data={"format": name, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        headers=SV,
    )


def test_the_upload_page_lists_every_format_in_swedish(coordinator_client: FlaskClient) -> None:
    html = coordinator_client.get("/import", headers=SV).get_data(as_text=True)
    assert "Läs in ett kalkylark" in html
    for name in (
        "2c8-excel",
        "ils-sosfs",
        "ils-vor",
        "ils-ikp",
        "egen-processlista",
        "egen-risklista",
    ):
        assert f'value="{name}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="f-file">' in html


def test_preview_then_apply_changes_the_risk(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    store = coordinator_app.extensions["qms"].store
    risk_id = load_workbook(io.BytesIO(vor(coordinator_app)))[SHEET].cell(row=2, column=11).value
    response = upload(
        coordinator_client, "ils-vor", vor(coordinator_app, {(2, 2): "Omdöpt via import"})
    )
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Förhandsgranskning av importen" in html
    assert "Ändras" in html
    assert "Omdöpt via import" in html
    assert "matchad på id" in html
    assert "Väsentlighets- och riskanalys, rad 2" in html
    risk = store.get(Label.RISK, risk_id)
    assert isinstance(risk, Risk)
    assert risk.title != "Omdöpt via import"
    action = re.search(r'action="(/import/[0-9a-f]+/genomfor)"', html)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', html)
    assert action
    assert digest
    done = coordinator_client.post(action.group(1), data={"digest": digest.group(1)}, headers=SV)
    assert done.status_code == 200
    assert "Importen är sparad" in done.get_data(as_text=True)
    risk = store.get(Label.RISK, risk_id)
    assert isinstance(risk, Risk)
    assert risk.title == "Omdöpt via import"
    again = coordinator_client.post(action.group(1), data={"digest": digest.group(1)}, headers=SV)
    assert again.status_code == 404  # the upload is gone once applied


def test_a_moved_graph_is_not_applied_blindly(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    response = upload(
        coordinator_client, "ils-vor", vor(coordinator_app, {(3, 2): "Ändrad rubrik"})
    )
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    action = re.search(r'action="(/import/[0-9a-f]+/genomfor)"', html)
    assert action
    stale = coordinator_client.post(action.group(1), data={"digest": "0" * 32}, headers=SV)
    assert stale.status_code == 409
    assert "Granska planen igen" in stale.get_data(as_text=True)


def test_bad_file_shows_one_row_per_problem_and_saves_nothing(
    coordinator_app: Flask, coordinator_client: FlaskClient
) -> None:
    before = list(dump_lines(coordinator_app.extensions["qms"].store))
    bad = vor(coordinator_app, {(2, 2): "=1+1", (3, 10): "förra året"})
    response = upload(coordinator_client, "ils-vor", bad)
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Filen kan inte läsas in" in html
    assert "2 problem" in html
    assert "<td>Väsentlighets- och riskanalys</td><td>2</td><td>B (Risk)</td>" in html
    assert "Formler tas inte emot" in html
    assert "Ett heltal krävs" in html
    assert list(dump_lines(coordinator_app.extensions["qms"].store)) == before


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [(b"not a zip", "x.xlsx", "skadad"), (b"x", "x.xlsm", "makron")],
)
def test_refused_files(
    coordinator_client: FlaskClient, data: bytes, filename: str, words: str
) -> None:
    response = upload(coordinator_client, "ils-vor", data, filename)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert words in response.get_data(as_text=True)  # type: ignore[attr-defined]


def test_size_limit_and_missing_choices(
    coordinator_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "MAX_UPLOAD", 10)
    response = upload(coordinator_client, "ils-vor", b"x" * 11)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Filen är för stor" in response.get_data(as_text=True)  # type: ignore[attr-defined]
    empty = coordinator_client.post("/import", data={}, headers=SV)
    assert empty.status_code == 422
    assert "Välj ett format." in empty.get_data(as_text=True)


def test_own_sheet_goes_through_the_mapping_step(coordinator_client: FlaskClient) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Benämning", "Kommentar"])
    ws.append(["Egen importerad process", "x"])
    out = io.BytesIO()
    book.save(out)
    response = upload(coordinator_client, "egen-processlista", out.getvalue())
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Välj kolumner" in html
    assert '<option value="Benämning">' in html
    action = re.search(r'action="(/import/[0-9a-f]+/kolumner)"', html)
    assert action
    missing = coordinator_client.post(action.group(1), data={}, headers=SV)
    assert missing.status_code == 422
    assert "Välj en kolumn." in missing.get_data(as_text=True)
    preview = coordinator_client.post(action.group(1), data={"map-namn": "Benämning"}, headers=SV)
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Egen importerad process" in text
    assert "Skapas" in text
    assert '<input type="hidden" name="map-namn" value="Benämning">' in text


def test_readers_may_not_import(org_client: FlaskClient) -> None:
    assert org_client.get("/import", headers=SV).status_code == 403
