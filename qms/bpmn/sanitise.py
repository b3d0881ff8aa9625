"""Bring a parsed file within the OMG XSDs before reading it, so every export validates.

Each change is a warning naming file, line, id and tag. Nothing is dropped that could be kept:
foreign or misplaced elements move into ``extensionElements``, unknown attributes into the
``QMSX`` namespace.
"""

from __future__ import annotations

import re

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.errors import Problems
from qms.bpmn.ns import BPMN, BPMN_ALIASES, DI, DI_LOCALS, OMG, QMSX, XSI, q, split
from qms.bpmn.schema import XS, Schema, order, schema

_QNAME = {f"{{{XS}}}QName"}
_REFS = {f"{{{XS}}}QName", f"{{{XS}}}IDREF", f"{{{XS}}}ID"}
_BOOL = f"{{{XS}}}boolean"
_NCNAME = re.compile(r"\A[A-Za-z_][\w.-]*\Z")
#: Kinds that keep their id when another element has the same one (the graph needs them).
_KEEPERS = {"process", "collaboration", "participant", "laneSet", "lane", "sequenceFlow"}
#: Elements the XSD makes invalid without this child; tools write them empty anyway.
_REQUIRED_CHILD = {
    "dataInputAssociation": "targetRef",
    "dataOutputAssociation": "targetRef",
    "operation": "inMessageRef",
    "interface": "operation",
}
_ROLES = {"resourceRole", "performer", "humanPerformer", "potentialOwner"}


def normalise_namespaces(root: etree._Element) -> None:
    """Draft namespaces, and files without any, onto the BPMN 2.0 namespaces."""
    bare = split(root.tag)[0] == ""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, local = split(element.tag)
        if namespace in BPMN_ALIASES or (bare and namespace == ""):
            element.tag = q(DI_LOCALS.get(local, BPMN), local)


def sanitise(root: etree._Element, problems: Problems) -> None:
    """Fix what would make the export invalid; record each fix as a warning."""
    tables = schema()
    target_ns = root.get("targetNamespace")
    if not target_ns:
        root.set("targetNamespace", "urn:qms:bpmn")
        problems.warn(root, "targetNamespace saknades; satt till urn:qms:bpmn")
    _walk(root, tables.elements.get(root.tag), tables, problems, target_ns or "")
    _unique_ids(root, problems)
    order(root, tables.elements.get(root.tag))


def _walk(
    element: etree._Element, type_name: str | None, tables: Schema, problems: Problems, tns: str
) -> None:
    _attributes(element, type_name, tables, problems, tns)
    if type_name in _QNAME and element.text:
        element.text = _local_ref(element, element.text.strip(), tns)
    if tables.allows_any(type_name):
        if split(element.tag)[1] == "extensionElements" or type_name == f"anon:{{{DI}}}extension":
            for child in element:
                if isinstance(child.tag, str) and split(child.tag)[0] in OMG | {""}:
                    problems.warn(child, "BPMN-element i extensionElements flyttat till QMSX")
                    child.tag = q(QMSX, split(child.tag)[1])
        return
    if split(element.tag)[1] in _ROLES and element.find(q(BPMN, "resourceRef")) is not None:
        # The XSD offers a choice: a resource reference or an assignment expression.
        for extra in element.findall(q(BPMN, "resourceAssignmentExpression")):
            _move_to_extension(element, extra, type_name, tables, problems)
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        namespace, local = split(child.tag)
        slot = tables.slot(type_name, child.tag) if type_name and namespace in OMG else None
        if slot is None:
            _move_to_extension(element, child, type_name, tables, problems)
            continue
        _walk(child, _type_of(child, type_name, tables), tables, problems, tns)
        needed = _REQUIRED_CHILD.get(local)
        if needed and child.find(q(BPMN, needed)) is None:
            problems.warn(child, f"{local} utan {needed} togs bort")
            element.remove(child)


def _type_of(element: etree._Element, parent_type: str | None, tables: Schema) -> str | None:
    """The element's type: its xsi:type when that names a BPMN type, else the declared one."""
    given = element.get(q(XSI, "type"))
    if given and q(BPMN, given.rpartition(":")[2]) in tables.types:
        return q(BPMN, given.rpartition(":")[2])
    return tables.child_type(parent_type, element.tag)


def _attributes(
    element: etree._Element, type_name: str | None, tables: Schema, problems: Problems, tns: str
) -> None:
    allowed = tables.attributes(type_name) if type_name else {}
    for name, value in list(element.attrib.items()):
        namespace, local = split(name)
        if namespace == XSI and local == "type":
            if q(BPMN, value.rpartition(":")[2]) in tables.types:
                element.set(name, "bpmn:" + value.rpartition(":")[2])
        elif namespace in OMG or (namespace == "" and local not in allowed):
            del element.attrib[name]
            element.set(q(QMSX, local), value)
            problems.warn(element, f"okänt attribut {local} flyttat till QMSX")
        elif namespace == "" and allowed[local] in _REFS and not value.strip():
            del element.attrib[name]
            problems.warn(element, f"tomt {local} togs bort")
        elif namespace == "" and allowed[local] in _QNAME:
            element.set(name, _local_ref(element, value, tns))
        elif namespace == "" and allowed[local] == _BOOL and value not in ("true", "false"):
            fixed = "true" if value.strip().lower() in ("true", "1") else "false"
            element.set(name, fixed)
            problems.warn(element, f"{local}={value!r} tolkat som {fixed}")


def _local_ref(element: etree._Element, value: str, tns: str) -> str:
    """Drop a prefix that names this document (or BPMN) from an id reference."""
    prefix, _, local = value.rpartition(":")
    if prefix and element.nsmap.get(prefix) in (tns, BPMN):
        return local
    return value


def _move_to_extension(
    parent: etree._Element,
    child: etree._Element,
    type_name: str | None,
    tables: Schema,
    problems: Problems,
) -> None:
    parent.remove(child)
    holder_tag = next(
        (
            tag
            for tag in (q(BPMN, "extensionElements"), q(DI, "extension"))
            if type_name and tables.slot(type_name, tag) is not None
        ),
        None,
    )
    if holder_tag is None:
        problems.warn(child, "element som inte får finnas här togs bort")
        return
    holder = parent.find(holder_tag)
    if holder is None:
        holder = etree.SubElement(parent, holder_tag)
    if split(child.tag)[0] in OMG | {""}:
        child.tag = q(QMSX, split(child.tag)[1])
    holder.append(child)
    problems.warn(child, "element som inte får finnas här flyttat till extensionElements")


def _unique_ids(root: etree._Element, problems: Problems) -> None:
    owners: dict[str, list[etree._Element]] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and split(element.tag)[0] in OMG:
            ident = element.get("id")
            if ident is not None:
                owners.setdefault(ident, []).append(element)
    taken = set(owners)
    for ident, elements in owners.items():
        if not _NCNAME.match(ident):
            fixed = _free("_" + re.sub(r"[^\w.-]", "_", ident), taken)
            rename(root, {ident: fixed})
            problems.warn(elements[0], f"id {ident!r} är inget giltigt XML-id; bytt till {fixed}")
            ident = fixed
        if len(elements) < 2:
            continue
        elements.sort(key=lambda e: split(e.tag)[1] not in _KEEPERS)
        for loser in elements[1:]:
            fixed = _free(ident, taken)
            loser.set("id", fixed)
            problems.warn(loser, f"id {ident} fanns redan; bytt till {fixed}")


def _free(base: str, taken: set[str]) -> str:
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}_{number}"
    taken.add(candidate)
    return candidate


def rename(root: etree._Element, mapping: dict[str, str]) -> None:
    """Give elements new ids and follow every reference to them (attributes and ref texts)."""
    if not mapping:
        return
    tables = schema()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if value in mapping and _is_reference(name):
                element.set(name, mapping[value])
        text = (element.text or "").strip()
        if text in mapping and len(element) == 0 and split(element.tag)[0] in OMG:
            type_name = tables.child_type(None, element.tag)
            if type_name is None or type_name in _REFS or element.tag.endswith(("Ref", "Refs")):
                element.text = mapping[text]


def _is_reference(name: str) -> bool:
    namespace, local = split(name)
    return namespace in ("", QMSX) and (
        local in ("id", "default", "labelStyle") or local.endswith(("Ref", "Element"))
    )
