"""The OMG BPMN 2.0 XSDs (shipped by SpiffWorkflow): validation, child order, attribute types."""

from __future__ import annotations

import functools
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.safe import read_trusted

XS = "http://www.w3.org/2001/XMLSchema"
_FILES = ("BPMN20.xsd", "Semantic.xsd", "BPMNDI.xsd", "DI.xsd", "DC.xsd")
ANY = "*"


@dataclass
class TypeInfo:
    """What one complex type declares itself (its base adds the rest)."""

    base: str | None = None
    slots: list[str] = field(default_factory=list)
    locals: dict[str, str] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(eq=False)
class Schema:
    """Global elements, substitution groups and complex types of the five XSD files."""

    elements: dict[str, str] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    types: dict[str, TypeInfo] = field(default_factory=dict)

    @functools.cache  # noqa: B019  (one Schema per process, kept for its lifetime)
    def sequence(self, type_name: str) -> tuple[str, ...]:
        """Child slots of a type in XSD order, its bases' first."""
        info = self.types.get(type_name)
        if info is None:
            return ()
        inherited = self.sequence(info.base) if info.base else ()
        return inherited + tuple(info.slots)

    @functools.cache  # noqa: B019
    def attributes(self, type_name: str) -> dict[str, str]:
        """Unqualified attributes a type allows, with their simple type."""
        info = self.types.get(type_name)
        if info is None:
            return {}
        inherited = self.attributes(info.base) if info.base else {}
        return inherited | info.attrs

    def child_type(self, parent_type: str | None, tag: str) -> str | None:
        """The type of child ``tag`` under an element of ``parent_type`` (local, then global)."""
        chain = parent_type
        while chain:
            info = self.types.get(chain)
            if info is None:
                break
            if tag in info.locals:
                return info.locals[tag]
            chain = info.base
        return self.elements.get(tag)

    @functools.cache  # noqa: B019
    def slot(self, parent_type: str, tag: str) -> int | None:
        """Position of child ``tag`` in ``parent_type``'s sequence, through substitution groups."""
        names = [tag]
        while names[-1] in self.heads:
            names.append(self.heads[names[-1]])
        slots = self.sequence(parent_type)
        for index, slot in enumerate(slots):
            if slot in names:
                return index
        return None

    def allows_any(self, type_name: str | None) -> bool:
        """True when the type takes elements of any namespace (documentation, expressions)."""
        return bool(type_name) and ANY in self.sequence(type_name or "")


def _qname(element: etree._Element, value: str) -> str:
    prefix, _, local = value.rpartition(":")
    namespace = element.nsmap.get(prefix or None, "")
    return f"{{{namespace}}}{local}" if namespace else local


def _read(path: Path, schema: Schema) -> None:
    root = read_trusted(path).getroot()
    target = root.get("targetNamespace", "")
    for child in root:
        if child.tag == f"{{{XS}}}element":
            name = f"{{{target}}}{child.get('name')}"
            schema.elements[name] = _element_type(child, name, target, schema)
            if child.get("substitutionGroup"):
                schema.heads[name] = _qname(child, child.get("substitutionGroup", ""))
        elif child.tag == f"{{{XS}}}complexType":
            _complex(child, f"{{{target}}}{child.get('name')}", target, schema)


def _element_type(element: etree._Element, name: str, target: str, schema: Schema) -> str:
    if element.get("type"):
        return _qname(element, element.get("type", ""))
    inline = element.find(f"{{{XS}}}complexType")
    if inline is not None:
        _complex(inline, f"anon:{name}", target, schema)
        return f"anon:{name}"
    return f"{{{XS}}}string"


def _complex(node: etree._Element, name: str, target: str, schema: Schema) -> None:
    info = schema.types.setdefault(name, TypeInfo())
    body = node
    for wrapper in ("complexContent", "simpleContent"):
        found = node.find(f"{{{XS}}}{wrapper}")
        if found is not None:
            for how in ("extension", "restriction"):
                derived = found.find(f"{{{XS}}}{how}")
                if derived is not None:
                    info.base = _qname(derived, derived.get("base", ""))
                    body = derived
    for item in body.iter():
        if item.tag == f"{{{XS}}}attribute" and item.get("name"):
            info.attrs[item.get("name", "")] = _qname(item, item.get("type", "xsd:string"))
    _particles(body, name, target, schema, info)


def _particles(
    node: etree._Element, owner: str, target: str, schema: Schema, info: TypeInfo
) -> None:
    for item in node:
        if item.tag in (f"{{{XS}}}sequence", f"{{{XS}}}choice"):
            _particles(item, owner, target, schema, info)
        elif item.tag == f"{{{XS}}}any":
            info.slots.append(ANY)
        elif item.tag == f"{{{XS}}}element":
            if item.get("ref"):
                info.slots.append(_qname(item, item.get("ref", "")))
            else:
                local = f"{{{target}}}{item.get('name')}"
                info.slots.append(local)
                info.locals[local] = _element_type(item, f"{owner}/{local}", target, schema)


def _folder() -> resources.abc.Traversable:
    return resources.files("SpiffWorkflow").joinpath("bpmn", "parser", "schema")


@functools.cache
def schema() -> Schema:
    """The parsed XSD tables (read once per process)."""
    found = Schema()
    with ExitStack() as stack:
        for name in _FILES:
            _read(stack.enter_context(resources.as_file(_folder().joinpath(name))), found)
    return found


@functools.cache
def _validator() -> etree.XMLSchema:
    with resources.as_file(_folder().joinpath("BPMN20.xsd")) as path:
        return etree.XMLSchema(read_trusted(path))


def validate(document: etree._ElementTree | etree._Element) -> list[str]:
    """Every XSD violation as ``line N: message``; an empty list when the document is valid."""
    validator = _validator()
    if validator.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in validator.error_log]


_OMG_PREFIXES = (
    "{http://www.omg.org/spec/BPMN/20100524/",
    "{http://www.omg.org/spec/DD/20100524/",
)


def order(node: etree._Element, type_name: str | None) -> None:
    """Sort children into the XSD sequence of ``type_name``, recursively (stable)."""
    tables = schema()
    if type_name is None or tables.allows_any(type_name):
        return
    children = [c for c in node if isinstance(c.tag, str)]
    ranked = sorted(children, key=lambda c: _rank(type_name, c.tag))
    if ranked != children:
        for child in ranked:
            node.append(child)
    for child in ranked:
        if child.tag.startswith(_OMG_PREFIXES):
            order(child, tables.child_type(type_name, child.tag))


def _rank(type_name: str, tag: str) -> int:
    found = schema().slot(type_name, tag)
    return 10_000 if found is None else found
