"""The job runner: progress while running, a result when done, a readable error when not."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from qms.domain.errors import InvalidInput, NotFound
from qms.services.jobs import JobRunner, JobState, JobStatus, Progress


@pytest.fixture
def runner() -> Iterator[JobRunner]:
    opened = JobRunner(workers=2, keep=3)
    yield opened
    opened.shutdown()


def wait(runner: JobRunner, job_id: str, timeout: float = 5.0) -> JobStatus:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = runner.status(job_id)
        if status.finished:
            return status
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} did not finish")


def test_progress_is_visible_while_the_job_runs_and_complete_at_the_end(
    runner: JobRunner,
) -> None:
    halfway, go_on = threading.Event(), threading.Event()

    def work(progress: Progress) -> str:
        progress.start(4)
        progress.advance()
        progress.advance()
        halfway.set()
        go_on.wait(5)
        progress.advance(2)
        return "Fyra steg klara."

    job_id = runner.submit("Fyra steg", work)
    assert halfway.wait(5)
    running = runner.status(job_id)
    assert (running.state, running.done, running.total, running.percent) == (
        JobState.RUNNING,
        2,
        4,
        50,
    )
    assert not running.finished
    assert running.started_at
    go_on.set()
    done = wait(runner, job_id)
    assert (done.state, done.done, done.percent, done.result) == (
        JobState.DONE,
        4,
        100,
        "Fyra steg klara.",
    )
    assert done.finished_at >= done.started_at


def test_submit_returns_at_once(runner: JobRunner) -> None:
    release = threading.Event()
    started = time.monotonic()
    job_id = runner.submit("Långsamt", lambda progress: str(release.wait(5)))
    assert time.monotonic() - started < 0.5
    assert runner.status(job_id).state in (JobState.QUEUED, JobState.RUNNING)
    release.set()
    assert wait(runner, job_id).result == "True"


def test_a_refused_job_reports_its_swedish_error(runner: JobRunner) -> None:
    def work(progress: Progress) -> str:
        progress.start(2)
        progress.advance()
        raise InvalidInput("modeller: 1 fel, inget sparades", {"a.yaml: p-1.name": ["Saknas."]})

    failed = wait(runner, runner.submit("Läs in", work))
    assert failed.state is JobState.FAILED
    assert failed.error == "modeller: 1 fel, inget sparades\na.yaml: p-1.name: Saknas."
    assert (failed.done, failed.total, failed.result) == (1, 2, "")


def test_a_bug_ends_as_a_failure_without_a_stack_trace(
    runner: JobRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def work(progress: Progress) -> str:
        raise ZeroDivisionError("intern detalj")

    failed = wait(runner, runner.submit("Bugg", work))
    assert failed.state is JobState.FAILED
    assert failed.error == "Ett oväntat fel inträffade; se loggen."
    assert "intern detalj" in caplog.text


def test_unknown_jobs_are_not_found(runner: JobRunner) -> None:
    with pytest.raises(NotFound):
        runner.status("finns-inte")


def test_old_finished_jobs_are_forgotten_newest_first(runner: JobRunner) -> None:
    def work(progress: Progress) -> str:
        return "klart"

    ids: list[str] = []
    for n in range(5):
        ids.append(runner.submit(f"Jobb {n}", work))
        wait(runner, ids[-1])
    assert [job.id for job in runner.recent()] == ids[:1:-1]


def test_percent_without_a_total() -> None:
    assert JobStatus("x", "x", JobState.RUNNING).percent == 0
    assert JobStatus("x", "x", JobState.DONE).percent == 100
    assert JobStatus("x", "x", JobState.RUNNING, done=9, total=3).percent == 100
