"""Entities of the quality graph: one frozen dataclass per node label."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from qms.domain.kinds import (
    ActionStatus,
    ActivityType,
    DeviationKind,
    DeviationStatus,
    DocumentKind,
    DocumentStatus,
    Frequency,
    GoalLevel,
    IncidentClass,
    InspectionOutcome,
    OrgLevel,
    ProcessKind,
    RiskStatus,
    Verdict,
)
from qms.domain.labels import Label

ID_PATTERN = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}\Z")
AUDIT_FIELDS = ("version", "created_at", "created_by", "updated_at", "updated_by")


@dataclass(frozen=True, kw_only=True)
class Entity:
    """Common identity and audit stamps; ``version`` drives optimistic locking."""

    LABEL: ClassVar[Label]
    TITLE_FIELD: ClassVar[str] = "name"
    #: Fields whose values never reach the change log, a history page or an export.
    SECRET: ClassVar[tuple[str, ...]] = ()

    id: str
    version: int = 0
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""

    @property
    def caption(self) -> str:
        """The human name of the entity, whatever its field is called."""
        return str(getattr(self, self.TITLE_FIELD))

    def content(self) -> dict[str, Any]:
        """The fields a user edits (identity and audit stamps left out)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "id" and f.name not in AUDIT_FIELDS
        }


@dataclass(frozen=True, kw_only=True)
class OrgUnit(Entity):
    """Nämnd, förvaltning, avdelning or enhet."""

    LABEL = Label.ORG_UNIT
    name: str
    level: OrgLevel
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Goal(Entity):
    """A goal at one level of the ILS chain."""

    LABEL = Label.GOAL
    TITLE_FIELD = "title"
    title: str
    level: GoalLevel
    code: str = ""
    description: str = ""
    year: int | None = None
    working_method: str = ""
    resources: str = ""


@dataclass(frozen=True, kw_only=True)
class GoalAssessment(Entity):
    """Målbedömning for one tertial, with the analysis and, when not met, planned actions."""

    LABEL = Label.GOAL_ASSESSMENT
    year: int
    tertial: int
    verdict: Verdict
    analysis: str = ""
    planned_actions: str = ""

    @property
    def caption(self) -> str:
        return f"{self.year} T{self.tertial}"


@dataclass(frozen=True, kw_only=True)
class ExpectedResult(Entity):
    """Förväntat resultat: measurable, with a target or a baseline."""

    LABEL = Label.EXPECTED_RESULT
    TITLE_FIELD = "description"
    description: str
    target: str = ""
    baseline: str = ""


@dataclass(frozen=True, kw_only=True)
class Indicator(Entity):
    """Indikator with its target value and latest outcome."""

    LABEL = Label.INDICATOR
    name: str
    unit: str = ""
    target_value: float | None = None
    outcome_value: float | None = None
    split_by_gender: bool = False


@dataclass(frozen=True, kw_only=True)
class IndicatorOutcome(Entity):
    """Utfall of an indicator for one tertial, split by kön where possible."""

    LABEL = Label.INDICATOR_OUTCOME
    year: int
    tertial: int
    value: float | None = None
    women: float | None = None
    men: float | None = None
    comment: str = ""

    @property
    def caption(self) -> str:
        return f"{self.year} T{self.tertial}"


@dataclass(frozen=True, kw_only=True)
class Initiative(Entity):
    """A time-bound ILS aktivitet (not a process activity)."""

    LABEL = Label.INITIATIVE
    TITLE_FIELD = "title"
    title: str
    description: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    status: ActionStatus = ActionStatus.PLANNED


@dataclass(frozen=True, kw_only=True)
class Process(Entity):
    """Huvud-, stöd- or styrprocess, or a delprocess of one."""

    LABEL = Label.PROCESS
    name: str
    kind: ProcessKind
    purpose: str = ""
    trigger: str = ""
    ends_when: str = ""
    desired_effect: str = ""
    recipients: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()
    collaboration: str = ""
    archived: bool = False


@dataclass(frozen=True, kw_only=True)
class Activity(Entity):
    """A flow node of a process, in order."""

    LABEL = Label.ACTIVITY
    name: str
    position: int = 0
    node_type: ActivityType = ActivityType.TASK
    description: str = ""
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Role(Entity):
    """Roll or funktion that performs activities and owns things."""

    LABEL = Label.ROLE
    name: str
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Document(Entity):
    """Styrdokument or rutin under document control."""

    LABEL = Label.DOCUMENT
    TITLE_FIELD = "title"
    title: str
    kind: DocumentKind
    status: DocumentStatus = DocumentStatus.DRAFT
    doc_version: str = "1.0"
    decided_on: date | None = None
    review_by: date | None = None
    url: str = ""
    legal_reference: str = ""
    body: str = ""
    #: An uploaded PDF or DOCX, stored once per checksum in the data directory's file store.
    file_name: str = ""
    file_checksum: str = ""
    file_media_type: str = ""
    file_size: int = 0
    #: Who fastställde this version (the workflow sets it with ``decided_on``).
    approved_by: str = ""

    def review_overdue(self, today: date) -> bool:
        """A document in force whose review date has passed."""
        return (
            self.status is DocumentStatus.APPROVED
            and self.review_by is not None
            and self.review_by < today
        )


@dataclass(frozen=True, kw_only=True)
class Risk(Entity):
    """A risk in the väsentlighets- och riskanalys."""

    LABEL = Label.RISK
    TITLE_FIELD = "title"
    title: str
    description: str = ""
    cause: str = ""
    probability: int = 1
    consequence: int = 1
    year: int | None = None
    status: RiskStatus = RiskStatus.OPEN

    @property
    def value(self) -> int:
        """Riskvärde = sannolikhet × konsekvens."""
        return self.probability * self.consequence


@dataclass(frozen=True, kw_only=True)
class RiskMatrix(Entity):
    """The scales risks are assessed on and the levels their values fall into.

    ``level_minimums[i]`` is the lowest risk value of level ``i``; names and colours run
    parallel. Risks whose value reaches ``control_threshold`` belong in the internkontrollplan.
    See ``qms.domain.risk_matrix`` for the rules and the default.
    """

    LABEL = Label.RISK_MATRIX
    name: str
    probability_labels: tuple[str, ...]
    consequence_labels: tuple[str, ...]
    level_names: tuple[str, ...]
    level_colours: tuple[str, ...]
    level_minimums: tuple[str, ...]
    control_threshold: int


@dataclass(frozen=True, kw_only=True)
class Control(Entity):
    """Kontrollmoment of the internkontrollplan: how a serious risk is checked."""

    LABEL = Label.CONTROL
    TITLE_FIELD = "title"
    title: str
    method: str = ""
    frequency: Frequency = Frequency.TERTIAL
    reporting: str = ""
    year: int | None = None
    result: str = ""
    outcome: InspectionOutcome | None = None


@dataclass(frozen=True, kw_only=True)
class SelfInspection(Entity):
    """A planned, recurring egenkontroll."""

    LABEL = Label.SELF_INSPECTION
    TITLE_FIELD = "title"
    title: str
    method: str = ""
    frequency: Frequency = Frequency.YEARLY
    next_due: date | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class InspectionResult(Entity):
    """The result of one egenkontroll run, with its findings."""

    LABEL = Label.INSPECTION_RESULT
    TITLE_FIELD = "findings"
    performed_on: date
    outcome: InspectionOutcome = InspectionOutcome.OK
    findings: str = ""
    performed_by: str = ""


@dataclass(frozen=True, kw_only=True)
class Deviation(Entity):
    """Avvikelse, klagomål, synpunkt, lex Sarah or lex Maria."""

    LABEL = Label.DEVIATION
    TITLE_FIELD = "title"
    title: str
    kind: DeviationKind = DeviationKind.DEVIATION
    status: DeviationStatus = DeviationStatus.REGISTERED
    description: str = ""
    occurred_on: date | None = None
    follow_up_on: date | None = None
    location: str = ""
    reported_by: str = ""
    reported_on: date | None = None
    investigator: str = ""
    incident_class: IncidentClass | None = None
    serious: bool | None = None
    serious_decided_by: str = ""
    serious_decided_on: date | None = None
    reported_to_ivo_on: date | None = None
    ivo_reference: str = ""
    follow_up_outcome: str = ""
    closed_on: date | None = None
    #: The account that reported it, so a medarbetare can follow their own reports.
    reported_by_account: str = ""

    #: Free-text fields that may hold personal data (shown only to those allowed).
    PERSONAL: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "location",
        "reported_by",
        "investigator",
        "follow_up_outcome",
        "reported_by_account",
    )


@dataclass(frozen=True, kw_only=True)
class Cause(Entity):
    """A root cause found when a deviation is investigated."""

    LABEL = Label.CAUSE
    TITLE_FIELD = "description"
    description: str
    category: str = ""


@dataclass(frozen=True, kw_only=True)
class Action(Entity):
    """Åtgärd that addresses a cause, a risk or a deviation."""

    LABEL = Label.ACTION
    TITLE_FIELD = "title"
    title: str
    description: str = ""
    status: ActionStatus = ActionStatus.PLANNED
    due_on: date | None = None
    done_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class ProcessModel(Entity):
    """The BPMN 2.0 file a process was last imported or saved as: pools, DI, extensions.

    The graph holds what the organisation works with (activities, flows, roles); this holds
    the rest of the drawing, so an export gives back what a modeling tool brought in.
    """

    LABEL = Label.PROCESS_MODEL
    TITLE_FIELD = "source"
    xml: str
    source: str = ""
    tool: str = ""
    digest: str = ""


@dataclass(frozen=True, kw_only=True)
class Account(Entity):
    """A person who logs in, or whom the city's single sign-on names; the id is the user name.

    ``roles`` holds grants as ``role@unit`` (``kvalitetssamordnare@enh-1``); ``*`` for the unit
    means the whole organisation.
    """

    LABEL = Label.ACCOUNT
    SECRET = ("password_hash",)
    name: str
    email: str = ""
    roles: tuple[str, ...] = ()
    password_hash: str = ""
    disabled: bool = False


@dataclass(frozen=True, kw_only=True)
class ApiToken(Entity):
    """A token an integration presents to the JSON API, on behalf of one account.

    Only a hash of the secret is stored; the token itself is shown once, when it is made.
    """

    LABEL = Label.API_TOKEN
    SECRET = ("secret_hash",)
    name: str
    account: str
    secret_hash: str
    expires_on: date | None = None
    revoked: bool = False


ENTITY_TYPES: dict[Label, type[Entity]] = {
    cls.LABEL: cls
    for cls in (
        OrgUnit,
        Goal,
        GoalAssessment,
        ExpectedResult,
        Indicator,
        IndicatorOutcome,
        Initiative,
        Process,
        Activity,
        Role,
        Document,
        Risk,
        RiskMatrix,
        Control,
        SelfInspection,
        InspectionResult,
        Deviation,
        Cause,
        Action,
        ProcessModel,
        Account,
        ApiToken,
    )
}
