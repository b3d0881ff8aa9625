"""``qms bench-portal``: the staff portal under 20 concurrent clients, served as in production.

The app runs in its own process (``qms serve``: waitress, threads), so the load generator's
threads do not share its interpreter lock; every figure is measured on loopback. The server
inherits the environment: ``QMS_PAGE_CACHE_SECONDS=0 qms bench-portal`` measures every page
rendered from the store, with no page cache.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median, quantiles
from urllib.parse import quote

from qms.domain.labels import Label
from qms.services.app import Qms
from qms.services.bench import QUERIES

#: Demo words, the synthetic municipality's words, and two typos (the retry path).
SEARCHES = (*QUERIES, "genomförandeplan", "nyckel", "lex sarah", "avvikelce", "läkemdel")
PAGE_TARGET_MS = 100.0
SEARCH_TARGET_MS = 50.0
_TIMING = re.compile(r"app;dur=([\d.]+)")
PREFIXES = {
    Label.PROCESS: "/processer/",
    Label.ACTIVITY: "/aktiviteter/",
    Label.DOCUMENT: "/dokument/",
    Label.ROLE: "/roller/",
}


@dataclass
class Sample:
    """Latencies of one page type: as the client saw them and as the server spent them."""

    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: int = 0
    cache_hits: int = 0


def _p95(values: list[float]) -> float:
    return quantiles(values, n=100)[94] if len(values) > 1 else (values or [0.0])[0]


class _Client:
    """One keep-alive HTTP/1.1 connection, reopened after an error."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str, sample: Sample) -> None:
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request("GET", path, headers={"Accept-Language": "sv"})
            response = self.conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            sample.errors += 1
            self.close()
            return
        sample.client_ms.append((time.perf_counter() - start) * 1000)
        timing = _TIMING.search(response.getheader("Server-Timing") or "")
        if timing:
            sample.server_ms.append(float(timing[1]))
        sample.cache_hits += response.getheader("X-Cache") == "hit"
        if response.status != 200:
            sample.errors += 1

    def close(self) -> None:
        """Close the connection (a new one opens on the next request)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def once(self, path: str, sample: Sample) -> Sample:
        """One request on a fresh connection, closed afterwards."""
        self.get(path, sample)
        self.close()
        return sample


def _drive(port: int, paths: Callable[[random.Random], str], clients: int, each: int) -> Sample:
    """``clients`` threads, each sending ``each`` requests back to back."""

    def work(seed: int) -> Sample:
        # Reproducible sampling of pages, not cryptography.
        rnd, client, sample = random.Random(seed), _Client(port), Sample()  # noqa: S311
        try:
            for _ in range(each):
                client.get(paths(rnd), sample)
        finally:
            client.close()
        return sample

    total = Sample()
    with ThreadPoolExecutor(clients) as pool:
        for sample in pool.map(work, range(clients)):
            total.client_ms += sample.client_ms
            total.server_ms += sample.server_ms
            total.errors += sample.errors
            total.cache_hits += sample.cache_hits
    return total


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(data_dir: Path, port: int, threads: int, log: Path) -> subprocess.Popen[bytes]:
    """``qms serve`` in a child process; returns once ``/health`` answers."""
    command = [
        sys.executable,
        "-m",
        "qms.cli",
        "--data-dir",
        str(data_dir),
        "serve",
        "--port",
        str(port),
        "--threads",
        str(threads),
    ]
    with log.open("wb") as errors:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)  # noqa: S603
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"qms serve stopped: {log.read_text(errors='replace')[-2000:]}")
        probe = _Client(port).once("/health", Sample())
        if probe.client_ms and not probe.errors:
            return server
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("qms serve did not answer within two minutes")


def _judged(p95: float, target: float, sample: Sample) -> str:
    return "ok" if p95 <= target and not sample.errors else "ÖVER MÅLET"


def _row(name: str, sample: Sample, target: float | None) -> str:
    p50, p95 = median(sample.client_ms or [0.0]), _p95(sample.client_ms)
    s50, s95 = median(sample.server_ms or [0.0]), _p95(sample.server_ms)
    # The issue's target is on server time; the clients' time shows the queue in front of it.
    verdict = (
        ""
        if target is None
        else f"  server {_judged(s95, target, sample)}, klient {_judged(p95, target, sample)}"
    )
    goal = f"(mål p95 ≤ {target:g})" if target is not None else ""
    hits = 100 * sample.cache_hits / max(len(sample.client_ms), 1)
    return (
        f"{name:<16} klient p50 {p50:6.1f} p95 {p95:6.1f} ms | server p50 {s50:6.1f}"
        f" p95 {s95:6.1f} ms | {len(sample.client_ms):5d} svar, {sample.errors} fel,"
        f" {hits:3.0f} % ur sidcachen {goal}{verdict}"
    )


def run_portal_bench(
    qms: Qms, clients: int = 20, each: int = 50, threads: int = 8
) -> Iterator[str]:
    """Serve ``qms``'s data directory and load it; one printed line per page type."""
    ids = {
        label: [e.id for e in qms.store.entities(label)]
        for label in (Label.PROCESS, Label.ACTIVITY, Label.DOCUMENT, Label.ROLE)
    }
    if not all(ids.values()):
        raise RuntimeError("the data directory needs processes, activities, documents and roles")
    data_dir = qms.settings.data_dir
    qms.close()  # the embedded store serves one process: the server's
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="qms-bench-portal-") as tmp:
        server = _serve(data_dir, port, threads, Path(tmp) / "serve.log")
        try:
            yield (
                f"{len(ids[Label.PROCESS])} processer, {len(ids[Label.ROLE])} roller;"
                f" {clients} samtidiga klienter × {each} anrop, waitress {threads} trådar,"
                f" {os.cpu_count()} kärnor, sidcache"
                f" {os.environ.get('QMS_PAGE_CACHE_SECONDS', '60')} s"
            )
            for name, path in (("startsida (kall)", "/"), ("stavfel (kall)", "/sok?q=avvikelce")):
                # The first request builds the cached landscape or spelling vocabulary.
                yield _row(name, _Client(port).once(path, Sample()), None)
            _drive(port, lambda r: _item(r, ids, r.choice(list(ids))), 4, 25)  # warm up
            pages: list[tuple[str, Callable[[random.Random], str], float]] = [
                ("startsida", lambda r: "/", PAGE_TARGET_MS),
                ("processida", lambda r: _item(r, ids, Label.PROCESS), PAGE_TARGET_MS),
                ("rollsida", lambda r: _item(r, ids, Label.ROLE), PAGE_TARGET_MS),
                ("aktivitetssida", lambda r: _item(r, ids, Label.ACTIVITY), PAGE_TARGET_MS),
                ("dokumentsida", lambda r: _item(r, ids, Label.DOCUMENT), PAGE_TARGET_MS),
                ("sökning", lambda r: f"/sok?q={quote(r.choice(SEARCHES))}", SEARCH_TARGET_MS),
            ]
            for name, paths, target in pages:
                yield _row(name, _drive(port, paths, clients, each), target)
        finally:
            server.terminate()
            server.wait(30)


def _item(rnd: random.Random, ids: dict[Label, list[str]], label: Label) -> str:
    return PREFIXES[label] + rnd.choice(ids[label])
