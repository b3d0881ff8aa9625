"""Activity, document and role pages, on the demo organisation."""

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


def test_activity_says_what_who_and_how(org_client: FlaskClient) -> None:
    html = page(org_client, "/aktiviteter/a-ht-utreda")
    assert "<h1>Utreda behovet och fatta beslut om bistånd</h1>" in html
    assert "Hembesök, utredning av behov och önskemål" in html  # what
    assert '<a href="/roller/r-bistandshandlaggare">Biståndshandläggare</a>' in html  # who
    assert "Biståndshandläggaren bekräftar ansökan" in html  # the rutin's text
    assert re.search(r"<dt>Objekt in</dt><dd>.*?Ansökan om bistånd", html, re.S)
    assert re.search(r"<dt>Objekt ut</dt><dd>.*?Utredning.*?Beslut om bistånd", html, re.S)
    assert 'href="/aktiviteter/a-ht-start" rel="prev"' in html
    assert 'href="/aktiviteter/a-ht-gw-beviljas" rel="next"' in html
    assert '<a href="/processer/p-hemtjanst">Hemtjänst – från beslut till insats</a>' in html


def test_rutin_comes_before_other_documents(org_client: FlaskClient) -> None:
    html = page(org_client, "/aktiviteter/a-ht-utreda")
    rutin = html.index("Rutin för utredning och beslut om bistånd till äldre")
    others = html.index("Andra styrdokument")
    assert rutin < others
    assert html.index("Riktlinjer för handläggning av bistånd", others) > others


def test_activity_without_rutin_says_so(org_client: FlaskClient) -> None:
    html = page(org_client, "/aktiviteter/a-gfp-boka")
    assert "Rutin saknas" in html


def test_end_event_has_nothing_after_it(org_client: FlaskClient) -> None:
    html = page(org_client, "/aktiviteter/a-ht-slut")
    assert "Inget: här slutar processen." in html
    assert "Slut" in html


def test_document_page_shows_document_control(org_client: FlaskClient) -> None:
    html = page(org_client, "/dokument/d-rut-avvikelse")
    assert "<h1>Rutin för avvikelser, klagomål och synpunkter</h1>" in html
    for heading, value in [
        ("Typ", "Rutin"),
        ("Version", "3.0"),
        ("Status", "Fastställd"),
        ("Fastställd den", "22 maj 2025"),
        ("Revideras senast", "31 maj 2027"),
    ]:
        assert f"<dt>{heading}</dt><dd>{value}" in html, heading
    assert '<a href="/roller/r-kvalitetssamordnare">Kvalitetssamordnare</a>' in html
    assert "Revideringen är försenad" not in html
    used = html[html.index("Här används dokumentet") :]
    assert 'href="/processer/p-avvikelse"' in used
    assert 'href="/aktiviteter/a-av-registrera"' in used


def test_overdue_review_is_flagged(org_client: FlaskClient) -> None:
    html = page(org_client, "/dokument/d-rut-social-dokumentation")
    assert "Revideringen är försenad." in html
    assert '<span class="tag tag-warn">försenad</span>' in html


def test_revoked_document_warns(org_client: FlaskClient) -> None:
    html = page(org_client, "/dokument/d-rut-avvikelse-2019")
    assert "Dokumentet gäller inte längre" in html
    assert "Revideringen är försenad" not in html  # revoked: nothing left to review


def test_document_link_must_be_a_web_address(app: Flask, tmp_path: Path) -> None:
    model = tmp_path / "links.yaml"
    model.write_text(
        "documents:\n"
        "  - {id: d-js, title: Js, kind: routine, url: 'javascript:alert(1)'}\n"
        "  - {id: d-web, title: Web, kind: routine, url: 'https://example.org/r.pdf'}\n",
        encoding="utf-8",
    )
    app.extensions["qms"].load(model, "test")
    client = app.test_client()
    assert "javascript:" not in page(client, "/dokument/d-js")
    assert 'href="https://example.org/r.pdf"' in page(client, "/dokument/d-web")


def test_role_page_groups_activities_by_process(org_client: FlaskClient) -> None:
    html = page(org_client, "/roller/r-underskoterska")
    assert "<h1>Vad gör jag som undersköterska?</h1>" in html
    groups = re.findall(r'<h2 id="rubrik-[^"]+"><a href="/processer/([^"]+)">', html)
    assert "p-hemtjanst" in groups
    assert "p-hemtjanst-gfp" in groups
    hemtjanst = html[html.index('<a href="/processer/p-hemtjanst">') :]
    assert 'href="/aktiviteter/a-ht-utfora"' in hemtjanst
    assert 'href="/dokument/d-rut-lakemedel"' in hemtjanst
    rutiner = html[html.index("Dina rutiner") : html.index('<section class="role-process"')]
    assert rutiner.count('href="/dokument/d-rut-genomforandeplan"') == 1


def test_role_index_links_every_role(org_client: FlaskClient) -> None:
    html = page(org_client, "/roller")
    assert "<h1>Vad gör jag som …?</h1>" in html
    assert '<a href="/roller/r-underskoterska">Undersköterska</a>' in html
    assert html.count('href="/roller/r-') >= 10
