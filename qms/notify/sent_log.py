"""What was sent when: one JSON line per reminder, so a reminder is not repeated too soon.

The file lives in the data directory (``notifications/sent.jsonl``); entries older than
``KEEP_DAYS`` are dropped when it is next written. A lock file keeps two runs (the CLI and
the web page) from sending the same reminder at the same moment.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

KEEP_DAYS = 90


@dataclass(frozen=True)
class Sent:
    """One reminder about one document to one address on one day."""

    on: str
    to: str
    document: str
    state: str
    review_by: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes two reminders the same one."""
        return (self.to, self.document, self.state, self.review_by)


class SentLog:
    """The JSON-lines file of reminders sent."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def locked(self) -> Iterator[SentLog]:
        """Hold the log for one run (blocks while another run holds it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def entries(self) -> list[Sent]:
        """Every entry kept (a damaged line is skipped, not fatal)."""
        if not self.path.exists():
            return []
        found = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(Sent(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return found

    def recent(self, today: date, days: int) -> set[tuple[str, str, str, str]]:
        """Keys of reminders sent within the last ``days`` days (today included)."""
        since = (today - timedelta(days=max(days, 1) - 1)).isoformat()
        return {e.key for e in self.entries() if since <= e.on <= today.isoformat()}

    def record(self, sent: Iterable[Sent], today: date) -> None:
        """Add ``sent``, dropping entries older than ``KEEP_DAYS``; written then renamed."""
        oldest = (today - timedelta(days=KEEP_DAYS)).isoformat()
        kept = [e for e in self.entries() if e.on >= oldest] + list(sent)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        with open(temporary, "w", encoding="utf-8", newline="\n") as out:
            for entry in kept:
                out.write(json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)
