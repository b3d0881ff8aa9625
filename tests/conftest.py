"""Shared by every test package: a Flask test client that behaves like a browser on our pages.

A browser sends back the CSRF token its page carried; this client does the same for every
unsafe request (from the session, as the page would have it). Tests of the CSRF check itself
use ``flask.testing.FlaskClient`` directly.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from web import csrf


class BrowserLikeClient(FlaskClient):
    """Adds the session's CSRF token to every POST, PUT, PATCH and DELETE: as a form field
    when a form is sent (as our pages do), else as the header (as our scripts do)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        method = str(kwargs.get("method", "GET")).upper()
        if method in csrf.UNSAFE and not str(args[0] if args else "").startswith("/api/"):
            with self.session_transaction() as session:
                token = session.setdefault(csrf.FIELD, "test-csrf-token")
            data = kwargs.get("data")
            if isinstance(data, dict) and "json" not in kwargs:
                kwargs["data"] = {csrf.FIELD: token, **data}
            else:
                headers = dict(kwargs.pop("headers", None) or {})
                headers.setdefault(csrf.HEADER, token)
                kwargs["headers"] = headers
        return super().open(*args, **kwargs)


Flask.test_client_class = BrowserLikeClient
