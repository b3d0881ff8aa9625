"""``/import``: upload a spreadsheet, map its columns (own sheets), preview the plan, apply it."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from exporters import importers
from exporters.import_own import default_mapping, headers
from exporters.importers import BadFile, Importer
from qms.domain.errors import Conflict, Forbidden, InvalidInput
from qms.services import imports
from qms.services.access import Actor, Permission
from qms.services.imports_match import type_name
from web.services import current_actor, get_qms

bp = Blueprint("imports", __name__)

#: Larger uploads are refused here (the app-wide MAX_CONTENT_LENGTH is the lead's).
MAX_UPLOAD = 20 * 1024 * 1024
#: Rows of the plan shown on the page (the counts always cover every row).
SHOWN = 500


def _require_editor(actor: Actor) -> None:
    if not (actor.can(Permission.EDIT_PROCESSES) or actor.can(Permission.EDIT_QUALITY)):
        raise Forbidden("Du har inte behörighet att läsa in filer.")


def _formats() -> list[Importer]:
    return [importers.get(name) for name in importers.names()]


@bp.get("/import")
def index() -> str:
    """The upload form."""
    _require_editor(current_actor())
    return render_template("quality/import.html", formats=_formats(), errors={}, chosen="")


@bp.post("/import")
def upload() -> tuple[str, int] | str:
    """Keep the file, then the mapping step (own sheets) or the preview."""
    _require_editor(current_actor())
    name = request.form.get("format", "")
    sent = request.files.get("file")
    errors: dict[str, list[str]] = {}
    if name not in importers.names():
        errors["format"] = ["Välj ett format."]
    if request.content_length and request.content_length > MAX_UPLOAD + 64 * 1024:
        errors["file"] = [f"Filen är för stor; högst {MAX_UPLOAD // 2**20} MB."]
    elif sent is None or not sent.filename:
        errors["file"] = ["Välj en fil."]
    data = b""
    if not errors and sent is not None:
        data = sent.stream.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            errors["file"] = [f"Filen är för stor; högst {MAX_UPLOAD // 2**20} MB."]
        elif not data:
            errors["file"] = ["Filen är tom."]
    if errors or sent is None:
        page = render_template(
            "quality/import.html", formats=_formats(), errors=errors, chosen=name
        )
        return page, 422
    kept = imports.keep_upload(get_qms(), name, sent.filename or "", data)
    if importers.get(name).mapped:
        return _mapping_page(kept, {})
    return _preview(kept, None)


def _mapping_page(kept: imports.Upload, errors: dict[str, list[str]]) -> tuple[str, int] | str:
    importer = importers.get(kept.name)
    try:
        found = headers(kept.data, kept.filename)
    except BadFile as exc:
        return _problems_page(kept, importer, exc)
    chosen = default_mapping(importer.targets, found)
    page = render_template(
        "quality/import_mapping.html",
        upload=kept,
        importer=importer,
        headers=found,
        chosen=chosen,
        errors=errors,
    )
    return (page, 422) if errors else page


def _mapping_from_form(importer: Importer) -> dict[str, str]:
    return {
        target: request.form[f"map-{target}"]
        for target in importer.targets
        if request.form.get(f"map-{target}", "").strip()
    }


@bp.post("/import/<token>/kolumner")
def mapping(token: str) -> tuple[str, int] | str:
    """The chosen column mapping → the preview."""
    _require_editor(current_actor())
    kept = imports.find_upload(get_qms(), token)
    importer = importers.get(kept.name)
    chosen = _mapping_from_form(importer)
    missing = [t for t in sorted(importer.required) if t not in chosen]
    if missing:
        errors = {f"map-{t}": ["Välj en kolumn."] for t in missing}
        return _mapping_page(kept, errors)
    return _preview(kept, chosen)


def _preview(kept: imports.Upload, chosen: dict[str, str] | None) -> tuple[str, int] | str:
    importer = importers.get(kept.name)
    try:
        plan = imports.plan_import(get_qms(), kept.name, kept.data, kept.filename, chosen)
    except InvalidInput as exc:  # BadFile included: one line per problem
        return _problems_page(kept, importer, exc)
    return _plan_page(kept, importer, plan, chosen)


def _plan_page(
    kept: imports.Upload,
    importer: Importer,
    plan: imports.ImportPlan,
    chosen: dict[str, str] | None,
    notice: str = "",
) -> str:
    actor = current_actor()
    needed = imports.required_permissions(plan)
    return render_template(
        "quality/import_preview.html",
        upload=kept,
        importer=importer,
        plan=plan,
        type_name=type_name,
        rows=[p for p in plan.entities if p.action != imports.UNCHANGED][:SHOWN],
        shown=SHOWN,
        may_apply=all(actor.can(p) for p in needed),
        too_big=plan.writes > imports.MAX_WRITES,
        mapping=chosen or {},
        notice=notice,
    )


def _problems_page(kept: imports.Upload, importer: Importer, exc: InvalidInput) -> tuple[str, int]:
    problems = getattr(exc, "problems", None)
    lines = (
        [(p.where.sheet, p.where.row or "", p.where.column, p.message) for p in problems]
        if problems
        else [("", "", "", line) for line in exc.lines()]
    )
    page = render_template(
        "quality/import_problems.html",
        upload=kept,
        importer=importer,
        message=exc.message,
        problems=lines[:SHOWN],
        total=len(lines),
    )
    return page, 422


@bp.post("/import/<token>/genomfor")
def apply(token: str) -> tuple[str, int] | str | Response:
    """Apply exactly the previewed plan, all or nothing."""
    actor = current_actor()
    _require_editor(actor)
    qms = get_qms()
    kept = imports.find_upload(qms, token)
    importer = importers.get(kept.name)
    chosen = _mapping_from_form(importer) or None if importer.mapped else None
    try:
        plan, report = imports.import_file(
            qms,
            actor,
            kept.name,
            kept.data,
            kept.filename,
            chosen,
            expected_digest=request.form.get("digest", ""),
        )
    except BadFile as exc:
        return _problems_page(kept, importer, exc)
    except Conflict:
        plan = imports.plan_import(qms, kept.name, kept.data, kept.filename, chosen)
        notice = "Grafen har ändrats sedan förhandsgranskningen. Granska planen igen."
        return _plan_page(kept, importer, plan, chosen, notice), 409
    imports.drop_upload(qms, token)
    return render_template("quality/import_done.html", importer=importer, report=report, plan=plan)
