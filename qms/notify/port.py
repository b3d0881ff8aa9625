"""The notification port: a ``Notice`` goes to one address; adapters deliver it or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from qms.domain.errors import QmsError


@dataclass(frozen=True)
class Notice:
    """One message to one recipient: plain text, Swedish."""

    to: str
    subject: str
    body: str


class DeliveryFailed(QmsError):
    """A notice could not be handed over (server down, refused, login failed)."""


class Notifier(Protocol):
    """Hands notices over for delivery."""

    #: False for the notifier that sends nothing (notifications turned off).
    enabled: bool

    def send(self, notice: Notice) -> None:
        """Deliver ``notice`` or raise ``DeliveryFailed`` (a Swedish reason)."""


class NullNotifier:
    """Notifications turned off (the default): nothing is sent, nothing fails."""

    enabled = False

    def send(self, notice: Notice) -> None:
        """Do nothing."""
