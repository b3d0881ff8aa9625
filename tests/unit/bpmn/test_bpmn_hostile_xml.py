"""Untrusted XML: entity expansion, external entities, deep nesting and size are refused."""

from __future__ import annotations

import pytest

from qms.bpmn.reader import read
from qms.bpmn.safe import MAX_DEPTH, parse
from qms.domain.errors import InvalidInput

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
  <process id="P" name="&lol9;"/>
</definitions>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
  <process id="P" name="&secret;"/>
</definitions>"""

NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x"/>"""


def _deep(levels: int) -> bytes:
    inner = "<extensionElements>" * levels + "</extensionElements>" * levels
    return (
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">'
        f'<process id="P">{inner}</process></definitions>'
    ).encode()


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL, NETWORK], ids=["laughs", "xxe", "dtd"])
def test_documents_with_a_doctype_are_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput, match="DOCTYPE och entiteter är inte tillåtna") as caught:
        read(data, "hostile.bpmn")
    assert list(caught.value.errors) == ["hostile.bpmn"]


def test_the_secret_never_reaches_the_model() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(EXTERNAL, "xxe.bpmn")
    assert "root:" not in str(caught.value.errors)


def test_too_deep_nesting_is_refused_with_the_line() -> None:
    with pytest.raises(InvalidInput, match=f"djupare än {MAX_DEPTH} nivåer") as caught:
        read(_deep(MAX_DEPTH + 5), "deep.bpmn")
    assert list(caught.value.errors) == ["deep.bpmn:1"]


def test_nesting_within_the_limit_is_read() -> None:
    assert read(_deep(MAX_DEPTH - 5), "ok.bpmn").processes[0].id == "P"


def test_too_big_is_refused_before_parsing() -> None:
    with pytest.raises(InvalidInput, match="större än gränsen 1000 byte"):
        parse(b"<definitions>" + b" " * 2000 + b"</definitions>", "big.bpmn", max_bytes=1000)


def test_broken_xml_names_the_line() -> None:
    with pytest.raises(InvalidInput, match="ogiltig XML") as caught:
        read(b"<definitions>\n<process>\n</definitions>", "broken.bpmn")
    assert list(caught.value.errors) == ["broken.bpmn:3"]
