"""The long work behind the jobs, on a real embedded store, and its CLI progress bar."""

from __future__ import annotations

import argparse
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from process_models import DEMO
from qms.cli_workspace import ProgressBar, add_parser
from qms.domain.errors import InvalidInput
from qms.domain.labels import Label
from qms.services import jobs
from qms.services.app import Qms
from qms.services.config import Settings


class Recorder:
    """A ``Progress`` that remembers every call."""

    def __init__(self) -> None:
        self.total = -1
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, steps: int = 1) -> None:
        self.done += steps


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Qms]:
    opened = Qms.open(Settings(data_dir=tmp_path_factory.mktemp("jobs")))
    opened.load(DEMO, "test")
    yield opened
    opened.close()


def test_reindex_counts_every_indexed_entity(demo: Qms) -> None:
    progress = Recorder()
    summary = jobs.reindex_work(demo)(progress)
    assert progress.total == progress.done > 100
    assert summary == f"Sökindexet är återskapat: {demo.search_index.count()} poster."
    assert demo.search("verksamhetsplan")


def test_relayout_draws_every_process(demo: Qms) -> None:
    progress = Recorder()
    summary = jobs.relayout_work(demo)(progress)
    processes = len(demo.store.entities(Label.PROCESS))
    assert progress.total == progress.done == processes
    assert summary == f"{processes} processkartor ritade på nytt."


def test_import_reads_each_file_then_loads_them_all(demo: Qms) -> None:
    progress = Recorder()
    summary = jobs.import_work(demo, DEMO, "test")(progress)
    files = len(list(DEMO.glob("*.yaml")))
    assert progress.total == progress.done == files + 1
    assert summary.startswith(f"{files} filer inlästa: 0 nya")


def test_an_import_with_a_bad_file_saves_nothing(demo: Qms, tmp_path: Path) -> None:
    folder = tmp_path / "modeller"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "roles:\n  - id: r-ny-roll\n    name: Ny roll\n", encoding="utf-8"
    )
    (folder / "b.yaml").write_text("processes:\n  - id: p-x\n    kind: core\n", encoding="utf-8")
    progress = Recorder()
    with pytest.raises(InvalidInput) as refused:
        jobs.import_work(demo, folder, "test")(progress)
    assert any("name" in where for where in refused.value.errors)
    assert progress.done == 2  # both files read, nothing loaded
    assert demo.store.label_of("r-ny-roll") is None


def test_the_cli_shows_a_progress_bar_and_a_summary(
    demo: Qms, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="qms")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["workspace", "reindex", "--progress"])
    assert args.handler(demo, args) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Sökindexet är återskapat:")
    assert "Sökindex [" in err
    assert "100 %" in err


def test_the_cli_import_takes_a_path(
    demo: Qms, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    parser = argparse.ArgumentParser(prog="qms")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["workspace", "import", str(folder)])
    assert args.handler(demo, args) == 0
    out, err = capsys.readouterr()
    assert "filer inlästa" in out
    assert err == ""  # no bar without --progress


def test_the_bar_fills_up() -> None:
    out = io.StringIO()
    bar = ProgressBar("Test", out)
    bar.start(4)
    assert bar.line() == "Test [" + "." * 30 + "] 0/4 0 %"
    bar.advance(2)
    assert bar.line() == "Test [" + "#" * 15 + "." * 15 + "] 2/4 50 %"
    bar.advance(2)
    bar.finish()
    assert out.getvalue().rstrip().endswith("4/4 100 %")
