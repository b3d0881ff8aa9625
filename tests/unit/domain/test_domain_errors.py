"""Domain errors: Swedish messages and one line per validation problem."""

import pytest

from qms.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    QmsError,
    StoreError,
    StoreUnavailable,
)
from qms.domain.labels import Label


def test_invalid_input_without_details_is_one_line() -> None:
    error = InvalidInput("Filen kunde inte läsas")
    assert error.errors == {}
    assert error.lines() == ["Filen kunde inte läsas"]
    assert str(error) == "Filen kunde inte läsas"


def test_invalid_input_gives_one_line_per_message_with_its_location() -> None:
    error = InvalidInput(
        "2 fel",
        {
            "processes.yaml: p1.name": ["Fältet måste fyllas i."],
            "processes.yaml: p1.kind": ["Ogiltigt värde.", "Fältet får inte vara tomt."],
        },
    )
    assert error.lines() == [
        "processes.yaml: p1.name: Fältet måste fyllas i.",
        "processes.yaml: p1.kind: Ogiltigt värde.",
        "processes.yaml: p1.kind: Fältet får inte vara tomt.",
    ]


def test_not_found_names_the_entity_in_swedish() -> None:
    error = NotFound(Label.PROCESS, "p-hemtjanst")
    assert str(error) == "Process p-hemtjanst finns inte"
    assert (error.label, error.entity_id) == ("Process", "p-hemtjanst")


@pytest.mark.parametrize(
    "error_type",
    [NotFound, Conflict, InvalidInput, Forbidden, StoreUnavailable, StoreError],
)
def test_every_domain_error_is_a_qms_error(error_type: type[Exception]) -> None:
    assert issubclass(error_type, QmsError)
