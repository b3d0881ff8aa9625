"""``/egenkontroller``: plan, overdue list, årshjul, and recording a result."""

from __future__ import annotations

from flask.testing import FlaskClient
from lxml import html as lxml_html


def test_plan_and_overdue_list(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.get("/egenkontroller")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    overdue = [a.text_content() for a in tree.xpath("//ul[@class='overdue-list']//a")]
    assert overdue == []  # TODAY (2026-06-01) is before every demo due date
    assert len(tree.xpath("//table[@class='inspection-table']/tbody/tr")) >= 6


def test_year_wheel_has_twelve_months(coordinator_client: FlaskClient) -> None:
    response = coordinator_client.get("/egenkontroller/arshjul?ar=2027")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    months = tree.xpath("//ol[@class='year-wheel']/li")
    assert len(months) == 12
    assert months[0].xpath("h2")[0].text_content() == "Januari"
    assert "Journalgranskning" in months[0].text_content()


def test_record_a_result_with_a_finding(coordinator_client: FlaskClient) -> None:
    bad = coordinator_client.post(
        "/egenkontroller/ek-lakemedel/resultat",
        data={"performed_on": "31/5", "outcome": "deficient", "version": "1"},
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Ogiltigt datum (ÅÅÅÅ-MM-DD)." in page
    done = coordinator_client.post(
        "/egenkontroller/ek-lakemedel/resultat",
        data={
            "performed_on": "2026-05-29",
            "outcome": "deficient",
            "version": "1",
            "findings": "Signeringslista saknades för en kund.",
        },
    )
    assert done.status_code == 303
    assert "#r-ekr-2026-05-29-ek-lakemedel" in done.headers["Location"]
    page = coordinator_client.get("/egenkontroller/ek-lakemedel").get_data(as_text=True)
    assert "/avvikelser/ny?resultat=ekr-2026-05-29-ek-lakemedel" in page
    assert "Signeringslista saknades för en kund." in page


def test_anonymous_may_not_record(org_client: FlaskClient) -> None:
    assert org_client.get("/egenkontroller/ek-attest").status_code == 200
    response = org_client.post(
        "/egenkontroller/ek-attest/resultat",
        data={"performed_on": "2026-05-01", "outcome": "ok", "version": "1"},
    )
    assert response.status_code == 403
