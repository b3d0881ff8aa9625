"""Static files under content-hashed URLs: cached for a year, changed by changing the URL."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

ONE_YEAR = 365 * 24 * 3600
_hashes: dict[str, tuple[int, int, str]] = {}
_lock = threading.Lock()


def _folder(endpoint: str) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    blueprint = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def content_hash(endpoint: str, filename: str) -> str:
    """The first 12 hex digits of the file's SHA-256; '' when the file is missing."""
    folder = _folder(endpoint)
    if folder is None:
        return ""
    path = Path(folder, filename)
    try:
        stat = path.stat()
    except OSError:
        return ""
    key = os.fspath(path)
    known = _hashes.get(key)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    with _lock:
        _hashes[key] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def static_url(filename: str, endpoint: str = "static") -> str:
    """The URL of a static file with ``?v=<content hash>``."""
    version = content_hash(endpoint, filename)
    if not version:
        return url_for(endpoint, filename=filename)
    return url_for(endpoint, filename=filename, v=version)


def cache_headers(response: Response) -> Response:
    """A year's immutable caching for a hashed URL that matches; revalidation otherwise."""
    endpoint = request.endpoint or ""
    if endpoint != "static" and not endpoint.endswith(".static"):
        return response
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if version and version == content_hash(endpoint, filename) and response.status_code < 400:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response


def init_app(app: Flask) -> None:
    """Install ``static_url`` for templates and the caching headers."""
    app.jinja_env.globals["static_url"] = static_url
    app.after_request(cache_headers)
