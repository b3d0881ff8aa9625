"""Graph ids and XML ids: graph ids start with a letter or digit, XML ids with a letter or _."""

from __future__ import annotations

import hashlib
import re

from qms.domain.entities import ID_PATTERN

NCNAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_.-]*\Z")


def graph_id(xml_id: str) -> str:
    """The graph id for an XML id: itself when allowed, else without leading _, else hashed."""
    if ID_PATTERN.match(xml_id):
        return xml_id
    stripped = xml_id.lstrip("_")
    if ID_PATTERN.match(stripped):
        return stripped
    return "id-" + hashlib.sha1(xml_id.encode("utf-8")).hexdigest()[:16]  # noqa: S324


def xml_id(graph_id: str) -> str:
    """The XML id for a graph id: itself when it is an NCName, else escaped with a leading _."""
    if NCNAME.match(graph_id):
        return graph_id
    return "_" + re.sub(r"[^A-Za-z0-9_.-]", "_", graph_id)


def resolve(xml: str, known: dict[str, str]) -> str:
    """The graph id of an XML id: an exported one first (``known``), else ``graph_id``."""
    return known.get(xml) or graph_id(xml)


def scoped(owner: str, ident: str) -> str:
    """An id made unique by the process it belongs to (at most 100 characters)."""
    candidate = f"{owner}.{ident}"
    if len(candidate) <= 100:
        return candidate
    return f"{owner[:40]}.{hashlib.sha1(candidate.encode()).hexdigest()[:20]}"  # noqa: S324
