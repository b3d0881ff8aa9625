"""Swedish words the avvikelse service writes into its own messages (refusals, conflicts)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from qms.domain.changes import Change, ChangeOp
from qms.domain.kinds import DeviationKind, DeviationStatus, IncidentClass

STATUS_NAMES: dict[str, str] = {
    DeviationStatus.REGISTERED: "registrerad",
    DeviationStatus.INVESTIGATING: "under utredning",
    DeviationStatus.ACTIONS: "åtgärder",
    DeviationStatus.FOLLOW_UP: "uppföljning",
    DeviationStatus.CLOSED: "avslutad",
}
KIND_NAMES: dict[str, str] = {
    DeviationKind.DEVIATION: "avvikelse",
    DeviationKind.COMPLAINT: "klagomål",
    DeviationKind.SUGGESTION: "synpunkt",
    DeviationKind.LEX_SARAH: "lex Sarah",
    DeviationKind.LEX_MARIA: "lex Maria",
}
CLASS_NAMES: dict[str, str] = {
    IncidentClass.MISCONDUCT: "missförhållande",
    IncidentClass.RISK_OF_MISCONDUCT: "påtaglig risk för missförhållande",
    IncidentClass.CARE_INJURY: "vårdskada",
    IncidentClass.RISK_OF_CARE_INJURY: "risk för vårdskada",
}
FIELD_NAMES: dict[str, str] = {
    "title": "Vad hände",
    "description": "Beskrivning",
    "kind": "Typ",
    "status": "Status",
    "occurred_on": "Inträffade",
    "follow_up_on": "Uppföljningsdatum",
    "location": "Plats",
    "reported_by": "Rapporterad av",
    "reported_on": "Rapporterad",
    "investigator": "Utredare",
    "incident_class": "Klassning",
    "serious": "Allvarligt",
    "serious_decided_by": "Bedömt av",
    "serious_decided_on": "Bedömt den",
    "reported_to_ivo_on": "Anmält till IVO",
    "ivo_reference": "IVO:s diarienummer",
    "follow_up_outcome": "Resultat av uppföljningen",
    "closed_on": "Avslutad",
}
_VALUE_NAMES = STATUS_NAMES | KIND_NAMES | CLASS_NAMES

#: The field a refusal of ``deviation_flow`` is about, by the start of its text.
REFUSAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("Ange vem som utreder", "investigator"),
    ("Ange minst en grundorsak", "causes"),
    ("Ange om det gäller", "incident_class"),
    ("Bedöm om ärendet är allvarligt", "serious"),
    ("Ange vem som bedömde", "serious_decided_by"),
    ("Ange minst en åtgärd", "actions"),
    ("Åtgärden ", "actions"),
    ("Ange när åtgärdernas effekt", "follow_up_on"),
    ("Ange svaret på synpunkten", "follow_up_outcome"),
    ("Ange resultatet av uppföljningen", "follow_up_outcome"),
    ("Ett allvarligt ärende ska vara anmält", "reported_to_ivo_on"),
)


def refusal_errors(reasons: Iterable[str]) -> dict[str, list[str]]:
    """Refusals by the field they are about (``status`` for the rest)."""
    errors: dict[str, list[str]] = {}
    for reason in reasons:
        field = next((f for start, f in REFUSAL_FIELDS if reason.startswith(start)), "status")
        errors.setdefault(field, []).append(reason)
    return errors


def _value(text: str, personal: bool) -> str:
    if personal:
        return "(dold)"
    try:
        value = json.loads(text) if text else None
    except ValueError:
        value = text
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return _VALUE_NAMES.get(str(value), str(value))


def changes_since(changes: Iterable[Change], version: int, hidden: Iterable[str] = ()) -> list[str]:
    """What others changed after ``version``, one Swedish line per field.

    Version 1 is the creation; every later version is one change set of updates.
    """
    hidden = set(hidden)
    sets: dict[str, list[Change]] = {}
    for change in changes:
        if change.op is ChangeOp.UPDATE:
            sets.setdefault(change.change_set, []).append(change)
    lines = []
    for index, entries in enumerate(sets.values()):
        if index + 2 <= version:
            continue
        for change in entries:
            name = FIELD_NAMES.get(change.field, change.field)
            personal = change.field in hidden
            before, after = _value(change.before, personal), _value(change.after, personal)
            lines.append(f"{name}: {before} → {after} ({change.actor}, {change.at[:16]})")
    return lines
