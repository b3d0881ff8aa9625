"""Import problems that name the file, line, element id and tag; raised as ``InvalidInput``."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.ns import split
from qms.domain.errors import InvalidInput


def where(source: str, element: etree._Element | None) -> str:
    """``file:line <tag id="…">`` for an element (or just the file)."""
    if element is None:
        return source
    tag = split(element.tag)[1] if isinstance(element.tag, str) else "?"
    ident = element.get("id")
    named = f' id="{ident}"' if ident else ""
    return f"{source}:{element.sourceline or 0} <{tag}{named}>"


@dataclass
class Problems:
    """Errors (the import is refused) and warnings (something was normalised) of one file."""

    source: str
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, element: etree._Element | None, message: str) -> None:
        """Record a problem that refuses the file."""
        self.errors.setdefault(where(self.source, element), []).append(message)

    def warn(self, element: etree._Element | None, message: str) -> None:
        """Record a normalisation: the file is read, but not byte for byte."""
        self.warnings.append(f"{where(self.source, element)}: {message}")

    def raise_if_any(self) -> None:
        """``InvalidInput`` listing every error; nothing has been written."""
        if self.errors:
            count = sum(len(v) for v in self.errors.values())
            raise InvalidInput(
                f"{self.source}: {count} fel i BPMN-filen; inget lästes in", self.errors
            )


def refuse(source: str, message: str, line: int = 0) -> InvalidInput:
    """A one-problem ``InvalidInput`` for the whole file (unsafe or unreadable XML)."""
    place = f"{source}:{line}" if line else source
    return InvalidInput(f"{source}: {message}; inget lästes in", {place: [message]})
