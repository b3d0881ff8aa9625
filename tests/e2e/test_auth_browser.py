"""Signing in and out in a real Chromium: the secure session cookie on http://127.0.0.1,
the CSRF token of a real form, what each role sees, the accounts page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "demo-losenord-2026"


def sign_in(page: Page, base: str, user: str, password: str = PASSWORD) -> None:
    page.goto(base + "/logga-in")
    page.get_by_label("Användarnamn").fill(user)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_sign_in_by_keyboard_then_sign_out(
    page: Page, demo_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(demo_url + "/logga-in")
    shoot(page, "auth-login")
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type("kvalitet-aldre")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".nav-user")).to_have_text("Kim Kvalitet")
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    assert cookie["secure"]
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()
    assert errors == []


def test_a_wrong_password_says_nothing_about_the_account(page: Page, demo_url: str) -> None:
    sign_in(page, demo_url, "kvalitet-aldre", "fel-lösenord-här")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Inloggningen misslyckades")
    expect(page.get_by_label("Användarnamn")).to_have_value("kvalitet-aldre")


def test_an_employee_sees_counts_a_coordinator_sees_cases(browser: Browser, demo_url: str) -> None:
    for user, sees_case in (("medarbetare-hemtjanst", False), ("kvalitet-aldre", True)):
        context = browser.new_context(locale="sv-SE")
        page = context.new_page()
        try:
            sign_in(page, demo_url, user)
            page.goto(demo_url + "/avvikelser")
            rows = page.locator(".dev-row")
            if sees_case:
                expect(rows.first).to_be_visible()
            else:
                expect(rows).to_have_count(0)
                expect(page.locator("main")).to_contain_text("visas bara för dem som handlägger")
        finally:
            context.close()


def test_the_accounts_page_at_phone_width(
    browser: Browser, demo_url: str, shoot: Callable[[Page, str], Path]
) -> None:
    context = browser.new_context(locale="sv-SE", viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, demo_url, "admin")
        page.goto(demo_url + "/konton/chef-hemtjanst")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cecilia Chef")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        shoot(page, "auth-account-375")
        page.get_by_label("Vad token används till").fill("Intranätets widget")
        page.get_by_role("button", name="Skapa token").click()
        expect(page.locator("code.token")).to_contain_text("qms_")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shoot(page, "auth-account-token-375")
    finally:
        context.close()
