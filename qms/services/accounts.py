"""Accounts: passwords, grants, sign-in with a throttle, API tokens, and the actor behind each.

Passwords and token secrets are kept only as scrypt/SHA-256 hashes in fields the change log
never records (``Entity.SECRET``); every account change is otherwise logged like any other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from marshmallow import fields, validate

from qms.domain.entities import ID_PATTERN, Account, ApiToken
from qms.domain.errors import Forbidden, InvalidInput, NotFound
from qms.domain.labels import Label
from qms.services.access import EVERYWHERE, Actor, Grant, Permission, actor_for_grants
from qms.services.forms import fetch, load
from qms.services.org_units import unit_subtrees
from qms.services.schemas import MESSAGES, QmsSchema
from qms.storage.port import GraphStore

MIN_PASSWORD = 12
#: scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and ~0.1 s per check on this hardware.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
TOKEN_PREFIX = "qms"  # noqa: S105 (the public prefix of every token)
#: The one answer to every refused sign-in: it does not tell a wrong password from an unknown
#: or disabled account or a lock-out.
REFUSED = (
    "Inloggningen misslyckades. Kontrollera användarnamn och lösenord; efter flera försök "
    "i rad får du vänta en stund innan du kan försöka igen."
)


# -- passwords ------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64) of ``password`` with a fresh salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (False for anything malformed)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


#: A hash no password matches: compared against when the account does not exist, so an
#: unknown user name costs the same time as a known one.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


# -- input ----------------------------------------------------------------------------------
def _optional_email(value: str) -> None:
    """An e-mail address, or nothing (an account that gets no reminders)."""
    if value:
        validate.Email(error="Ogiltig e-postadress.")(value)


class AccountSchema(QmsSchema):
    """A new account or changes to one, as a form, the CLI or the API sends them."""

    id = fields.String(
        required=True,
        validate=validate.Regexp(
            ID_PATTERN,
            error="Användarnamnet får bara innehålla a–z, 0–9, punkt, bindestreck och understreck.",
        ),
        error_messages=MESSAGES,
    )
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200, error="Ange ett namn (högst 200 tecken)."),
        error_messages=MESSAGES,
    )
    email = fields.String(load_default="", validate=_optional_email, error_messages=MESSAGES)
    roles = fields.List(
        fields.String(error_messages=MESSAGES), load_default=list, error_messages=MESSAGES
    )
    password = fields.String(load_default="", error_messages=MESSAGES)


def check_password(password: str) -> None:
    """Refuse a password shorter than ``MIN_PASSWORD`` characters, in Swedish."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "Lösenordet är för kort.",
            {"password": [f"Lösenordet måste ha minst {MIN_PASSWORD} tecken."]},
        )


def parse_grants(store: GraphStore, texts: Iterable[str]) -> tuple[str, ...]:
    """Grants as stored (``role@unit``), each checked: a known role and an existing unit."""
    grants: list[str] = []
    for text in texts:
        if not text.strip():
            continue
        grant = Grant.parse(text)
        if grant.unit != EVERYWHERE and store.label_of(grant.unit) is not Label.ORG_UNIT:
            raise InvalidInput(
                f"okänd organisationsenhet {grant.unit!r}",
                {"roles": [f"Organisationsenheten {grant.unit} finns inte."]},
            )
        grants.append(str(grant))
    return tuple(dict.fromkeys(grants))


# -- use cases ------------------------------------------------------------------------------
def add_account(store: GraphStore, actor: Actor, data: Mapping[str, Any]) -> Account:
    """Create an account (``MANAGE_ACCOUNTS``); a password is optional for single sign-on."""
    actor.require(Permission.MANAGE_ACCOUNTS)
    values = load(AccountSchema(), data, "Kontot")
    if values["password"]:
        check_password(values["password"])
    roles = parse_grants(store, values["roles"])
    account = Account(
        id=values["id"],
        name=values["name"],
        email=values["email"],
        roles=roles,
        password_hash=hash_password(values["password"]) if values["password"] else "",
    )
    with store.unit_of_work(actor.name) as uow:
        if uow.label_of(account.id) is not None:
            raise InvalidInput(
                "Användarnamnet är upptaget.", {"id": ["Användarnamnet är upptaget."]}
            )
        created = uow.add(account)
    return created  # type: ignore[return-value]


def _change(store: GraphStore, actor: Actor, account_id: str, **values: Any) -> Account:
    actor.require(Permission.MANAGE_ACCOUNTS)
    with store.unit_of_work(actor.name) as uow:
        updated = uow.update(replace(fetch(uow, Account, account_id), **values))
    return updated  # type: ignore[return-value]


def set_roles(store: GraphStore, actor: Actor, account_id: str, roles: Iterable[str]) -> Account:
    """Replace an account's grants."""
    return _change(store, actor, account_id, roles=parse_grants(store, roles))


def set_disabled(store: GraphStore, actor: Actor, account_id: str, disabled: bool) -> Account:
    """Disable (or enable again) an account; its sessions and tokens stop working at once."""
    return _change(store, actor, account_id, disabled=disabled)


def set_password(store: GraphStore, actor: Actor, account_id: str, password: str) -> Account:
    """Give an account a new password (its holder, or someone who manages accounts)."""
    if actor.account != account_id:
        actor.require(Permission.MANAGE_ACCOUNTS)
    check_password(password)
    with store.unit_of_work(actor.name) as uow:
        current = fetch(uow, Account, account_id)
        updated = uow.update(replace(current, password_hash=hash_password(password)))
    return updated  # type: ignore[return-value]


def accounts(store: GraphStore, actor: Actor) -> list[Account]:
    """Every account, by user name (``MANAGE_ACCOUNTS``)."""
    actor.require(Permission.MANAGE_ACCOUNTS)
    return [a for a in store.entities(Label.ACCOUNT) if isinstance(a, Account)]


# -- the actor behind an account ------------------------------------------------------------
def actor_of(store: GraphStore, account: Account) -> Actor:
    """The actor of an enabled account: its grants, each over its unit's subtree."""
    grants = [Grant.parse(text) for text in account.roles]
    units = {g.unit for g in grants if g.unit != EVERYWHERE}
    subtree = unit_subtrees(store, units) if units else {}
    return actor_for_grants(account.id, account.name, grants, subtree)


def find_account(store: GraphStore, account_id: str) -> Account | None:
    """The enabled account with this user name, or None."""
    if not ID_PATTERN.match(account_id):
        return None
    try:
        account = store.get(Label.ACCOUNT, account_id)
    except NotFound:
        return None
    if not isinstance(account, Account) or account.disabled:
        return None
    return account


# -- sign-in --------------------------------------------------------------------------------
@dataclass
class Throttle:
    """Failed sign-ins per user name and per address: after ``limit`` failures within
    ``window`` seconds, every attempt is refused until the window has passed."""

    limit: int = 5
    window: float = 15 * 60
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` has used up its attempts."""
        with self._lock:
            return any(len(self._recent(key)) >= self.limit for key in keys)

    def fail(self, *keys: str) -> None:
        """Count a failed attempt against each key."""
        with self._lock:
            for key in keys:
                self._failures[key] = [*self._recent(key), self.clock()]

    def clear(self, key: str) -> None:
        """Forget the failures of a key (after a successful sign-in)."""
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> list[float]:
        since = self.clock() - self.window
        return [t for t in self._failures.get(key, ()) if t > since]


def sign_in(
    store: GraphStore, throttle: Throttle, user: str, password: str, address: str
) -> Account:
    """The account for a correct user name and password; ``Forbidden(REFUSED)`` otherwise."""
    user_key, address_key = f"user:{user.strip().lower()}", f"addr:{address}"
    if throttle.blocked(user_key, address_key):
        verify_password(password, _DUMMY_HASH)  # the same time as any other answer
        raise Forbidden(REFUSED)
    account = find_account(store, user.strip())
    stored = account.password_hash if account and account.password_hash else _DUMMY_HASH
    if not verify_password(password, stored) or account is None:
        throttle.fail(user_key, address_key)
        raise Forbidden(REFUSED)
    throttle.clear(user_key)
    return account


# -- API tokens -----------------------------------------------------------------------------
def create_token(
    store: GraphStore,
    actor: Actor,
    account_id: str,
    name: str,
    expires_on: date | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``account_id`` and its text (shown once; only a hash is kept)."""
    actor.require(Permission.MANAGE_ACCOUNTS)
    if not name.strip():
        raise InvalidInput("Ge token ett namn.", {"name": ["Ge token ett namn."]})
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken(
        id=f"token-{token_id}",
        name=name.strip(),
        account=account_id,
        secret_hash=_token_hash(secret),
        expires_on=expires_on,
    )
    with store.unit_of_work(actor.name) as uow:
        if uow.label_of(account_id) is not Label.ACCOUNT:
            raise InvalidInput("Kontot finns inte.", {"account": ["Kontot finns inte."]})
        created = uow.add(token)
    return created, f"{TOKEN_PREFIX}_{token_id}_{secret}"  # type: ignore[return-value]


def tokens(store: GraphStore, actor: Actor, account_id: str) -> list[ApiToken]:
    """The tokens of an account, newest first (``MANAGE_ACCOUNTS``)."""
    actor.require(Permission.MANAGE_ACCOUNTS)
    found = [
        t
        for t in store.entities(Label.API_TOKEN)
        if isinstance(t, ApiToken) and t.account == account_id
    ]
    return sorted(found, key=lambda t: t.created_at, reverse=True)


def revoke_token(store: GraphStore, actor: Actor, token_id: str) -> None:
    """Stop a token from working (kept, revoked, for the audit trail)."""
    actor.require(Permission.MANAGE_ACCOUNTS)
    with store.unit_of_work(actor.name) as uow:
        uow.update(replace(fetch(uow, ApiToken, token_id), revoked=True))


def account_for_token(store: GraphStore, text: str, today: date) -> Account | None:
    """The enabled account a valid, unexpired, unrevoked token stands for, or None."""
    prefix, _, rest = text.strip().partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret or not token_id.isalnum():
        return None
    try:
        token = store.get(Label.API_TOKEN, f"token-{token_id}")
    except NotFound:
        return None
    if not isinstance(token, ApiToken) or token.revoked:
        return None
    if not hmac.compare_digest(token.secret_hash, _token_hash(secret)):
        return None
    if token.expires_on is not None and token.expires_on < today:
        return None
    return find_account(store, token.account)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
