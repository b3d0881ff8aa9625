"""Exports of the demo on a real embedded store: records kept per format and scope, CLI."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qms.cli import main
from qms.domain.entities import Process
from qms.domain.errors import Forbidden, InvalidInput
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label
from qms.services.access import ANONYMOUS, coordinator
from qms.services.app import Qms
from qms.services.export_history import folder, run
from qms.services.risks import RiskFilter, register

TODAY = date(2026, 11, 2)
ACTOR = coordinator("test")


def marks(data: bytes) -> dict[str, str | None]:
    ws = load_workbook(io.BytesIO(data))["Processer"]
    return {str(r[5]): r[4] for r in ws.iter_rows(min_row=2, values_only=True)}  # type: ignore[misc]


def at(second: int) -> datetime:
    return datetime(2026, 11, 2, 8, 0, second, tzinfo=UTC)


def test_change_column_follows_edits_additions_and_deletions(demo: Qms) -> None:
    first = run(demo, ACTOR, "ils-sosfs", today=TODAY, when=at(1))
    assert set(marks(first.data).values()) == {"Skapad"}
    assert first.record_path is not None
    assert first.record_path.parent == folder(demo, "ils-sosfs", None)

    process = demo.store.get(Label.PROCESS, "p-budget")
    assert isinstance(process, Process)
    with demo.unit_of_work("test") as uow:
        uow.update(dataclasses.replace(process, purpose="Ny beskrivning av budgetprocessen."))
        uow.add(Process(id="p-ny", name="Anhörigstöd", kind=ProcessKind.SUPPORT))
        uow.delete(Label.PROCESS, "p-diarieforing")

    second = marks(run(demo, ACTOR, "ils-sosfs", today=TODAY, when=at(2)).data)
    assert second["p-budget"] == "Ändrad"
    assert second["p-ny"] == "Skapad"
    assert second["p-diarieforing"] == "Borttagen"
    assert [v for k, v in second.items() if k not in ("p-budget", "p-ny", "p-diarieforing")] == [
        None
    ] * (len(second) - 3)
    third = marks(run(demo, ACTOR, "ils-sosfs", today=TODAY, when=at(3)).data)
    assert "p-diarieforing" not in third
    assert set(third.values()) == {None}


def test_each_scope_compares_with_its_own_previous_export(demo: Qms) -> None:
    run(demo, ACTOR, "ils-sosfs", today=TODAY, when=at(1))
    scoped = run(demo, ACTOR, "ils-sosfs", scope="ou-avd-aldre", today=TODAY, when=at(2))
    assert scoped.filename == "ils-sosfs-ou-avd-aldre.xlsx"
    assert set(marks(scoped.data).values()) == {"Skapad"}
    assert len(list(folder(demo, "ils-sosfs", "ou-avd-aldre").glob("*.json"))) == 1


def test_refuses_unknown_format_scope_and_visitors(demo: Qms) -> None:
    with pytest.raises(InvalidInput, match="okänt exportformat"):
        run(demo, ACTOR, "pdf", today=TODAY)
    with pytest.raises(InvalidInput, match="finns inte"):
        run(demo, ACTOR, "ils-vor", scope="u-nope", today=TODAY)
    with pytest.raises(InvalidInput, match="hela organisationen"):
        run(demo, ACTOR, "bpmn", scope="ou-avd-aldre", today=TODAY)
    with pytest.raises(Forbidden):
        run(demo, ANONYMOUS, "ils-vor", today=TODAY)


def test_vor_agrees_with_the_risk_register(demo: Qms) -> None:
    ws = load_workbook(io.BytesIO(run(demo, ACTOR, "ils-vor", today=TODAY).data)).active
    assert ws is not None
    exported = {r[10]: (r[2], r[3]) for r in ws.iter_rows(min_row=2, values_only=True)}
    expected = {
        row.risk.id: ("Ja" if row.routine == "yes" else "Nej", "Ja" if row.controlled else "Nej")
        for row in register(demo, RiskFilter())
    }
    assert exported == expected


def test_cli_writes_the_file_csv_beside_it_and_a_record(
    demo: Qms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.close()
    out = tmp_path / "sosfs.xlsx"
    data_dir = str(demo.settings.data_dir)
    args = [
        "--data-dir",
        data_dir,
        "export",
        "ils-sosfs",
        "--out",
        str(out),
        "--today",
        "2026-11-02",
    ]
    assert main(args) == 0
    assert out.exists()
    assert (tmp_path / "sosfs - Processer.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Jämförelseunderlag" in capsys.readouterr().out
    assert main(args) == 0
    assert set(marks(out.read_bytes()).values()) == {None}
