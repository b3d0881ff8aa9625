"""``/arbetsyta/jobb``: long work in the background, and a page that shows how far it has come.

The request that starts a job returns at once (303 to the progress page). The progress page
works without JavaScript: it refreshes itself every two seconds until the job is finished.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from qms.services import jobs
from qms.services.access import Permission
from qms.services.file_store import MAX_BYTES
from qms.services.model_files import MAX_FILE_BYTES
from web.services import current_actor, get_qms

bp = Blueprint("ws_jobs", __name__)
_lock = threading.Lock()
REFRESH_SECONDS = 2


def runner() -> jobs.JobRunner:
    """The app's job runner (started on first use)."""
    with _lock:
        found = current_app.extensions.get("ws_jobs")
        if not isinstance(found, jobs.JobRunner):
            found = current_app.extensions["ws_jobs"] = jobs.JobRunner()
        return found


def _start(label: str, work: jobs.Work) -> Response:
    job_id = runner().submit(label, work)
    return redirect(url_for("ws_jobs.show", job_id=job_id), 303)


def _index(errors: dict[str, list[str]], status: int = 200) -> tuple[str, int]:
    page = render_template("workspace/jobs.html", recent=runner().recent(), errors=errors)
    return page, status


@bp.get("/arbetsyta/jobb")
def index() -> tuple[str, int]:
    """The latest jobs, and the long work that can be started from here."""
    current_actor().require(Permission.EDIT_PROCESSES)
    return _index({})


@bp.post("/arbetsyta/jobb/sokindex")
def reindex() -> Response:
    """Rebuild the search index from the graph."""
    current_actor().require(Permission.EDIT_PROCESSES)
    return _start("Återskapa sökindexet", jobs.reindex_work(get_qms()))


@bp.post("/arbetsyta/jobb/ritningar")
def relayout() -> Response:
    """Lay out and draw every process map again."""
    current_actor().require(Permission.EDIT_PROCESSES)
    return _start("Rita om alla processkartor", jobs.relayout_work(get_qms()))


@bp.post("/arbetsyta/jobb/import")
def bulk_import() -> Response | tuple[str, int]:
    """Load uploaded model files (YAML) all at once, validated first."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    request.max_content_length = MAX_BYTES
    too_big = {"files": [f"Filerna är för stora: högst {MAX_BYTES // 2**20} MB tillsammans."]}
    if request.content_length is not None and request.content_length > MAX_BYTES:
        return _index(too_big, 413)
    try:
        sent = [f for f in request.files.getlist("files") if f.filename]
    except RequestEntityTooLarge:
        return _index(too_big, 413)
    names = [secure_filename(f.filename or "") for f in sent]
    bad = [
        f.filename for f, n in zip(sent, names, strict=True) if not n.endswith((".yaml", ".yml"))
    ]
    if not sent or bad:
        message = "Välj en eller flera modellfiler (.yaml eller .yml)."
        return _index(
            {
                "files": [
                    message + (f" Inte en modellfil: {', '.join(map(str, bad))}." if bad else "")
                ]
            },
            422,
        )
    qms = get_qms()
    folder = qms.settings.data_dir / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    for index, (upload, name) in enumerate(zip(sent, names, strict=True)):
        upload.save(folder / f"{index:03d}-{name}")
    if any(p.stat().st_size > MAX_FILE_BYTES for p in folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
        return _index({"files": ["En fil är för stor."]}, 413)
    return _start(
        f"Läs in {len(sent)} modellfiler",
        _cleaning(folder, jobs.import_work(qms, folder, actor.name)),
    )


def _cleaning(folder: Path, work: jobs.Work) -> jobs.Work:
    def run(progress: jobs.Progress) -> str:
        try:
            return work(progress)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return run


def _status(job_id: str) -> jobs.JobStatus:
    current_actor().require(Permission.EDIT_PROCESSES)
    return runner().status(job_id)


@bp.get("/arbetsyta/jobb/<job_id>")
def show(job_id: str) -> Response:
    """How far a job has come; the page refreshes itself until the job is finished."""
    job = _status(job_id)
    response = make_response(
        render_template("workspace/job.html", job=job, refresh=REFRESH_SECONDS)
    )
    response.cache_control.no_store = True
    return response


@bp.get("/arbetsyta/jobb/<job_id>.json")
def show_json(job_id: str) -> Response:
    """A job's status as JSON (what the page's script polls)."""
    job = _status(job_id)
    body: dict[str, Any] = {
        "id": job.id,
        "label": job.label,
        "state": job.state.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
        "result": job.result,
        "error": job.error,
    }
    response = jsonify(body)
    response.cache_control.no_store = True
    return response
