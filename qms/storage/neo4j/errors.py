"""Neo4j driver errors as domain errors, with messages an operator can act on."""

from __future__ import annotations

from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    ConnectionAcquisitionTimeoutError,
    ConstraintError,
    DatabaseUnavailable,
    DriverError,
    Forbidden,
    ForbiddenOnReadOnlyDatabase,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from qms.domain.errors import Conflict, QmsError, StoreError, StoreNotWritable, StoreUnavailable

#: What the adapter catches around every driver call.
DRIVER_ERRORS = (Neo4jError, DriverError)

_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"


def translate(exc: Exception, where: str = "Neo4j") -> QmsError:
    """The domain error for a driver error; ``where`` names the server (never the password)."""
    if isinstance(exc, ConstraintError):
        return Conflict(f"id finns redan eller krockar med en annan skrivning: {_text(exc)}")
    if isinstance(exc, AuthError):
        return StoreUnavailable(
            f"{where} nekade inloggningen: fel användarnamn eller lösenord "
            "(QMS_NEO4J_USER, QMS_NEO4J_PASSWORD eller QMS_NEO4J_PASSWORD_FILE)"
        )
    if isinstance(exc, IncompleteCommit):
        return StoreUnavailable(
            f"förbindelsen med {where} bröts under sparandet; kontrollera om ändringen "
            "kom med innan du gör om den"
        )
    if isinstance(exc, ForbiddenOnReadOnlyDatabase):
        return StoreNotWritable(f"{where}: databasen är skrivskyddad just nu; inget sparades")
    if isinstance(exc, ConnectionAcquisitionTimeoutError):
        return StoreUnavailable(f"{where}: alla förbindelser är upptagna; försök igen")
    if isinstance(exc, Forbidden):
        return StoreUnavailable(f"{where}: användaren saknar behörighet: {_text(exc)}")
    if isinstance(exc, (ServiceUnavailable, SessionExpired, DatabaseUnavailable)):
        return StoreUnavailable(
            f"grafdatabasen {where} svarar inte; kontrollera QMS_NEO4J_URI och att servern "
            f"är igång ({_text(exc)})"
        )
    if isinstance(exc, TransientError):
        return StoreError(
            f"{where} hade ett tillfälligt fel som kvarstod efter upprepade försök; "
            f"försök igen om en stund ({_text(exc)})"
        )
    if isinstance(exc, ClientError) and getattr(exc, "code", None) == _NOT_FOUND:
        return StoreUnavailable(f"{where}: databasen finns inte (QMS_NEO4J_DATABASE)")
    if isinstance(exc, ConfigurationError):
        return StoreUnavailable(f"{where}: ogiltig anslutningsinställning: {_text(exc)}")
    return StoreError(f"{where}: {_text(exc)}")


def _text(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
