"""``qms bench``: the figures the foundation promises, measured on a generated municipality.

Loading runs in a child process so that the two memory figures are honest and separate:
what a one-off bulk load peaks at, and what the serving process holds while answering.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from qms.domain.labels import Label
from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.generate import generate

QUERIES = (
    "hemtjänst",
    "läkemedel",
    "rutin för avvikelse",
    "försk",
    "genomförandeplan",
    "delegering",
    "journal",
    "brukare trygghet",
    "orosanmälan",
    "attest",
)
Figures = dict[str, float]


def _median_ms(action: Callable[[str], object], items: list[str]) -> float:
    timings = []
    for item in items:
        start = time.perf_counter()
        action(item)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports it in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row(name: str, value: float, unit: str, target: float | None = None) -> str:
    if target is None:
        return f"{name:<36} {value:>9.2f} {unit}"
    verdict = "ok" if value <= target else "ÖVER MÅLET"
    return f"{name:<36} {value:>9.2f} {unit:<3} (mål ≤ {target:g} {unit})  {verdict}"


def _load(data_dir: str, nodes: int, seed: int, out: multiprocessing.Queue[Figures]) -> None:
    graph = generate(nodes, seed=seed)
    qms = Qms.open(Settings(data_dir=Path(data_dir)))
    start = time.perf_counter()
    qms.store.bulk_load(graph.entities, graph.links)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    indexed = qms.reindex()
    out.put(
        {
            "nodes": len(graph.entities),
            "links": len(graph.links),
            "load_s": loaded,
            "index_s": time.perf_counter() - start,
            "indexed": indexed,
            "rss_mb": _peak_rss_mb(),
        }
    )
    qms.close()


def run_bench(nodes: int, samples: int = 300, seed: int = 1) -> Iterator[str]:
    """Generate and bulk load (child process), then query; one printed line per figure."""
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="qms-bench-") as tmp:
        context = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue[Figures] = context.Queue()
        child = context.Process(target=_load, args=(tmp, nodes, seed, queue))
        child.start()
        figures = queue.get()
        child.join()
        yield f"Syntetisk kommun: {figures['nodes']:.0f} noder, {figures['links']:.0f} relationer"
        yield _row("bulk load", figures["load_s"], "s", 5)
        yield _row(f"sökindex ({figures['indexed']:.0f} dokument)", figures["index_s"], "s")
        yield _row("högsta RSS vid bulk load", figures["rss_mb"], "MB")
        qms = Qms.open(Settings(data_dir=Path(tmp)))
        try:
            deviations = [e.id for e in qms.store.entities(Label.DEVIATION)]
            processes = [e.id for e in qms.store.entities(Label.PROCESS)]
            deviations = rnd.sample(deviations, min(samples, len(deviations)))
            processes = rnd.sample(processes, min(samples, len(processes)))
            reached = statistics.mean(len(qms.trace(Label.DEVIATION, d)) for d in deviations)
            yield _row("mål nådda per avvikelse (medel)", reached, "")
            yield _row(
                "spårning avvikelse → mål, median",
                _median_ms(lambda d: qms.trace(Label.DEVIATION, d), deviations),
                "ms",
                5,
            )
            yield _row("processida, median", _median_ms(qms.store.process_view, processes), "ms", 5)
            queries = [rnd.choice(QUERIES) for _ in range(samples)]
            yield _row("sökning, median", _median_ms(qms.search, queries), "ms", 5)
        finally:
            qms.close()
        yield _row("högsta RSS, frågande process", _peak_rss_mb(), "MB", 400)
