"""``qms workspace …``: long work from the command line, with a progress bar.

The same work functions as the browser's jobs (``qms.services.jobs``), run in the
foreground; the bar goes to standard error so the summary on standard output stays clean.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path
from typing import TextIO

from qms.services import jobs
from qms.services.app import Qms

WIDTH = 30


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


class ProgressBar:
    """``[#######.......]  45/100  45 %`` redrawn in place, at most ten times a second."""

    def __init__(self, label: str, out: TextIO, enabled: bool = True) -> None:
        self.label, self.out, self.enabled = label, out, enabled
        self.total = self.done = 0
        self._drawn = 0.0

    def start(self, total: int) -> None:
        """The number of steps."""
        self.total, self.done = max(0, total), 0
        self._draw(force=True)

    def advance(self, steps: int = 1) -> None:
        """``steps`` more are done."""
        self.done += steps
        self._draw(force=self.done >= self.total)

    def line(self) -> str:
        """The bar as text."""
        share = min(1.0, self.done / self.total) if self.total else 0.0
        filled = round(share * WIDTH)
        bar = "#" * filled + "." * (WIDTH - filled)
        return f"{self.label} [{bar}] {self.done}/{self.total} {round(share * 100)} %"

    def finish(self) -> None:
        """End the bar's line."""
        if self.enabled:
            self.out.write("\n")
            self.out.flush()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < 0.1):
            return
        self._drawn = now
        self.out.write("\r" + self.line())
        self.out.flush()


def _run(label: str, work: jobs.Work, args: argparse.Namespace) -> int:
    bar = ProgressBar(label, sys.stderr, enabled=args.progress)
    try:
        summary = work(bar)
    finally:
        bar.finish()
    print(summary)
    return 0


def cmd_reindex(qms: Qms, args: argparse.Namespace) -> int:
    """Rebuild the search index from the graph."""
    return _run("Sökindex", jobs.reindex_work(qms), args)


def cmd_relayout(qms: Qms, args: argparse.Namespace) -> int:
    """Lay out and draw every process map again."""
    return _run("Processkartor", jobs.relayout_work(qms), args)


def cmd_import(qms: Qms, args: argparse.Namespace) -> int:
    """Validate and load model files, all or nothing."""
    return _run("Modellfiler", jobs.import_work(qms, Path(args.path), _actor()), args)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``workspace`` command group: reindex, relayout, import (``--progress`` for a bar)."""
    group = sub.add_parser("workspace", help="långa körningar med förloppsindikator")
    commands = group.add_subparsers(dest="workspace_command", required=True, metavar="KOMMANDO")
    for name, handler, text in (
        ("reindex", cmd_reindex, "återskapa sökindexet från grafen"),
        ("relayout", cmd_relayout, "rita om alla processkartor"),
        ("import", cmd_import, "läs in modellfiler (YAML), allt eller inget"),
    ):
        cmd = commands.add_parser(name, help=text, description=text)
        cmd.add_argument("--progress", action="store_true", help="visa en förloppsindikator")
        cmd.set_defaults(handler=handler)
        if name == "import":
            cmd.add_argument("path", help="en fil eller en katalog med .yaml-filer")
