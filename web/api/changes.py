"""Changing a process with optimistic locking, and the change history of any entity."""

from __future__ import annotations

import re
from typing import Any

from flask import request
from marshmallow import RAISE

from qms.domain.errors import InvalidInput
from qms.services import api_reads
from qms.services import workspace_processes as processes
from qms.services.access import Permission
from qms.services.forms import load
from qms.services.workspace import EditConflict
from web.api import portal_schemas as ps
from web.api import schemas as s
from web.api.core import Reply, api_actor, bp, operation
from web.api.portal import PORTAL, etag, process_detail
from web.services import get_portal, get_qms


class ProcessChange(processes.ProcessForm):
    """What a client may change: the editor's fields without its own bookkeeping and the
    parent (a move is a use case of its own); only the fields sent."""

    class Meta:
        unknown = RAISE
        exclude = ("state", "seen", "parent")


PATCHABLE = ProcessChange(partial=True)
IF_MATCH = re.compile(r'\A(?:W/)?"?(\d{1,9})"?\Z')
NO_VERSION = "Ange versionen du läste: fältet version eller huvudet If-Match."
BAD_MATCH = 'If-Match ska vara en version, t.ex. "3".'
STALE = (
    "Någon annan har sparat ändringar sedan versionen du läste; inget sparades. "
    "Läs processen igen och gör om ändringen."
)


def expected_version(loaded: dict[str, Any]) -> int:
    """The version the client read: ``version`` in the body, else the If-Match header."""
    if "version" in loaded:
        return int(loaded["version"])
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise InvalidInput(NO_VERSION, {"version": [NO_VERSION]})
    found = IF_MATCH.match(header)
    if found is None:
        raise InvalidInput(BAD_MATCH, {"version": [BAD_MATCH]})
    return int(found.group(1))


@bp.patch("/processes/<process_id>")
@operation(
    "Change a process",
    PORTAL,
    ps.ProcessDetail,
    body=PATCHABLE,
    errors=(403, 409),
    headers={"ETag": "The process's new version."},
    reads={"If-Match": 'The version the change builds on, e.g. "3" (or send "version").'},
)
def patch_process(process_id: str, body: dict[str, Any]) -> Reply:
    """Change the fields sent (the rest stay as they are), based on the version the client
    read. When someone else saved in between: 409 with what they changed, nothing saved.
    ``collaboration_with``/``_when``/``_how`` make up the ``collaboration`` text;
    ``owner``, ``org_unit`` and ``goals`` take ids."""
    qms, actor = get_qms(), api_actor()
    get_portal().process(process_id)  # 404 before anything else
    actor.require(Permission.EDIT_PROCESSES)  # update_process checks the units
    loaded = load(PATCHABLE, body, "Processen")
    version = expected_version(loaded)
    # The current values fill in what was not sent; their state token (version and links, read
    # together with them) makes a link changed meanwhile a conflict too, not a lost update.
    current = processes.editor(qms, process_id).values
    sent = {key: body[key] for key in loaded if key != "version"}
    seen = api_reads.version_stamp(qms.store, process_id, version)
    data = {**current, **sent, "version": version, "seen": seen}
    try:
        processes.update_process(qms, actor, process_id, data)
    except EditConflict as exc:
        return conflict(exc, process_id)
    return process_detail(get_portal().process(process_id))


def conflict(exc: EditConflict, process_id: str) -> Reply:
    """409: what others saved since the version the client read, and the version now."""
    now = get_portal().process(process_id).view.process.version
    changes = [{**vars(c), "withheld": False} for c in exc.changes]
    data = {"message": STALE, "errors": {}, "current_version": now, "changes": changes}
    return Reply(data, status=409, headers=etag(now), schema=s.ConflictError)


@bp.get("/history/<entity_id>")
@operation("Change history", "History", s.ChangePage, query=s.Paging)
def history(entity_id: str, query: dict[str, Any]) -> api_reads.Page[Any]:
    """Every change of one entity, oldest first: who, when, which field, before and after (as
    JSON text). An avvikelse's free text is "(dold)" for those who may not read it; accounts
    and tokens need the right to manage accounts."""
    rows = api_reads.entity_changes(get_qms().store, api_actor(), entity_id)
    items = [{**vars(row.change), "withheld": row.withheld} for row in rows]
    return api_reads.paginate(items, query["limit"], query["offset"])
