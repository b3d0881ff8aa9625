"""``/export``: every export format, for the whole organisation or one unit, as a download."""

from __future__ import annotations

import io
import zipfile

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

import exporters
from qms.domain.entities import OrgUnit
from qms.domain.labels import Label
from qms.services.access import Permission
from qms.services.export_history import run
from web.services import current_actor, get_qms, today

bp = Blueprint("exports", __name__)


@bp.get("/export")
def index() -> str:
    """The formats, each with a download button; the unit chosen above limits scoped ones."""
    current_actor().require(Permission.EDIT_QUALITY)
    units = sorted(
        (u for u in get_qms().store.entities(Label.ORG_UNIT) if isinstance(u, OrgUnit)),
        key=lambda u: u.name.casefold(),
    )
    scope = request.args.get("enhet", "")
    if scope not in {u.id for u in units}:
        scope = ""
    return render_template(
        "quality/exports.html", formats=exporters.formats(), units=units, scope=scope
    )


@bp.post("/export/<name>")
def download(name: str) -> Response:
    """Run one export and hand it over (a comparing format keeps its record here too)."""
    scope = request.form.get("enhet", "") or None
    result = run(get_qms(), current_actor(), name, scope=scope, today=today())
    data, filename, media_type = result.data, result.filename, result.format.media_type
    if request.form.get("csv") and result.attachments:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(filename, data)
            for attachment, content in result.attachments:
                archive.writestr(attachment, content)
        data, media_type = buffer.getvalue(), exporters.ZIP
        filename = filename.rsplit(".", 1)[0] + "-csv.zip"
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
