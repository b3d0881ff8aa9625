"""Closed vocabularies (enums) of the domain; their Swedish names live in the UI catalogue."""

from __future__ import annotations

from enum import StrEnum


class OrgLevel(StrEnum):
    """Kommunfullmäktige → nämnd → förvaltning → avdelning → enhet."""

    COUNCIL = "council"
    COMMITTEE = "committee"
    ADMINISTRATION = "administration"
    DEPARTMENT = "department"
    UNIT = "unit"


class GoalLevel(StrEnum):
    """The ILS goal chain, from the top: inriktningsmål, KF-mål, nämndmål, enhetsmål."""

    DIRECTION = "direction"
    COUNCIL = "council"
    COMMITTEE = "committee"
    UNIT = "unit"


GOAL_CHAIN: tuple[GoalLevel, ...] = tuple(GoalLevel)


class ProcessKind(StrEnum):
    """Huvudprocess, stödprocess, styrprocess."""

    CORE = "core"
    SUPPORT = "support"
    MANAGEMENT = "management"


class ActivityType(StrEnum):
    """The BPMN flow node an activity is drawn as (every task and gateway type of BPMN 2.0)."""

    TASK = "task"
    USER_TASK = "user_task"
    MANUAL_TASK = "manual_task"
    SERVICE_TASK = "service_task"
    SEND_TASK = "send_task"
    RECEIVE_TASK = "receive_task"
    SCRIPT_TASK = "script_task"
    BUSINESS_RULE_TASK = "business_rule_task"
    SUBPROCESS = "subprocess"
    CALL_ACTIVITY = "call_activity"
    START_EVENT = "start_event"
    INTERMEDIATE_EVENT = "intermediate_event"
    BOUNDARY_EVENT = "boundary_event"
    END_EVENT = "end_event"
    EXCLUSIVE_GATEWAY = "exclusive_gateway"
    PARALLEL_GATEWAY = "parallel_gateway"
    INCLUSIVE_GATEWAY = "inclusive_gateway"
    EVENT_BASED_GATEWAY = "event_based_gateway"
    COMPLEX_GATEWAY = "complex_gateway"


class DocumentKind(StrEnum):
    """Lag, förordning, föreskrift, strategi, program, riktlinje, policy, rutin, …"""

    LAW = "law"
    ORDINANCE = "ordinance"
    REGULATION = "regulation"
    STRATEGY = "strategy"
    PROGRAMME = "programme"
    GUIDELINE = "guideline"
    POLICY = "policy"
    ROUTINE = "routine"
    INSTRUCTION = "instruction"
    CHECKLIST = "checklist"
    TEMPLATE = "template"


class DocumentStatus(StrEnum):
    """Utkast → granskning → fastställd → upphävd."""

    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    REVOKED = "revoked"


class RiskStatus(StrEnum):
    """Where a risk stands in the register."""

    OPEN = "open"
    MITIGATING = "mitigating"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class Frequency(StrEnum):
    """How often an egenkontroll or kontrollmoment recurs."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    TERTIAL = "tertial"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


class InspectionOutcome(StrEnum):
    """The verdict of one egenkontroll run."""

    OK = "ok"
    REMARKS = "remarks"
    DEFICIENT = "deficient"


class DeviationKind(StrEnum):
    """Avvikelse, klagomål, synpunkt, lex Sarah, lex Maria."""

    DEVIATION = "deviation"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    LEX_SARAH = "lex_sarah"
    LEX_MARIA = "lex_maria"


class DeviationStatus(StrEnum):
    """Registrerad → under utredning → åtgärder → uppföljning → avslutad."""

    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    ACTIONS = "actions"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


class ActionStatus(StrEnum):
    """Planerad → pågår → klar."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Verdict(StrEnum):
    """Målbedömning: uppfyllt, delvis uppfyllt, ej uppfyllt."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


class IncidentClass(StrEnum):
    """What a lex Sarah or lex Maria report is about.

    Lex Sarah (SoL/LSS): a missförhållande or a påtaglig risk för ett missförhållande.
    Lex Maria (HSL): a vårdskada or a risk för vårdskada.
    """

    MISCONDUCT = "misconduct"
    RISK_OF_MISCONDUCT = "risk_of_misconduct"
    CARE_INJURY = "care_injury"
    RISK_OF_CARE_INJURY = "risk_of_care_injury"


#: Which classes belong to which kind of report.
INCIDENT_CLASSES: dict[DeviationKind, tuple[IncidentClass, ...]] = {
    DeviationKind.LEX_SARAH: (IncidentClass.MISCONDUCT, IncidentClass.RISK_OF_MISCONDUCT),
    DeviationKind.LEX_MARIA: (IncidentClass.CARE_INJURY, IncidentClass.RISK_OF_CARE_INJURY),
}
