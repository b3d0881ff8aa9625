"""The web layer: an app factory, one blueprint per feature, services in ``app.extensions``."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from flask_babel import Babel

from qms.services.app import Qms
from qms.services.config import Settings
from web import errors, health, start
from web.labels import PRODUCT_NAME

DEFAULTS: dict[str, Any] = {"DATA_DIR": "var", "GRAPH_BACKEND": "embedded", "SECRET_KEY": None}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults, then ``QMS_*`` environment variables, then ``config`` (tests)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("QMS")
    if config is not None:
        app.config.from_mapping(config)
    if not app.config["SECRET_KEY"]:
        # Nothing is signed yet; a random key keeps sessions safe until one is configured.
        app.config["SECRET_KEY"] = secrets.token_hex(32)

    # Settings.from_env validates the backend name the same way the CLI does.
    settings = Settings.from_env(
        {
            "QMS_DATA_DIR": str(app.config["DATA_DIR"]),
            "QMS_GRAPH_BACKEND": str(app.config["GRAPH_BACKEND"]),
        }
    )
    # The caller owns the lifetime: ``app.extensions["qms"].close()`` when done.
    app.extensions["qms"] = Qms.open(settings)

    # Swedish first; English for browsers that ask for it (the catalogue's fallback language).
    Babel(app, locale_selector=_locale, default_locale="sv", default_domain="messages")
    app.context_processor(lambda: {"product_name": PRODUCT_NAME})
    errors.register(app)
    app.register_blueprint(start.bp)
    app.register_blueprint(health.bp)
    return app


def _locale() -> str:
    return request.accept_languages.best_match(["sv", "en"]) or "sv"
