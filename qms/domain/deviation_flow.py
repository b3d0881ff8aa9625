"""The avvikelse workflow: registrerad → under utredning → åtgärder → uppföljning → avslutad.

Each step asks for what the next one builds on: someone investigating before the
investigation, a root cause before actions, every action tied to a cause it addresses (IVO
has closed cases whose actions missed the cause), a follow-up date, and an outcome before
closing. Lex Sarah and lex Maria also need their classification and the decision on whether
the case is *allvarligt*; a serious one must be reported to IVO before it is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from qms.domain.entities import Action, Cause, Deviation
from qms.domain.kinds import INCIDENT_CLASSES, DeviationKind, DeviationStatus

S = DeviationStatus

#: The steps a case may take from each status: forward one step, or back one to redo it.
TRANSITIONS: dict[DeviationStatus, tuple[DeviationStatus, ...]] = {
    S.REGISTERED: (S.INVESTIGATING, S.CLOSED),
    S.INVESTIGATING: (S.ACTIONS, S.REGISTERED),
    S.ACTIONS: (S.FOLLOW_UP, S.INVESTIGATING),
    S.FOLLOW_UP: (S.CLOSED, S.ACTIONS),
    S.CLOSED: (S.FOLLOW_UP,),
}
#: Kinds that may be answered and closed straight from registrerad (a synpunkt needs no
#: root-cause analysis; it needs an answer).
ANSWER_ONLY = (DeviationKind.SUGGESTION,)
#: Days from the decision that a case is allvarligt to the report to IVO. The regulations say
#: "snarast"; the number is the organisation's own rule and set in the settings.
IVO_REPORT_DAYS = 14
#: From how many days before the deadline the report is flagged as approaching.
IVO_WARNING_DAYS = 5


@dataclass(frozen=True)
class Case:
    """A deviation with what its workflow depends on: its causes and its actions.

    ``actions`` pairs each action with the ids of the causes it addresses.
    """

    deviation: Deviation
    causes: tuple[Cause, ...] = ()
    actions: tuple[tuple[Action, frozenset[str]], ...] = ()


def is_lex(deviation: Deviation) -> bool:
    """A lex Sarah or lex Maria report."""
    return deviation.kind in INCIDENT_CLASSES


def must_report_to_ivo(deviation: Deviation) -> bool:
    """A lex report judged allvarlig: it goes to IVO."""
    return is_lex(deviation) and deviation.serious is True


def refusals(case: Case, target: DeviationStatus) -> list[str]:
    """Why the case may not move to ``target`` (Swedish, one reason a line); empty if it may."""
    dev = case.deviation
    if target is dev.status:
        return ["Ärendet har redan den statusen."]
    if target not in TRANSITIONS[dev.status]:
        return ["Ärendet kan inte gå direkt dit; ta ett steg i taget."]
    if target is S.CLOSED and dev.status is S.REGISTERED and dev.kind not in ANSWER_ONLY:
        return ["Bara synpunkter kan besvaras och avslutas utan utredning."]
    going_back = TRANSITIONS[dev.status].index(target) > 0 and dev.status is not S.REGISTERED
    if going_back:
        return []
    return _requirements(case, target)


def _requirements(case: Case, target: DeviationStatus) -> list[str]:
    dev = case.deviation
    reasons: list[str] = []
    if target is S.INVESTIGATING and not dev.investigator.strip():
        reasons.append("Ange vem som utreder ärendet.")
    if target is S.ACTIONS:
        if not case.causes:
            reasons.append("Ange minst en grundorsak innan åtgärder planeras.")
        if is_lex(dev):
            reasons.extend(_lex_assessment(dev))
    if target is S.FOLLOW_UP:
        if not case.actions:
            reasons.append("Ange minst en åtgärd.")
        cause_ids = {cause.id for cause in case.causes}
        for action, addressed in case.actions:
            if not addressed & cause_ids:
                reasons.append(f"Åtgärden ”{action.title}” är inte kopplad till någon orsak.")
        if dev.follow_up_on is None:
            reasons.append("Ange när åtgärdernas effekt ska följas upp.")
    if target is S.CLOSED:
        if not dev.follow_up_outcome.strip():
            reasons.append(
                "Ange svaret på synpunkten."
                if dev.kind in ANSWER_ONLY and dev.status is S.REGISTERED
                else "Ange resultatet av uppföljningen."
            )
        if must_report_to_ivo(dev) and dev.reported_to_ivo_on is None:
            reasons.append("Ett allvarligt ärende ska vara anmält till IVO innan det avslutas.")
    return reasons


def _lex_assessment(dev: Deviation) -> list[str]:
    reasons = []
    allowed = INCIDENT_CLASSES[dev.kind]
    if dev.incident_class not in allowed:
        reasons.append("Ange om det gäller ett missförhållande/en vårdskada eller en risk för det.")
    if dev.serious is None:
        reasons.append("Bedöm om ärendet är allvarligt.")
    if not dev.serious_decided_by.strip() or dev.serious_decided_on is None:
        reasons.append("Ange vem som bedömde allvarlighetsgraden och när.")
    return reasons


@dataclass(frozen=True)
class IvoDeadline:
    """When a serious lex case must be reported to IVO, and how it stands on ``today``."""

    due: date
    days_left: int
    reported_on: date | None

    @property
    def overdue(self) -> bool:
        return self.reported_on is None and self.days_left < 0

    @property
    def approaching(self) -> bool:
        return self.reported_on is None and 0 <= self.days_left <= IVO_WARNING_DAYS


def ivo_deadline(
    deviation: Deviation, today: date, days: int = IVO_REPORT_DAYS
) -> IvoDeadline | None:
    """The IVO deadline of a serious lex case (counted from the decision), else None."""
    if not must_report_to_ivo(deviation):
        return None
    start = deviation.serious_decided_on or deviation.reported_on or deviation.occurred_on
    if start is None:
        return None
    due = start + timedelta(days=days)
    return IvoDeadline(due, (due - today).days, deviation.reported_to_ivo_on)
