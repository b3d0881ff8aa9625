"""Typed access to the services the app factory opened."""

from __future__ import annotations

from datetime import date
from typing import cast

from flask import current_app

from qms.services.access import ANONYMOUS, Actor, coordinator
from qms.services.app import Qms
from qms.services.portal import Portal


def get_qms() -> Qms:
    """The ``Qms`` of the current app."""
    return cast(Qms, current_app.extensions["qms"])


def get_portal() -> Portal:
    """The staff portal's read models over the current app's ``Qms``."""
    return cast(Portal, current_app.extensions["portal"])


def current_actor() -> Actor:
    """Who is asking. Until accounts exist, an ``OPEN_ACCESS`` server (the demo) treats every
    visitor as a kvalitetssamordnare and any other server treats them as anonymous."""
    if current_app.config.get("OPEN_ACCESS"):
        return coordinator("webb")
    return ANONYMOUS


def today() -> date:
    """The date overdue reviews and deadlines are judged by (tests pin it with ``TODAY``)."""
    fixed = current_app.config.get("TODAY")
    return fixed if isinstance(fixed, date) else date.today()
