"""``qms bench-audit [--writes N]``: the change log's cost per write, with and without it."""

from __future__ import annotations

import argparse


def cmd_bench_audit(args: argparse.Namespace) -> int:
    """Time single-entity updates with and without the change log (own temporary store)."""
    from qms.services.audit_bench import run_audit_bench

    if args.writes < 20:
        raise SystemExit("qms: --writes måste vara minst 20")
    for line in run_audit_bench(args.writes):
        print(line, flush=True)
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``bench-audit`` command (it never touches the data directory's graph)."""
    text = "mät ändringsloggens kostnad per skrivning (median och p95, med och utan)"
    cmd = sub.add_parser("bench-audit", help=text, description=text)
    cmd.add_argument("--writes", type=int, default=300, help="uppdateringar av varje slag")
    cmd.set_defaults(handler=None, standalone=cmd_bench_audit)
