"""``Deviations``: avvikelser, klagomål, synpunkter, lex Sarah and lex Maria, end to end.

Anyone may report; handling (investigating, causes, actions, classification, moving through
the workflow) needs ``Permission.HANDLE_DEVIATIONS``; the free text is shown only with
``Permission.READ_PERSONAL_DATA``. Those two checks live here and nowhere else.
"""

from __future__ import annotations

import builtins
import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from qms.domain.deviation_flow import IVO_REPORT_DAYS, Case, is_lex
from qms.domain.deviation_flow import refusals as flow_refusals
from qms.domain.entities import Action, Cause, Deviation, Risk
from qms.domain.errors import Conflict, InvalidInput, NotFound
from qms.domain.graph import Link
from qms.domain.kinds import INCIDENT_CLASSES, DeviationKind, DeviationStatus, IncidentClass
from qms.domain.labels import Label, Rel
from qms.services import deviation_form as form
from qms.services import deviation_reads as reads
from qms.services import deviation_schemas as schemas
from qms.services import deviation_views as views
from qms.services.access import MESSAGES, Actor, Permission
from qms.services.app import Qms
from qms.services.deviation_words import STATUS_NAMES, changes_since, refusal_errors
from qms.services.org_units import entity_unit
from qms.storage.unit_of_work import UnitOfWork

# Plain functions other features call (the dashboard, the health report).
overdue_follow_ups = reads.overdue_follow_ups
open_by_process_and_month = reads.open_by_process_and_month
withhold = reads.withhold

Errors = dict[str, list[str]]
CASE_NUMBER = re.compile(r"\Aav-(\d{4})-(\d{4,})\Z")
FUTURE = "Datumet kan inte ligga i framtiden."
CLOSED_MESSAGE = "Ärendet är avslutat. Öppna det igen (tillbaka till uppföljning) för att ändra."
_REFERENCES: dict[str, tuple[Label, str]] = {
    "process": (Label.PROCESS, "Processen finns inte."),
    "activity": (Label.ACTIVITY, "Aktiviteten finns inte."),
    "org_unit": (Label.ORG_UNIT, "Enheten finns inte."),
    "raised_by": (Label.INSPECTION_RESULT, "Kontrollresultatet finns inte."),
    "realises": (Label.RISK, "Risken finns inte."),
}
_LINKS = {
    "process": Rel.AFFECTS,
    "activity": Rel.AFFECTS,
    "org_unit": Rel.BELONGS_TO,
    "raised_by": Rel.RAISED_BY,
    "realises": Rel.REALISES,
}


def readable(actor: Actor) -> Callable[[Deviation, str | None], bool]:
    """Whether ``actor`` may read a case's personal data: who may read personal data in the
    case's unit, and the person who reported it."""

    def check(deviation: Deviation, unit: str | None) -> bool:
        own = bool(actor.account) and deviation.reported_by_account == actor.account
        return own or actor.can_for(Permission.READ_PERSONAL_DATA, unit)

    return check


class StaleVersion(Conflict):
    """The case changed since the caller read it; ``changes`` says what, one line a field."""

    def __init__(self, deviation_id: str, changes: list[str]) -> None:
        super().__init__(f"Ärendet {deviation_id} har ändrats av någon annan sedan du öppnade det.")
        self.deviation_id = deviation_id
        self.changes = changes


@dataclass(frozen=True)
class Moved:
    """A case after a move, and the risks to re-assess now that it is closed."""

    deviation: Deviation
    reassess: tuple[Risk, ...] = ()


class Deviations:
    """The avvikelse use cases over one ``Qms``; each write is one unit of work."""

    def __init__(
        self,
        qms: Qms,
        today: date | Callable[[], date] = date.today,
        ivo_report_days: int = IVO_REPORT_DAYS,
    ) -> None:
        self._qms = qms
        self._today = today
        self.ivo_report_days = ivo_report_days

    @property
    def today(self) -> date:
        """The date reports, deadlines and closing are judged by."""
        return self._today if isinstance(self._today, date) else self._today()

    # -- reads -----------------------------------------------------------------------
    def view(self, actor: Actor, deviation_id: str) -> views.CaseView:
        """The case; its free text, causes and actions only for those who may read personal
        data in the case's unit, and for the person who reported it."""
        case, links = reads.load_case(self._qms.store, deviation_id)
        unit = links.org_unit.id if links.org_unit else None
        return views.case_view(
            case,
            links,
            restricted=not readable(actor)(case.deviation, unit),
            may_handle=actor.can_for(Permission.HANDLE_DEVIATIONS, unit),
            today=self.today,
            ivo_days=self.ivo_report_days,
            notice=MESSAGES[Permission.READ_PERSONAL_DATA],
            withhold=withhold,
        )

    def list(self, actor: Actor, filters: Mapping[str, Any] | None = None) -> views.Register:
        """The register, filtered by status, kind, org unit (and below) and process."""
        loaded = schemas.load(schemas.FilterSchema(), dict(filters or {}))
        chosen = {k: v for k, v in loaded.items() if v}
        errors = self._unknown(chosen, ("org_unit", "process"))
        if errors:
            raise InvalidInput(schemas.INVALID, errors)
        return views.register(
            self._qms.store,
            chosen,
            readable=readable(actor),
            today=self.today,
            ivo_days=self.ivo_report_days,
            notice=MESSAGES[Permission.READ_PERSONAL_DATA],
        )

    def choices(self, process_id: str | None = None, with_activities: bool = True) -> form.Choices:
        """What the report form (and the register's filters) offer."""
        return form.choices(self._qms.store, process_id, with_activities)

    def prefill(self, given: Mapping[str, str]) -> dict[str, Any]:
        """Report-form values from ``result``, ``risk``, ``process``, ``activity``, ``org_unit``."""
        return form.prefill(self._qms.store, given)

    def overdue_follow_ups(self, today: date | None = None) -> builtins.list[Deviation]:
        """Open cases past their follow-up date."""
        return reads.overdue_follow_ups(self._qms.store, today or self.today)

    def open_by_process_and_month(self) -> dict[str, dict[str, int]]:
        """``{process id: {"YYYY-MM": count}}`` of open cases."""
        return reads.open_by_process_and_month(self._qms.store)

    # -- writes ----------------------------------------------------------------------
    def report(self, actor: Actor, data: Mapping[str, Any]) -> Deviation:
        """Register a new case (``REPORT_DEVIATIONS``): status registrerad, a new case number,
        the reporter's account kept so they can follow it."""
        actor.require(Permission.REPORT_DEVIATIONS)
        try:
            values = schemas.load(schemas.ReportSchema(), dict(data))
            errors: Errors = {}
        except InvalidInput as exc:  # go on, so the form shows every problem at once
            values, errors = {}, dict(exc.errors)
        given = {k: v for k, v in data.items() if k in _REFERENCES and k not in errors}
        errors.update(self._unknown(given, tuple(given)))
        occurred = values.get("occurred_on") or _date_or_none(data.get("occurred_on"))
        if occurred is not None and occurred > self.today and "occurred_on" not in errors:
            errors["occurred_on"] = [FUTURE]
        where = ("process", "activity", "org_unit", "location")
        if not any(isinstance(data.get(k), str) and data[k].strip() for k in where):
            errors.setdefault("location", []).append(
                "Ange var det hände: en process, en aktivitet, en enhet eller en plats."
            )
        if errors:
            raise InvalidInput(schemas.INVALID, errors)
        fields = {k: values[k] for k in ("title", "description", "occurred_on", "location")}
        if not values.get("org_unit"):  # the case belongs where it happened
            for key, label in (("activity", Label.ACTIVITY), ("process", Label.PROCESS)):
                unit = entity_unit(self._qms.store, label, values[key]) if values.get(key) else None
                if unit:
                    values["org_unit"] = unit
                    break
        for attempt in range(5):
            try:
                with self._qms.unit_of_work(actor.name) as uow:
                    deviation = Deviation(
                        id=self._next_number(attempt),
                        kind=DeviationKind(values["kind"]),
                        reported_by=values["reported_by"],
                        reported_on=self.today,
                        reported_by_account=actor.account,
                        **fields,
                    )
                    added = uow.add(deviation)
                    for key, rel in _LINKS.items():
                        if values.get(key):
                            uow.link(Link(rel, added.id, values[key]))
                    return cast(Deviation, added)
            except Conflict:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def update(
        self, actor: Actor, deviation_id: str, data: Mapping[str, Any], version: int
    ) -> Deviation:
        """The investigator's edits; ``version`` is the one the form was read at."""
        self._may_handle(actor, deviation_id)
        values = schemas.load(schemas.UpdateSchema(), dict(data), partial=True)
        return self._edit(actor, deviation_id, values, version, ("occurred_on",))

    def classify(
        self,
        actor: Actor,
        deviation_id: str,
        data: Mapping[str, Any],
        version: int | None = None,
    ) -> Deviation:
        """Lex Sarah / lex Maria: what it concerns, whether it is allvarligt, decided by whom."""
        self._may_handle(actor, deviation_id)
        values = schemas.load(schemas.ClassifySchema(), dict(data))

        def check(current: Deviation) -> None:
            if not is_lex(current):
                message = "Bara lex Sarah- och lex Maria-ärenden klassificeras."
                raise InvalidInput(message, {"kind": [message]})
            if values["incident_class"] not in INCIDENT_CLASSES[current.kind]:
                raise InvalidInput(
                    schemas.INVALID,
                    {"incident_class": ["Klassningen passar inte ärendets typ."]},
                )

        return self._edit(actor, deviation_id, values, version, ("serious_decided_on",), check)

    def record_ivo_report(
        self,
        actor: Actor,
        deviation_id: str,
        data: Mapping[str, Any],
        version: int | None = None,
    ) -> Deviation:
        """When the case was reported to IVO (``reported_to_ivo_on``) and IVO's reference."""
        self._may_handle(actor, deviation_id)
        values = schemas.load(schemas.IvoReportSchema(), dict(data))

        def check(current: Deviation) -> None:
            if not is_lex(current):
                raise InvalidInput(
                    "Bara lex Sarah- och lex Maria-ärenden anmäls till IVO.",
                    {"reported_to_ivo_on": ["Bara lex Sarah- och lex Maria-ärenden anmäls."]},
                )

        return self._edit(actor, deviation_id, values, version, ("reported_to_ivo_on",), check)

    def _edit(
        self,
        actor: Actor,
        deviation_id: str,
        values: dict[str, Any],
        version: int | None,
        dates: tuple[str, ...],
        check: Callable[[Deviation], None] | None = None,
    ) -> Deviation:
        """A handler's edit of an open case (permission already checked): one unit of work."""
        self._check_dates(values, dates)
        with self._qms.unit_of_work(actor.name) as uow:
            current = self._current(uow, actor, deviation_id, version)
            self._open(current)
            if check is not None:
                check(current)
            return self._write(uow, _edited(current, values))

    def add_cause(self, actor: Actor, deviation_id: str, data: Mapping[str, Any]) -> Cause:
        """A root cause of the case."""
        self._may_handle(actor, deviation_id)
        values = schemas.load(schemas.CauseSchema(), dict(data))
        with self._qms.unit_of_work(actor.name) as uow:
            self._open(self._current(uow, actor, deviation_id, None))
            cause = uow.add(Cause(id=self._free_id(uow, f"{deviation_id}-orsak"), **values))
            uow.link(Link(Rel.CAUSED_BY, deviation_id, cause.id))
            return cast(Cause, cause)

    def add_action(
        self,
        actor: Actor,
        deviation_id: str,
        data: Mapping[str, Any],
        cause_ids: Iterable[str],
    ) -> Action:
        """An åtgärd of the case; it must address at least one of the case's causes."""
        self._may_handle(actor, deviation_id)
        chosen = sorted({c.strip() for c in cause_ids if c and c.strip()})
        try:
            values = schemas.load(schemas.ActionSchema(), dict(data))
            errors: Errors = {}
        except InvalidInput as exc:
            values, errors = {}, dict(exc.errors)
        own = {
            link.target
            for link in self._qms.store.outgoing(
                Label.DEVIATION, self._existing(deviation_id), Rel.CAUSED_BY
            )
        }
        if not chosen:
            errors["causes"] = ["Välj minst en orsak som åtgärden ska åtgärda."]
        elif not set(chosen) <= own:
            errors["causes"] = ["Välj bland ärendets egna orsaker."]
        if errors:
            raise InvalidInput(schemas.INVALID, errors)
        with self._qms.unit_of_work(actor.name) as uow:
            self._open(self._current(uow, actor, deviation_id, None))
            action = uow.add(Action(id=self._free_id(uow, f"{deviation_id}-atgard"), **values))
            for cause_id in chosen:
                uow.link(Link(Rel.ADDRESSES, action.id, cause_id))
            uow.link(Link(Rel.ADDRESSES, action.id, deviation_id))
            return cast(Action, action)

    def move(
        self,
        actor: Actor,
        deviation_id: str,
        target_status: str,
        version: int,
        data: Mapping[str, Any] | None = None,
    ) -> Moved:
        """Move the case one step; ``data`` (investigator, follow-up date or outcome) is saved
        with it. Refused moves raise ``InvalidInput`` with the Swedish reasons by field."""
        self._may_handle(actor, deviation_id)
        try:
            target = DeviationStatus(target_status)
        except ValueError:
            raise InvalidInput(schemas.INVALID, {"status": ["Okänd status."]}) from None
        values = schemas.load(schemas.UpdateSchema(), dict(data or {}), partial=True)
        case, links = reads.load_case(self._qms.store, deviation_id)
        with self._qms.unit_of_work(actor.name) as uow:
            current = self._current(uow, actor, deviation_id, version)
            edited = _edited(current, values)
            reasons = flow_refusals(Case(edited, case.causes, case.actions), target)
            if reasons:
                raise InvalidInput(
                    f"Ärendet kan inte gå vidare till {STATUS_NAMES[target]}.",
                    refusal_errors(reasons),
                )
            closed_on = self.today if target is DeviationStatus.CLOSED else None
            moved = self._write(
                uow, dataclasses.replace(edited, status=target, closed_on=closed_on)
            )
        closing = target is DeviationStatus.CLOSED
        return Moved(moved, links.risks if closing else ())

    # -- helpers ---------------------------------------------------------------------
    def _may_handle(self, actor: Actor, deviation_id: str) -> None:
        """``HANDLE_DEVIATIONS`` for the case's unit (``NotFound`` for an unknown case)."""
        actor.require(Permission.HANDLE_DEVIATIONS)  # cheap refusal before any read
        unit = entity_unit(self._qms.store, Label.DEVIATION, self._existing(deviation_id))
        actor.require_for(Permission.HANDLE_DEVIATIONS, unit)

    def _existing(self, deviation_id: str) -> str:
        if self._qms.store.label_of(deviation_id) is not Label.DEVIATION:
            raise NotFound(Label.DEVIATION, deviation_id)
        return deviation_id

    def _current(
        self, uow: UnitOfWork, actor: Actor, deviation_id: str, version: int | None
    ) -> Deviation:
        if uow.label_of(deviation_id) is not Label.DEVIATION:
            raise NotFound(Label.DEVIATION, deviation_id)
        current = cast(Deviation, uow.get(Label.DEVIATION, deviation_id))
        if version is not None and current.version != version:
            unit = entity_unit(self._qms.store, Label.DEVIATION, deviation_id)
            hidden = () if readable(actor)(current, unit) else Deviation.PERSONAL
            lines = changes_since(self._qms.store.changes(deviation_id), version, hidden)
            raise StaleVersion(deviation_id, lines)
        return current

    @staticmethod
    def _open(deviation: Deviation) -> None:
        if deviation.status is DeviationStatus.CLOSED:
            raise InvalidInput(CLOSED_MESSAGE, {"status": [CLOSED_MESSAGE]})

    @staticmethod
    def _write(uow: UnitOfWork, deviation: Deviation) -> Deviation:
        written = uow.update(deviation)
        return cast(Deviation, written)

    def _check_dates(self, values: Mapping[str, Any], names: tuple[str, ...]) -> None:
        errors = {n: [FUTURE] for n in names if values.get(n) and values[n] > self.today}
        if errors:
            raise InvalidInput(schemas.INVALID, errors)

    def _unknown(self, values: Mapping[str, Any], keys: Iterable[str]) -> Errors:
        errors: Errors = {}
        for key in keys:
            value = values.get(key)
            label, message = _REFERENCES[key]
            if isinstance(value, str) and value and self._qms.store.label_of(value) is not label:
                errors[key] = [message]
        return errors

    def _next_number(self, skip: int) -> str:
        year = self.today.year
        taken = [
            int(m.group(2))
            for d in self._qms.store.entities(Label.DEVIATION)
            if (m := CASE_NUMBER.match(d.id)) and int(m.group(1)) == year
        ]
        return f"av-{year}-{max(taken, default=0) + 1 + skip:04d}"

    @staticmethod
    def _free_id(uow: UnitOfWork, prefix: str) -> str:
        number = 1
        while uow.label_of(f"{prefix}-{number}") is not None:
            number += 1
        return f"{prefix}-{number}"


def _date_or_none(value: Any) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _edited(current: Deviation, values: Mapping[str, Any]) -> Deviation:
    """``current`` with ``values`` applied (enums converted; a classification that no longer
    fits a changed kind is dropped)."""
    changes = dict(values)
    if "kind" in changes:
        changes["kind"] = DeviationKind(changes["kind"])
    if changes.get("incident_class") is not None:
        changes["incident_class"] = IncidentClass(changes["incident_class"])
    edited = dataclasses.replace(current, **changes)
    allowed = INCIDENT_CLASSES.get(edited.kind, ())
    if edited.incident_class is not None and edited.incident_class not in allowed:
        edited = dataclasses.replace(edited, incident_class=None)
    return edited
