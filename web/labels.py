"""UI names of domain words, marked for the message catalogue (English source, Swedish first)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from qms.domain.kinds import (
    ActionStatus,
    ActivityType,
    DeviationKind,
    DeviationStatus,
    DocumentKind,
    DocumentStatus,
    Frequency,
    GoalLevel,
    InspectionOutcome,
    ProcessKind,
    RiskStatus,
    Verdict,
)
from qms.domain.labels import Label

PRODUCT_NAME = _l("QMS – processes and quality")

# Ordered as on a process map: core first, then support, then management.
PROCESS_KIND_HEADINGS: dict[ProcessKind, LazyString] = {
    ProcessKind.CORE: _l("Core processes"),
    ProcessKind.SUPPORT: _l("Support processes"),
    ProcessKind.MANAGEMENT: _l("Management processes"),
}

PROCESS_KIND_NAMES: dict[ProcessKind, LazyString] = {
    ProcessKind.CORE: _l("Core process"),
    ProcessKind.SUPPORT: _l("Support process"),
    ProcessKind.MANAGEMENT: _l("Management process"),
}

PROCESS_KIND_EMPTY: dict[ProcessKind, LazyString] = {
    ProcessKind.CORE: _l("No core processes yet."),
    ProcessKind.SUPPORT: _l("No support processes yet."),
    ProcessKind.MANAGEMENT: _l("No management processes yet."),
}

DOCUMENT_KINDS: dict[DocumentKind, LazyString] = {
    DocumentKind.LAW: _l("Law"),
    DocumentKind.ORDINANCE: _l("Ordinance"),
    DocumentKind.REGULATION: _l("Regulation"),
    DocumentKind.STRATEGY: _l("Strategy"),
    DocumentKind.PROGRAMME: _l("Programme"),
    DocumentKind.GUIDELINE: _l("Guideline"),
    DocumentKind.POLICY: _l("Policy"),
    DocumentKind.ROUTINE: _l("Routine"),
    DocumentKind.INSTRUCTION: _l("Instruction"),
    DocumentKind.CHECKLIST: _l("Checklist"),
    DocumentKind.TEMPLATE: _l("Template"),
}

DOCUMENT_STATUSES: dict[DocumentStatus, LazyString] = {
    DocumentStatus.DRAFT: _l("Draft"),
    DocumentStatus.REVIEW: _l("In review"),
    DocumentStatus.APPROVED: _l("Approved"),
    DocumentStatus.REVOKED: _l("Revoked"),
}

GOAL_LEVELS: dict[GoalLevel, LazyString] = {
    GoalLevel.DIRECTION: _l("Direction goal"),
    GoalLevel.COUNCIL: _l("Council goal"),
    GoalLevel.COMMITTEE: _l("Committee goal"),
    GoalLevel.UNIT: _l("Unit goal"),
}

# -- quality work: one Swedish name per value, for every page that shows it ----------------
RISK_STATUSES: dict[RiskStatus, LazyString] = {
    RiskStatus.OPEN: _l("Open"),
    RiskStatus.MITIGATING: _l("Being mitigated"),
    RiskStatus.ACCEPTED: _l("Accepted"),
    RiskStatus.CLOSED: _l("Closed"),
}
FREQUENCIES: dict[Frequency, LazyString] = {
    Frequency.WEEKLY: _l("Weekly"),
    Frequency.MONTHLY: _l("Monthly"),
    Frequency.QUARTERLY: _l("Quarterly"),
    Frequency.TERTIAL: _l("Every tertial"),
    Frequency.HALF_YEARLY: _l("Every half year"),
    Frequency.YEARLY: _l("Yearly"),
}
INSPECTION_OUTCOMES: dict[InspectionOutcome, LazyString] = {
    InspectionOutcome.OK: _l("No remarks"),
    InspectionOutcome.REMARKS: _l("With remarks"),
    InspectionOutcome.DEFICIENT: _l("Deficiencies"),
}
DEVIATION_KINDS: dict[DeviationKind, LazyString] = {
    DeviationKind.DEVIATION: _l("Deviation"),
    DeviationKind.COMPLAINT: _l("Complaint"),
    DeviationKind.SUGGESTION: _l("Suggestion"),
    DeviationKind.LEX_SARAH: _l("Lex Sarah"),
    DeviationKind.LEX_MARIA: _l("Lex Maria"),
}
DEVIATION_STATUSES: dict[DeviationStatus, LazyString] = {
    DeviationStatus.REGISTERED: _l("Registered"),
    DeviationStatus.INVESTIGATING: _l("Under investigation"),
    DeviationStatus.ACTIONS: _l("Actions"),
    DeviationStatus.FOLLOW_UP: _l("Follow-up"),
    DeviationStatus.CLOSED: _l("Case closed"),
}
#: Åtgärder and ILS aktiviteter share the statuses.
ACTION_STATUSES: dict[ActionStatus, LazyString] = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
}
VERDICTS: dict[Verdict, LazyString] = {
    Verdict.MET: _l("Met"),
    Verdict.PARTLY_MET: _l("Partly met"),
    Verdict.NOT_MET: _l("Not met"),
}
#: A node's kind as a tag next to its name.
NODE_KINDS: dict[str, LazyString] = {
    Label.GOAL: _l("Goal"),
    Label.PROCESS: _l("Process"),
    Label.ACTIVITY: _l("Activity"),
    Label.DOCUMENT: _l("Document"),
    Label.RISK: _l("Risk"),
    Label.DEVIATION: _l("Deviation"),
    Label.SELF_INSPECTION: _l("Self-inspection"),
}


#: Flow nodes that are not tasks are named by what they mean in the flow.
SUBPROCESS_TYPES = frozenset({ActivityType.SUBPROCESS, ActivityType.CALL_ACTIVITY})
STEP_KINDS: dict[str, LazyString] = {
    "event": _l("Event"),
    "start_event": _l("Start"),
    "end_event": _l("End"),
    "gateway": _l("Decision"),
}

#: Search result groups, in the plural.
LABEL_GROUPS: dict[Label, LazyString] = {
    Label.PROCESS: _l("Processes"),
    Label.ACTIVITY: _l("Activities"),
    Label.DOCUMENT: _l("Routines and documents"),
    Label.ROLE: _l("Roles"),
}

#: ``/sok?typ=`` values (Swedish, like the paths) and the label each one filters on.
SEARCH_TYPES: dict[str, Label] = {
    "processer": Label.PROCESS,
    "dokument": Label.DOCUMENT,
    "aktiviteter": Label.ACTIVITY,
    "roller": Label.ROLE,
}


def step_kind(node_type: ActivityType) -> LazyString | None:
    """What an event or a gateway is called ("Start", "Decision" …); None for work done."""
    if node_type.endswith("task") or node_type in SUBPROCESS_TYPES:
        return None
    if node_type.endswith("gateway"):
        return STEP_KINDS["gateway"]
    return STEP_KINDS.get(node_type.value, STEP_KINDS["event"])


STORE_UNAVAILABLE = _l("The graph database is not available right now")

ERROR_TITLES: dict[int, LazyString] = {
    400: _l("Bad request"),
    403: _l("You do not have permission"),
    404: _l("The page does not exist"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Too large"),
    422: _l("The data could not be accepted"),
    500: _l("Something went wrong"),
    503: _l("The service is not available"),
}

ERROR_MESSAGES: dict[int, LazyString] = {
    400: _l("The request could not be understood."),
    403: _l("You do not have permission to see or change this."),
    404: _l("The address does not exist. Check the spelling, search, or go to the start page."),
    405: _l("This address does not accept that kind of request."),
    409: _l("Someone else changed the same thing at the same time. Reload the page and try again."),
    413: _l("What was sent is too large: files up to 25 MB are accepted. Nothing was saved."),
    422: _l("The data could not be accepted."),
    500: _l("An unexpected error occurred. It has been logged; please try again in a while."),
    503: _l("The graph database is not available right now. Please try again in a while."),
}

#: "There is no … with the id …" per label, for the 404 page of a permalink.
MISSING: dict[str, LazyString] = {
    Label.PROCESS: _l("There is no process with the id “%(id)s”."),
    Label.ACTIVITY: _l("There is no activity with the id “%(id)s”."),
    Label.DOCUMENT: _l("There is no document with the id “%(id)s”."),
    Label.ROLE: _l("There is no role with the id “%(id)s”."),
    Label.ORG_UNIT: _l("There is no organisation unit with the id “%(id)s”."),
}


def error_title(status: int) -> str:
    """The heading for an HTTP status, in the user's language."""
    return str(ERROR_TITLES.get(status, ERROR_TITLES[500]))


def error_message(status: int) -> str:
    """The default explanation for an HTTP status, in the user's language."""
    return str(ERROR_MESSAGES.get(status, ERROR_MESSAGES[500]))


def missing(label: str, entity_id: str) -> str | None:
    """The 404 sentence for an unknown id of a label the portal shows, else None."""
    text = MISSING.get(label)
    return str(text) % {"id": entity_id} if text is not None else None
