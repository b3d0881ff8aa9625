"""``qms user …``: accounts from the command line (the first administrator, scripts).

The command line acts with every permission, as the operating system's user who runs it; the
change log records that user (``cli:<name>``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from qms.domain.entities import Account
from qms.services import accounts
from qms.services.access import ROLE_NAMES, AccountRole, Actor, coordinator
from qms.services.app import Qms
from qms.services.forms import fetch


def _actor() -> Actor:
    try:
        return coordinator(f"cli:{getpass.getuser()}")
    except (KeyError, OSError):
        return coordinator("cli")


def _password(args: argparse.Namespace) -> str:
    """The password from standard input (``--password-stdin``) or asked for twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Lösenord: ")
    if getpass.getpass("Samma lösenord igen: ") != first:
        raise SystemExit("qms: lösenorden är olika")
    return first


def cmd_add(qms: Qms, args: argparse.Namespace) -> int:
    data = {
        "id": args.user,
        "name": args.name or args.user,
        "email": args.email or "",
        "roles": args.role or [],
        "password": "" if args.sso_only else _password(args),
    }
    account = accounts.add_account(qms.store, _actor(), data)
    print(f"Kontot {account.id} är skapat: {', '.join(account.roles) or 'inga roller'}")
    return 0


def cmd_role(qms: Qms, args: argparse.Namespace) -> int:
    current = fetch(qms.store, Account, args.user)
    grants = [g for g in current.roles if g not in (args.remove or [])] + (args.add or [])
    account = accounts.set_roles(qms.store, _actor(), args.user, grants)
    print(f"{account.id}: {', '.join(account.roles) or 'inga roller'}")
    return 0


def cmd_disable(qms: Qms, args: argparse.Namespace) -> int:
    accounts.set_disabled(qms.store, _actor(), args.user, not args.enable)
    print(f"{args.user}: {'aktivt' if args.enable else 'avstängt'}")
    return 0


def cmd_password(qms: Qms, args: argparse.Namespace) -> int:
    accounts.set_password(qms.store, _actor(), args.user, _password(args))
    print(f"{args.user}: nytt lösenord")
    return 0


def cmd_token(qms: Qms, args: argparse.Namespace) -> int:
    expires = date.fromisoformat(args.expires) if args.expires else None
    token, text = accounts.create_token(qms.store, _actor(), args.user, args.name, expires)
    print(f"# {token.id} för {args.user}; visas bara nu:", file=sys.stderr)
    print(text)
    return 0


def cmd_revoke(qms: Qms, args: argparse.Namespace) -> int:
    accounts.revoke_token(qms.store, _actor(), args.token_id)
    print(f"{args.token_id}: återkallad")
    return 0


def cmd_list(qms: Qms, args: argparse.Namespace) -> int:
    for account in accounts.accounts(qms.store, _actor()):
        state = "avstängt" if account.disabled else "aktivt"
        print(f"{account.id}\t{account.name}\t{state}\t{', '.join(account.roles)}")
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``qms user add|role|disable|password|token|revoke|list``."""
    roles = ", ".join(f"{r.value} ({ROLE_NAMES[r]})" for r in AccountRole)
    group = sub.add_parser("user", help="konton och roller")
    commands = group.add_subparsers(dest="user_command", required=True, metavar="KOMMANDO")

    def add(name: str, handler: object, text: str) -> argparse.ArgumentParser:
        cmd = commands.add_parser(name, help=text, description=text)
        cmd.set_defaults(handler=handler)
        return cmd

    new = add("add", cmd_add, f"skapa ett konto; roller ROLL@ENHET (* = hela), roller: {roles}")
    new.add_argument("user", help="användarnamn (samma som i stadens inloggning)")
    new.add_argument("--name", help="namnet som visas")
    new.add_argument("--email")
    new.add_argument("--role", action="append", help="ROLL@ENHET, t.ex. chef@enh-1; flera går")
    new.add_argument("--sso-only", action="store_true", help="inget lösenord (bara SSO)")
    new.add_argument("--password-stdin", action="store_true", help="läs lösenordet från stdin")
    role = add("role", cmd_role, "ge eller ta bort roller")
    role.add_argument("user")
    role.add_argument("--add", action="append", help="ROLL@ENHET att ge")
    role.add_argument("--remove", action="append", help="ROLL@ENHET att ta bort")
    off = add("disable", cmd_disable, "stäng av ett konto (eller --enable)")
    off.add_argument("user")
    off.add_argument("--enable", action="store_true", help="aktivera igen")
    password = add("password", cmd_password, "byt lösenord")
    password.add_argument("user")
    password.add_argument("--password-stdin", action="store_true")
    token = add("token", cmd_token, "skapa en API-token (skrivs ut en gång)")
    token.add_argument("user")
    token.add_argument("--name", required=True, help="vad token används till")
    token.add_argument("--expires", help="sista giltighetsdag ÅÅÅÅ-MM-DD")
    revoke = add("revoke", cmd_revoke, "återkalla en API-token")
    revoke.add_argument("token_id", help="tokens id, t.ex. token-1a2b3c4d5e6f")
    add("list", cmd_list, "lista konton")
