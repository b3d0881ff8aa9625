"""The one place XML is parsed: no DTD, no entities, no network; untrusted input bounded too.

``parse`` reads what users upload or send; ``read_trusted`` reads files shipped with us (the
OMG XSDs), still without entity expansion or network access. ``tests/unit/test_scan_xml.py``
fails on XML parsing anywhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from qms.bpmn.errors import refuse

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
PROLOG = 64 * 1024
DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
NO_DTD = "DOCTYPE och entiteter är inte tillåtna i BPMN-filer"


def parse(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element of ``data``; ``InvalidInput`` naming ``source`` when unsafe or broken."""
    if len(data) > max_bytes:
        raise refuse(source, f"filen är {len(data)} byte, större än gränsen {max_bytes} byte")
    if DOCTYPE.search(data[:PROLOG]):
        # BPMN never needs a DTD; entity declarations are how billion laughs and XXE start.
        raise refuse(source, NO_DTD)
    parser = _parser(remove_blank_text=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise refuse(source, f"ogiltig XML: {exc.msg}", exc.lineno or 0) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refuse(source, NO_DTD)  # a prolog the byte check could not see (UTF-16)
    _check_depth(root, source)
    return root


def read_trusted(path: Path) -> etree._ElementTree:
    """A file shipped with QMS (an XSD), parsed without entity expansion or network access.

    The document keeps its path, so ``xsd:include`` and ``xsd:import`` resolve beside it.
    """
    return etree.parse(str(path), _parser())


def _parser(**options: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        **options,
    )


def _check_depth(root: etree._Element, source: str) -> None:
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise refuse(
                source,
                f"elementen är nästlade djupare än {MAX_DEPTH} nivåer",
                element.sourceline or 0,
            )
