"""The web layer: an app factory, one blueprint per feature, services in ``app.extensions``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from qms.services.app import Qms
from qms.services.config import Settings
from web import (
    accounts,
    assets,
    auth,
    csrf,
    errors,
    headers,
    health,
    i18n,
    portal,
    quality,
    start,
    workspace,
)
from web.labels import PRODUCT_NAME

DEFAULTS: dict[str, Any] = {
    "DATA_DIR": "var",
    "GRAPH_BACKEND": "embedded",
    "SECRET_KEY": None,
    # The demo: every visitor who has not signed in acts as a kvalitetssamordnare. Never on a
    # server with real data.
    "OPEN_ACCESS": False,
    # Intranet default: anyone may read the portal; off = every page asks to sign in first.
    "ANONYMOUS_READ": True,
    # Whether visitors who have not signed in may report an avvikelse (a public form).
    "ANONYMOUS_REPORTS": False,
    # The city's single sign-on: a header with the user name, honoured only from these proxies.
    "TRUSTED_USER_HEADER": "",
    "TRUSTED_PROXIES": [],
    # Session cookies only over HTTPS (browsers treat http://localhost as secure too), never
    # readable by scripts, not sent along from other sites' forms; a working day long.
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    # A backstop for every request body: the largest upload a form takes (a 25 MB document)
    # plus its fields. The upload views refuse smaller limits themselves, in Swedish.
    "MAX_CONTENT_LENGTH": 26 * 2**20,
}


def secret_key(data_dir: Path) -> str:
    """The key sessions are signed with: kept in the data directory (readable by the owner
    only) so sessions survive a restart and every server process on the same data agrees."""
    path = data_dir / "secret_key"
    try:
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_hex(32))
        return path.read_text().strip()
    except OSError:
        # A read-only data directory: sessions last until the server restarts.
        return secrets.token_hex(32)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults, then ``QMS_*`` environment variables, then ``config`` (tests)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("QMS")
    if config is not None:
        app.config.from_mapping(config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secret_key(Path(str(app.config["DATA_DIR"])))

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
    auth.init_app(app)
    app.register_blueprint(start.bp)
    app.register_blueprint(health.bp)
    from web import diagrams  # process diagrams (issue 4)

    app.register_blueprint(diagrams.bp)
    portal.init_app(app)
    quality.init_app(app)
    workspace.init_app(app)
    app.register_blueprint(accounts.bp)
    from web import api  # the JSON API for integrations (issue 8)

    api.init_app(app)
    return app
