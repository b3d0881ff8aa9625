"""``/arbetsyta/dokument/granskning``: documents in force to review soon or overdue, and the
e-mail reminders about them sent now (the same as ``qms remind``)."""

from __future__ import annotations

import os

from flask import (
    Blueprint,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from qms.domain.errors import InvalidInput
from qms.domain.labels import Label
from qms.services.access import Actor
from qms.services.doc_reviews import REPEAT_DAYS, reviews, send_review_reminders, sent_log
from qms.services.notify_settings import NotifySettings, from_env
from web.services import current_actor, get_qms, today
from web.workspace.documents import require_keeper

bp = Blueprint("ws_doc_reviews", __name__)


def _allowed() -> Actor:
    actor = current_actor()
    require_keeper(actor)
    return actor


def _mail() -> tuple[NotifySettings | None, str]:
    """The mail settings from the environment, or None and why they are wrong."""
    try:
        return from_env(os.environ), ""
    except InvalidInput as exc:
        return None, "; ".join(exc.lines())


@bp.get("/arbetsyta/dokument/granskning")
def index() -> tuple[str, int]:
    """Overdue and soon due reviews, in a unit and below it when one is chosen."""
    _allowed()
    store = get_qms().store
    unit = request.args.get("enhet", "").strip()[:100]
    errors: dict[str, list[str]] = {}
    if unit and store.label_of(unit) is not Label.ORG_UNIT:
        errors["enhet"] = ["Välj en organisationsenhet i listan."]
        unit = ""
    units = sorted(store.entities(Label.ORG_UNIT), key=lambda u: u.caption.casefold())
    settings, problem = _mail()
    page = render_template(
        "workspace/document_reviews.html",
        found=reviews(store, today(), unit or None),
        unit=unit,
        errors=errors,
        unit_options=[(u.id, u.caption) for u in units],
        mail_on=bool(settings and settings.smtp),
        mail_problem=problem,
        repeat_days=REPEAT_DAYS,
        done=get_flashed_messages(),
    )
    return page, 422 if errors else 200


@bp.post("/arbetsyta/dokument/granskning/paminn")
def remind() -> Response:
    """Send the reminders due today (each at most once within the repeat interval)."""
    _allowed()
    settings, problem = _mail()
    if settings is None:
        raise InvalidInput("E-postinställningarna är ogiltiga.", {"QMS_NOTIFY": [problem]})
    qms = get_qms()
    base_url = settings.base_url if os.environ.get("QMS_BASE_URL") else request.url_root.rstrip("/")
    run = send_review_reminders(
        qms.store,
        settings.notifier(),
        today(),
        log=sent_log(qms.settings.data_dir),
        base_url=base_url,
    )
    flash(_summary(run.enabled, len(run.sent), len(run.failed), run.repeated))
    for reminder, reason in run.failed:
        flash(f"{reminder.notice.to}: {reason}")
    return redirect(url_for("ws_doc_reviews.index"), 303)


def _summary(enabled: bool, sent: int, failed: int, repeated: int) -> str:
    if not enabled:
        return str(gettext("E-mail is off (QMS_NOTIFY=off): nothing was sent."))
    parts = [ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent)]
    if failed:
        parts.append(ngettext("%(num)d could not be sent.", "%(num)d could not be sent.", failed))
    if repeated:
        parts.append(
            ngettext(
                "%(num)d left out: sent recently.", "%(num)d left out: sent recently.", repeated
            )
        )
    return " ".join(str(p) for p in parts)
