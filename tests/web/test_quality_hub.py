"""``/kvalitet``: the way into quality work from the header of every page."""

from __future__ import annotations

from flask.testing import FlaskClient

from web.quality.hub import AREAS


def test_the_header_leads_to_quality_work(org_client: FlaskClient) -> None:
    html = org_client.get("/").get_data(as_text=True)
    assert 'href="/kvalitet">Kvalitetsarbete</a>' in html


def test_the_hub_has_a_card_for_every_quality_page(org_client: FlaskClient) -> None:
    response = org_client.get("/kvalitet")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    cards = html.split('<ul class="hub-cards">')[1].split("</ul>")[0]
    assert cards.count('<li><a href="/') == len(AREAS)
    for title in ("Rapportera avvikelse", "Riskregistret", "Ledningssystemets hälsa"):
        assert title in html


def test_the_workspace_is_in_the_menu_only_for_those_who_may_edit(
    org_client: FlaskClient, coordinator_client: FlaskClient
) -> None:
    assert ">Arbetsyta</a>" not in org_client.get("/kvalitet").get_data(as_text=True)
    assert 'href="/arbetsyta">Arbetsyta</a>' in coordinator_client.get("/kvalitet").get_data(
        as_text=True
    )
