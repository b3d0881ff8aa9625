"""Template translations at the cost of a dict lookup: the catalogue is found once per request.

Flask-Babel resolves the locale and its catalogue on every ``_()``; a page with a hundred
strings paid more for that than for its data. Same catalogue, same results, looked up once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from typing import Any, TypeVar

from flask import Flask, g
from flask_babel import get_locale, get_translations

K = TypeVar("K", bound=Hashable)


def translations() -> Any:
    """This request's catalogue (Flask-Babel's, fetched on first use)."""
    found = g.get("_translations")
    if found is None:
        found = g._translations = get_translations()
    return found


def locale() -> str:
    """This request's language tag, e.g. ``sv``."""
    found = g.get("_locale_tag")
    if found is None:
        found = g._locale_tag = str(get_locale() or "sv")
    return str(found)


class Terms(Mapping[K, str]):
    """UI names of domain values (marked with ``lazy_gettext``), translated once per language."""

    def __init__(self, source: Mapping[K, Any]) -> None:
        self._source = source
        self._by_locale: dict[str, dict[K, str]] = {}

    def __getitem__(self, key: K) -> str:
        cache = self._by_locale.setdefault(locale(), {})
        try:
            return cache[key]
        except KeyError:
            text = cache[key] = translations().ugettext(self._source[key]._args[0])
            return str(text)

    def __iter__(self) -> Iterator[K]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


def init_app(app: Flask) -> None:
    """Replace Flask-Babel's template ``_``/``ngettext`` with the once-per-request lookup."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
    )
