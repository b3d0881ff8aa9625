"""``qms load``: validated first, applied all or nothing, idempotent."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from process_models import DEMO
from qms.domain.errors import InvalidInput
from qms.domain.labels import Label, Rel
from qms.services.app import Qms

MINI = """
roles:
  - {id: r-usk, name: Undersköterska}
  - {id: r-chef, name: Enhetschef}
documents:
  - {id: d-rutin, title: Rutin för hemtjänstinsats, kind: routine, status: approved}
processes:
  - id: p-ht
    name: Hemtjänst
    kind: core
    owner: r-chef
    activities:
      - {id: a-start, name: Beslut finns, node_type: start_event}
      - {id: a-plan, name: Planera insats, role: r-usk, documents: [d-rutin]}
      - id: a-gw
        name: Behövs mer hjälp?
        node_type: exclusive_gateway
        next:
          - {to: a-plan, name: Ja, condition: nya behov}
          - {to: a-end, name: Nej, default: true}
      - {id: a-end, name: Insats utförd, node_type: end_event}
"""


def _write(tmp_path: Path, text: str, name: str = "model.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_creates_entities_links_and_flows(qms: Qms, tmp_path: Path) -> None:
    report = qms.load(_write(tmp_path, MINI), "test")
    assert report.created == 8
    view = qms.store.process_view("p-ht")
    assert [a.activity.id for a in view.activities] == ["a-start", "a-plan", "a-gw", "a-end"]
    assert [a.activity.position for a in view.activities] == [1, 2, 3, 4]
    flows = {a.activity.id: a.next_ids for a in view.activities}
    assert flows == {
        "a-start": ("a-plan",),
        "a-plan": ("a-gw",),
        "a-gw": ("a-end", "a-plan"),
        "a-end": (),
    }
    default = [
        lk
        for lk in qms.store.outgoing(Label.ACTIVITY, "a-gw", Rel.FLOWS_TO)
        if lk.props.get("is_default")
    ]
    assert [lk.target for lk in default] == ["a-end"]
    assert view.owner is not None
    assert view.owner.id == "r-chef"


def test_second_load_changes_nothing(qms: Qms, tmp_path: Path) -> None:
    path = _write(tmp_path, MINI)
    qms.load(path, "test")
    changes = len(qms.store.changes())
    report = qms.load(path, "test")
    assert (report.created, report.updated, report.linked, report.unlinked) == (0, 0, 0, 0)
    assert report.unchanged == 8
    assert len(qms.store.changes()) == changes


def test_reload_updates_fields_and_removes_links_no_longer_in_the_file(
    qms: Qms, tmp_path: Path
) -> None:
    qms.load(_write(tmp_path, MINI), "test")
    edited = MINI.replace(
        "name: Planera insats, role: r-usk, documents: [d-rutin]",
        "name: Planera insatsen, role: r-usk",
    )
    report = qms.load(_write(tmp_path, edited), "test")
    assert (report.updated, report.unlinked) == (1, 1)
    assert qms.store.get(Label.ACTIVITY, "a-plan").caption == "Planera insatsen"
    assert qms.store.neighbours(Label.ACTIVITY, "a-plan", Rel.GOVERNED_BY) == []


def test_bad_file_reports_every_problem_with_file_id_and_field_and_writes_nothing(
    qms: Qms, tmp_path: Path
) -> None:
    bad = _write(
        tmp_path,
        """
        roles:
          - {id: r-1, name: Roll}
          - {id: r-1, name: Samma id}
        processes:
          - {id: p-1, name: Process, kind: kore}
          - {id: p-2, name: Process 2, kind: core, owner: r-missing, goals: [r-1]}
          - {id: p-3, kind: core, colour: blue}
    """,
    )
    with pytest.raises(InvalidInput) as caught:
        qms.load(bad, "test")
    lines = caught.value.lines()
    expected = [
        f"{bad}: p-1.kind: Ogiltigt värde; tillåtna: core, support, management.",
        f"{bad}: p-3.name: Fältet måste fyllas i.",
        f"{bad}: p-3.colour: Okänt fält.",
        f"{bad}: r-1: id r-1 används redan i {bad}: r-1",
        f"{bad}: p-2.owner: Okänd referens r-missing.",
        f"{bad}: p-2.goals: r-1 är en Role; förväntat Goal.",
    ]
    assert sorted(lines) == sorted(expected)
    assert qms.is_empty()
    assert qms.store.entities(Label.ROLE) == []


def test_broken_yaml_names_the_line(qms: Qms, tmp_path: Path) -> None:
    bad = _write(tmp_path, "roles:\n  - {id: r-1, name: [oops\n")
    with pytest.raises(InvalidInput) as caught:
        qms.load(bad, "test")
    assert any(f"{bad}:rad" in line and "Ogiltig YAML" in line for line in caught.value.lines())


def test_id_taken_by_another_label_in_the_graph_is_refused(qms: Qms, tmp_path: Path) -> None:
    qms.load(_write(tmp_path, MINI), "test")
    clash = _write(tmp_path, "goals:\n  - {id: r-usk, title: Mål, level: unit}\n", "clash.yaml")
    with pytest.raises(InvalidInput, match="1 fel"):
        qms.load(clash, "test")


def test_missing_path_is_a_clear_error(qms: Qms, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="finns inte"):
        qms.load(tmp_path / "nowhere", "test")


def test_demo_directory_loads_and_is_searchable(qms: Qms) -> None:
    report = qms.load(DEMO, "test")
    assert report.created > 300
    hits = qms.search("lex sarah")
    assert any(hit.label == "Process" for hit in hits)
