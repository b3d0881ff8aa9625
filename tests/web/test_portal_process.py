"""The process page and its print view, on the demo organisation."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient


def page(client: FlaskClient, path: str) -> str:
    """The HTML of a page that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_process_page_shows_what_staff_need(org_client: FlaskClient) -> None:
    html = page(org_client, "/processer/p-hemtjanst")
    assert "<h1>Hemtjänst – från beslut till insats</h1>" in html
    assert "Ge äldre som behöver det stöd och omvårdnad i hemmet" in html  # uppdrag
    for heading, text in [
        ("Startar när", "En äldre person eller en närstående ansöker om hemtjänst."),
        ("Slutar när", "Insatsen avslutas, ansökan avslås eller beslutet omprövas."),
        ("Önskad effekt", "Kunden får rätt insatser i rätt tid"),
        ("Mottagare", "Den enskilde (hemtjänstkunden)"),
        ("Intressenter", "Region Stockholm (vårdcentral, husläkare)"),
    ]:
        assert re.search(rf"<dt>{re.escape(heading)}</dt><dd>.*?{re.escape(text)}", html, re.S)
    assert '<a href="/roller/r-avdchef-aldre">Avdelningschef äldreomsorg</a>' in html
    assert "Huvudprocess" in html


def test_activities_come_in_order_with_role_and_rutin(org_client: FlaskClient) -> None:
    html = page(org_client, "/processer/p-hemtjanst")
    steps = re.findall(r'href="/aktiviteter/([^"]+)"', html)
    assert steps[:3] == ["a-ht-start", "a-ht-utreda", "a-ht-gw-beviljas"]
    assert steps[-1] == "a-ht-slut"
    utreda = html[html.index("/aktiviteter/a-ht-utreda") : html.index("/aktiviteter/a-ht-gw")]
    assert '<a href="/roller/r-bistandshandlaggare">Biståndshandläggare</a>' in utreda
    assert 'href="/dokument/d-rut-bistand-utredning"' in utreda
    assert "Start:" in html
    assert "Beslut:" in html


def test_activity_without_rutin_is_flagged(org_client: FlaskClient) -> None:
    html = page(org_client, "/processer/p-hemtjanst-gfp")
    boka = html[html.index("/aktiviteter/a-gfp-boka") : html.index("/aktiviteter/a-gfp-samtal")]
    assert "Rutin saknas" in boka
    assert "1 aktivitet saknar rutin." in html
    samtal = html[html.index("/aktiviteter/a-gfp-samtal") : html.index("/aktiviteter/a-gfp-skriva")]
    assert "Rutin saknas" not in samtal


def test_subprocess_drill_down_and_breadcrumbs(org_client: FlaskClient) -> None:
    parent = page(org_client, "/processer/p-hemtjanst")
    assert '<a href="/processer/p-hemtjanst-gfp">Genomförandeplan i hemtjänsten</a>' in parent
    child = page(org_client, "/processer/p-hemtjanst-gfp")
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', child, re.S)
    assert crumbs
    assert '<a href="/processer/p-hemtjanst">Hemtjänst – från beslut till insats</a>' in crumbs[1]
    assert '<li aria-current="page">Genomförandeplan i hemtjänsten</li>' in crumbs[1]
    assert "Delprocess" in child


def test_breadcrumbs_follow_every_parent(app: Flask, tmp_path: Path) -> None:
    model = tmp_path / "deep.yaml"
    model.write_text(
        "processes:\n"
        "  - {id: p-1, name: Ett, kind: core}\n"
        "  - {id: p-2, name: Två, kind: core, parent: p-1}\n"
        "  - {id: p-3, name: Tre, kind: core, parent: p-2}\n",
        encoding="utf-8",
    )
    app.extensions["qms"].load(model, "test")
    html = page(app.test_client(), "/processer/p-3")
    crumbs = re.findall(r'<a href="/processer/(p-\d)">', html.split("</nav>")[1])
    assert crumbs == ["p-1", "p-2"]


def test_goals_risks_and_last_change(org_client: FlaskClient) -> None:
    html = page(org_client, "/processer/p-hemtjanst")
    assert "Mål som processen bidrar till" in html
    assert "Enhetsmål" in html
    assert re.search(r"\d+ risker? rör processen eller dess aktiviteter", html)
    assert re.search(r"Senast ändrad .+ av test\.", html)
    assert 'href="http://localhost/processer/p-hemtjanst"' in html  # permalink


def test_process_page_has_no_inline_script(org_client: FlaskClient) -> None:
    html = page(org_client, "/processer/p-hemtjanst")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_print_view_holds_the_rutin_texts(org_client: FlaskClient) -> None:
    html = page(org_client, "/processer/p-avvikelse/utskrift")
    assert "<h1>Avvikelser, klagomål och synpunkter</h1>" in html
    assert "1. Rutin för avvikelser, klagomål och synpunkter</h3>" in html
    assert "registrerar den i avvikelsesystemet samma dag" in html  # the rutin's body
    assert "Se avsnitt 1: Rutin för avvikelser, klagomål och synpunkter" in html
    assert "Utskriven" in html
    assert "Skriv ut med webbläsarens utskriftskommando" in html
