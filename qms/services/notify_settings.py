"""``QMS_NOTIFY`` and the ``QMS_SMTP_*`` variables, validated like ``qms.services.config``:
every problem named by its variable, in Swedish; the password is never echoed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from qms.domain.errors import InvalidInput
from qms.notify import Notifier, NullNotifier, SmtpNotifier, SmtpSettings
from qms.services.config import secret

MODES = ("off", "smtp")
#: Where ``qms serve`` answers by default; links in mail start here unless QMS_BASE_URL says.
DEFAULT_BASE_URL = "http://localhost:5000"
_TRUE, _FALSE = ("true", "1", "yes", "ja", "on"), ("false", "0", "no", "nej", "off", "")
_LOCAL = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(r"\A[A-Za-z0-9.:\[\]-]{1,253}\Z")


@dataclass(frozen=True)
class NotifySettings:
    """Whether and how notices are sent, and the address mail links start with."""

    smtp: SmtpSettings | None = None
    base_url: str = DEFAULT_BASE_URL

    def notifier(self) -> Notifier:
        """The configured notifier: SMTP, or one that sends nothing."""
        return SmtpNotifier(self.smtp) if self.smtp else NullNotifier()


def from_env(env: Mapping[str, str]) -> NotifySettings:
    """The settings from ``QMS_NOTIFY`` (``off`` by default or ``smtp``), ``QMS_SMTP_HOST``,
    ``_PORT``, ``_STARTTLS``, ``_USER``, ``_PASSWORD`` (or ``_PASSWORD_FILE``),
    ``QMS_MAIL_FROM`` and ``QMS_BASE_URL``."""
    errors: dict[str, list[str]] = {}
    mode = env.get("QMS_NOTIFY", "off").strip().lower() or "off"
    if mode not in MODES:
        errors["QMS_NOTIFY"] = ["tillåtet: off (standard), smtp"]
    base_url = _base_url(env, errors)
    smtp = _smtp(env, errors) if mode == "smtp" else None
    if errors:
        raise InvalidInput("ogiltiga inställningar för e-post", errors)
    return NotifySettings(smtp, base_url)


def _base_url(env: Mapping[str, str], errors: dict[str, list[str]]) -> str:
    url = env.get("QMS_BASE_URL", "").strip().rstrip("/") or DEFAULT_BASE_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        errors["QMS_BASE_URL"] = ["ska vara t.ex. https://qms.stad.se (http eller https)"]
    return url


def _smtp(env: Mapping[str, str], errors: dict[str, list[str]]) -> SmtpSettings | None:
    host = env.get("QMS_SMTP_HOST", "").strip()
    if not _HOST.match(host):
        errors["QMS_SMTP_HOST"] = ["saknas eller är ogiltigt; ange e-postserverns namn"]
    starttls = _flag(env, "QMS_SMTP_STARTTLS", errors)
    port = _port(env, 587 if starttls else 25, errors)
    user = env.get("QMS_SMTP_USER", "").strip()
    password = secret(env, "QMS_SMTP_PASSWORD", errors)
    if user and not password and "QMS_SMTP_PASSWORD_FILE" not in errors:
        errors["QMS_SMTP_PASSWORD"] = ["saknas (eller ange QMS_SMTP_PASSWORD_FILE)"]
    if password and not user:
        errors["QMS_SMTP_USER"] = ["saknas: ett lösenord kräver ett användarnamn"]
    if user and not starttls and host not in _LOCAL:
        errors["QMS_SMTP_STARTTLS"] = [
            "lösenordet skulle skickas okrypterat; sätt QMS_SMTP_STARTTLS=true"
        ]
    sender = env.get("QMS_MAIL_FROM", "").strip()
    if "\n" in sender or "\r" in sender or "@" not in parseaddr(sender)[1]:
        errors["QMS_MAIL_FROM"] = ["saknas eller är ogiltig; t.ex. QMS <qms@stad.se>"]
    if errors:
        return None
    return SmtpSettings(host, sender, port, starttls, user, password)


def _flag(env: Mapping[str, str], name: str, errors: dict[str, list[str]]) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in _TRUE + _FALSE:
        errors[name] = ["ange true eller false"]
    return value in _TRUE


def _port(env: Mapping[str, str], default: int, errors: dict[str, list[str]]) -> int:
    text = env.get("QMS_SMTP_PORT", "").strip()
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        errors["QMS_SMTP_PORT"] = ["ett portnummer 1–65535, t.ex. 587"]
        return default
    return int(text)
