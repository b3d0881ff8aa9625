"""Exporters by format name: ``export(model) -> bytes``, each in a module of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], bytes]
_REGISTRY: dict[str, Exporter] = {}


def register(name: str) -> Callable[[Exporter], Exporter]:
    """Decorator: make ``export`` available under ``name``."""

    def decorate(export: Exporter) -> Exporter:
        if name in _REGISTRY:
            raise ValueError(f"exporter {name!r} registered twice")
        _REGISTRY[name] = export
        return export

    return decorate


def get(name: str) -> Exporter:
    """The exporter registered as ``name``; KeyError lists the known ones."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"okänt exportformat {name!r}; kända: {', '.join(names())}") from None


def names() -> list[str]:
    """Every registered format name."""
    _load_builtin()
    return sorted(_REGISTRY)


def _load_builtin() -> None:
    from exporters import bpmn, jsonl  # noqa: F401  (register themselves)
