"""Notifications leaving the system (e-mail): a port and its adapters.

``Notifier`` is the port (``send(Notice)``); ``SmtpNotifier`` delivers through an SMTP
server and ``NullNotifier`` sends nothing (the default: ``QMS_NOTIFY=off``).
"""

from qms.notify.port import DeliveryFailed, Notice, Notifier, NullNotifier
from qms.notify.settings import NotifySettings, from_env
from qms.notify.smtp import SmtpNotifier, SmtpSettings

__all__ = [
    "DeliveryFailed",
    "Notice",
    "Notifier",
    "NotifySettings",
    "NullNotifier",
    "SmtpNotifier",
    "SmtpSettings",
    "from_env",
]
