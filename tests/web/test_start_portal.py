"""The start page of the portal: search first, the landscape by unit, recent rutiner."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def test_search_box_comes_before_the_landscape(org_client: FlaskClient) -> None:
    html = org_client.get("/").get_data(as_text=True)
    search = html.index('<form class="search-form" role="search" action="/sok"')
    assert search < html.index(">Huvudprocesser</h2>")
    assert '<label for="sok">Vad letar du efter?</label>' in html
    assert 'class="header-search"' not in html  # one search box on the page


def test_processes_link_to_their_pages(org_client: FlaskClient) -> None:
    html = org_client.get("/").get_data(as_text=True)
    assert '<a href="/processer/p-hemtjanst">Hemtjänst – från beslut till insats</a>' in html
    assert 'href="/processer/p-hemtjanst-gfp"' not in html  # delprocesser are drilled into


def test_recently_changed_routines(org_client: FlaskClient) -> None:
    html = org_client.get("/").get_data(as_text=True)
    recent = html[html.index("Nyligen ändrade rutiner") :]
    links = re.findall(r'href="/dokument/([^"]+)"', recent)
    assert 1 <= len(links) <= 8
    assert "d-rut-avvikelse-2019" not in links  # revoked
    assert "d-rut-nyckelhantering" not in links  # a draft
    assert "Version" in recent


def test_landscape_of_one_unit(org_client: FlaskClient) -> None:
    html = org_client.get("/?enhet=ou-enh-hemtjanst").get_data(as_text=True)
    assert '<option value="ou-enh-hemtjanst" selected>' in html
    # The unit's own delprocess is its landscape; the parent belongs to the avdelning.
    assert 'href="/processer/p-hemtjanst-gfp"' in html
    assert 'href="/processer/p-ekb"' not in html


def test_landscape_of_an_avdelning_includes_its_units(org_client: FlaskClient) -> None:
    html = org_client.get("/?enhet=ou-avd-aldre").get_data(as_text=True)
    assert 'href="/processer/p-hemtjanst"' in html
    assert 'href="/processer/p-hemtjanst-gfp"' not in html  # shown under its parent


def test_empty_unit_choice_is_the_whole_organisation(org_client: FlaskClient) -> None:
    assert org_client.get("/?enhet=").status_code == 200
