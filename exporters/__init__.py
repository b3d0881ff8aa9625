"""Exporters by format name, each in a module of its own.

A plain exporter is ``export(snapshot) -> bytes`` (``@register``). One that needs more than
the graph — the organisation unit it is scoped to, today's date, what the previous export of
the same format and scope held — is ``export(snapshot, context) -> Output``
(``@register_format``); its ``Output.record`` is stored by the caller and handed back as
``context.previous`` next time (see ``qms.services.export_history``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qms.domain.snapshot import Snapshot

Exporter = Callable[[Snapshot], bytes]


@dataclass(frozen=True)
class ExportContext:
    """What an exporter may know besides the graph."""

    #: The organisation unit the export covers (with the units below it); None: all.
    scope: str | None = None
    today: date = field(default_factory=date.today)
    #: The ``Output.record`` of the previous export of this format and scope, if any.
    previous: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Output:
    """An export's bytes and, for formats that compare with the last export, what to keep."""

    data: bytes
    record: Mapping[str, Any] | None = None
    #: Files that go beside the main one: each sheet as CSV (name, bytes).
    attachments: tuple[tuple[str, bytes], ...] = ()


ContextExporter = Callable[[Snapshot, ExportContext], Output]


@dataclass(frozen=True)
class Format:
    """A registered format: how it is run and how it is offered (Swedish title, file type)."""

    name: str
    run: ContextExporter
    title: str = ""
    description: str = ""
    suffix: str = ".bin"
    media_type: str = "application/octet-stream"
    #: Whether the export can be limited to one organisation unit.
    scoped: bool = False
    #: Whether each export's record is stored to compare the next one with.
    history: bool = False

    def filename(self, scope: str | None = None) -> str:
        """The download's file name, e.g. ``ils-sosfs-forvaltning.xlsx``."""
        return f"{self.name}{'-' + scope if scope else ''}{self.suffix}"


_REGISTRY: dict[str, Format] = {}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
PDF = "application/pdf"


def _add(fmt: Format) -> None:
    if fmt.name in _REGISTRY:
        raise ValueError(f"exporter {fmt.name!r} registered twice")
    _REGISTRY[fmt.name] = fmt


#: How the plain formats written before the registry knew titles are offered.
_PLAIN: dict[str, dict[str, Any]] = {
    "jsonl": {
        "title": "Fullständig säkerhetskopia (JSON Lines)",
        "description": "Hela grafen med ändringslogg; läses tillbaka med qms restore.",
        "suffix": ".jsonl",
        "media_type": "application/jsonl",
    },
    "bpmn": {
        "title": "BPMN 2.0",
        "description": "Varje process som BPMN 2.0-fil, för Signavio, Camunda, bpmn.io m.fl.",
        "suffix": ".zip",
        "media_type": ZIP,
    },
}


def register(name: str, **meta: Any) -> Callable[[Exporter], Exporter]:
    """Decorator: make a plain ``export(snapshot) -> bytes`` available under ``name``."""

    def decorate(export: Exporter) -> Exporter:
        offered = meta or _PLAIN.get(name, {})
        _add(Format(name, lambda snapshot, _context: Output(export(snapshot)), **offered))
        return export

    return decorate


def register_format(name: str, **meta: Any) -> Callable[[ContextExporter], ContextExporter]:
    """Decorator: make ``export(snapshot, context) -> Output`` available under ``name``."""

    def decorate(export: ContextExporter) -> ContextExporter:
        _add(Format(name, export, **meta))
        return export

    return decorate


def get_format(name: str) -> Format:
    """The format registered as ``name``; KeyError lists the known ones."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"okänt exportformat {name!r}; kända: {', '.join(names())}") from None


def get(name: str) -> Exporter:
    """The format ``name`` as ``export(snapshot) -> bytes`` (whole organisation, today)."""
    fmt = get_format(name)
    return lambda snapshot: fmt.run(snapshot, ExportContext()).data


def names() -> list[str]:
    """Every registered format name."""
    _load_builtin()
    return sorted(_REGISTRY)


def formats() -> list[Format]:
    """Every registered format, by name."""
    return [_REGISTRY[name] for name in names()]


#: The modules that register the built-in formats when imported.
BUILTIN = (
    "bpmn",
    "ils_goals",
    "ils_ikp",
    "ils_sosfs",
    "ils_vor",
    "jsonl",
    "ledningssystem",
    "two_c8_excel",
)


def _load_builtin() -> None:
    for module in BUILTIN:
        importlib.import_module(f"exporters.{module}")
