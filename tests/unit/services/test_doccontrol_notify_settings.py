"""``QMS_NOTIFY`` and ``QMS_SMTP_*``: off by default, every problem named by its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from qms.domain.errors import InvalidInput
from qms.notify import Notice, NullNotifier, SmtpNotifier, SmtpSettings
from qms.services.notify_settings import from_env

SMTP = {"QMS_NOTIFY": "smtp", "QMS_SMTP_HOST": "smtp.stad.se", "QMS_MAIL_FROM": "qms@stad.se"}


def errors(env: dict[str, str]) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as refused:
        from_env(env)
    return refused.value.errors


def test_off_by_default() -> None:
    settings = from_env({})
    assert settings.smtp is None
    assert isinstance(settings.notifier(), NullNotifier)
    assert settings.notifier().enabled is False
    assert settings.base_url == "http://localhost:5000"


def test_smtp_with_defaults() -> None:
    settings = from_env(SMTP | {"QMS_BASE_URL": "https://qms.stad.se/"})
    assert settings.smtp == SmtpSettings("smtp.stad.se", "qms@stad.se", 25)
    assert settings.base_url == "https://qms.stad.se"
    assert isinstance(settings.notifier(), SmtpNotifier)


def test_starttls_login_and_a_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("hemligt\n", encoding="utf-8")
    env = SMTP | {
        "QMS_SMTP_STARTTLS": "true",
        "QMS_SMTP_USER": "qms",
        "QMS_SMTP_PASSWORD_FILE": str(secret),
        "QMS_MAIL_FROM": "Kvalitetssystemet <qms@stad.se>",
    }
    smtp = from_env(env).smtp
    assert smtp is not None
    assert (smtp.port, smtp.starttls, smtp.user, smtp.password) == (587, True, "qms", "hemligt")
    assert "hemligt" not in repr(smtp)


def test_every_problem_is_named_by_its_variable() -> None:
    found = errors(
        {
            "QMS_NOTIFY": "smtp",
            "QMS_SMTP_HOST": "",
            "QMS_SMTP_PORT": "70000",
            "QMS_SMTP_STARTTLS": "kanske",
            "QMS_MAIL_FROM": "qms\nBcc: alla@stad.se",
            "QMS_BASE_URL": "ftp://qms",
        }
    )
    assert sorted(found) == [
        "QMS_BASE_URL",
        "QMS_MAIL_FROM",
        "QMS_SMTP_HOST",
        "QMS_SMTP_PORT",
        "QMS_SMTP_STARTTLS",
    ]
    assert found["QMS_SMTP_PORT"] == ["ett portnummer 1–65535, t.ex. 587"]
    assert errors({"QMS_NOTIFY": "sms"}) == {"QMS_NOTIFY": ["tillåtet: off (standard), smtp"]}


def test_a_password_is_not_sent_in_the_clear_to_another_host() -> None:
    env = SMTP | {"QMS_SMTP_USER": "qms", "QMS_SMTP_PASSWORD": "x"}
    assert list(errors(env)) == ["QMS_SMTP_STARTTLS"]
    local = from_env(env | {"QMS_SMTP_HOST": "localhost"}).smtp
    assert local is not None
    assert local.user == "qms"
    starttls = SMTP | {"QMS_SMTP_USER": "qms", "QMS_SMTP_STARTTLS": "1"}
    assert list(errors(starttls)) == ["QMS_SMTP_PASSWORD"]


def test_the_message_is_plain_utf8_text_with_the_sender() -> None:
    notifier = SmtpNotifier(SmtpSettings("smtp.stad.se", "QMS <qms@stad.se>"))
    message = notifier.message(Notice("anna@stad.se", "Påminnelse: två försenade", "Hej Anna,\n"))
    assert (message["From"], message["To"]) == ("QMS <qms@stad.se>", "anna@stad.se")
    assert message["Subject"] == "Påminnelse: två försenade"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Message-ID"].endswith("@stad.se>")
