"""Process diagrams: BPMN XML in and out, server SVG, the landscape map, bpmn-js from npm."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext, lazy_gettext

from qms.bpmn.safe import MAX_BYTES
from qms.domain.errors import Conflict, InvalidInput
from qms.domain.kinds import ProcessKind
from qms.domain.labels import Label
from qms.services.bpmn_diagrams import landscape_svg, process_svg
from qms.services.bpmn_export import export_process, revision
from qms.services.bpmn_import import import_bpmn
from web.services import get_qms

bp = Blueprint("diagrams", __name__)
ONE_YEAR = 365 * 24 * 3600
#: Only the built bundles, their styles and the icon font leave node_modules.
SERVED = (".js", ".css", ".woff", ".woff2", ".ttf", ".eot", ".svg")
BAND_NAMES = {
    ProcessKind.MANAGEMENT: lazy_gettext("Management processes"),
    ProcessKind.CORE: lazy_gettext("Core processes"),
    ProcessKind.SUPPORT: lazy_gettext("Support processes"),
}


def _dist() -> Path:
    configured = current_app.config.get("BPMN_JS_DIR")
    root = Path(configured) if configured else Path(__file__).parents[1] / "node_modules/bpmn-js"
    return root / "dist"


@functools.cache
def _version(dist: Path) -> str:
    return str(json.loads((dist.parent / "package.json").read_text("utf-8"))["version"])


@bp.app_template_global("bpmn_js")
def bpmn_js(filename: str) -> str:
    """The URL of a bpmn-js dist file; the version in the path makes it cacheable for ever."""
    return url_for("diagrams.bpmn_js_file", version=_version(_dist()), filename=filename)


@bp.get("/bpmn-js/<version>/<path:filename>")
def bpmn_js_file(version: str, filename: str) -> Response:
    """A file of the installed bpmn-js dist folder (nothing else), cached for a year."""
    dist = _dist()
    if version != _version(dist) or not filename.endswith(SERVED):
        abort(404)
    response = send_from_directory(dist, filename, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def _conditional(body: bytes, mimetype: str, etag: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.cache_control.no_cache = True
    response.make_conditional(request)  # 304 when the client has this version
    return response


@bp.get("/processer/<process_id>/diagram.bpmn")
def process_bpmn(process_id: str) -> Response:
    """The process as a BPMN 2.0 file; its ETag is the revision the modeler sends back."""
    data = export_process(get_qms().store, process_id)
    response = _conditional(data, "application/xml", revision(data))
    response.headers["Content-Disposition"] = f'inline; filename="{process_id}.bpmn"'
    return response


@bp.post("/processer/<process_id>/diagram.bpmn")
def save_bpmn(process_id: str) -> tuple[Response, int]:
    """The modeler's save: the next version of the process, if nobody changed it meanwhile."""
    qms = get_qms()
    if qms.store.label_of(process_id) is not Label.PROCESS:
        abort(404)
    if (request.content_length or 0) > MAX_BYTES:
        return _error(413, gettext("The diagram is too large to save."))
    sent = [tag for tag in request.if_match.as_set()] if request.if_match else []
    if len(sent) != 1:
        return _error(428, gettext("The save must say which version of the diagram it changes."))
    try:
        report = import_bpmn(
            qms,
            request.get_data(cache=False),
            "modellerare",
            "web:modellerare",
            process_id=process_id,
            expected_revision=sent[0],
        )
    except Conflict as exc:
        return _error(409, str(exc))
    except InvalidInput as exc:
        return _error(422, exc.message, exc.errors)
    current = revision(export_process(qms.store, process_id))
    body = {
        "message": gettext("The diagram was saved."),
        "revision": current,
        "created": report.created,
        "updated": report.updated,
        "removed": report.removed,
        "kept": report.kept,
    }
    return jsonify(body), 200


def _error(
    status: int, message: str, errors: dict[str, list[str]] | None = None
) -> tuple[Response, int]:
    return jsonify(message=message, errors=errors or {}), status


@bp.get("/processer/<process_id>/diagram.svg")
def process_diagram_svg(process_id: str) -> Response:
    """The process drawn by Graphviz, for print and pages without JavaScript."""
    data, etag = process_svg(get_qms().store, process_id)
    return _conditional(data, "image/svg+xml", etag)


@bp.get("/karta.svg")
def landscape() -> Response:
    """The process landscape: three bands per organisation unit, each process a link."""
    headings = {kind: str(name) for kind, name in BAND_NAMES.items()}
    link = request.script_root + "/processer/{id}"
    data, etag = landscape_svg(get_qms().store, headings, gettext("Other processes"), link)
    return _conditional(data, "image/svg+xml", etag)


@bp.get("/processer/<process_id>/modellera")
def modeler(process_id: str) -> str:
    """The bpmn-js modeler on the process; saving posts the XML back."""
    process = get_qms().store.get(Label.PROCESS, process_id)
    return render_template("diagram/modeler.html", process=process)
