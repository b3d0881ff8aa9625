"""The JSON API for integrations under ``/api/v1``: bearer tokens, OpenAPI from marshmallow.

Each module adds its views to the one blueprint of ``web.api.core``; see docs/api.md.
"""

from __future__ import annotations

from flask import Flask

from web.api import changes, deviations, portal, quality, spec
from web.api.core import bp

MODULES = (portal, quality, deviations, changes, spec)


def init_app(app: Flask) -> None:
    """Register the API (after the quality pages, whose caches it shares)."""
    app.register_blueprint(bp)
