"""Rendered read pages kept for a short while: a popular rutin is rendered once, not per reader.

Writes in this process clear the cache at once (the portal signals them); ``PAGE_CACHE_SECONDS``
bounds how stale a page can be when another process writes (several servers on Neo4j).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale

from web.csrf import FIELD
from web.services import current_actor

F = TypeVar("F", bound=Callable[..., str])
MAX_KEY = 1024  # longer URLs (odd searches) are rendered every time, not kept


class PageCache:
    """A bounded, thread-safe LRU of rendered pages with a time to live."""

    def __init__(self, ttl: float, size: int, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.size = size
        self._clock = clock
        self._pages: OrderedDict[tuple[str, ...], tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0  # bumped by clear(): a page rendered across a write is not kept

    def get(self, key: tuple[str, ...]) -> str | None:
        """The page, if kept and fresh."""
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if self._clock() >= found[0]:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return found[1]

    def put(self, key: tuple[str, ...], page: str, generation: int) -> None:
        """Keep a page rendered in ``generation``, dropping the least recently used."""
        with self._lock:
            if generation != self.generation:
                return
            self._pages[key] = (self._clock() + self.ttl, page)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        """Forget every page (after a write)."""
        with self._lock:
            self.generation += 1
            self._pages.clear()


def cached(view: F) -> F:
    """Serve a GET view's HTML from the page cache, keyed by URL, language and reader.

    Anonymous readers share pages; a signed-in person's pages carry their name and their
    session's CSRF token (the sign-out form), so they are kept per session.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        cache: PageCache | None = current_app.extensions.get("page_cache")
        actor = current_actor()
        reader = (
            f"{actor.cache_key}:{session.get(FIELD, '')}" if actor.signed_in else actor.cache_key
        )
        key = (request.url_root, request.full_path, str(get_locale()), reader)
        if cache is None or len(request.full_path) > MAX_KEY:
            return view(*args, **kwargs)
        page = cache.get(key)
        g.page_cache = "hit" if page is not None else "miss"
        if page is None:
            generation = cache.generation
            page = view(*args, **kwargs)
            cache.put(key, page, generation)
        return page

    return cast(F, wrapper)


def init_app(app: Flask) -> PageCache | None:
    """Install the cache unless ``PAGE_CACHE_SECONDS`` is 0."""
    ttl = float(app.config.get("PAGE_CACHE_SECONDS", 60))
    size = int(app.config.get("PAGE_CACHE_SIZE", 1000))
    if ttl <= 0 or size <= 0:
        return None
    cache = PageCache(ttl, size)
    app.extensions["page_cache"] = cache
    return cache
