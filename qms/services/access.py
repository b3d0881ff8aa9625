"""Who may do what: the one place access checks live.

An account holds grants ``role@unit``; each role stands for a set of permissions, and a grant
applies to its unit and every unit below it (``*`` = the whole organisation). Services ask
``actor.require(permission, unit)``; the web, the API and the CLI only build the ``Actor``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from qms.domain.errors import Forbidden, InvalidInput

#: A grant for the whole organisation.
EVERYWHERE = "*"


class Permission(StrEnum):
    """What a use case may ask of the person calling it."""

    #: Register an avvikelse and follow one's own reports.
    REPORT_DEVIATIONS = "report_deviations"
    #: See the free text of avvikelser (may hold personal data covered by secrecy).
    READ_PERSONAL_DATA = "read_personal_data"
    #: Investigate avvikelser and move them through the workflow.
    HANDLE_DEVIATIONS = "handle_deviations"
    #: Edit risks, the internkontrollplan, egenkontroller and goal follow-up.
    EDIT_QUALITY = "edit_quality"
    #: Map processes and activities, keep the role catalogue and the document registry.
    EDIT_PROCESSES = "edit_processes"
    #: Fastställ (approve) and upphäv (revoke) styrdokument and rutiner.
    APPROVE_DOCUMENTS = "approve_documents"
    #: Create accounts, grant roles, make API tokens.
    MANAGE_ACCOUNTS = "manage_accounts"


MESSAGES: dict[Permission, str] = {
    Permission.REPORT_DEVIATIONS: "Logga in för att registrera och följa dina avvikelser.",
    Permission.READ_PERSONAL_DATA: "Uppgifterna kan innehålla personuppgifter och visas bara "
    "för dem som handlägger ärendet.",
    Permission.HANDLE_DEVIATIONS: "Du har inte behörighet att handlägga avvikelser.",
    Permission.EDIT_QUALITY: "Du har inte behörighet att ändra i kvalitetsarbetet.",
    Permission.EDIT_PROCESSES: "Du har inte behörighet att ändra processer och dokument.",
    Permission.APPROVE_DOCUMENTS: "Du har inte behörighet att fastställa eller upphäva dokument.",
    Permission.MANAGE_ACCOUNTS: "Du har inte behörighet att hantera konton.",
}


class AccountRole(StrEnum):
    """The roles an account can be granted, each within an organisation unit."""

    READER = "lasare"
    EMPLOYEE = "medarbetare"
    PROCESS_OWNER = "processagare"
    COORDINATOR = "kvalitetssamordnare"
    MANAGER = "chef"
    ADMIN = "administrator"


ROLE_NAMES: dict[AccountRole, str] = {
    AccountRole.READER: "Läsare",
    AccountRole.EMPLOYEE: "Medarbetare",
    AccountRole.PROCESS_OWNER: "Processägare",
    AccountRole.COORDINATOR: "Kvalitetssamordnare",
    AccountRole.MANAGER: "Chef",
    AccountRole.ADMIN: "Administratör",
}

_P = Permission
ROLE_PERMISSIONS: dict[AccountRole, frozenset[Permission]] = {
    AccountRole.READER: frozenset(),
    AccountRole.EMPLOYEE: frozenset({_P.REPORT_DEVIATIONS}),
    AccountRole.PROCESS_OWNER: frozenset({_P.REPORT_DEVIATIONS, _P.EDIT_PROCESSES}),
    AccountRole.COORDINATOR: frozenset(
        {
            _P.REPORT_DEVIATIONS,
            _P.READ_PERSONAL_DATA,
            _P.HANDLE_DEVIATIONS,
            _P.EDIT_QUALITY,
            _P.EDIT_PROCESSES,
            _P.APPROVE_DOCUMENTS,
        }
    ),
    AccountRole.MANAGER: frozenset(
        {_P.REPORT_DEVIATIONS, _P.READ_PERSONAL_DATA, _P.HANDLE_DEVIATIONS, _P.APPROVE_DOCUMENTS}
    ),
    AccountRole.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Grant:
    """One role in one organisation unit (``EVERYWHERE`` for all of them)."""

    role: AccountRole
    unit: str = EVERYWHERE

    def __str__(self) -> str:
        return f"{self.role.value}@{self.unit}"

    @classmethod
    def parse(cls, text: str) -> Grant:
        """``role@unit`` (or a bare role, meaning everywhere); a Swedish error otherwise."""
        role, _, unit = text.strip().partition("@")
        try:
            return cls(AccountRole(role.strip()), unit.strip() or EVERYWHERE)
        except ValueError:
            known = ", ".join(r.value for r in AccountRole)
            raise InvalidInput(
                f"okänd roll {role!r}; välj bland {known}", {"roles": [f"okänd roll {role!r}"]}
            ) from None


@dataclass(frozen=True)
class Actor:
    """The person behind a call: a name for the change log and what they may do where.

    ``scopes`` names, per permission, the organisation units (subtrees already expanded) where
    it holds; a permission without an entry holds everywhere.
    """

    name: str
    permissions: frozenset[Permission] = frozenset()
    scopes: Mapping[Permission, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: The account id behind the actor ("" for anonymous visitors and the system).
    account: str = ""
    display_name: str = ""

    @property
    def signed_in(self) -> bool:
        """Whether an account stands behind this actor."""
        return bool(self.account)

    def units_for(self, permission: Permission) -> frozenset[str] | None:
        """Units where ``permission`` holds: None for everywhere, empty for nowhere."""
        if permission not in self.permissions:
            return frozenset()
        return self.scopes.get(permission)

    def can(self, permission: Permission, unit: str | None = None) -> bool:
        """Whether this actor holds ``permission`` (in ``unit`` when one is named)."""
        units = self.units_for(permission)
        if units is None:
            return True
        if unit is None:
            return bool(units)
        return unit in units

    def require(self, permission: Permission, unit: str | None = None) -> None:
        """Refuse with ``Forbidden`` (a Swedish reason) unless the actor may."""
        if not self.can(permission, unit):
            raise Forbidden(MESSAGES[permission])

    def can_for(self, permission: Permission, unit: str | None) -> bool:
        """Whether the actor may act on an entity of ``unit``; an entity outside every unit
        (``None``) only for those who hold the permission everywhere."""
        if unit is None:
            return self.units_for(permission) is None and permission in self.permissions
        return self.can(permission, unit)

    def require_for(self, permission: Permission, unit: str | None) -> None:
        """``can_for`` or ``Forbidden`` with the Swedish reason."""
        if not self.can_for(permission, unit):
            raise Forbidden(MESSAGES[permission])

    @property
    def cache_key(self) -> str:
        """What a page rendered for this actor may be shared by: anonymous readers share one."""
        return self.account or ("open" if self.permissions else "anon")


#: Anyone: may read the portal and register an avvikelse, nothing more.
ANONYMOUS = Actor("anonym")


def coordinator(name: str) -> Actor:
    """Every permission everywhere (an open demo server, the CLI, the system's own jobs)."""
    return Actor(name, frozenset(Permission))


def actor_for_grants(
    account: str,
    display_name: str,
    grants: Iterable[Grant],
    subtree: Mapping[str, frozenset[str]] | None = None,
) -> Actor:
    """The actor of an account with these grants; ``subtree`` maps a unit to it and every unit
    below it (a unit missing from it counts as just itself)."""
    everywhere: set[Permission] = set()
    scoped: dict[Permission, set[str]] = {}
    for grant in grants:
        for permission in ROLE_PERMISSIONS[grant.role]:
            if grant.unit == EVERYWHERE:
                everywhere.add(permission)
            else:
                units = (subtree or {}).get(grant.unit, frozenset({grant.unit}))
                scoped.setdefault(permission, set()).update(units)
    scopes = {p: frozenset(u) for p, u in scoped.items() if p not in everywhere}
    return Actor(
        account,
        frozenset(everywhere | scoped.keys()),
        MappingProxyType(scopes),
        account=account,
        display_name=display_name or account,
    )
