"""Long work in the background with visible progress: reindex, re-layout, bulk import.

A ``JobRunner`` runs work on a small thread pool; the work reports through a ``Progress``
(``start(total)``, ``advance()``) and returns a one-line Swedish summary. The same work
functions run in the foreground from the CLI with a progress bar.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from qms.domain.entities import Process
from qms.domain.errors import InvalidInput, NotFound, QmsError
from qms.domain.labels import Label
from qms.search.port import SearchDoc
from qms.services.app import Qms
from qms.services.indexing import INDEXED, search_doc
from qms.services.model_files import Problems, model_files, read_records
from qms.storage.unit_of_work import now_stamp

log = logging.getLogger(__name__)


class JobState(StrEnum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of a job: how far it has come and how it ended."""

    id: str
    label: str
    state: JobState = JobState.QUEUED
    done: int = 0
    total: int = 0
    result: str = ""
    error: str = ""
    started_at: str = ""
    finished_at: str = ""

    @property
    def finished(self) -> bool:
        """Done or failed: nothing more will happen."""
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        """0–100; 100 once done even when the total was never known."""
        if self.state is JobState.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0


class Progress(Protocol):
    """What work reports to while it runs."""

    def start(self, total: int) -> None:
        """The number of steps the work will take."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more are done."""


Work = Callable[[Progress], str]


class _Tracker:
    """The ``Progress`` of one job in a runner."""

    def __init__(self, runner: JobRunner, job_id: str) -> None:
        self.runner, self.job_id = runner, job_id

    def start(self, total: int) -> None:
        self.runner._update(self.job_id, total=max(0, total), done=0)

    def advance(self, steps: int = 1) -> None:
        self.runner._advance(self.job_id, steps)


class JobRunner:
    """A few worker threads and the status of the latest jobs (older ones are forgotten)."""

    def __init__(self, workers: int = 2, keep: int = 100) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="qms-job")
        self._jobs: OrderedDict[str, JobStatus] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, label: str, work: Work) -> str:
        """Queue ``work`` and return the job's id at once."""
        job_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._jobs[job_id] = JobStatus(job_id, label)
            while len(self._jobs) > self._keep:
                oldest = next(iter(self._jobs))
                if not self._jobs[oldest].finished:
                    break
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job_id, work)
        return job_id

    def status(self, job_id: str) -> JobStatus:
        """The latest snapshot of a job (``NotFound`` for unknown or forgotten ids)."""
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None:
            raise NotFound("Jobb", job_id)
        return found

    def recent(self) -> list[JobStatus]:
        """The remembered jobs, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; with ``wait``, let running jobs finish."""
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _run(self, job_id: str, work: Work) -> None:
        self._update(job_id, state=JobState.RUNNING, started_at=now_stamp())
        try:
            result = work(_Tracker(self, job_id))
        except QmsError as exc:
            self._finish(job_id, JobState.FAILED, error=_lines(exc))
        except Exception:  # a job must end in a state a person can read, whatever happened
            log.exception("job %s failed", job_id)
            self._finish(job_id, JobState.FAILED, error="Ett oväntat fel inträffade; se loggen.")
        else:
            self._finish(job_id, JobState.DONE, result=result)

    def _finish(self, job_id: str, state: JobState, result: str = "", error: str = "") -> None:
        self._update(job_id, state=state, result=result, error=error, finished_at=now_stamp())

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _advance(self, job_id: str, steps: int) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = replace(job, done=job.done + steps)


def _lines(exc: QmsError) -> str:
    if isinstance(exc, InvalidInput) and exc.errors:
        return "\n".join([exc.message, *exc.lines()])
    return str(exc)


# -- the work ----------------------------------------------------------------------------------
def reindex_work(qms: Qms) -> Work:
    """Rebuild the search index from the graph, one step per indexed entity."""

    def work(progress: Progress) -> str:
        counts = qms.store.counts()
        progress.start(sum(counts.get(label.value, 0) for label in INDEXED))

        def docs() -> Iterator[SearchDoc]:
            for label in INDEXED:
                for entity in qms.store.entities(label):
                    progress.advance()
                    doc = search_doc(entity)
                    if doc is not None:
                        yield doc

        count = qms.search_index.rebuild(docs())
        return f"Sökindexet är återskapat: {count} poster."

    return work


def relayout_work(qms: Qms) -> Work:
    """Lay out and draw every unarchived process again (fills the SVG cache)."""
    from qms.services.bpmn_diagrams import process_svg

    def work(progress: Progress) -> str:
        processes = [
            p
            for p in qms.store.entities(Label.PROCESS)
            if isinstance(p, Process) and not p.archived
        ]
        progress.start(len(processes))
        failed: list[str] = []
        for process in processes:
            try:
                process_svg(qms.store, process.id)
            except QmsError:
                log.warning("could not draw %s", process.id, exc_info=True)
                failed.append(process.id)
            progress.advance()
        drawn = len(processes) - len(failed)
        note = f"; kunde inte ritas: {', '.join(failed)}" if failed else ""
        return f"{drawn} processkartor ritade på nytt{note}."

    return work


def import_work(qms: Qms, path: Path, actor: str) -> Work:
    """Validate every model file under ``path`` (one step each), then load them all at once."""

    def work(progress: Progress) -> str:
        paths = model_files(path)
        progress.start(len(paths) + 1)
        problems = Problems()
        for file in paths:
            read_records([file], problems)
            progress.advance()
        problems.raise_if_any(path.name)
        report = qms.load(path, actor)
        progress.advance()
        return (
            f"{len(paths)} filer inlästa: {report.created} nya, {report.updated} ändrade, "
            f"{report.unchanged} oförändrade; {report.linked} länkar tillagda, "
            f"{report.unlinked} borttagna."
        )

    return work
