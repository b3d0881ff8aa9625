"""``qms import NAME FILE [--dry-run] [--mapping FÄLT=RUBRIK …]``: plan, show, then apply."""

from __future__ import annotations

import argparse
import getpass
import time
from pathlib import Path

from qms.domain.errors import InvalidInput
from qms.services.access import coordinator
from qms.services.app import Qms


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def parse_mapping(values: list[str] | None) -> dict[str, str] | None:
    """``["namn=Processnamn", "ägare=Ansvarig,id=Nr"]`` → ``{"namn": "Processnamn", …}``."""
    if not values:
        return None
    mapping: dict[str, str] = {}
    for value in values:
        for part in value.split(","):
            target, sep, header = part.partition("=")
            if not sep or not target.strip() or not header.strip():
                raise InvalidInput(f"kolumnmappningen {part!r} ska skrivas FÄLT=RUBRIK")
            mapping[target.strip()] = header.strip()
    return mapping


def cmd_import(qms: Qms, args: argparse.Namespace) -> int:
    """Show the plan (the dry run); without ``--dry-run`` apply it, all or nothing."""
    from qms.services.imports import apply_plan, plan_import

    path = Path(args.file)
    started = time.perf_counter()
    plan = plan_import(qms, args.name, path.read_bytes(), path.name, parse_mapping(args.mapping))
    lines = plan.lines()
    shown = lines[: args.limit + 1] if args.limit else lines
    for line in shown:
        print(line)
    if len(shown) < len(lines):
        print(f"  … och {len(lines) - len(shown)} rader till (visa alla med --limit 0)")
    planned = time.perf_counter() - started
    if args.dry_run:
        print(f"Provkörning klar på {planned:.1f} s: inget sparades.")
        return 0
    if plan.empty:
        print("Inget att ändra.")
        return 0
    report = apply_plan(qms, coordinator(_actor()), plan)
    print(
        f"Sparat: {report.created} nya, {report.changed} ändrade, {report.unchanged} oförändrade;"
        f" {report.linked} kopplingar tillagda, {report.unlinked} borttagna"
        f" ({time.perf_counter() - started:.1f} s)"
    )
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``import`` command."""
    from exporters import importers

    known = ", ".join(importers.names())
    text = "läs in ett kalkylark (alltid provkört först; allt eller inget)"
    cmd = sub.add_parser("import", help=text, description=text)
    cmd.add_argument("name", metavar="FORMAT", help=f"formatet: {known}")
    cmd.add_argument("file", metavar="FIL", help="filen att läsa in (.xlsx, eller .zip för 2c8)")
    cmd.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle ändras")
    cmd.add_argument(
        "--mapping",
        action="append",
        metavar="FÄLT=RUBRIK",
        help="för egna kalkylark: vilken kolumn som är vilket fält (kan upprepas)",
    )
    cmd.add_argument(
        "--limit", type=int, default=200, help="högst så många rader av planen (0: alla)"
    )
    cmd.set_defaults(handler=cmd_import)
