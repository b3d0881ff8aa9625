"""Review reminders: documents in force whose review date is near or has passed, on a page
and by e-mail to those who keep or fastställer the documents of their units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from qms.domain.document_flow import REVIEW_WINDOW_DAYS, ReviewState, review_state
from qms.domain.entities import Account, Document
from qms.domain.errors import QmsError
from qms.domain.labels import Label, Rel
from qms.domain.views import NodeRef
from qms.notify import DeliveryFailed, Notice, Notifier
from qms.notify.sent_log import Sent, SentLog
from qms.services.access import Permission
from qms.services.accounts import actor_of
from qms.services.forms import unit_scope
from qms.services.notify_settings import DEFAULT_BASE_URL
from qms.storage.port import GraphStore

#: A reminder about the same document in the same state goes out at most once this often.
REPEAT_DAYS = 7
#: Whoever holds one of these for a document's unit is reminded of it.
RESPONSIBLE = (Permission.APPROVE_DOCUMENTS, Permission.EDIT_PROCESSES)


@dataclass(frozen=True)
class ReviewItem:
    """A document in force to review: ``days`` until its review date (negative: overdue)."""

    document: Document
    state: ReviewState
    days: int
    owner: NodeRef | None
    unit: NodeRef | None


@dataclass(frozen=True)
class Reviews:
    """Overdue documents (longest overdue first) and those due soon (soonest first)."""

    overdue: list[ReviewItem]
    due: list[ReviewItem]


def reviews(
    store: GraphStore, today: date, unit: str | None = None, window: int = REVIEW_WINDOW_DAYS
) -> Reviews:
    """Documents in force due for review within ``window`` days or overdue, in ``unit`` and
    the units below it (every unit when None)."""
    scope = unit_scope(store, unit)
    names = {
        e.id: e.caption for label in (Label.ROLE, Label.ORG_UNIT) for e in store.entities(label)
    }
    owner_of = {link.source: link.target for link in store.links(Rel.OWNED_BY)}
    unit_of = {link.source: link.target for link in store.links(Rel.BELONGS_TO)}
    found: list[ReviewItem] = []
    for entity in store.entities(Label.DOCUMENT):
        if not isinstance(entity, Document) or entity.review_by is None:
            continue
        state = review_state(entity, today, window)
        home = unit_of.get(entity.id)
        if state is None or (scope is not None and home not in scope):
            continue
        owner = owner_of.get(entity.id)
        found.append(
            ReviewItem(
                entity,
                state,
                (entity.review_by - today).days,
                NodeRef(Label.ROLE, owner, names.get(owner, owner)) if owner else None,
                NodeRef(Label.ORG_UNIT, home, names.get(home, home)) if home else None,
            )
        )
    found.sort(key=lambda i: (i.days, i.document.title.casefold()))
    return Reviews(
        [i for i in found if i.state is ReviewState.OVERDUE],
        [i for i in found if i.state is ReviewState.DUE],
    )


# -- e-mail ----------------------------------------------------------------------------------
def sent_log(data_dir: Path) -> SentLog:
    """The log of reminders sent, in the data directory."""
    return SentLog(data_dir / "notifications" / "sent.jsonl")


@dataclass(frozen=True)
class Reminder:
    """One e-mail: the documents one person should see to."""

    notice: Notice
    name: str
    items: tuple[ReviewItem, ...]


@dataclass
class ReminderRun:
    """What a run planned, sent, could not send and left out."""

    enabled: bool
    planned: list[Reminder] = field(default_factory=list)
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)
    #: Reminders left out because the same one went out within ``REPEAT_DAYS``.
    repeated: int = 0
    #: Documents nobody with an e-mail address is responsible for.
    unreached: list[ReviewItem] = field(default_factory=list)


def send_review_reminders(
    store: GraphStore,
    notifier: Notifier,
    today: date,
    *,
    log: SentLog,
    base_url: str = DEFAULT_BASE_URL,
    repeat_days: int = REPEAT_DAYS,
    dry_run: bool = False,
) -> ReminderRun:
    """E-mail each responsible person the documents due or overdue in their units, one mail
    each; a reminder already sent within ``repeat_days`` is left out. With notifications
    off or ``dry_run``, only plan (nothing sent, nothing logged)."""
    run = ReminderRun(enabled=notifier.enabled and not dry_run)
    with log.locked():
        recent = log.recent(today, repeat_days)
        found = reviews(store, today)
        items = found.overdue + found.due
        by_address, run.unreached = _recipients(store, items)
        for address, (name, theirs) in sorted(by_address.items()):
            fresh = [i for i in theirs if _sent(address, i, today).key not in recent]
            run.repeated += len(theirs) - len(fresh)
            if fresh:
                run.planned.append(_reminder(address, name, fresh, base_url))
        if run.enabled:
            _deliver(run, notifier, log, today)
    return run


def _deliver(run: ReminderRun, notifier: Notifier, log: SentLog, today: date) -> None:
    for reminder in run.planned:
        try:
            notifier.send(reminder.notice)
        except DeliveryFailed as exc:
            run.failed.append((reminder, str(exc)))
            continue
        run.sent.append(reminder)
        log.record((_sent(reminder.notice.to, i, today) for i in reminder.items), today)


def _sent(address: str, item: ReviewItem, today: date) -> Sent:
    review_by = item.document.review_by.isoformat() if item.document.review_by else ""
    return Sent(today.isoformat(), address, item.document.id, item.state.value, review_by)


def _recipients(
    store: GraphStore, items: list[ReviewItem]
) -> tuple[dict[str, tuple[str, list[ReviewItem]]], list[ReviewItem]]:
    """Per e-mail address: the person's name and their documents; and the documents nobody
    is reminded of."""
    people = []
    for account in store.entities(Label.ACCOUNT):
        if isinstance(account, Account) and account.email and not account.disabled:
            try:
                people.append((account, actor_of(store, account)))
            except QmsError:  # a grant that no longer parses: that account is left out
                continue
    by_address: dict[str, tuple[str, list[ReviewItem]]] = {}
    unreached = []
    for item in items:
        unit = item.unit.id if item.unit else None
        reached = False
        for account, actor in people:
            if any(actor.can_for(p, unit) for p in RESPONSIBLE):
                entry = by_address.setdefault(account.email.lower(), (account.name, []))
                if item not in entry[1]:
                    entry[1].append(item)
                reached = True
        if not reached:
            unreached.append(item)
    return by_address, unreached


def _reminder(address: str, name: str, items: Iterable[ReviewItem], base_url: str) -> Reminder:
    chosen = tuple(items)
    overdue = [i for i in chosen if i.state is ReviewState.OVERDUE]
    due = [i for i in chosen if i.state is ReviewState.DUE]
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} försenad{'e' if len(overdue) > 1 else ''}")
    if due:
        parts.append(f"{len(due)} inom {REVIEW_WINDOW_DAYS} dagar")
    subject = f"Styrdokument att revidera: {', '.join(parts)}"
    lines = [
        f"Hej {name},",
        "",
        "De här styrdokumenten i enheter där du ansvarar för dokumenten behöver revideras.",
    ]
    for heading, group in (
        ("Revisionen är försenad:", overdue),
        (f"Ska revideras inom {REVIEW_WINDOW_DAYS} dagar:", due),
    ):
        if group:
            lines += ["", heading, *(_line(i, base_url) for i in group)]
    lines += [
        "",
        f"Alla dokument som ska revideras: {base_url}/arbetsyta/dokument/granskning",
        "",
        "Ett dokument gäller tills det ersätts. Behöver det ändras: skapa en ny version, "
        "ändra i den och låt den fastställas. Gäller det oförändrat: markera det som "
        "granskat, så får det ett nytt revisionsdatum.",
        "",
        "Meddelandet skickades automatiskt av QMS; svara inte på det.",
    ]
    return Reminder(Notice(address, subject, "\n".join(lines) + "\n"), name, chosen)


def _line(item: ReviewItem, base_url: str) -> str:
    d = item.document
    when = d.review_by.isoformat() if d.review_by else ""
    late = -item.days
    timing = (
        f"skulle ha reviderats senast {when} ({late} dag{'ar' if late != 1 else ''} sedan)"
        if item.state is ReviewState.OVERDUE
        else f"revideras senast {when}"
    )
    unit = f", {item.unit.caption}" if item.unit else ""
    owner = f", ägare: {item.owner.caption}" if item.owner else ""
    return (
        f"- {d.title} (version {d.doc_version}{unit}{owner}) – {timing}\n"
        f"  {base_url}/arbetsyta/dokument/{d.id}"
    )
