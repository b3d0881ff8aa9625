"""The risk matrix: scales, levels and the value from which a risk needs a control.

Stockholm's VoR exports show labels such as sannolikhet "2 - Mindre sannolikt", "3 - Möjlig"
and konsekvens "4 - Allvarlig", "5 - Mycket allvarlig"; the rest of the default below is
filled in the same style and is meant to be edited (``RiskMatrix`` in the graph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qms.domain.entities import RiskMatrix

MIN_STEPS, MAX_STEPS = 3, 5
COLOUR = re.compile(r"\A#[0-9a-fA-F]{6}\Z")
DEFAULT_ID = "riskmatris"

DEFAULT = RiskMatrix(
    id=DEFAULT_ID,
    name="Stockholms stads riskmatris (standard)",
    probability_labels=(
        "Osannolikt",
        "Mindre sannolikt",
        "Möjlig",
        "Sannolikt",
        "Mycket sannolikt",
    ),
    consequence_labels=("Försumbar", "Lindrig", "Kännbar", "Allvarlig", "Mycket allvarlig"),
    level_names=("Låg", "Medel", "Hög", "Mycket hög"),
    level_colours=("#2e7d32", "#f9a825", "#ef6c00", "#c62828"),
    level_minimums=("1", "5", "10", "15"),
    control_threshold=10,
)


@dataclass(frozen=True)
class Level:
    """One band of risk values, e.g. "Hög" from 10, drawn in its colour."""

    name: str
    colour: str
    minimum: int

    @property
    def ink(self) -> str:
        """Black or white text, whichever reads better on the level's colour."""
        return ink(self.colour)


def ink(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def problems(matrix: RiskMatrix) -> dict[str, list[str]]:
    """What is wrong with a matrix, per field, in Swedish (empty when it is usable)."""
    found: dict[str, list[str]] = {}
    for name in ("probability_labels", "consequence_labels"):
        labels = getattr(matrix, name)
        if not MIN_STEPS <= len(labels) <= MAX_STEPS:
            found[name] = [f"Ange {MIN_STEPS}–{MAX_STEPS} steg."]
        elif any(not label.strip() for label in labels):
            found[name] = ["Varje steg behöver en benämning."]
    count = len(matrix.level_names)
    if count == 0:
        found["level_names"] = ["Ange minst en risknivå."]
    elif any(not name.strip() for name in matrix.level_names):
        found["level_names"] = ["Varje nivå behöver ett namn."]
    if len(matrix.level_colours) != count:
        found["level_colours"] = ["Ange en färg per nivå."]
    elif any(not COLOUR.match(colour) for colour in matrix.level_colours):
        found["level_colours"] = ["Ange färger som #rrggbb."]
    minimums = [int(m) for m in matrix.level_minimums if m.strip().isdigit()]
    if len(minimums) != count or len(minimums) != len(matrix.level_minimums):
        found["level_minimums"] = ["Ange ett lägsta riskvärde (heltal) per nivå."]
    elif minimums[0] != 1 or any(b <= a for a, b in zip(minimums, minimums[1:], strict=False)):
        found["level_minimums"] = ["Första nivån börjar på 1 och varje nästa nivå högre."]
    top = len(matrix.probability_labels) * len(matrix.consequence_labels)
    if not 1 <= matrix.control_threshold <= max(top, 1):
        found["control_threshold"] = [f"Ange ett riskvärde från 1 till {top}."]
    return found


def levels(matrix: RiskMatrix) -> tuple[Level, ...]:
    """The matrix's levels, lowest first."""
    return tuple(
        Level(name, colour, int(minimum))
        for name, colour, minimum in zip(
            matrix.level_names, matrix.level_colours, matrix.level_minimums, strict=True
        )
    )


def level_of(matrix: RiskMatrix, value: int) -> Level:
    """The level a risk value falls into."""
    found = levels(matrix)
    return next((lvl for lvl in reversed(found) if value >= lvl.minimum), found[0])


def needs_control(matrix: RiskMatrix, value: int) -> bool:
    """Whether a risk of this value belongs in the internkontrollplan."""
    return value >= matrix.control_threshold


def scale_label(labels: tuple[str, ...], step: int) -> str:
    """A step as ILS writes it: ``"2 - Mindre sannolikt"``."""
    return f"{step} - {labels[step - 1]}" if 1 <= step <= len(labels) else str(step)
