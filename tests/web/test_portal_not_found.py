"""Unknown ids and odd paths: a helpful 404 page with a search box, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/processer/p-finns-inte", "Det finns ingen process med id ”p-finns-inte”."),
        ("/processer/p-finns-inte/utskrift", "Det finns ingen process med id ”p-finns-inte”."),
        ("/aktiviteter/a-finns-inte", "Det finns ingen aktivitet med id ”a-finns-inte”."),
        ("/dokument/d-finns-inte", "Det finns inget dokument med id ”d-finns-inte”."),
        ("/roller/r-finns-inte", "Det finns ingen roll med id ”r-finns-inte”."),
        ("/?enhet=ou-finns-inte", "Det finns ingen organisationsenhet med id ”ou-finns-inte”."),
    ],
)
def test_unknown_id_is_a_helpful_404(org_client: FlaskClient, path: str, sentence: str) -> None:
    response = org_client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in html
    assert sentence in html
    assert '<form class="search-form" role="search" action="/sok"' in html
    assert 'href="/roller">Hitta dina rutiner utifrån din roll</a>' in html


@pytest.mark.parametrize(
    "path",
    ["/processer/a-ht-utreda", "/aktiviteter/p-hemtjanst", "/dokument/r-underskoterska",
     "/roller/d-rut-avvikelse"],
)
def test_id_of_another_kind_is_not_found(org_client: FlaskClient, path: str) -> None:
    assert org_client.get(path).status_code == 404


@pytest.mark.parametrize(
    "entity_id",
    [
        "%00",
        "..%2F..%2Fetc%2Fpasswd",
        "x" * 5000,
        "a'%20OR%20'1'='1",
        "n)%20DETACH%20DELETE%20n%20//",
        "%F0%9F%98%80",
        "%E2%80%AE",
        "_leading-underscore",
    ],
)
def test_odd_ids_are_404(org_client: FlaskClient, entity_id: str) -> None:
    for prefix in ("/processer/", "/aktiviteter/", "/dokument/", "/roller/"):
        response = org_client.get(prefix + entity_id)
        assert response.status_code == 404, prefix
        assert len(response.get_data(as_text=True)) < 20_000


def test_unknown_path_has_search_too(org_client: FlaskClient) -> None:
    html = org_client.get("/finns/inte").get_data(as_text=True)
    assert 'role="search" action="/sok"' in html


def test_404_json_for_api_clients(org_client: FlaskClient) -> None:
    response = org_client.get("/processer/p-x", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {"message": "Det finns ingen process med id ”p-x”.", "errors": {}}
