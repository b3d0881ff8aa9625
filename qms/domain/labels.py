"""Node labels and relationship types of the quality graph (see docs/graph-model.md)."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    """Every node label. Labels are never taken from user input, only from this enum."""

    ORG_UNIT = "OrgUnit"
    GOAL = "Goal"
    GOAL_ASSESSMENT = "GoalAssessment"
    EXPECTED_RESULT = "ExpectedResult"
    INDICATOR = "Indicator"
    INDICATOR_OUTCOME = "IndicatorOutcome"
    INITIATIVE = "Initiative"
    PROCESS = "Process"
    ACTIVITY = "Activity"
    ROLE = "Role"
    DOCUMENT = "Document"
    RISK = "Risk"
    RISK_MATRIX = "RiskMatrix"
    CONTROL = "Control"
    SELF_INSPECTION = "SelfInspection"
    INSPECTION_RESULT = "InspectionResult"
    DEVIATION = "Deviation"
    CAUSE = "Cause"
    ACTION = "Action"
    PROCESS_MODEL = "ProcessModel"
    ACCOUNT = "Account"
    API_TOKEN = "ApiToken"  # noqa: S105 (a label, not a secret)


class Rel(StrEnum):
    """Every relationship type."""

    PART_OF = "PART_OF"
    BELONGS_TO = "BELONGS_TO"
    BREAKS_DOWN = "BREAKS_DOWN"
    EXPECTS = "EXPECTS"
    MEASURES = "MEASURES"
    SUPPORTS = "SUPPORTS"
    CONTRIBUTES_TO = "CONTRIBUTES_TO"
    SUBPROCESS_OF = "SUBPROCESS_OF"
    HAS_ACTIVITY = "HAS_ACTIVITY"
    FLOWS_TO = "FLOWS_TO"
    PERFORMED_BY = "PERFORMED_BY"
    OWNED_BY = "OWNED_BY"
    GOVERNED_BY = "GOVERNED_BY"
    THREATENS = "THREATENS"
    CHECKS = "CHECKS"
    HAS_RESULT = "HAS_RESULT"
    AFFECTS = "AFFECTS"
    RAISED_BY = "RAISED_BY"
    REALISES = "REALISES"
    CAUSED_BY = "CAUSED_BY"
    ADDRESSES = "ADDRESSES"
    HAS_MODEL = "HAS_MODEL"
    HAS_ASSESSMENT = "HAS_ASSESSMENT"
    HAS_OUTCOME = "HAS_OUTCOME"
    CONTROLS = "CONTROLS"
    SUPERSEDES = "SUPERSEDES"
