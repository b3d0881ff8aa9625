"""Review reminders by e-mail through a real SMTP server (aiosmtpd on a free local port):
who gets what, one mail each, nothing twice within the repeat interval, nothing when off."""

from __future__ import annotations

import argparse
import email
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from qms.cli_documents import add_parser
from qms.notify import NullNotifier, SmtpNotifier, SmtpSettings
from qms.services import accounts
from qms.services.access import coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.doc_reviews import send_review_reminders, sent_log

MODEL = Path(__file__).with_name("doccontrol.yaml")
TODAY = date(2026, 6, 1)
ADMIN = coordinator("admin")
SENDER = "QMS <qms@teststad.se>"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def text(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def qms(tmp_path: Path) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path / "data"))
    opened.load(MODEL, "test")
    for name, email_, role in [
        ("anna", "anna@teststad.se", "kvalitetssamordnare@ou-dc-a"),  # unit A: the overdue one
        ("bo", "bo@teststad.se", "processagare@ou-dc-b"),  # unit B: the one due soon
        ("chef", "chef@teststad.se", "chef@ou-dc-avd"),  # the department: both
        ("lasare", "lasare@teststad.se", "lasare@ou-dc-a"),  # reads only: nothing
        ("utan", "", "kvalitetssamordnare@ou-dc-a"),  # no address
        ("borta", "borta@teststad.se", "kvalitetssamordnare"),  # disabled below
    ]:
        data = {"id": name, "name": name.title(), "roles": [role]}
        accounts.add_account(opened.store, ADMIN, data | ({"email": email_} if email_ else {}))
    accounts.set_disabled(opened.store, ADMIN, "borta", True)
    yield opened
    opened.close()


def notifier(port: int, **extra: Any) -> SmtpNotifier:
    return SmtpNotifier(SmtpSettings("127.0.0.1", SENDER, port, **extra))


def remind(qms: Qms, port: int, today: date = TODAY, **extra: Any) -> Any:
    return send_review_reminders(
        qms.store,
        notifier(port),
        today,
        log=sent_log(qms.settings.data_dir),
        base_url="https://qms.teststad.se",
        **extra,
    )


def test_each_responsible_person_gets_one_mail_with_their_documents(
    qms: Qms, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    run = remind(qms, port)
    assert sorted(m["To"] for m in inbox.messages) == [
        "anna@teststad.se",
        "bo@teststad.se",
        "chef@teststad.se",
    ]
    assert (len(run.sent), run.failed, run.unreached) == (3, [], [])
    anna = inbox.to("anna@teststad.se")[0]
    assert anna["Subject"] == "Styrdokument att revidera: 1 försenad"
    assert anna["From"] == SENDER
    body = text(anna)
    assert body.startswith("Hej Anna,")
    assert "Rutin för nycklar (version 1.0, Enhet A, ägare: Enhetschef)" in body
    assert "skulle ha reviderats senast 2026-05-20 (12 dagar sedan)" in body
    assert "https://qms.teststad.se/arbetsyta/dokument/d-dc-rutin" in body
    assert "https://qms.teststad.se/arbetsyta/dokument/granskning" in body
    assert "Rutin för larm" not in body  # unit B is not Anna's
    chef = inbox.to("chef@teststad.se")[0]
    assert chef["Subject"] == "Styrdokument att revidera: 1 försenad, 1 inom 30 dagar"
    assert "Ska revideras inom 30 dagar:\n- Rutin för larm" in text(chef)


def test_the_same_reminder_is_not_sent_twice_within_the_interval(
    qms: Qms, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    remind(qms, port)
    again = remind(qms, port)
    assert (len(inbox.messages), again.sent, again.repeated) == (3, [], 4)
    assert remind(qms, port, TODAY + timedelta(days=6)).sent == []
    later = remind(qms, port, TODAY + timedelta(days=7))
    assert len(later.sent) == 3
    assert len(inbox.messages) == 6
    daily = remind(qms, port, TODAY + timedelta(days=8), repeat_days=1)
    assert len(daily.sent) == 3


def test_nothing_is_sent_or_logged_when_off_or_dry(qms: Qms, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    log = sent_log(qms.settings.data_dir)
    off = send_review_reminders(qms.store, NullNotifier(), TODAY, log=log)
    assert (off.enabled, len(off.planned), off.sent) == (False, 3, [])
    dry = remind(qms, port, dry_run=True)
    assert (dry.enabled, len(dry.planned), dry.sent) == (False, 3, [])
    assert inbox.messages == []
    assert log.entries() == []
    assert len(remind(qms, port).sent) == 3  # planning did not count as sending


def test_a_server_that_is_down_fails_and_nothing_is_logged(qms: Qms) -> None:
    run = remind(qms, free_port())
    assert len(run.failed) == 3
    assert "kunde inte skicka via 127.0.0.1" in run.failed[0][1]
    assert sent_log(qms.settings.data_dir).entries() == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_is_used_and_a_wrong_password_is_reported(qms: Qms) -> None:
    seen: list[tuple[str, str]] = []

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"ratt-losenord", handled=False)

    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=check,
        auth_required=True,
        auth_require_tls=False,  # a local test server only; real ones get STARTTLS
    )
    controller.start()
    try:
        notice_to = send_review_reminders(
            qms.store,
            notifier(port, user="qms", password="fel"),
            TODAY,
            log=sent_log(qms.settings.data_dir),
        )
        assert "godtog inte inloggningen" in notice_to.failed[0][1]
        good = send_review_reminders(
            qms.store,
            notifier(port, user="qms", password="ratt-losenord"),
            TODAY,
            log=sent_log(qms.settings.data_dir),
        )
    finally:
        controller.stop()
    assert len(good.sent) == 3
    assert len(inbox.messages) == 3
    assert ("qms", "ratt-losenord") in seen


def run_cli(qms: Qms, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["remind", *argv])
    return int(args.handler(qms, args))


def test_the_cli_shows_a_dry_run_and_sends_when_configured(
    qms: Qms,
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inbox, port = smtp
    monkeypatch.setenv("QMS_NOTIFY", "smtp")
    monkeypatch.setenv("QMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("QMS_SMTP_PORT", str(port))
    monkeypatch.setenv("QMS_MAIL_FROM", SENDER)
    monkeypatch.setenv("QMS_BASE_URL", "https://qms.teststad.se/")
    assert run_cli(qms, "--dry-run", "--today", "2026-06-01") == 0
    shown = capsys.readouterr().out
    assert "Inget skickas: provkörning." in shown
    assert "Till: Chef <chef@teststad.se>" in shown
    assert "https://qms.teststad.se/arbetsyta/dokument/d-dc-snart" in shown
    assert inbox.messages == []
    assert run_cli(qms, "--today", "2026-06-01") == 0
    assert "Skickat till anna@teststad.se: 1 dokument" in capsys.readouterr().out
    assert len(inbox.messages) == 3
    monkeypatch.setenv("QMS_NOTIFY", "off")
    assert run_cli(qms, "--today", "2026-06-20", "--every", "1") == 0
    assert "utskick avstängt (QMS_NOTIFY=off)" in capsys.readouterr().out
    assert len(inbox.messages) == 3
