"""Typed access to the services the app factory opened."""

from __future__ import annotations

from typing import cast

from flask import current_app

from qms.services.app import Qms
from qms.services.portal import Portal


def get_qms() -> Qms:
    """The ``Qms`` of the current app."""
    return cast(Qms, current_app.extensions["qms"])


def get_portal() -> Portal:
    """The staff portal's read models over the current app's ``Qms``."""
    return cast(Portal, current_app.extensions["portal"])
