"""A whole-graph read model recomputed at most every ttl seconds, never by two at once."""

from __future__ import annotations

import threading

from qms.services.cache import Refreshing


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_computes_once_then_reuses() -> None:
    calls: list[int] = []
    clock = Clock()
    cache = Refreshing(lambda: calls.append(1) or len(calls), ttl=10, clock=clock)
    assert cache.get() == 1
    clock.now = 9.9
    assert cache.get() == 1
    clock.now = 10.0
    assert cache.get() == 2


def test_invalidate_forces_a_refresh() -> None:
    calls: list[int] = []
    cache = Refreshing(lambda: calls.append(1) or len(calls), ttl=1000, clock=Clock())
    cache.get()
    cache.invalidate()
    assert cache.get() == 2


def test_others_read_the_old_value_while_one_refreshes() -> None:
    clock = Clock()
    started, release = threading.Event(), threading.Event()
    values = iter(["old", "new"])

    def load() -> str:
        value = next(values)
        if value == "new":
            started.set()
            release.wait(5)
        return value

    cache = Refreshing(load, ttl=1, clock=clock)
    assert cache.get() == "old"
    clock.now = 5
    results: list[str] = []
    refresher = threading.Thread(target=lambda: results.append(cache.get()))
    refresher.start()
    assert started.wait(5)
    assert cache.get() == "old"  # not blocked behind the refresh
    release.set()
    refresher.join(5)
    assert results == ["new"]
    assert cache.get() == "new"


def test_a_value_read_across_a_write_is_refreshed_next_time() -> None:
    cache: Refreshing[int]
    calls: list[int] = []

    def load() -> int:
        calls.append(1)
        if len(calls) == 1:
            cache.invalidate()  # a write lands while the first value is being read
        return len(calls)

    cache = Refreshing(load, ttl=1000, clock=Clock())
    assert cache.get() == 1
    assert cache.get() == 2
    assert cache.get() == 2
