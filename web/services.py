"""Typed access to the services the app factory opened."""

from __future__ import annotations

from datetime import date
from typing import cast

from flask import current_app

from qms.services.access import Actor
from qms.services.app import Qms
from qms.services.portal import Portal


def get_qms() -> Qms:
    """The ``Qms`` of the current app."""
    return cast(Qms, current_app.extensions["qms"])


def get_portal() -> Portal:
    """The staff portal's read models over the current app's ``Qms``."""
    return cast(Portal, current_app.extensions["portal"])


def current_actor() -> Actor:
    """Who is asking: a signed-in account, the single sign-on's user, or an anonymous visitor
    (see ``web.auth``)."""
    from web.auth import current_actor as resolve  # web.auth reads the app's services

    return resolve()


def today() -> date:
    """The date overdue reviews and deadlines are judged by (tests pin it with ``TODAY``)."""
    fixed = current_app.config.get("TODAY")
    return fixed if isinstance(fixed, date) else date.today()
