"""Account administration: create accounts, grant roles per unit, disable, reset passwords,
make and revoke API tokens. Only for those who may manage accounts."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from marshmallow import fields

from qms.domain.entities import Account
from qms.domain.errors import InvalidInput
from qms.domain.labels import Label
from qms.services import accounts
from qms.services.access import ROLE_NAMES, AccountRole, Permission
from qms.services.forms import fetch, load
from qms.services.schemas import MESSAGES, QmsSchema
from web.services import current_actor, get_qms, today

bp = Blueprint("accounts", __name__, url_prefix="/konton")


class TokenSchema(QmsSchema):
    """The new-token form."""

    name = fields.String(required=True, error_messages=MESSAGES)
    expires_on = fields.Date(
        load_default=None,
        allow_none=True,
        error_messages=MESSAGES | {"invalid": "Ogiltigt datum (ÅÅÅÅ-MM-DD)."},
    )


def _units() -> list[tuple[str, str]]:
    return sorted(
        ((u.id, u.caption) for u in get_qms().store.entities(Label.ORG_UNIT)),
        key=lambda pair: pair[1],
    )


def _roles_of(form_roles: list[str], form_units: list[str]) -> list[str]:
    """Grants from the form's paired role and unit selects (empty rows left out)."""
    return [f"{r}@{u or '*'}" for r, u in zip(form_roles, form_units, strict=False) if r]


def _page(template: str, status: int = 200, **context: object) -> ResponseReturnValue:
    return (
        render_template(
            template,
            roles=[(r.value, ROLE_NAMES[r]) for r in AccountRole],
            units=_units(),
            messages=get_flashed_messages(),
            **context,
        ),
        status,
    )


@bp.get("/")
def index() -> ResponseReturnValue:
    """Every account with its grants."""
    found = accounts.accounts(get_qms().store, current_actor())
    return _page("auth/accounts.html", accounts=found, values={}, errors={})


@bp.post("/")
def create() -> ResponseReturnValue:
    """A new account (the password may be left empty for single sign-on only)."""
    actor = current_actor()
    actor.require(Permission.MANAGE_ACCOUNTS)
    data = {
        "id": request.form.get("id", "").strip(),
        "name": request.form.get("name", "").strip(),
        "email": request.form.get("email", "").strip(),
        "password": request.form.get("password", ""),
        "roles": _roles_of(request.form.getlist("role"), request.form.getlist("unit")),
    }
    try:
        account = accounts.add_account(get_qms().store, actor, data)
    except InvalidInput as exc:
        found = accounts.accounts(get_qms().store, actor)
        data.pop("password")
        return _page("auth/accounts.html", 422, accounts=found, values=data, errors=exc.errors)
    flash(f"Kontot {account.id} är skapat.")
    return redirect(url_for("accounts.show", account_id=account.id), 303)


@bp.get("/<account_id>")
def show(account_id: str) -> ResponseReturnValue:
    """One account: its grants, status, password and tokens."""
    return _show(account_id)


def _show(
    account_id: str,
    status: int = 200,
    errors: dict[str, list[str]] | None = None,
    new_token: str = "",
    token_values: dict[str, str] | None = None,
) -> ResponseReturnValue:
    actor = current_actor()
    store = get_qms().store
    actor.require(Permission.MANAGE_ACCOUNTS)
    account = fetch(store, Account, account_id)
    return _page(
        "auth/account.html",
        status,
        account=account,
        tokens=accounts.tokens(store, actor, account_id),
        errors=errors or {},
        new_token=new_token,
        token_values=token_values or {},
        today=today(),
    )


@bp.post("/<account_id>/roller")
def set_roles(account_id: str) -> ResponseReturnValue:
    """Replace the account's grants."""
    grants = _roles_of(request.form.getlist("role"), request.form.getlist("unit"))
    try:
        accounts.set_roles(get_qms().store, current_actor(), account_id, grants)
    except InvalidInput as exc:
        return _show(account_id, 422, exc.errors)
    flash("Rollerna är sparade.")
    return redirect(url_for("accounts.show", account_id=account_id), 303)


@bp.post("/<account_id>/status")
def set_status(account_id: str) -> ResponseReturnValue:
    """Disable or enable the account."""
    disabled = request.form.get("disabled") == "1"
    accounts.set_disabled(get_qms().store, current_actor(), account_id, disabled)
    flash("Kontot är avstängt." if disabled else "Kontot är aktivt igen.")
    return redirect(url_for("accounts.show", account_id=account_id), 303)


@bp.post("/<account_id>/losenord")
def set_password(account_id: str) -> ResponseReturnValue:
    """Give the account a new password."""
    try:
        accounts.set_password(
            get_qms().store, current_actor(), account_id, request.form.get("password", "")
        )
    except InvalidInput as exc:
        return _show(account_id, 422, exc.errors)
    flash("Lösenordet är bytt.")
    return redirect(url_for("accounts.show", account_id=account_id), 303)


@bp.post("/<account_id>/token")
def create_token(account_id: str) -> ResponseReturnValue:
    """A new API token, shown once on the page that answers."""
    actor = current_actor()
    form = {k: v for k, v in request.form.items() if v.strip()}  # an empty date: no end date
    try:
        values = load(TokenSchema(), form, "Token")
        expires: date | None = values["expires_on"]
        _token, text = accounts.create_token(
            get_qms().store, actor, account_id, values["name"], expires
        )
    except InvalidInput as exc:
        return _show(account_id, 422, exc.errors, token_values=form)
    return _show(account_id, 201, new_token=text)


@bp.post("/<account_id>/token/<token_id>/aterkalla")
def revoke_token(account_id: str, token_id: str) -> ResponseReturnValue:
    """Stop a token from working."""
    accounts.revoke_token(get_qms().store, current_actor(), token_id)
    flash("Token är återkallad.")
    return redirect(url_for("accounts.show", account_id=account_id), 303)
