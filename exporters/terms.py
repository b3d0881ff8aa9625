"""Swedish words for the domain's closed lists, as spreadsheets write them (both directions).

Exporters write ``TERMS[Kind][value]``; importers read a cell back with ``parse(Kind, text)``.
Each table is one-to-one, so a written word always maps back to the same value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from qms.domain.kinds import (
    ActionStatus,
    ActivityType,
    DeviationStatus,
    DocumentKind,
    DocumentStatus,
    Frequency,
    GoalLevel,
    InspectionOutcome,
    OrgLevel,
    ProcessKind,
    RiskStatus,
    Verdict,
)

YES, NO = "Ja", "Nej"

TERMS: dict[type[StrEnum], dict[str, str]] = {
    OrgLevel: {
        OrgLevel.COUNCIL: "Kommunfullmäktige",
        OrgLevel.COMMITTEE: "Nämnd",
        OrgLevel.ADMINISTRATION: "Förvaltning",
        OrgLevel.DEPARTMENT: "Avdelning",
        OrgLevel.UNIT: "Enhet",
    },
    GoalLevel: {
        GoalLevel.DIRECTION: "Inriktningsmål",
        GoalLevel.COUNCIL: "KF-mål",
        GoalLevel.COMMITTEE: "Nämndmål",
        GoalLevel.UNIT: "Enhetsmål",
    },
    ProcessKind: {
        ProcessKind.CORE: "Huvudprocess",
        ProcessKind.SUPPORT: "Stödprocess",
        ProcessKind.MANAGEMENT: "Styrprocess",
    },
    ActivityType: {
        ActivityType.TASK: "Uppgift",
        ActivityType.USER_TASK: "Användaruppgift",
        ActivityType.MANUAL_TASK: "Manuell uppgift",
        ActivityType.SERVICE_TASK: "Systemuppgift",
        ActivityType.SEND_TASK: "Skicka",
        ActivityType.RECEIVE_TASK: "Ta emot",
        ActivityType.SCRIPT_TASK: "Skriptuppgift",
        ActivityType.BUSINESS_RULE_TASK: "Regeluppgift",
        ActivityType.SUBPROCESS: "Delprocess",
        ActivityType.CALL_ACTIVITY: "Anropad process",
        ActivityType.START_EVENT: "Starthändelse",
        ActivityType.INTERMEDIATE_EVENT: "Mellanhändelse",
        ActivityType.BOUNDARY_EVENT: "Kanthändelse",
        ActivityType.END_EVENT: "Sluthändelse",
        ActivityType.EXCLUSIVE_GATEWAY: "Exklusiv grind",
        ActivityType.PARALLEL_GATEWAY: "Parallell grind",
        ActivityType.INCLUSIVE_GATEWAY: "Inkluderande grind",
        ActivityType.EVENT_BASED_GATEWAY: "Händelsebaserad grind",
        ActivityType.COMPLEX_GATEWAY: "Komplex grind",
    },
    DocumentKind: {
        DocumentKind.LAW: "Lag",
        DocumentKind.ORDINANCE: "Förordning",
        DocumentKind.REGULATION: "Föreskrift",
        DocumentKind.STRATEGY: "Strategi",
        DocumentKind.PROGRAMME: "Program",
        DocumentKind.GUIDELINE: "Riktlinje",
        DocumentKind.POLICY: "Policy",
        DocumentKind.ROUTINE: "Rutin",
        DocumentKind.INSTRUCTION: "Instruktion",
        DocumentKind.CHECKLIST: "Checklista",
        DocumentKind.TEMPLATE: "Mall",
    },
    DocumentStatus: {
        DocumentStatus.DRAFT: "Utkast",
        DocumentStatus.REVIEW: "Granskning",
        DocumentStatus.APPROVED: "Fastställd",
        DocumentStatus.REVOKED: "Upphävd",
    },
    RiskStatus: {
        RiskStatus.OPEN: "Öppen",
        RiskStatus.MITIGATING: "Åtgärdas",
        RiskStatus.ACCEPTED: "Accepterad",
        RiskStatus.CLOSED: "Avslutad",
    },
    Frequency: {
        Frequency.WEEKLY: "Varje vecka",
        Frequency.MONTHLY: "Varje månad",
        Frequency.QUARTERLY: "Varje kvartal",
        Frequency.TERTIAL: "Varje tertial",
        Frequency.HALF_YEARLY: "Varje halvår",
        Frequency.YEARLY: "Varje år",
    },
    InspectionOutcome: {
        InspectionOutcome.OK: "Utan anmärkning",
        InspectionOutcome.REMARKS: "Med anmärkning",
        InspectionOutcome.DEFICIENT: "Brister",
    },
    ActionStatus: {
        ActionStatus.PLANNED: "Planerad",
        ActionStatus.IN_PROGRESS: "Pågår",
        ActionStatus.DONE: "Klar",
    },
    DeviationStatus: {
        DeviationStatus.REGISTERED: "Registrerad",
        DeviationStatus.INVESTIGATING: "Under utredning",
        DeviationStatus.ACTIONS: "Åtgärder",
        DeviationStatus.FOLLOW_UP: "Uppföljning",
        DeviationStatus.CLOSED: "Avslutad",
    },
    Verdict: {
        Verdict.MET: "Uppfyllt",
        Verdict.PARTLY_MET: "Delvis uppfyllt",
        Verdict.NOT_MET: "Ej uppfyllt",
    },
}

K = TypeVar("K", bound=StrEnum)


def term(value: StrEnum | None) -> str:
    """The Swedish word for an enum value ('' for None)."""
    return "" if value is None else TERMS[type(value)][value]


def words(kind: type[StrEnum]) -> tuple[str, ...]:
    """Every Swedish word of a list, in the enum's order (for data validation)."""
    return tuple(TERMS[kind][value] for value in kind)


def parse(kind: type[K], text: str) -> K:
    """The enum value a Swedish word (or the stored value itself) stands for; ValueError else."""
    cleaned = text.strip()
    for value, word in TERMS[kind].items():
        if cleaned.casefold() in (word.casefold(), str(value).casefold()):
            return kind(value)
    raise ValueError(f"okänt värde {text!r}; tillåtna: {', '.join(words(kind))}")
