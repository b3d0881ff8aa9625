"""The web layer: an app factory, one blueprint per feature, services in ``app.extensions``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from qms.services.app import Qms
from qms.services.config import Settings
from web import assets, csrf, errors, headers, health, i18n, portal, quality, start, workspace
from web.labels import PRODUCT_NAME

DEFAULTS: dict[str, Any] = {
    "DATA_DIR": "var",
    "GRAPH_BACKEND": "embedded",
    "SECRET_KEY": None,
    # Until accounts exist: every visitor may handle quality data (the demo turns this on).
    "OPEN_ACCESS": False,
    # A backstop for every request body: the largest upload a form takes (a 25 MB document)
    # plus its fields. The upload views refuse smaller limits themselves, in Swedish.
    "MAX_CONTENT_LENGTH": 26 * 2**20,
}


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

    # Settings.from_env validates the settings the same way the CLI does. Neo4j's come raw
    # from the environment: from_prefixed_env parses values as JSON and could mangle a password.
    neo4j = {k: v for k, v in os.environ.items() if k.startswith("QMS_NEO4J_")}
    settings = Settings.from_env(
        neo4j
        | {
            "QMS_DATA_DIR": str(app.config["DATA_DIR"]),
            "QMS_GRAPH_BACKEND": str(app.config["GRAPH_BACKEND"]),
        }
    )
    # The caller owns the lifetime: ``app.extensions["qms"].close()`` when done.
    app.extensions["qms"] = Qms.open(settings)

    # Swedish first; English for browsers that ask for it (the catalogue's fallback language).
    i18n.init_app(app)
    assets.init_app(app)
    headers.init_app(app)
    app.context_processor(lambda: {"product_name": PRODUCT_NAME})
    errors.register(app)
    csrf.init_app(app)
    app.register_blueprint(start.bp)
    app.register_blueprint(health.bp)
    from web import diagrams  # process diagrams (issue 4)

    app.register_blueprint(diagrams.bp)
    portal.init_app(app)
    quality.init_app(app)
    workspace.init_app(app)
    return app
