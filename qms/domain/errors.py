"""Domain errors; the web layer maps them to HTTP status codes, the CLI to one line."""

from __future__ import annotations


class QmsError(Exception):
    """Base of every error the domain, services and adapters raise on purpose."""


class NotFound(QmsError):
    """An entity that was asked for does not exist."""

    def __init__(self, label: str, entity_id: str) -> None:
        super().__init__(f"{label} {entity_id} finns inte")
        self.label = label
        self.entity_id = entity_id


class Conflict(QmsError):
    """A write lost a race: stale version, duplicate id or a competing writer."""


class InvalidInput(QmsError):
    """Input failed validation; ``errors`` maps a location (file, id, field) to messages."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def lines(self) -> list[str]:
        """One human-readable line per problem."""
        if not self.errors:
            return [self.message]
        return [f"{where}: {msg}" for where, msgs in self.errors.items() for msg in msgs]


class Forbidden(QmsError):
    """The actor may not see or change this."""


class StoreUnavailable(QmsError):
    """The graph store cannot be reached or opened (locked, read-only, server down)."""


class StoreNotWritable(StoreUnavailable):
    """The store can be read but not written (read-only data directory, full disk)."""


#: How the embedded adapters start a ``StoreNotWritable`` message.
DATA_DIR_NOT_WRITABLE = "datakatalogen kan inte skrivas (skrivskyddad eller full disk)"


class StoreError(QmsError):
    """The store refused an operation for a reason that is not the user's."""
