"""Signing in and out, sessions, CSRF, roles per unit on the pages, single sign-on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.wrappers import Response

from process_models import DEMO
from qms.domain.labels import Label
from qms.services import accounts
from qms.services.access import coordinator
from web import create_app

from .conftest import TODAY

DEMO_PASSWORD = "demo-losenord-2026"


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo with its accounts, on a server with anonymous reading and no open access."""
    data_dir = str(tmp_path_factory.mktemp("auth"))
    config = {
        "DATA_DIR": data_dir,
        "TESTING": True,
        "TODAY": TODAY,
        "TRUSTED_USER_HEADER": "X-Remote-User",
        "TRUSTED_PROXIES": ["10.1.1.1"],
    }
    app = create_app(config)
    app.extensions["qms"].load(DEMO, "test")
    yield app
    app.extensions["qms"].close()


@pytest.fixture
def client(auth_app: Flask) -> FlaskClient:
    return auth_app.test_client()


def html(response: Response) -> str:
    return response.get_data(as_text=True)


def sign_in(client: FlaskClient, user: str, password: str = DEMO_PASSWORD) -> Response:
    return client.post("/logga-in", data={"user": user, "password": password})


def raw_client(app: Flask) -> FlaskClient:
    """A client that sends only what a page gave it (no automatic CSRF token)."""
    return FlaskClient(app, Response, use_cookies=True)


def page_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


# -- signing in ---------------------------------------------------------------------------
def test_signing_in_shows_the_name_and_signing_out_forgets_it(client: FlaskClient) -> None:
    assert 'href="/logga-in"' in html(client.get("/"))
    response = sign_in(client, "kvalitet-aldre")
    assert response.status_code == 303
    page = html(client.get("/"))
    assert "Kim Kvalitet" in page
    assert "Logga ut" in page
    assert client.post("/logga-ut").status_code == 303
    assert "Kim Kvalitet" not in html(client.get("/"))


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client: FlaskClient) -> None:
    wrong, unknown = sign_in(client, "kvalitet-aldre", "fel-lösenord-här"), sign_in(client, "vem")
    assert wrong.status_code == unknown.status_code == 401
    message = accounts.REFUSED
    assert message in html(wrong)
    assert message in html(unknown)
    assert "Kim" not in html(wrong)


def test_an_empty_form_names_the_fields_in_swedish(client: FlaskClient) -> None:
    page = html(client.post("/logga-in", data={}))
    assert "Fyll i användarnamn och lösenord." in page


def test_the_next_page_is_only_ever_on_this_site(client: FlaskClient) -> None:
    data = {"user": "admin", "password": DEMO_PASSWORD}
    evil = client.post("/logga-in", data=data | {"next": "//evil.example/x"})
    assert evil.headers["Location"] == "/"
    ok = client.post("/logga-in", data=data | {"next": "/avvikelser"})
    assert ok.headers["Location"] == "/avvikelser"


def test_the_session_cookie_is_http_only_same_site_and_secure(auth_app: Flask) -> None:
    client = auth_app.test_client()
    response = sign_in(client, "admin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie


def test_a_disabled_account_s_session_ends_at_once(auth_app: Flask, client: FlaskClient) -> None:
    store = auth_app.extensions["qms"].store
    accounts.add_account(
        store,
        coordinator("test"),
        {"id": "tillfallig", "name": "Tilda Tillfällig", "password": DEMO_PASSWORD},
    )
    sign_in(client, "tillfallig")
    assert "Tilda Tillfällig" in html(client.get("/sok?q=x"))
    accounts.set_disabled(store, coordinator("test"), "tillfallig", True)
    auth_app.extensions["actors"].clear()
    assert "Tilda Tillfällig" not in html(client.get("/sok?q=x"))


def test_a_password_change_ends_other_sessions(auth_app: Flask) -> None:
    store = auth_app.extensions["qms"].store
    accounts.add_account(
        store, coordinator("test"), {"id": "byter", "name": "Bo Byter", "password": DEMO_PASSWORD}
    )
    first = auth_app.test_client()
    sign_in(first, "byter")
    accounts.set_password(store, coordinator("test"), "byter", "ett-helt-nytt-lösen")
    auth_app.extensions["actors"].clear()
    assert "Bo Byter" not in html(first.get("/sok?q=y"))


# -- CSRF ---------------------------------------------------------------------------------
def test_a_form_post_without_the_page_s_token_is_refused(auth_app: Flask) -> None:
    client = raw_client(auth_app)
    refused = client.post("/logga-in", data={"user": "admin", "password": DEMO_PASSWORD})
    assert refused.status_code == 400
    assert "ladda om sidan och skicka igen" in html(refused)
    forged = client.post(
        "/logga-in", data={"user": "admin", "password": DEMO_PASSWORD, "csrf_token": "gissat"}
    )
    assert forged.status_code == 400
    token = page_token(html(client.get("/logga-in")))
    accepted = client.post(
        "/logga-in", data={"user": "admin", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert accepted.status_code == 303


def test_every_post_form_on_the_pages_carries_the_token(auth_app: Flask) -> None:
    client = auth_app.test_client()
    sign_in(client, "admin")
    pages = ["/konton/", "/konton/admin", "/avvikelser/ny", "/logga-in", "/arbetsyta/processer"]
    pages += ["/risker/ny", "/avvikelser/dev-lexsarah-utebliven-insats", "/import"]
    for path in pages:
        page = html(client.get(path))
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page, re.S | re.I)
        assert forms or path == "/arbetsyta/processer", path
        for form in forms:
            assert 'name="csrf_token"' in form, path


def test_a_script_post_needs_the_header(auth_app: Flask) -> None:
    client = raw_client(auth_app)
    refused = client.post("/avvikelser/ny", json={}, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.get_json()["message"]


# -- the gate and single sign-on ----------------------------------------------------------
def test_without_anonymous_reading_every_page_asks_to_sign_in(tmp_path: Any) -> None:
    app = create_app({"DATA_DIR": str(tmp_path), "TESTING": True, "ANONYMOUS_READ": False})
    try:
        client = app.test_client()
        response = client.get("/processer/p-x?a=1")
        assert response.status_code == 302
        assert response.headers["Location"] == "/logga-in?next=/processer/p-x?a%3D1"
        assert client.get("/logga-in").status_code == 200
        assert client.get("/health").status_code in (200, 503)
    finally:
        app.extensions["qms"].close()


def test_the_single_sign_on_header_counts_only_from_the_proxy(client: FlaskClient) -> None:
    via_proxy = client.get(
        "/sok?q=a",
        headers={"X-Remote-User": "chef-hemtjanst"},
        environ_overrides={"REMOTE_ADDR": "10.1.1.1"},
    )
    assert "Cecilia Chef" in html(via_proxy)
    direct = client.get(
        "/sok?q=a",
        headers={"X-Remote-User": "chef-hemtjanst"},
        environ_overrides={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert "Cecilia Chef" not in html(direct)


# -- roles on the pages -------------------------------------------------------------------
def test_personal_data_only_in_the_coordinator_s_own_units(client: FlaskClient) -> None:
    sign_in(client, "kvalitet-aldre")  # kvalitetssamordnare for äldreomsorgen
    own = html(client.get("/avvikelser/dev-lexsarah-utebliven-insats"))  # hemtjänsten
    assert "visas bara för dem som handlägger ärendet" not in own
    other = html(client.get("/avvikelser/dev-klagomal-ekb"))  # ekonomiskt bistånd (IFO)
    assert "visas bara för dem som handlägger ärendet" in other
    register = html(client.get("/avvikelser"))
    assert "dev-lexsarah-utebliven-insats" in register
    assert "dev-klagomal-ekb" not in register


def test_a_coordinator_may_not_handle_a_case_of_another_unit(client: FlaskClient) -> None:
    sign_in(client, "kvalitet-aldre")
    response = client.post(
        "/avvikelser/dev-klagomal-ekb/orsaker",
        data={"description": "Rutinen saknades", "category": "rutin"},
    )
    assert response.status_code == 403


def test_an_employee_reports_and_follows_only_their_own_case(client: FlaskClient) -> None:
    sign_in(client, "medarbetare-hemtjanst")
    response = client.post(
        "/avvikelser/ny",
        data={
            "title": "Nyckeln saknades vid besöket",
            "occurred_on": "2026-05-30",
            "process": "p-hemtjanst",
        },
    )
    assert response.status_code == 303
    case = response.headers["Location"].split("/")[2]
    assert "Nyckeln saknades vid besöket" in html(client.get(f"/avvikelser/{case}"))
    register = html(client.get("/avvikelser"))
    assert case in register
    assert "dev-lexsarah-utebliven-insats" not in register
    assert "visas bara för dem som handlägger ärendet" in register


def test_the_page_cache_never_shows_one_person_s_page_to_another(auth_app: Flask) -> None:
    kim, anonymous = auth_app.test_client(), auth_app.test_client()
    sign_in(kim, "kvalitet-aldre")
    assert "Kim Kvalitet" in html(kim.get("/processer/p-hemtjanst"))
    assert "Kim Kvalitet" not in html(anonymous.get("/processer/p-hemtjanst"))


# -- account administration ---------------------------------------------------------------
def test_only_administrators_see_the_accounts(client: FlaskClient) -> None:
    assert client.get("/konton/").status_code == 403
    sign_in(client, "chef-hemtjanst")
    assert client.get("/konton/").status_code == 403
    assert "/konton/" not in html(client.get("/sok?q=z"))


def test_an_administrator_creates_an_account_and_a_token(client: FlaskClient) -> None:
    sign_in(client, "admin")
    response = client.post(
        "/konton/",
        data={
            "id": "ny-person",
            "name": "Nora Ny",
            "email": "nora@example.org",
            "password": "ett-tillräckligt-lösen",
            "role": ["chef", ""],
            "unit": ["ou-enh-hemtjanst", "*"],
        },
    )
    assert response.status_code == 303
    page = html(client.get("/konton/ny-person"))
    assert "chef@ou-enh-hemtjanst" not in page or "Nora Ny" in page
    made = client.post("/konton/ny-person/token", data={"name": "Intranätet"})
    assert made.status_code == 201
    token = re.search(r'<code class="token">([^<]+)</code>', html(made))
    assert token is not None
    assert token.group(1).startswith("qms_")
    assert token.group(1) not in html(client.get("/konton/ny-person"))  # shown once


def test_bad_account_input_is_answered_field_by_field(client: FlaskClient) -> None:
    sign_in(client, "admin")
    response = client.post(
        "/konton/",
        data={
            "id": "med mellanslag",
            "name": "",
            "password": "kort",
            "role": ["trollkarl"],
            "unit": ["*"],
        },
    )
    assert response.status_code == 422
    page = html(response)
    assert "Användarnamnet får bara innehålla" in page
    assert "kort" not in re.findall(r'name="password"[^>]*value="([^"]*)"', page)


def test_an_upload_without_the_token_is_refused_when_its_form_is_read(auth_app: Flask) -> None:
    client = raw_client(auth_app)
    token = page_token(html(client.get("/logga-in")))
    client.post("/logga-in", data={"user": "admin", "password": DEMO_PASSWORD, "csrf_token": token})
    before = len(auth_app.extensions["qms"].store.entities(Label.DOCUMENT))
    form = {"title": "Rutin för nycklar", "kind": "routine", "doc_version": "1.0"}
    refused = client.post("/arbetsyta/dokument/ny", data=form, content_type="multipart/form-data")
    assert refused.status_code == 400
    assert len(auth_app.extensions["qms"].store.entities(Label.DOCUMENT)) == before
    token = page_token(html(client.get("/arbetsyta/dokument/ny")))
    accepted = client.post(
        "/arbetsyta/dokument/ny",
        data=form | {"csrf_token": token},
        content_type="multipart/form-data",
    )
    assert accepted.status_code == 303


def test_every_page_gets_the_security_headers(client: FlaskClient) -> None:
    for path in ("/", "/logga-in", "/avvikelser", "/finns-inte"):
        headers = client.get(path).headers
        policy = dict(
            part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", path
        assert policy["default-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
    secure = client.get("/", base_url="https://localhost").headers
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_a_manager_reaches_the_documents_from_the_menu(client: FlaskClient) -> None:
    sign_in(client, "chef-hemtjanst")
    page = html(client.get("/sok?q=m"))
    assert 'href="/arbetsyta/dokument"' in page
    assert 'href="/arbetsyta"' not in page
    assert client.get("/arbetsyta/dokument").status_code == 200
