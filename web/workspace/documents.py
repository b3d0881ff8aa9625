"""``/arbetsyta/dokument``: the document registry (styrdokument and rutiner) and their files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from qms.domain.document_flow import edit_refusal, one_year_after
from qms.domain.entities import Document
from qms.domain.errors import Conflict, Forbidden, InvalidInput
from qms.domain.kinds import DocumentKind, DocumentStatus
from qms.domain.labels import Label
from qms.services import doc_control, doc_registry, doc_reviews
from qms.services.access import MESSAGES, Actor, Permission
from qms.services.file_store import FIELD, MAX_BYTES, FileTooLarge, Upload, too_large
from web import csrf
from web.labels import DOCUMENT_KINDS, DOCUMENT_STATUSES
from web.services import current_actor, get_qms, today

bp = Blueprint("ws_documents", __name__)

#: Room for the other fields of the form beside the file.
REQUEST_LIMIT = MAX_BYTES + 2**20
Page = tuple[str, int]


def require_keeper(actor: Actor) -> None:
    """Those who write or fastställer documents somewhere see the registry and its pages."""
    if not (actor.can(Permission.EDIT_PROCESSES) or actor.can(Permission.APPROVE_DOCUMENTS)):
        raise Forbidden(MESSAGES[Permission.EDIT_PROCESSES])


def _choices() -> dict[str, Any]:
    store = get_qms().store
    roles = sorted(store.entities(Label.ROLE), key=lambda r: r.caption.casefold())
    units = sorted(store.entities(Label.ORG_UNIT), key=lambda u: u.caption.casefold())
    return {
        "kind_options": [(k.value, DOCUMENT_KINDS[k]) for k in DocumentKind],
        "status_options": [(s.value, DOCUMENT_STATUSES[s]) for s in DocumentStatus],
        "role_options": [(r.id, r.caption) for r in roles],
        "unit_options": [(u.id, u.caption) for u in units],
        "limit_mb": MAX_BYTES // 2**20,
    }


def _received() -> tuple[dict[str, Any], Upload | None]:
    """The posted fields and file; a body over the limit is refused before it is read."""
    request.max_content_length = REQUEST_LIMIT
    if request.content_length is not None and request.content_length > REQUEST_LIMIT:
        raise too_large()
    try:
        data = {k: v for k, v in request.form.items() if k != FIELD}
        sent = request.files.get(FIELD)
    except RequestEntityTooLarge:
        raise too_large() from None
    if sent is None or not sent.filename:
        return data, None
    return data, Upload(sent.stream, sent.filename, sent.content_length or None)


@bp.get("/arbetsyta/dokument")
def index() -> str:
    """Every styrdokument and rutin, filtered by kind, status and words of the title."""
    actor = current_actor()
    require_keeper(actor)
    chosen = {k: request.args.get(k, "").strip()[:200] for k in ("typ", "status", "q")}
    rows = doc_registry.registry(
        get_qms(), today(), kind=chosen["typ"], status=chosen["status"], text=chosen["q"]
    )
    found = doc_reviews.reviews(get_qms().store, today())
    return render_template(
        "workspace/documents.html",
        rows=rows,
        chosen=chosen,
        review_count=len(found.overdue) + len(found.due),
        **_choices(),
    )


def _form(values: dict[str, Any], errors: dict[str, list[str]], status: int = 200) -> Page:
    page = render_template(
        "workspace/document_new.html", values=values, errors=errors, **_choices()
    )
    return page, status


@bp.route("/arbetsyta/dokument/ny", methods=["GET", "POST"])
@csrf.upload_view
def create() -> Response | Page:
    """Register a styrdokument or rutin, with a link or an uploaded PDF or DOCX."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    if request.method == "GET":
        kind = request.args.get("typ", DocumentKind.ROUTINE.value)
        return _form({"kind": kind, "doc_version": "1.0"}, {})
    try:
        data, upload = _received()
    except FileTooLarge as exc:
        return _form({"doc_version": "1.0"}, exc.errors, 413)
    try:
        saved = doc_registry.save_document(get_qms(), actor, data, upload)
    except InvalidInput as exc:
        return _form(data, exc.errors, 413 if isinstance(exc, FileTooLarge) else 422)
    return redirect(url_for("ws_documents.edit", document_id=saved.id, sparat=1), 303)


def edit_page(
    document_id: str,
    values: dict[str, Any] | None,
    errors: dict[str, list[str]],
    status: int = 200,
    missed: list[doc_registry.Edit] | None = None,
    target_errors: dict[str, list[str]] | None = None,
    flow_errors: dict[str, list[str]] | None = None,
    flow_values: Mapping[str, Any] | None = None,
) -> Page:
    """The document's page: workflow, where it is used, its file, and its form (read only
    unless it is a draft); ``flow_errors`` belong to a refused workflow step."""
    qms = get_qms()
    view = doc_registry.detail(qms, document_id)
    stored = doc_registry.form_values(view)
    shown = stored if values is None else {**values, "version": stored["version"]}
    page = render_template(
        "workspace/document_edit.html",
        view=view,
        values=shown,
        errors=errors,
        missed=missed or [],
        target_errors=target_errors or {},
        groups=doc_registry.targets(qms, document_id),
        used={use.target.id for use in view.uses},
        saved=request.args.get("sparat") == "1",
        overdue=view.document.review_overdue(today()),
        flow=_flow(view.document),
        flow_errors=flow_errors or {},
        flow_values=flow_values or {},
        done=get_flashed_messages(),
        **_choices(),
    )
    return page, status


def _flow(document: Document) -> dict[str, Any]:
    """What the workflow panel shows: the versions before and after, who may do what."""
    store, actor = get_qms().store, current_actor()
    unit = doc_control.unit_of(store, document.id)
    return {
        "refusal": edit_refusal(document),
        "earlier": doc_control.predecessor(store, document.id),
        "later": doc_control.successor(store, document.id),
        "may_edit": actor.can_for(Permission.EDIT_PROCESSES, unit),
        "may_approve": actor.can_for(Permission.APPROVE_DOCUMENTS, unit),
        "next_review": one_year_after(today()),
        "today": today().isoformat(),
    }


@bp.route("/arbetsyta/dokument/<document_id>", methods=["GET", "POST"])
@csrf.upload_view
def edit(document_id: str) -> Response | Page:
    """Change a document; where it is used is shown above the form, before the change."""
    actor = current_actor()
    require_keeper(actor)
    if request.method == "GET":
        return edit_page(document_id, None, {})
    try:
        data, upload = _received()
    except FileTooLarge as exc:
        return edit_page(document_id, None, exc.errors, 413)
    qms = get_qms()
    try:
        doc_registry.save_document(qms, actor, data, upload, document_id)
    except FileTooLarge as exc:
        return edit_page(document_id, data, exc.errors, 413)
    except InvalidInput as exc:
        return edit_page(document_id, data, exc.errors, 422)
    except Conflict:
        seen = int(data["version"]) if str(data.get("version", "")).isdigit() else 0
        missed = doc_registry.changes_since(qms.store, document_id, seen)
        return edit_page(document_id, data, {}, 409, missed)
    return redirect(url_for("ws_documents.edit", document_id=document_id, sparat=1), 303)


@bp.post("/arbetsyta/dokument/<document_id>/koppla")
def attach(document_id: str) -> Response | Page:
    """Let the document govern a process or an activity."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    target = request.form.get("target", "").strip()
    try:
        doc_registry.attach(get_qms(), actor, document_id, target)
    except InvalidInput as exc:
        return edit_page(document_id, None, {}, 422, target_errors=exc.errors)
    return redirect(url_for("ws_documents.edit", document_id=document_id) + "#anvands", 303)


@bp.post("/arbetsyta/dokument/<document_id>/koppla-bort")
def detach(document_id: str) -> Response:
    """Stop the document governing a process or an activity."""
    actor = current_actor()
    actor.require(Permission.EDIT_PROCESSES)
    doc_registry.detach(get_qms(), actor, document_id, request.form.get("target", "").strip())
    return redirect(url_for("ws_documents.edit", document_id=document_id) + "#anvands", 303)


@bp.get("/arbetsyta/dokument/<document_id>/fil")
def download(document_id: str) -> Response:
    """The document's stored file, as an attachment with its name and type.

    Anyone who can read the portal may read the file, as they may read the document.
    """
    stored, path = doc_registry.stored_file(get_qms(), document_id)
    response = send_file(
        path,
        mimetype=stored.media_type,
        as_attachment=True,
        download_name=stored.name,
        etag=stored.checksum,
        conditional=True,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
