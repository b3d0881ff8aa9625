"""Typed access to the services the app factory opened."""

from __future__ import annotations

from typing import cast

from flask import current_app

from qms.services.app import Qms


def get_qms() -> Qms:
    """The ``Qms`` of the current app."""
    return cast(Qms, current_app.extensions["qms"])
