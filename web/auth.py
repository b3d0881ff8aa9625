"""Signing in and out, and who is asking: a session, the city's single sign-on, or nobody.

Three ways to be someone, checked in this order for every request:

1. a session made by signing in here (``/logga-in``) with a local account and password;
2. when ``TRUSTED_USER_HEADER`` is set, the user name a reverse proxy in
   ``TRUSTED_PROXIES`` puts in that header (the city's single sign-on) — from any other
   address the header is ignored;
3. otherwise an anonymous visitor, who may read the portal when ``ANONYMOUS_READ`` is on
   (an intranet) and is sent to the sign-in page when it is off.

``OPEN_ACCESS`` (the demo) makes an anonymous visitor a kvalitetssamordnare; signing in still
shows what another role sees.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from marshmallow import fields

from qms.domain.entities import Account
from qms.domain.errors import Forbidden, InvalidInput
from qms.services import accounts
from qms.services.access import ANONYMOUS, Actor, Permission, coordinator
from qms.services.app import Qms
from qms.services.forms import load
from qms.services.schemas import MESSAGES, QmsSchema

bp = Blueprint("auth", __name__)
SESSION_ACCOUNT = "account"
SESSION_STAMP = "stamp"
#: Pages an anonymous visitor reaches even when ``ANONYMOUS_READ`` is off.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "health.health"})
#: How long an account's actor is reused before it is read again (a write in this process
#: clears it at once).
ACTOR_SECONDS = 10.0


class LoginSchema(QmsSchema):
    """The sign-in form."""

    user = fields.String(required=True, error_messages=MESSAGES)
    password = fields.String(required=True, error_messages=MESSAGES)
    next = fields.String(load_default="", error_messages=MESSAGES)


class ActorCache:
    """Actors of accounts for a few seconds: reading an account and the organisation tree on
    every request would be a store round trip per page."""

    def __init__(self, ttl: float = ACTOR_SECONDS) -> None:
        self.ttl = ttl
        self._kept: dict[str, tuple[float, Account, Actor]] = {}
        self._lock = threading.Lock()

    def get(self, account_id: str) -> tuple[Account, Actor] | None:
        """The enabled account and its actor, read afresh when not kept."""
        with self._lock:
            kept = self._kept.get(account_id)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1], kept[2]
        store = cast(Qms, current_app.extensions["qms"]).store
        account = accounts.find_account(store, account_id)
        if account is None:
            return None
        actor = accounts.actor_of(store, account)
        with self._lock:
            self._kept[account_id] = (time.monotonic() + self.ttl, account, actor)
        return account, actor

    def clear(self) -> None:
        """Forget every actor (after a write: a role or the organisation may have changed)."""
        with self._lock:
            self._kept.clear()


def stamp(account: Account) -> str:
    """A fingerprint of the password: a session made before a password change stops working."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def current_actor() -> Actor:
    """Who is asking (worked out once per request)."""
    if "actor" not in g:
        g.actor = _resolve()
    actor: Actor = g.actor
    return actor


def _resolve() -> Actor:
    cache: ActorCache = current_app.extensions["actors"]
    account_id = session.get(SESSION_ACCOUNT)
    if isinstance(account_id, str):
        found = cache.get(account_id)
        if found is not None and session.get(SESSION_STAMP) == stamp(found[0]):
            return found[1]
        session.clear()  # disabled, removed or its password changed
    header = current_app.config.get("TRUSTED_USER_HEADER")
    if header and request.remote_addr in current_app.config.get("TRUSTED_PROXIES", ()):
        user = request.headers.get(header, "").strip()
        if user:
            found = cache.get(user)
            # Someone the single sign-on knows but who has no account here: a reader.
            return found[1] if found else Actor(user, account=user, display_name=user)
    if current_app.config.get("OPEN_ACCESS"):
        return coordinator("webb")
    if current_app.config.get("ANONYMOUS_REPORTS"):
        return Actor(ANONYMOUS.name, frozenset({Permission.REPORT_DEVIATIONS}))
    return ANONYMOUS


def _gate() -> ResponseReturnValue | None:
    """Send anonymous visitors to the sign-in page when anonymous reading is off."""
    endpoint = request.endpoint or ""
    if current_app.config.get("ANONYMOUS_READ") or endpoint in PUBLIC_ENDPOINTS:
        return None
    if endpoint.endswith(".static"):
        return None
    if request.path.startswith("/api/") or current_actor().signed_in:
        return None
    if current_app.config.get("OPEN_ACCESS"):
        return None
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str) -> str:
    """``target`` if it is a path on this site, else the start page (no open redirects)."""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return url_for("start.index")


@bp.route("/logga-in", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The sign-in form; a refusal never says which part was wrong."""
    errors: dict[str, list[str]] = {}
    message = ""
    values: dict[str, Any] = {"user": "", "next": request.args.get("next", "")}
    if request.method == "POST":
        try:
            values = load(LoginSchema(), request.form, "Inloggningen")
            account = accounts.sign_in(
                cast(Qms, current_app.extensions["qms"]).store,
                current_app.extensions["login_throttle"],
                values["user"],
                values["password"],
                request.remote_addr or "",
            )
        except InvalidInput as exc:
            errors, message = exc.errors, "Fyll i användarnamn och lösenord."
            values = {"user": request.form.get("user", ""), "next": request.form.get("next", "")}
        except Forbidden as exc:
            message = str(exc)
            values = {"user": request.form.get("user", ""), "next": request.form.get("next", "")}
        else:
            session.clear()  # a new session: nothing from before signing in carries over
            session.permanent = True
            session[SESSION_ACCOUNT] = account.id
            session[SESSION_STAMP] = stamp(account)
            return redirect(safe_next(values["next"]), 303)
    status = 200 if not message else 401
    return render_template("auth/login.html", values=values, errors=errors, message=message), status


@bp.post("/logga-ut")
def logout() -> ResponseReturnValue:
    """End the session."""
    session.clear()
    return redirect(url_for("start.index"), 303)


def init_app(app: Flask) -> None:
    """The actor cache, the sign-in throttle, the pages and the gate."""
    cache = ActorCache()
    app.extensions["actors"] = cache
    app.extensions["qms"].on_write(cache.clear)
    app.extensions["login_throttle"] = accounts.Throttle()
    app.before_request(_gate)
    app.context_processor(
        lambda: {"current_actor": current_actor(), "may_manage_accounts": _may_manage()}
    )
    app.register_blueprint(bp)


def _may_manage() -> bool:
    return current_actor().can(Permission.MANAGE_ACCOUNTS)
