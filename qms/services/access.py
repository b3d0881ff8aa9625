"""Who may do what: the one place access checks live.

Until accounts and roles arrive (the accounts issue), an ``Actor`` carries its permissions
directly; that issue maps roles and organisation units to these permissions here, and every
service that checks ``actor.require(...)`` keeps working unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from qms.domain.errors import Forbidden


class Permission(StrEnum):
    """What a use case may ask of the person calling it."""

    #: See the free text of avvikelser (may hold personal data covered by secrecy).
    READ_PERSONAL_DATA = "read_personal_data"
    #: Investigate avvikelser and move them through the workflow.
    HANDLE_DEVIATIONS = "handle_deviations"
    #: Edit risks, the internkontrollplan, egenkontroller and goal follow-up.
    EDIT_QUALITY = "edit_quality"
    #: Map processes and activities, keep the role catalogue and the document registry.
    EDIT_PROCESSES = "edit_processes"


MESSAGES: dict[Permission, str] = {
    Permission.READ_PERSONAL_DATA: "Uppgifterna kan innehålla personuppgifter och visas bara "
    "för dem som handlägger ärendet.",
    Permission.HANDLE_DEVIATIONS: "Du har inte behörighet att handlägga avvikelser.",
    Permission.EDIT_QUALITY: "Du har inte behörighet att ändra i kvalitetsarbetet.",
    Permission.EDIT_PROCESSES: "Du har inte behörighet att ändra processer och dokument.",
}


@dataclass(frozen=True)
class Actor:
    """The person behind a call: a name for the change log and what they may do."""

    name: str
    permissions: frozenset[Permission] = frozenset()

    def can(self, permission: Permission) -> bool:
        """Whether this actor holds ``permission``."""
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Refuse with ``Forbidden`` (a Swedish reason) unless the actor holds ``permission``."""
        if not self.can(permission):
            raise Forbidden(MESSAGES[permission])


#: Anyone: may read the portal and register an avvikelse, nothing more.
ANONYMOUS = Actor("anonym")


def coordinator(name: str) -> Actor:
    """A kvalitetssamordnare: every permission (what an open, pre-accounts server grants)."""
    return Actor(name, frozenset(Permission))
