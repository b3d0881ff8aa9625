"""Importers by format name: a file's bytes → a ``Draft`` of wanted entities and links.

An importer only reads and checks the file; ``qms.services.imports`` matches the draft
against the graph, shows the plan and applies it all or nothing. Every problem names its
sheet, row and column, in Swedish.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qms.domain.errors import InvalidInput
from qms.domain.labels import Label, Rel


@dataclass(frozen=True)
class Where:
    """A place in the file: sheet, row (as Excel numbers it) and column (letter and header)."""

    sheet: str
    row: int = 0
    column: str = ""

    def text(self) -> str:
        """``Process, rad 5, kolumn B (namn)``; parts that are unknown are left out."""
        parts = [self.sheet] if self.sheet else []
        if self.row:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column}")
        return ", ".join(parts) or "filen"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file."""

    where: Where
    message: str

    def line(self) -> str:
        """The problem as one line: where, then what."""
        return f"{self.where.text()}: {self.message}"


class BadFile(InvalidInput):
    """The file cannot be imported; ``problems`` lists every reason, one per cell or row."""

    def __init__(self, problems: list[Problem], what: str = "Filen") -> None:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.where.text(), []).append(problem.message)
        super().__init__(f"{what} har {len(problems)} fel; inget sparades.", errors)
        self.problems = problems


@dataclass(frozen=True)
class Ref:
    """A node the file points at: by id, by name, or (both given) by id if it exists, else name."""

    labels: tuple[Label, ...]
    id: str = ""
    name: str = ""
    where: Where = field(default=Where(""), compare=False)
    #: The file's own row this reference stands for (its id may be decided by matching).
    item: Item | None = field(default=None, compare=False)

    def text(self) -> str:
        """How the file wrote the reference."""
        return self.id or self.name


@dataclass
class Item:
    """One entity the file describes.

    ``data`` holds the fields the file gives (entity field names, cell values); ``columns``
    says which column each field came from. Without an id the item is matched by its
    ``name`` among the nodes joined to ``parent`` by ``parent_rel`` (or among the nodes with
    no such link when there is no parent).
    """

    label: Label
    where: Where
    data: dict[str, Any]
    columns: dict[str, str] = field(default_factory=dict)
    id: str = ""
    name: str = ""
    parent: Ref | None = None
    parent_rel: Rel | None = None
    #: True when the parent link goes from the item to the parent (SUBPROCESS_OF).
    parent_outgoing: bool = True
    #: Fields whose cells were refused already (no second message about them).
    refused: frozenset[str] = frozenset()
    #: Field values used only when the item is created (what the sheet has no column for).
    defaults: dict[str, Any] = field(default_factory=dict)
    #: Whether the parent link is written for a matched item (always for a new one).
    link_parent: bool = True
    #: Only change a node that exists; a row that matches nothing is noted and skipped.
    must_exist: bool = False


@dataclass(frozen=True)
class LinkSpec:
    """A link the file asks for, between two references."""

    rel: Rel
    source: Ref
    target: Ref
    where: Where
    props: Mapping[str, Any] = field(default_factory=dict)
    #: Only when the source is created by this import (e.g. a new risk's first process).
    only_new: bool = False


@dataclass
class Draft:
    """What a file says: items, links, and which links it speaks for."""

    items: list[Item] = field(default_factory=list)
    links: list[LinkSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: ``(rel, source label, target label)`` the file is the whole truth about for its items:
    #: such links of an imported node that the file no longer lists are removed.
    managed: frozenset[tuple[Rel, Label, Label]] = frozenset()
    #: Things the importer left out on purpose (e.g. rows marked Borttagen), one line each.
    notes: list[str] = field(default_factory=list)

    def problem(self, where: Where, message: str) -> None:
        """Record a problem."""
        self.problems.append(Problem(where, message))


Reader = Callable[[bytes, Mapping[str, str] | None], Draft]


@dataclass(frozen=True)
class Importer:
    """A registered import format."""

    name: str
    title: str
    read: Reader
    #: For own spreadsheets: the fields a column mapping assigns (field → Swedish caption).
    targets: Mapping[str, str] = field(default_factory=dict)
    #: Fields of ``targets`` that must be mapped.
    required: frozenset[str] = frozenset()
    #: What a user may upload (shown on the page, checked on the file name).
    suffixes: tuple[str, ...] = (".xlsx",)
    description: str = ""

    @property
    def mapped(self) -> bool:
        """Whether this format needs a column-mapping step."""
        return bool(self.targets)


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make ``importer`` available under its name."""
    if importer.name in _REGISTRY:
        raise ValueError(f"importer {importer.name!r} registered twice")
    _REGISTRY[importer.name] = importer
    return importer


def get(name: str) -> Importer:
    """The importer registered as ``name``; KeyError lists the known ones."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"okänt importformat {name!r}; kända: {', '.join(names())}") from None


def names() -> list[str]:
    """Every registered format name."""
    _load_builtin()
    return sorted(_REGISTRY)


def _load_builtin() -> None:
    import exporters

    for module in pkgutil.iter_modules(exporters.__path__):
        if module.name.startswith("import_"):
            importlib.import_module(f"exporters.{module.name}")
