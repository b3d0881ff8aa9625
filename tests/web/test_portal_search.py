"""Search: grouped results with marked snippets, prefixes, typos and helpful empty states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient


def search(client: FlaskClient, query: str, **args: str) -> str:
    """The search page's HTML for ``query``; it must answer 200."""
    response = client.get("/sok", query_string={"q": query, **args})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def groups(html: str) -> list[str]:
    """The result group headings, in page order."""
    return re.findall(r'<h2 id="grupp-(\w+)">', html)


def test_results_are_grouped_by_type(org_client: FlaskClient) -> None:
    html = search(org_client, "avvikelse")
    assert groups(html) == ["Process", "Document", "Activity", "Role"]
    assert '<a href="/processer/p-avvikelse">Avvikelser, klagomål och synpunkter</a>' in html
    assert '<a href="/dokument/d-rut-avvikelse">' in html
    assert re.search(r"<mark>avvikelse[a-z]*</mark>", html, re.I)
    assert re.search(r"\d+ träffar", html)


def test_prefix_and_inflection_find_the_same(org_client: FlaskClient) -> None:
    assert 'href="/processer/p-avvikelse"' in search(org_client, "avvik")
    assert 'href="/processer/p-avvikelse"' in search(org_client, "avvikelserna")


@pytest.mark.parametrize(
    "typo",
    ["avvikelce", "avvkelse", "avvikkelse", "avivkelse", "Avvikelsr"],
)
def test_one_wrong_letter_still_finds_it(org_client: FlaskClient, typo: str) -> None:
    html = search(org_client, typo)
    assert 'href="/processer/p-avvikelse"' in html
    assert f"Inga träffar för ”{typo}”. Visar träffar för ”avvikelse" in html


def test_typo_in_one_of_two_words(org_client: FlaskClient) -> None:
    html = search(org_client, "rutin läkemdel")
    assert 'href="/dokument/d-rut-lakemedel"' in html
    assert "Visar träffar för ”rutin läkemedel" in html


def test_filter_on_one_type(org_client: FlaskClient) -> None:
    html = search(org_client, "avvikelse", typ="dokument")
    assert groups(html) == ["Document"]
    assert 'aria-current="page">Rutiner och styrdokument</a>' in html
    assert '<input type="hidden" name="typ" value="dokument">' in html


def test_unknown_type_searches_everything(org_client: FlaskClient) -> None:
    html = search(org_client, "avvikelse", typ="<script>")
    assert "Process" in groups(html)
    assert "<script>" not in html


def test_empty_query_explains_search(org_client: FlaskClient) -> None:
    html = search(org_client, "")
    assert "Det räcker att skriva början av ett ord" in html
    assert "<h2" not in html


def test_no_hit_gives_tips(org_client: FlaskClient) -> None:
    html = search(org_client, "qwertyuiopå")
    assert "Inga träffar för ”qwertyuiopå”." in html
    assert 'href="/roller">Hitta dina rutiner utifrån din roll</a>' in html
    assert groups(html) == []


@pytest.mark.parametrize(
    "odd",
    [
        '"avvikelse',
        'avvikelse" OR "1"="1',
        "avvikelse AND NOT rutin NEAR(x y)",
        "title:avvikelse*",
        "'; DROP TABLE docs; --",
        "MATCH (n) DETACH DELETE n RETURN n //",
        "{label} : (x) ^ - + * ( ) [ ] \\",
        "😀🎉 avvikelse 👍",
        "\u0000\u0007avvikelse\u202e",
        "a" * 10_000,
        "avvikelse " * 1000,
        "%s %n %x {0} ${x}",
    ],
)
def test_odd_queries_never_fail(org_client: FlaskClient, odd: str) -> None:
    html = search(org_client, odd)
    assert "Något gick fel" not in html
    assert "\u0000" not in html


def test_emoji_only_gets_a_calm_message(org_client: FlaskClient) -> None:
    html = search(org_client, "😀🎉")
    assert "Sökningen innehöll inget ord att söka på" in html


def test_long_query_is_cut_and_says_so(org_client: FlaskClient) -> None:
    html = search(org_client, "avvikelse " + "x" * 10_000)
    assert "bara de första 200 tecknen användes" in html
    value = re.search(r'<input id="sok"[^>]*value="([^"]*)"', html, re.S)
    assert value
    assert len(value[1]) <= 200


def test_snippets_are_escaped(app: Flask, tmp_path: Path) -> None:
    model = tmp_path / "evil.yaml"
    model.write_text(
        "documents:\n"
        "  - {id: d-x, title: Ond rutin, kind: routine,"
        " body: 'Klicka <script>alert(1)</script> nyckelknippa här'}\n",
        encoding="utf-8",
    )
    app.extensions["qms"].load(model, "test")
    html = search(app.test_client(), "nyckelknippa")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>nyckelknippa</mark>" in html


def test_header_search_goes_to_results(org_client: FlaskClient) -> None:
    html = org_client.get("/processer/p-hemtjanst").get_data(as_text=True)
    assert re.search(r'<form class="header-search" role="search" action="/sok"', html)
