"""Lossless dump and restore."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest

from qms.domain.errors import InvalidInput
from qms.domain.labels import Label
from qms.services.app import Qms
from qms.services.dump import dump, dump_lines, restore


def test_dump_restore_dump_is_byte_identical(
    demo: Qms, tmp_path_factory: pytest.TempPathFactory
) -> None:
    process = demo.store.get(Label.PROCESS, "p-lexsarah")
    with demo.unit_of_work("redaktör") as uow:
        uow.update(dataclasses.replace(process, purpose="Ändrat för att få en ändringspost"))
    first = io.StringIO()
    dump(demo.store, first)
    other = Qms.open(dataclasses.replace(demo.settings, data_dir=tmp_path_factory.mktemp("o")))
    try:
        restore(other.store, other.search_index, first.getvalue().splitlines())
        second = io.StringIO()
        dump(other.store, second)
        assert second.getvalue() == first.getvalue()
        assert other.search("lex sarah")
        assert any(c.actor == "redaktör" for c in other.store.changes("p-lexsarah"))
    finally:
        other.close()


def test_dump_lines_are_sorted_json_with_a_header(demo: Qms) -> None:
    lines = list(dump_lines(demo.store))
    assert json.loads(lines[0]) == {"format": "qms-dump", "version": 1}
    kinds = [json.loads(line)["kind"] for line in lines[1:]]
    assert kinds == sorted(kinds, key=["node", "link", "change"].index)


def test_corrupt_dump_is_refused_with_line_numbers_and_changes_nothing(demo: Qms) -> None:
    lines = list(dump_lines(demo.store))
    before = demo.store.counts()
    broken = [
        *lines[:3],
        '{"kind": "node", "label": "Process", "props": {"id": "x"}}',
        "not json",
        '{"kind": "link", "rel": "NOPE", "source": "a", "target": "b"}',
    ]
    with pytest.raises(InvalidInput) as caught:
        restore(demo.store, demo.search_index, broken)
    assert {"rad 4", "rad 5", "rad 6"} <= set(caught.value.errors)
    assert demo.store.counts() == before


def test_dump_of_another_format_is_refused(qms: Qms) -> None:
    with pytest.raises(InvalidInput):
        restore(qms.store, qms.search_index, ['{"format": "other"}'])
