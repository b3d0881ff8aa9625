"""Swedish UI words in one place until the Flask-Babel catalogue arrives."""

from __future__ import annotations

from qms.domain.kinds import ProcessKind

PRODUCT_NAME = "QMS – processer och kvalitet"

# Ordered as on a process map: core first, then support, then management.
PROCESS_KIND_HEADINGS: dict[ProcessKind, str] = {
    ProcessKind.CORE: "Huvudprocesser",
    ProcessKind.SUPPORT: "Stödprocesser",
    ProcessKind.MANAGEMENT: "Styrprocesser",
}

PROCESS_KIND_EMPTY: dict[ProcessKind, str] = {
    ProcessKind.CORE: "Inga huvudprocesser ännu.",
    ProcessKind.SUPPORT: "Inga stödprocesser ännu.",
    ProcessKind.MANAGEMENT: "Inga styrprocesser ännu.",
}

STORE_UNAVAILABLE = "Grafdatabasen är inte tillgänglig just nu"

ERROR_TITLES: dict[int, str] = {
    400: "Felaktig begäran",
    403: "Du har inte behörighet",
    404: "Sidan finns inte",
    405: "Metoden är inte tillåten",
    409: "Konflikt",
    422: "Uppgifterna kunde inte godkännas",
    500: "Något gick fel",
    503: "Tjänsten är inte tillgänglig",
}

ERROR_MESSAGES: dict[int, str] = {
    400: "Begäran kunde inte tolkas.",
    403: "Du har inte behörighet att se eller ändra det här.",
    404: "Adressen finns inte. Kontrollera stavningen eller gå till startsidan.",
    405: "Den här adressen tar inte emot den sortens begäran.",
    409: "Någon annan har ändrat samma sak samtidigt. Ladda om sidan och försök igen.",
    422: "Uppgifterna kunde inte godkännas.",
    500: "Ett oväntat fel inträffade. Felet har loggats; försök igen om en stund.",
    503: f"{STORE_UNAVAILABLE}. Försök igen om en stund.",
}


def error_title(status: int) -> str:
    """The Swedish heading for an HTTP status."""
    return ERROR_TITLES.get(status, "Något gick fel")


def error_message(status: int) -> str:
    """The Swedish default explanation for an HTTP status."""
    return ERROR_MESSAGES.get(status, ERROR_MESSAGES[500])
