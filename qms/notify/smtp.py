"""E-mail through an SMTP server (``smtplib``): STARTTLS and login when configured."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from qms.notify.port import DeliveryFailed, Notice


@dataclass(frozen=True)
class SmtpSettings:
    """Where to hand mail over and as whom (the password is never printed)."""

    host: str
    sender: str
    port: int = 25
    starttls: bool = False
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 10.0


class SmtpNotifier:
    """Sends each notice as a plain-text UTF-8 e-mail."""

    enabled = True

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def message(self, notice: Notice) -> EmailMessage:
        """The e-mail for ``notice``."""
        message = EmailMessage()
        message["From"] = self.settings.sender
        message["To"] = notice.to
        message["Subject"] = notice.subject
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2])
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no autoreplies back
        message.set_content(notice.body)
        return message

    def send(self, notice: Notice) -> None:
        """Connect, STARTTLS and log in as configured, and send; ``DeliveryFailed`` else."""
        s = self.settings
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as server:
                if s.starttls:
                    server.starttls(context=ssl.create_default_context())
                if s.user:
                    server.login(s.user, s.password)
                server.send_message(self.message(notice))
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryFailed(
                f"e-postservern godtog inte inloggningen ({exc.smtp_code})"
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(f"e-postservern vägrade mottagaren {notice.to}") from exc
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            raise DeliveryFailed(
                f"kunde inte skicka via {s.host}:{s.port}: {exc.__class__.__name__}: {exc}"
            ) from exc
