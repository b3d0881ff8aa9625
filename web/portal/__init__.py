"""The staff portal: processes, activities, documents, roles and search, read-only."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, request, url_for

from qms.domain.labels import Label
from qms.domain.views import HOW_TO_KINDS
from qms.search.port import Hit
from qms.services.portal import Portal
from qms.services.portal_search import MAX_QUERY
from web import labels, page_cache
from web.portal import activities, documents, processes, roles, search
from web.translate import Terms

BLUEPRINTS = (processes.bp, activities.bp, documents.bp, roles.bp, search.bp)
ITEM_PAGES = {
    Label.PROCESS: ("processes.show", "process_id"),
    Label.ACTIVITY: ("activities.show", "activity_id"),
    Label.DOCUMENT: ("documents.show", "document_id"),
    Label.ROLE: ("roles.show", "role_id"),
}
_prefixes: dict[str, dict[str, str]] = {}


def href(label: str, entity_id: str) -> str:
    """The path of an item page, e.g. ``href("Process", "p-1")`` → ``/processer/p-1``.

    A page links dozens of items; building each path from a prefix found once (by
    ``url_for``, so routes stay defined in one place) costs a tenth of ``url_for``.
    """
    prefixes = _prefixes.get(request.script_root)
    if prefixes is None:
        prefixes = {}
        for item, (endpoint, arg) in ITEM_PAGES.items():
            values: dict[str, Any] = {arg: "0"}
            prefixes[item] = url_for(endpoint, **values)[:-1]
        _prefixes[request.script_root] = prefixes
    return prefixes[label] + quote(entity_id, safe=":")


def hit_url(hit: Hit) -> str:
    """The permalink of a search hit's page."""
    return href(hit.label, hit.id)


def http_url(url: str) -> str | None:
    """``url`` when it is a web address; None for ``javascript:`` and other schemes."""
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: "Undersköterska" → "undersköterska", "MAS" kept."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def init_app(app: Flask) -> None:
    """Open the portal's read models over ``app.extensions["qms"]`` and add its pages."""
    qms = app.extensions["qms"]
    fixed = app.config.get("TODAY")  # tests pin the date overdue reviews are judged by
    portal = Portal(qms, today=lambda: fixed) if fixed else Portal(qms)
    qms.on_write(portal.invalidate)
    cache = page_cache.init_app(app)
    if cache is not None:
        portal.on_invalidate(cache.clear)
    app.extensions["portal"] = portal
    app.jinja_env.globals.update(
        document_kinds=Terms(labels.DOCUMENT_KINDS),
        document_statuses=Terms(labels.DOCUMENT_STATUSES),
        process_kinds=Terms(labels.PROCESS_KIND_NAMES),
        goal_levels=Terms(labels.GOAL_LEVELS),
        label_groups=Terms(labels.LABEL_GROUPS),
        search_types=labels.SEARCH_TYPES,
        step_kind=labels.step_kind,
        subprocess_types=labels.SUBPROCESS_TYPES,
        how_to_kinds=HOW_TO_KINDS,
        hit_url=hit_url,
        href=href,
        max_query=MAX_QUERY,
    )
    app.jinja_env.filters.update(http_url=http_url, in_sentence=in_sentence)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
