"""Safe XML everywhere: only ``qms/bpmn/safe.py`` parses XML.

Every ``.py`` file under ``qms/``, ``exporters/`` and ``web/`` is parsed with ``ast``. A finding
is a parse through lxml (``fromstring``, ``parse``, ``XML``, ``XMLParser``, ``iterparse`` …)
or any use of the standard library's parsers (``xml.etree``, ``xml.dom``, ``xml.sax``,
``xml.parsers.expat``); ``xml.sax.saxutils`` (escaping) is fine. Spreadsheets are read by
openpyxl, which parses through defusedxml when it is installed: that is checked here too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl.xml
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("qms", "exporters", "web")
SAFE_MODULE = Path("qms/bpmn/safe.py")

#: lxml.etree functions and classes that read XML text or files.
_LXML_PARSERS = frozenset(
    {
        "fromstring",
        "fromstringlist",
        "parse",
        "XML",
        "XMLID",
        "XMLDTDID",
        "XMLParser",
        "ETCompatXMLParser",
        "iterparse",
        "XMLPullParser",
        "HTML",
        "HTMLParser",
        "HTMLPullParser",
        "DTD",
    }
)
_LXML_ETREE = "lxml.etree"
#: Standard-library parser modules (and lxml's other front ends): importing them is a finding.
_UNSAFE_MODULES = (
    "xml.etree",
    "xml.dom",
    "xml.sax",
    "xml.parsers",
    "xmlrpc",
    "lxml.html",
    "lxml.objectify",
    "lxml.sax",
)
_ALLOWED_MODULES = ("xml.sax.saxutils",)


def _unsafe_module(name: str) -> bool:
    if any(name == ok or name.startswith(f"{ok}.") for ok in _ALLOWED_MODULES):
        return False
    return any(name == bad or name.startswith(f"{bad}.") for bad in _UNSAFE_MODULES)


@dataclass
class Scanner(ast.NodeVisitor):
    """Collects findings for one module."""

    path: str
    findings: list[str] = field(default_factory=list)
    _etree: set[str] = field(default_factory=set)  # local names of lxml.etree

    def flag(self, node: ast.AST, why: str) -> None:
        """Record one finding with its place."""
        self.findings.append(f"{self.path}:{getattr(node, 'lineno', 0)}: {why}")

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802 (ast API)
        """``import xml.dom.minidom``, ``import lxml.etree as et``."""
        for alias in node.names:
            if _unsafe_module(alias.name):
                self.flag(node, f"import {alias.name}")
            elif alias.name == _LXML_ETREE:
                self._etree.add(alias.asname or "lxml.etree")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802 (ast API)
        """``from xml.etree import ElementTree``, ``from lxml.etree import fromstring``."""
        module = node.module or ""
        for alias in node.names:
            full = f"{module}.{alias.name}"
            if _unsafe_module(full) or (_unsafe_module(module) and alias.name != "saxutils"):
                self.flag(node, f"from {module} import {alias.name}")
            elif full == _LXML_ETREE:
                self._etree.add(alias.asname or alias.name)
            elif module == _LXML_ETREE and alias.name in _LXML_PARSERS:
                self.flag(node, f"from lxml.etree import {alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:  # noqa: N802 (ast API)
        """``etree.fromstring`` and friends, called or passed on."""
        if node.attr in _LXML_PARSERS and self._is_etree(node.value):
            self.flag(node, f"lxml.etree.{node.attr} outside qms/bpmn/safe.py")
        self.generic_visit(node)

    def _is_etree(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self._etree
        return ast.unparse(node) in self._etree


def scan(source: str, path: str = "<snippet>") -> list[str]:
    """Findings in one module's source."""
    scanner = Scanner(path)
    scanner.visit(ast.parse(source, filename=path))
    return scanner.findings


def scan_tree() -> tuple[list[str], int]:
    """Findings and files scanned over the whole code base, the safe module left out."""
    findings: list[str] = []
    files = 0
    for top in SCANNED:
        for file in sorted((ROOT / top).rglob("*.py")):
            relative = file.relative_to(ROOT)
            if relative == SAFE_MODULE:
                continue
            findings += scan(file.read_text(encoding="utf-8"), str(relative))
            files += 1
    return findings, files


def test_xml_is_parsed_only_in_the_safe_module() -> None:
    findings, files = scan_tree()
    assert findings == []
    assert files > 100


def test_the_safe_module_itself_is_what_the_scan_would_flag() -> None:
    # Proof the scan can see a parser: the one allowed module uses them.
    assert scan((ROOT / SAFE_MODULE).read_text(encoding="utf-8"))


PLANTED = {
    "lxml fromstring": ("from lxml import etree\ndef f(b):\n    return etree.fromstring(b)\n"),
    "lxml parse aliased": "import lxml.etree as et\nT = et.parse('x.xml')\n",
    "lxml parser object": "from lxml import etree\nP = etree.XMLParser(resolve_entities=True)\n",
    "lxml XML": "from lxml import etree\nX = etree.XML(b'<a/>')\n",
    "lxml iterparse": "from lxml import etree\nfor _ in etree.iterparse('x'):\n    pass\n",
    "lxml direct import": "from lxml.etree import fromstring\n",
    "lxml html": "from lxml import html\n",
    "ElementTree": "import xml.etree.ElementTree as ET\nET.fromstring(b'<a/>')\n",
    "ElementTree from": "from xml.etree import ElementTree\n",
    "cElementTree": "from xml.etree.cElementTree import parse\n",
    "minidom": "from xml.dom import minidom\nminidom.parseString(b'<a/>')\n",
    "minidom import": "import xml.dom.minidom\n",
    "pulldom": "from xml.dom.pulldom import parseString\n",
    "sax parse": "import xml.sax\nxml.sax.parseString(b'<a/>', None)\n",
    "sax from": "from xml.sax import make_parser\n",
    "expat": "from xml.parsers import expat\n",
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_the_scan_finds_planted_parsers(source: str) -> None:
    assert scan(source)


SAFE = {
    "saxutils escape": "from xml.sax.saxutils import escape, quoteattr\n",
    "saxutils module": "from xml.sax import saxutils\n",
    "lxml building": (
        "from lxml import etree\nE = etree.Element('a')\netree.SubElement(E, 'b')\n"
        "B = etree.tostring(E)\n"
    ),
    "safe module": "from qms.bpmn.safe import parse\nR = parse(b'<a/>', 'x')\n",
    "defusedxml": "from defusedxml.ElementTree import fromstring\n",
}


@pytest.mark.parametrize("source", SAFE.values(), ids=SAFE.keys())
def test_the_scan_lets_safe_xml_use_pass(source: str) -> None:
    assert scan(source) == []


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
