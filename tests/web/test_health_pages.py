"""``/halsa``: every check counted, every gap linked to where it is fixed."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient


def test_health_page(org_client: FlaskClient) -> None:
    response = org_client.get("/halsa")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Ledningssystemets hälsa</h1>" in html
    for heading in (
        "Aktiviteter utan rutin",
        "Mål som ingen process bidrar till",
        "Höga risker utan kontroll",
        "Försenade egenkontroller",
    ):
        assert heading in html
    assert 'href="/aktiviteter/a-gfp-boka"' in html
    assert 'href="/mal/g-nm-klimat"' in html
    total = int(re.search(r"(\d+) luckor totalt", html).group(1))  # type: ignore[union-attr]
    counts = re.findall(
        r'<li class="(?:has|no)-gaps"><a href="#\w+"><span class="health-count">(\d+)</span>', html
    )
    assert len(counts) == 8
    assert sum(int(c) for c in counts) == total


def test_health_filtered_by_unit(org_client: FlaskClient) -> None:
    html = org_client.get("/halsa?enhet=ou-enh-hemtjanst").get_data(as_text=True)
    assert 'href="/mal/g-nm-klimat"' not in html
    assert org_client.get("/halsa?enhet=finns-inte").status_code == 404


def test_a_whole_city_lists_the_first_gaps_of_each_check(
    org_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.quality import health as page

    monkeypatch.setattr(page, "SHOWN_PER_CHECK", 2)
    html = org_client.get("/halsa").get_data(as_text=True)
    assert "Välj en organisationsenhet för att se alla." in html
    unit = org_client.get("/halsa?enhet=ou-enh-hemtjanst").get_data(as_text=True)
    assert "Välj en organisationsenhet för att se alla." not in unit
