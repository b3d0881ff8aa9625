"""``qms remind``: e-mail review reminders for styrdokument (or show who would get what).

Run it once a day (cron, a systemd timer). A reminder about the same document is repeated
at most every ``--every`` days; the log of what was sent is ``<data dir>/notifications/``.
"""

from __future__ import annotations

import argparse
import os
from datetime import date

from qms.services.app import Qms
from qms.services.doc_reviews import (
    REPEAT_DAYS,
    Reminder,
    ReminderRun,
    send_review_reminders,
    sent_log,
)
from qms.services.notify_settings import from_env


def cmd_remind(qms: Qms, args: argparse.Namespace) -> int:
    """Send (or with ``--dry-run`` show) the reminders due today."""
    settings = from_env(os.environ)
    today = date.fromisoformat(args.today) if args.today else date.today()
    run = send_review_reminders(
        qms.store,
        settings.notifier(),
        today,
        log=sent_log(qms.settings.data_dir),
        base_url=settings.base_url,
        repeat_days=args.every,
        dry_run=args.dry_run,
    )
    _report(run, args.dry_run)
    return 1 if run.failed else 0


def _report(run: ReminderRun, dry_run: bool) -> None:
    if not run.enabled:
        why = "provkörning" if dry_run else "utskick avstängt (QMS_NOTIFY=off)"
        print(f"Inget skickas: {why}. Det här skulle skickas:")
        for reminder in run.planned:
            _show(reminder)
    for reminder in run.sent:
        print(f"Skickat till {reminder.notice.to}: {len(reminder.items)} dokument")
    for reminder, reason in run.failed:
        print(f"Kunde inte skicka till {reminder.notice.to}: {reason}")
    if run.repeated:
        print(f"{run.repeated} påminnelser utelämnade: samma påminnelse skickades nyligen")
    for item in run.unreached:
        print(f"Ingen mottagare med e-postadress för {item.document.id} ({item.document.title})")
    if not (run.planned or run.unreached or run.repeated):
        print("Inga dokument att påminna om.")


def _show(reminder: Reminder) -> None:
    notice = reminder.notice
    print(f"\nTill: {reminder.name} <{notice.to}>\nÄmne: {notice.subject}\n")
    print(notice.body)


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 365:
        raise argparse.ArgumentTypeError("ett antal dagar 1–365")
    return int(text)


def _day(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("ett datum ÅÅÅÅ-MM-DD") from None
    return text


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``remind`` command."""
    text = "skicka påminnelser om styrdokument att revidera (inom 30 dagar eller försenade)"
    remind = sub.add_parser("remind", help=text, description=text)
    remind.add_argument("--dry-run", action="store_true", help="visa vem som skulle få vad")
    remind.add_argument(
        "--every",
        type=_days,
        default=REPEAT_DAYS,
        help=f"upprepa samma påminnelse högst var N:e dag (standard {REPEAT_DAYS})",
    )
    remind.add_argument("--today", type=_day, help="dagens datum (ÅÅÅÅ-MM-DD), annars systemets")
    remind.set_defaults(handler=cmd_remind)
