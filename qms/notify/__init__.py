"""Notifications leaving the system (e-mail): a port and its adapters.

``Notifier`` is the port (``send(Notice)``); ``SmtpNotifier`` delivers through an SMTP
server and ``NullNotifier`` sends nothing (the default: ``QMS_NOTIFY=off``). The settings
are read by ``qms.services.notify_settings``.
"""

from qms.notify.port import DeliveryFailed, Notice, Notifier, NullNotifier
from qms.notify.smtp import SmtpNotifier, SmtpSettings

__all__ = [
    "DeliveryFailed",
    "Notice",
    "Notifier",
    "NullNotifier",
    "SmtpNotifier",
    "SmtpSettings",
]
