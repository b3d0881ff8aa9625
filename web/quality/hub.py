"""``/kvalitet``: the way into quality work, one card per task a coordinator or manager has."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

bp = Blueprint("quality", __name__)

#: (endpoint, title, what it is for), in the order of the yearly work.
AREAS = (
    ("deviations.new", _l("Report a deviation"), _l("Anyone may report, from a phone too.")),
    (
        "deviations.index",
        _l("Deviations"),
        _l("Complaints, suggestions, lex Sarah and lex Maria: investigate, act, follow up."),
    ),
    ("goals.index", _l("Goals"), _l("The ILS goal chain, indicators and goal assessment.")),
    ("risks.index", _l("Risks"), _l("The risk register and the risk matrix.")),
    (
        "controls.index",
        _l("Internal control plan"),
        _l("Checks of the serious risks, with results per tertial."),
    ),
    ("inspections.index", _l("Self-inspections"), _l("Plan, annual wheel, results, overdue.")),
    (
        "system_health.index",
        _l("Health of the management system"),
        _l("Gaps to fix: activities without a routine, overdue reviews and more."),
    ),
    ("dashboard.index", _l("Management overview"), _l("Deviations, risks and goals at a glance.")),
    (
        "exports.index",
        _l("Exports to ILS and 2c8"),
        _l(
            "Process list, risk analysis, internal control plan and goal follow-up as spreadsheets."
        ),
    ),
)


@bp.get("/kvalitet")
def index() -> str:
    """Cards for every quality page this server has."""
    cards = [
        {"url": url_for(endpoint), "title": title, "text": text}
        for endpoint, title, text in AREAS
        if endpoint in current_app.view_functions
    ]
    return render_template("quality/hub.html", cards=cards)
