"""Accounts on a real embedded store: passwords, grants per unit, sign-in throttle, tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qms.domain.entities import Account, OrgUnit
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.graph import Link
from qms.domain.kinds import OrgLevel
from qms.domain.labels import Label, Rel
from qms.services import accounts
from qms.services.access import Actor, Permission, coordinator
from qms.services.app import Qms
from qms.services.config import Settings
from qms.storage.port import GraphStore

ADMIN = coordinator("test")
PASSWORD = "ett-långt-lösenord"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    qms = Qms.open(Settings(data_dir=tmp_path))
    with qms.unit_of_work("test") as uow:
        uow.add(OrgUnit(id="ou-sdf", name="Förvaltningen", level=OrgLevel.ADMINISTRATION))
        uow.add(OrgUnit(id="ou-a", name="Avdelning A", level=OrgLevel.DEPARTMENT))
        uow.add(OrgUnit(id="ou-a1", name="Enhet A1", level=OrgLevel.UNIT))
        uow.add(OrgUnit(id="ou-b", name="Avdelning B", level=OrgLevel.DEPARTMENT))
        uow.link(Link(Rel.PART_OF, "ou-a", "ou-sdf"))
        uow.link(Link(Rel.PART_OF, "ou-a1", "ou-a"))
        uow.link(Link(Rel.PART_OF, "ou-b", "ou-sdf"))
    yield qms.store
    qms.close()


def add(store: GraphStore, user: str = "kim", *roles: str, password: str = PASSWORD) -> Account:
    data = {"id": user, "name": user.title(), "roles": list(roles), "password": password}
    return accounts.add_account(store, ADMIN, data)


def test_a_grant_holds_in_its_unit_and_below_not_beside(store: GraphStore) -> None:
    actor = accounts.actor_of(store, add(store, "kim", "kvalitetssamordnare@ou-a"))
    assert actor.can(Permission.READ_PERSONAL_DATA, "ou-a1")
    assert actor.can(Permission.READ_PERSONAL_DATA, "ou-a")
    assert not actor.can(Permission.READ_PERSONAL_DATA, "ou-b")
    assert not actor.can(Permission.READ_PERSONAL_DATA, "ou-sdf")
    assert not actor.can_for(Permission.READ_PERSONAL_DATA, None)  # outside every unit
    assert not actor.can(Permission.MANAGE_ACCOUNTS)


def test_roles_add_up_and_everywhere_wins(store: GraphStore) -> None:
    actor = accounts.actor_of(store, add(store, "eva", "medarbetare@ou-b", "chef@*"))
    assert actor.units_for(Permission.REPORT_DEVIATIONS) is None
    assert actor.can_for(Permission.APPROVE_DOCUMENTS, None)
    assert not actor.can(Permission.EDIT_PROCESSES)


def test_a_reader_may_do_nothing_but_read(store: GraphStore) -> None:
    actor = accounts.actor_of(store, add(store, "leo", "lasare@*"))
    assert actor.permissions == frozenset()
    assert actor.signed_in


def test_bad_account_input_is_refused_by_field(store: GraphStore) -> None:
    with pytest.raises(InvalidInput) as caught:
        accounts.add_account(store, ADMIN, {"id": "a b", "name": "", "password": "kort"})
    assert set(caught.value.errors) == {"id", "name"}
    with pytest.raises(InvalidInput) as short:
        add(store, "kim", password="kort")
    assert short.value.errors == {"password": ["Lösenordet måste ha minst 12 tecken."]}
    with pytest.raises(InvalidInput) as role:
        add(store, "kim", "trollkarl@ou-a")
    assert "roles" in role.value.errors
    with pytest.raises(InvalidInput) as unit:
        add(store, "kim", "chef@ou-finns-inte")
    assert unit.value.errors == {"roles": ["Organisationsenheten ou-finns-inte finns inte."]}
    assert store.entities(Label.ACCOUNT) == []


def test_only_account_managers_manage_accounts(store: GraphStore) -> None:
    chef = accounts.actor_of(store, add(store, "cecilia", "chef@*"))
    with pytest.raises(Forbidden):
        accounts.add_account(store, chef, {"id": "x", "name": "X"})
    with pytest.raises(Forbidden):
        accounts.set_roles(store, chef, "cecilia", ["administrator@*"])
    accounts.set_password(store, chef, "cecilia", "mitt-eget-nya-lösen")  # one's own: allowed


def test_the_password_never_reaches_the_change_log(store: GraphStore) -> None:
    account = add(store, "kim")
    accounts.set_password(store, ADMIN, "kim", "ett-annat-långt-lösen")
    changed = accounts.find_account(store, "kim")
    assert changed is not None
    assert changed.password_hash != account.password_hash
    logged = " ".join(c.before + c.after for c in store.changes("kim"))
    assert account.password_hash not in logged
    assert changed.password_hash not in logged
    assert "scrypt" not in logged
    assert [c.field for c in store.changes("kim")] == ["", "password_hash"]
    assert "(dolt)" in logged


def test_sign_in_checks_the_password_and_says_nothing_more(store: GraphStore) -> None:
    add(store, "kim")
    throttle = accounts.Throttle()
    assert accounts.sign_in(store, throttle, "kim", PASSWORD, "10.0.0.1").id == "kim"
    messages = set()
    for user, password in (("kim", "fel-lösenord-igen"), ("okänd", PASSWORD)):
        with pytest.raises(Forbidden) as refused:
            accounts.sign_in(store, throttle, user, password, "10.0.0.1")
        messages.add(str(refused.value))
    accounts.set_disabled(store, ADMIN, "kim", True)
    with pytest.raises(Forbidden) as disabled:
        accounts.sign_in(store, throttle, "kim", PASSWORD, "10.0.0.2")
    messages.add(str(disabled.value))
    assert messages == {accounts.REFUSED}


def test_five_failures_lock_the_user_name_even_for_the_right_password(store: GraphStore) -> None:
    add(store, "kim")
    now = [1000.0]
    throttle = accounts.Throttle(limit=5, window=900, clock=lambda: now[0])
    for attempt in range(5):
        with pytest.raises(Forbidden):
            accounts.sign_in(store, throttle, "kim", f"fel-{attempt}-lösenord", f"10.0.0.{attempt}")
    with pytest.raises(Forbidden) as locked:
        accounts.sign_in(store, throttle, "kim", PASSWORD, "10.9.9.9")
    assert str(locked.value) == accounts.REFUSED
    now[0] += 901
    assert accounts.sign_in(store, throttle, "kim", PASSWORD, "10.9.9.9").id == "kim"


def test_one_address_trying_many_names_is_locked_too(store: GraphStore) -> None:
    add(store, "kim")
    throttle = accounts.Throttle(limit=3)
    for name in ("a", "b", "c"):
        with pytest.raises(Forbidden):
            accounts.sign_in(store, throttle, name, "gissning-gissning", "10.6.6.6")
    with pytest.raises(Forbidden):
        accounts.sign_in(store, throttle, "kim", PASSWORD, "10.6.6.6")
    assert accounts.sign_in(store, throttle, "kim", PASSWORD, "10.0.0.1").id == "kim"


def test_a_token_acts_for_its_account_until_revoked_or_expired(store: GraphStore) -> None:
    add(store, "kim", "kvalitetssamordnare@ou-a")
    token, text = accounts.create_token(store, ADMIN, "kim", "Stratsys", date(2026, 12, 31))
    assert token.secret_hash not in text
    assert text.startswith("qms_")
    found = accounts.account_for_token(store, text, date(2026, 6, 1))
    assert found is not None
    assert found.id == "kim"
    assert accounts.account_for_token(store, text, date(2027, 1, 1)) is None  # expired
    assert accounts.account_for_token(store, text[:-2] + "xx", date(2026, 6, 1)) is None
    assert accounts.account_for_token(store, "Bearer nonsense", date(2026, 6, 1)) is None
    accounts.revoke_token(store, ADMIN, token.id)
    assert accounts.account_for_token(store, text, date(2026, 6, 1)) is None
    logged = " ".join(c.after for c in store.changes(token.id))
    assert token.secret_hash not in logged


def test_a_disabled_account_s_token_stops_working(store: GraphStore) -> None:
    add(store, "kim")
    _token, text = accounts.create_token(store, ADMIN, "kim", "Intranät")
    accounts.set_disabled(store, ADMIN, "kim", True)
    assert accounts.account_for_token(store, text, date(2026, 6, 1)) is None


def test_a_password_hash_is_salted_and_verifies() -> None:
    first, second = accounts.hash_password(PASSWORD), accounts.hash_password(PASSWORD)
    assert first != second
    assert accounts.verify_password(PASSWORD, first)
    assert not accounts.verify_password(PASSWORD + "x", first)
    assert not accounts.verify_password(PASSWORD, "md5$abc")
    assert not accounts.verify_password(PASSWORD, "")


def test_an_actor_without_grants_is_nobody_special() -> None:
    actor = Actor("x")
    assert not actor.can(Permission.REPORT_DEVIATIONS)
    assert actor.cache_key == "anon"
