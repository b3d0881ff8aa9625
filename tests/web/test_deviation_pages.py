"""``/avvikelser``: the report form, the register and the case page, for coordinators and
for anonymous visitors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from process_models import DEMO
from qms.domain.entities import Deviation
from qms.domain.labels import Label
from web import create_app

TODAY = date(2026, 6, 1)  # as tests/web/conftest.py pins it

LEX_SARAH = "dev-lexsarah-utebliven-insats"


@pytest.fixture(scope="module")
def anonymous_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo organisation on a server without open access, whose report form is public:
    every visitor is anonymous and may report."""
    data_dir = str(tmp_path_factory.mktemp("anonymous"))
    config = {"DATA_DIR": data_dir, "TESTING": True, "TODAY": TODAY, "ANONYMOUS_REPORTS": True}
    app = create_app(config)
    app.extensions["qms"].load(DEMO, "test")
    yield app
    app.extensions["qms"].close()


@pytest.fixture
def anonymous_client(anonymous_app: Flask) -> FlaskClient:
    """A test client for ``anonymous_app``."""
    return anonymous_app.test_client()


def html(response: Any) -> str:
    return str(response.get_data(as_text=True))


def field_errors(page: str, field: str) -> list[str]:
    """The messages shown next to a field of the report form."""
    found = re.search(rf'<ul class="field-errors" id="{field}-fel">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def count(app: Flask) -> int:
    return len(app.extensions["qms"].store.entities(Label.DEVIATION))


def report(client: FlaskClient, **data: str) -> str:
    """Report a deviation; the new case number."""
    form = {"title": "Brukaren föll i hallen", "occurred_on": "2026-05-30"}
    form |= {"process": "p-hemtjanst"} | data
    response = client.post("/avvikelser/ny", data=form)
    assert response.status_code == 303
    match = re.fullmatch(r"/avvikelser/(av-2026-\d{4})/kvitto", response.headers["Location"])
    assert match is not None
    return match.group(1)


def version(app: Flask, deviation_id: str) -> str:
    found = app.extensions["qms"].store.get(Label.DEVIATION, deviation_id)
    assert isinstance(found, Deviation)
    return str(found.version)


# -- the report form ---------------------------------------------------------------------
def test_the_header_link_target_is_the_report_form(coordinator_app: Flask) -> None:
    with coordinator_app.test_request_context():
        assert url_for("deviations.new") == "/avvikelser/ny"
        assert url_for("deviations.index") == "/avvikelser"
        assert url_for("deviations.show", deviation_id="x") == "/avvikelser/x"


def test_the_form_is_prefilled_from_a_process(coordinator_client: FlaskClient) -> None:
    page = html(coordinator_client.get("/avvikelser/ny?process=p-hemtjanst"))
    assert "<h1>Rapportera avvikelse</h1>" in page
    assert '<option value="p-hemtjanst" selected>' in page
    assert '<optgroup label="Hemtjänst – från beslut till insats">' in page
    assert 'value="a-ht-utfora"' in page  # the process's activities, and only its
    assert 'value="a-ekb-utreda"' not in page
    assert f'value="{TODAY.isoformat()}"' in page
    assert 'name="kind" value="lex_sarah"' in page


def test_the_form_is_prefilled_from_an_inspection_result(coordinator_client: FlaskClient) -> None:
    page = html(coordinator_client.get("/avvikelser/ny?resultat=ekr-journal-2026-10"))
    assert "Fem av tio kunder som startat sedan augusti saknade genomförandeplan" in page
    assert '<input type="hidden" name="raised_by" value="ekr-journal-2026-10">' in page
    assert '<input type="hidden" name="realises" value="risk-gfp">' in page
    assert 'value="2026-10-16"' in page
    assert '<option value="ou-enh-hemtjanst" selected>' in page


def test_unknown_prefill_ids_leave_the_form_empty(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.get("/avvikelser/ny?resultat=finns-inte&process=nej")
    assert response.status_code == 200
    assert 'name="raised_by"' not in html(response)


def test_a_report_gets_a_receipt_with_its_case_number(coordinator_client: FlaskClient) -> None:
    case = report(coordinator_client, location="Hallen", reported_by="Ulla")
    page = html(coordinator_client.get(f"/avvikelser/{case}/kvitto"))
    assert "Tack för din rapport" in page
    assert f"<strong>{case}</strong>" in page


def test_field_errors_in_swedish_with_422_and_values_kept(
    coordinator_client: FlaskClient, coordinator_app: Flask
) -> None:
    before = count(coordinator_app)
    response = coordinator_client.post(
        "/avvikelser/ny", data={"title": "", "occurred_on": "igår", "description": "Text kvar"}
    )
    page = html(response)
    assert response.status_code == 422
    assert field_errors(page, "title") == ["Fältet måste fyllas i."]
    assert field_errors(page, "occurred_on") == ["Ogiltigt datum (ÅÅÅÅ-MM-DD)."]
    assert field_errors(page, "location") == [
        "Ange var det hände: en process, en aktivitet, en enhet eller en plats."
    ]
    assert 'aria-invalid="true"' in page
    assert "Text kvar</textarea>" in page
    assert count(coordinator_app) == before


def test_a_ten_thousand_character_title_is_refused(
    coordinator_client: FlaskClient, coordinator_app: Flask
) -> None:
    before = count(coordinator_app)
    response = coordinator_client.post(
        "/avvikelser/ny",
        data={"title": "x" * 10_000, "occurred_on": "2026-05-30", "location": "Hallen"},
    )
    assert response.status_code == 422
    assert field_errors(html(response), "title") == ["Högst 300 tecken."]
    assert count(coordinator_app) == before


def test_a_date_in_the_future_is_refused(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.post(
        "/avvikelser/ny", data={"title": "Fall", "occurred_on": "2026-06-02", "location": "Hall"}
    )
    assert response.status_code == 422
    assert field_errors(html(response), "occurred_on") == ["Datumet kan inte ligga i framtiden."]


# -- the register ------------------------------------------------------------------------
def test_the_register_lists_and_filters(coordinator_client: FlaskClient) -> None:
    page = html(coordinator_client.get("/avvikelser"))
    assert "Klagomål på lång handläggningstid för ekonomiskt bistånd" in page
    closed = html(coordinator_client.get("/avvikelser?status=closed"))
    assert "Ett barn saknades vid återsamling efter utflykt" in closed
    assert "Faktura attesterad av chef som slutat" not in closed
    by_unit = html(coordinator_client.get("/avvikelser?enhet=ou-avd-forskola"))
    assert "2 ärenden" in by_unit
    assert coordinator_client.get("/avvikelser?status=nonsense").status_code == 422


# -- the case page -----------------------------------------------------------------------
def test_a_case_through_the_first_steps(
    coordinator_client: FlaskClient, coordinator_app: Flask
) -> None:
    case = report(coordinator_client)
    page = html(coordinator_client.get(f"/avvikelser/{case}"))
    assert 'aria-current="step"' in page
    assert "Starta utredningen" in page
    refused = coordinator_client.post(
        f"/avvikelser/{case}/status",
        data={"target": "investigating", "version": version(coordinator_app, case)},
    )
    assert refused.status_code == 422
    assert "Ange vem som utreder ärendet." in html(refused)
    moved = coordinator_client.post(
        f"/avvikelser/{case}/status",
        data={
            "target": "investigating",
            "version": version(coordinator_app, case),
            "investigator": "Ulla Utredare",
        },
    )
    assert moved.status_code == 303
    page = html(coordinator_client.get(moved.headers["Location"]))
    assert "Ärendet har nu status: Under utredning." in page
    assert "Ange minst en grundorsak innan åtgärder planeras." in page

    no_cause = coordinator_client.post(f"/avvikelser/{case}/atgarder", data={"title": "Rutin"})
    assert no_cause.status_code == 422
    assert "Välj minst en orsak som åtgärden ska åtgärda." in html(no_cause)
    added = coordinator_client.post(
        f"/avvikelser/{case}/orsaker", data={"description": "Mattan saknar halkskydd"}
    )
    assert added.status_code == 303
    action = coordinator_client.post(
        f"/avvikelser/{case}/atgarder",
        data={"title": "Halkskydd under mattor", "causes": f"{case}-orsak-1"},
    )
    assert action.status_code == 303
    page = html(coordinator_client.get(f"/avvikelser/{case}"))
    assert "Åtgärdar: Mattan saknar halkskydd" in page


def test_a_stale_form_is_a_409_saying_what_changed(
    coordinator_client: FlaskClient, coordinator_app: Flask
) -> None:
    case = report(coordinator_client)
    old = version(coordinator_app, case)
    coordinator_client.post(
        f"/avvikelser/{case}/uppgifter",
        data={
            "version": old,
            "title": "Fall i hallen",
            "occurred_on": "2026-05-30",
            "investigator": "Bengt",
        },
    )
    response = coordinator_client.post(
        f"/avvikelser/{case}/uppgifter",
        data={"version": old, "title": "Fall", "occurred_on": "2026-05-30", "investigator": "X"},
    )
    assert response.status_code == 409
    page = html(response)
    assert "din ändring sparades inte" in page
    assert "Utredare: – → Bengt" in page


def test_classifying_a_lex_case_shows_the_ivo_deadline(
    coordinator_client: FlaskClient, coordinator_app: Flask
) -> None:
    case = report(coordinator_client, kind="lex_sarah")
    response = coordinator_client.post(
        f"/avvikelser/{case}/klassning",
        data={
            "version": version(coordinator_app, case),
            "incident_class": "misconduct",
            "serious": "true",
            "serious_decided_by": "Avdelningschef",
            "serious_decided_on": "2026-05-20",
        },
    )
    assert response.status_code == 303
    page = html(coordinator_client.get(f"/avvikelser/{case}"))
    assert "Anmäl snart till IVO." in page  # decided 20 May + 14 days = 3 June
    assert "Anmälan till IVO" in page


def test_unknown_ids_are_404(coordinator_client: FlaskClient) -> None:
    assert coordinator_client.get("/avvikelser/av-1999-0001").status_code == 404
    assert coordinator_client.get("/avvikelser/p-hemtjanst").status_code == 404
    assert coordinator_client.get("/avvikelser/av-1999-0001/kvitto").status_code == 404
    posted = coordinator_client.post("/avvikelser/av-1999-0001/orsaker", data={"description": "x"})
    assert posted.status_code == 404


# -- anonymous visitors ------------------------------------------------------------------
def test_anonymous_visitors_may_report(anonymous_client: FlaskClient, anonymous_app: Flask) -> None:
    case = report(anonymous_client)
    page = html(anonymous_client.get(f"/avvikelser/{case}/kvitto"))
    assert case in page
    assert "Öppna ärendet" not in page
    assert version(anonymous_app, case) == "1"


def test_without_public_reporting_visitors_sign_in_first(org_client: FlaskClient) -> None:
    response = org_client.get("/avvikelser/ny?process=p-hemtjanst")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/logga-in?next=/avvikelser/ny")
    assert org_client.post("/avvikelser/ny", data={"title": "x"}).status_code == 303


def test_anonymous_visitors_see_counts_not_cases(anonymous_client: FlaskClient) -> None:
    page = html(anonymous_client.get("/avvikelser"))
    assert "ärenden" in page
    assert "Utebliven insats" not in page
    assert "visas bara för dem som handlägger ärendet" in page


def test_anonymous_visitors_get_a_restricted_case_page(anonymous_client: FlaskClient) -> None:
    response = anonymous_client.get(f"/avvikelser/{LEX_SARAH}")
    page = html(response)
    assert response.status_code == 200
    assert "Utebliven insats" not in page
    assert "närstående" not in page
    assert "Ärende dev-lexsarah-utebliven-insats" in page
    assert "visas bara för dem som handlägger ärendet" in page
    assert "Starta utredningen" not in page
    assert "<form" not in page.split("</header>", 2)[-1]


def test_anonymous_visitors_may_not_handle_cases(anonymous_client: FlaskClient) -> None:
    response = anonymous_client.post(
        f"/avvikelser/{LEX_SARAH}/status", data={"target": "actions", "version": "1"}
    )
    assert response.status_code == 403


def test_the_catalogue_file_exists() -> None:
    po = Path(__file__).parents[2] / "web/translations/sv/LC_MESSAGES/quality-deviations.po"
    assert 'msgid "Report a deviation"' in po.read_text(encoding="utf-8")
