"""``/mal``: the goal tree, the goal page with its exposure, and the follow-up forms."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


def test_tree_shows_the_chain(org_client: FlaskClient) -> None:
    html = org_client.get("/mal").get_data(as_text=True)
    assert "<h1>Mål</h1>" in html
    assert 'href="/mal/g-im-1"' in html
    assert "Inriktningsmål" in html


def test_tree_filtered_by_unit_and_year(org_client: FlaskClient) -> None:
    html = org_client.get("/mal?enhet=ou-enh-hemtjanst&ar=2026").get_data(as_text=True)
    assert 'href="/mal/g-em-ht-kontinuitet"' in html
    assert 'href="/mal/g-em-bou-utredning"' not in html
    assert "3 mål matchar urvalet" in html


def test_unknown_unit_is_404(org_client: FlaskClient) -> None:
    assert org_client.get("/mal?enhet=finns-inte").status_code == 404


def test_goal_page(org_client: FlaskClient) -> None:
    response = org_client.get("/mal/g-em-ht-genomforandeplan")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Förväntade resultat" in html
    assert "Målet är inte uppfyllt och inga åtgärder är planerade." in html
    assert "Ej uppfyllt" in html
    assert '<th scope="col">Kvinnor</th>' in html
    assert "Vad hotar målet" in html
    assert 'href="/risker/risk-gfp"' in html
    assert 'href="/avvikelser/dev-gfp-saknas"' in html
    # without permission, avvikelser are named by kind and id, not by their (personal) title
    assert "Genomförandeplaner saknas för nya kunder" not in html
    assert "Registrera en målbedömning" not in html  # read-only visitor


def test_exposure_through_contributing_activities(org_client: FlaskClient) -> None:
    html = org_client.get("/mal/g-nm-aldre").get_data(as_text=True)
    assert 'href="/risker/risk-nyckel"' in html
    assert 'href="/aktiviteter/a-ht-planera"' in html


def test_unknown_goal_is_404(org_client: FlaskClient) -> None:
    assert org_client.get("/mal/g-finns-inte").status_code == 404
    assert org_client.get("/mal/%20bad%20").status_code == 404


def test_anonymous_may_not_post(org_client: FlaskClient) -> None:
    form = {"year": "2026", "tertial": "1", "verdict": "met", "analysis": "Bra."}
    assert org_client.post("/mal/g-nm-ekonomi/bedomning", data=form).status_code == 403


def test_assessment_form_saves_and_redirects(coordinator_client: FlaskClient) -> None:
    form = {
        "year": "2026",
        "tertial": "3",
        "verdict": "not_met",
        "analysis": "Svagt år.",
        "planned_actions": "Ny prognosmall.",
    }
    response = coordinator_client.post("/mal/g-em-ekonomi-prognos/bedomning", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/mal/g-em-ekonomi-prognos#bedomning")
    html = coordinator_client.get("/mal/g-em-ekonomi-prognos").get_data(as_text=True)
    assert "Ny prognosmall." in html
    assert "2026 T3" in html


def test_assessment_form_422_with_swedish_field_errors(coordinator_client: FlaskClient) -> None:
    form = {"year": "20x6", "tertial": "2", "verdict": "not_met", "analysis": "Inget gjort."}
    response = coordinator_client.post("/mal/g-em-hr-arbetsmiljo/bedomning", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = re.findall(r'class="field-error" id="fel-(\w+)">([^<]*)<', html)
    assert ("year", "Ange ett heltal. ") in errors
    assert ("planned_actions", "Ange planerade åtgärder när målet inte är uppfyllt. ") in errors
    assert "Inget gjort." in html  # the form keeps what was typed
    page = coordinator_client.get("/mal/g-em-hr-arbetsmiljo").get_data(as_text=True)
    assert "Inget gjort." not in page


def test_outcome_form(coordinator_client: FlaskClient) -> None:
    form = {
        "indicator": "ind-sjukfranvaro",
        "year": "2026",
        "tertial": "3",
        "value": "6.9",
        "women": "7.4",
        "men": "5.1",
    }
    bad = coordinator_client.post("/mal/g-nm-arbetsmiljo/utfall", data=form | {"value": "mycket"})
    assert bad.status_code == 422
    assert "Ange ett tal." in bad.get_data(as_text=True)
    good = coordinator_client.post("/mal/g-nm-arbetsmiljo/utfall", data=form)
    assert good.status_code == 303
    html = coordinator_client.get("/mal/g-nm-arbetsmiljo").get_data(as_text=True)
    assert "<td>7,4</td>" in html


def test_the_old_session_json_endpoint_is_gone(coordinator_client: FlaskClient) -> None:
    # It acted for the session's user under the CSRF-exempt /api/ prefix; integrations use
    # POST /api/v1/goals/{id}/assessments with a token instead (tests/web/test_api_writes.py).
    body = {"year": 2026, "tertial": 1, "verdict": "met", "analysis": "Klart."}
    assert coordinator_client.post("/api/mal/g-nm-klimat/bedomningar", json=body).status_code == 404


def test_long_lists_on_a_goal_page_are_cut_with_a_count(
    org_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.quality import goals as page

    monkeypatch.setattr(page, "SHOWN_PER_LIST", 1)
    html = org_client.get("/mal/g-im-1").get_data(as_text=True)
    assert re.search(r"… och \d+ till\.", html)
