"""Message catalogues: Swedish first, English source strings as the fallback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import Babel, gettext

from web.i18n import TRANSLATIONS, compile_catalogues, domains

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Search"
msgstr "Sök"
"""


def test_swedish_by_default(org_client: FlaskClient) -> None:
    html = org_client.get("/processer/p-hemtjanst").get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "Aktiviteter i ordning" in html


def test_swedish_whenever_the_browser_accepts_it(org_client: FlaskClient) -> None:
    headers = {"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"}
    html = org_client.get("/processer/p-hemtjanst", headers=headers).get_data(as_text=True)
    assert '<html lang="sv">' in html


def test_english_for_a_browser_without_swedish(org_client: FlaskClient) -> None:
    headers = {"Accept-Language": "en-GB,en;q=0.9"}
    html = org_client.get("/processer/p-hemtjanst", headers=headers).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Activities in order" in html
    assert "Skip to content" in html
    assert "Hemtjänst – från beslut till insats" in html  # content stays as written


def test_unknown_language_falls_back_to_swedish(org_client: FlaskClient) -> None:
    html = org_client.get("/", headers={"Accept-Language": "fi"}).get_data(as_text=True)
    assert '<html lang="sv">' in html


@pytest.mark.parametrize("domain", domains())
def test_every_message_is_translated(domain: str) -> None:
    compile_catalogues()
    with (TRANSLATIONS / "sv" / "LC_MESSAGES" / f"{domain}.mo").open("rb") as mo:
        catalogue = read_mo(mo)
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    assert untranslated == []
    assert len(catalogue) > (150 if domain == "messages" else 5)


def test_feature_catalogues_are_merged_into_one_translation(tmp_path: Path) -> None:
    po = tmp_path / "sv" / "LC_MESSAGES"
    po.mkdir(parents=True)
    (po / "messages.po").write_text(PO, encoding="utf-8")
    (po / "quality-x.po").write_text(
        PO.replace('"Search"', '"Risks"').replace('"Sök"', '"Risker"'), encoding="utf-8"
    )
    compile_catalogues(tmp_path)
    assert domains(tmp_path) == ["messages", "quality-x"]
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = f"{tmp_path};{tmp_path}"
    Babel(app, locale_selector=lambda: "sv", default_domain="messages;quality-x")
    with app.test_request_context():
        assert (gettext("Search"), gettext("Risks")) == ("Sök", "Risker")


def test_mo_is_compiled_when_missing_or_older(tmp_path: Path) -> None:
    po = tmp_path / "sv" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    assert compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    assert compile_catalogues(tmp_path) == []  # up to date
    os.utime(po, (po.stat().st_mtime + 10, po.stat().st_mtime + 10))
    assert compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    with po.with_suffix(".mo").open("rb") as mo:
        assert read_mo(mo).get("Search").string == "Sök"


def test_a_message_means_the_same_in_every_catalogue() -> None:
    """The catalogues merge into one translation: the same msgid twice must agree."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in sorted((TRANSLATIONS / "sv" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as source:
            for message in read_po(source):
                if not message.id:
                    continue
                text = str(message.string)
                first = seen.setdefault(str(message.id), (po.stem, text))
                if first[1] != text:
                    clashes.append(f"{message.id!r}: {first} vs {(po.stem, text)}")
    assert clashes == []
