"""Swedish names of fields, links and labels, and values as a history shows them."""

from __future__ import annotations

import dataclasses

import pytest

from qms.domain.entities import AUDIT_FIELDS, ENTITY_TYPES
from qms.domain.labels import Label, Rel
from qms.services.field_names import (
    LABELS,
    SHOWN_CHARS,
    decoded,
    field_name,
    label_name,
    rel_name,
    shown,
)


@pytest.mark.parametrize("label", list(Label))
def test_every_field_of_every_label_has_a_swedish_name(label: Label) -> None:
    names = [f.name for f in dataclasses.fields(ENTITY_TYPES[label])]
    content = [n for n in names if n != "id" and n not in AUDIT_FIELDS]
    assert [n for n in content if field_name(label, n) == n] == []


def test_every_link_type_and_label_has_a_swedish_name() -> None:
    assert [r for r in Rel if rel_name(r) == r.value] == []
    assert [lbl for lbl in Label if lbl not in LABELS] == []
    assert (label_name("Deviation"), label_name("ApiToken")) == ("Avvikelse", "API-nyckel")


def test_a_label_may_name_a_shared_field_its_own_way() -> None:
    assert field_name("Deviation", "title") == "Vad hände"
    assert field_name("Process", "kind") == "Processtyp"
    assert field_name("Document", "kind") == "Dokumenttyp"
    assert field_name("NoSuchLabel", "name") == "Namn"
    assert field_name("Process", "no_such_field") == "no_such_field"


@pytest.mark.parametrize(
    ("label", "field", "value", "text"),
    [
        ("Process", "kind", "core", "Huvudprocess"),
        ("Document", "status", "approved", "Fastställd"),
        ("Deviation", "kind", "lex_sarah", "lex Sarah"),
        ("Process", "archived", True, "ja"),
        ("Process", "archived", False, "nej"),
        ("Process", "recipients", ["Kunden", "Närstående"], "Kunden, Närstående"),
        ("Process", "purpose", "", "–"),
        ("Risk", "year", None, "–"),
        ("Risk", "probability", 3, "3"),
    ],
)
def test_values_read_as_words(label: str, field: str, value: object, text: str) -> None:
    assert shown(label, field, value) == text


def test_a_very_long_value_is_cut_and_says_how_much_is_left() -> None:
    text = shown("ProcessModel", "xml", "x" * (SHOWN_CHARS + 25))
    assert text.endswith("… (25 tecken till)")
    assert len(text) < SHOWN_CHARS + 30


def test_log_values_are_json_text() -> None:
    assert decoded('{"target": "r-1"}') == {"target": "r-1"}
    assert decoded("") is None
    assert decoded("not json") == "not json"
