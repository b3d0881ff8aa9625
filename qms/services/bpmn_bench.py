"""``qms bpmn bench`` (or ``python -m qms.services.bpmn_bench``): codec and layout timings.

Median import (read + mapping to the graph) and export (graph back to a file, written) per
MIWG file, throughput over the whole corpus, and layout of 60 / 300 / 1000 activities,
each against its target.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from qms.bpmn.from_graph import document
from qms.bpmn.reader import read
from qms.bpmn.sample import synthetic_process
from qms.bpmn.schema import schema
from qms.bpmn.to_graph import to_graph
from qms.bpmn.writer import write

IMPORT_TARGET_MS = 20.0
LAYOUT_TARGET_MS = {60: 150.0}
SIZES = (60, 300, 1000)


def default_corpus() -> Path | None:
    """``QMS_MIWG_CORPUS``, else ``../shared/bpmn-miwg`` beside the repository."""
    candidates = [os.environ.get("QMS_MIWG_CORPUS"), Path(__file__).parents[3] / "shared/bpmn-miwg"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"  (mål ≤ {target:.0f} ms: {'OK' if value <= target else 'MISSAT'})"


def corpus_lines(folder: Path, rounds: int = 5) -> Iterator[str]:
    """Median import and export per file, and throughput over the corpus."""
    schema()  # the XSD tables are read once per process; not part of any file's time
    files = sorted(folder.rglob("*.bpmn"))
    imports: list[float] = []
    exports: list[float] = []
    total_bytes = 0
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        total_bytes += len(data)
        times_in, times_out = [], []
        for _ in range(rounds):
            begin = time.perf_counter()
            model = read(data, path.name)
            graphs = to_graph(model)
            middle = time.perf_counter()
            write(document(graphs, model))
            times_in.append(middle - begin)
            times_out.append(time.perf_counter() - middle)
        imports.append(statistics.median(times_in) * 1000)
        exports.append(statistics.median(times_out) * 1000)
    elapsed = time.perf_counter() - started
    median_in = statistics.median(imports)
    yield f"MIWG-filer: {len(files)} ({total_bytes / 1e6:.1f} MB), {rounds} varv per fil"
    yield f"import, median per fil: {median_in:.1f} ms{_verdict(median_in, IMPORT_TARGET_MS)}"
    yield f"import, långsammaste fil: {max(imports):.1f} ms"
    yield f"export, median per fil: {statistics.median(exports):.1f} ms"
    rate = len(files) * rounds / elapsed
    megabytes = total_bytes * rounds / elapsed / 1e6
    yield f"genomflöde import+export: {rate:.0f} filer/s, {megabytes:.1f} MB/s"


def layout_lines(sizes: tuple[int, ...] = SIZES) -> Iterator[str]:
    """Layout (dot, routing, DI) of synthetic processes of each size."""
    for size in sizes:
        runs = 7 if size <= 100 else 3 if size <= 300 else 1
        times = []
        for seed in range(1, runs + 1):
            graph = synthetic_process(size, seed)
            begin = time.perf_counter()
            document([graph], None)
            times.append((time.perf_counter() - begin) * 1000)
        median = statistics.median(times)
        target = LAYOUT_TARGET_MS.get(size)
        verdict = _verdict(median, target)
        yield f"layout {size} aktiviteter: {median:.0f} ms (median av {runs}){verdict}"


def run(folder: Path | None) -> Iterator[str]:
    """Every line of the benchmark."""
    if folder is None:
        yield "MIWG-korpusen saknas (QMS_MIWG_CORPUS eller ../shared/bpmn-miwg): hoppar över den"
    else:
        yield from corpus_lines(folder)
    yield from layout_lines()
    yield "bpmn-python: inte uppmätt; biblioteket används inte (se docs/bpmn.md)"


if __name__ == "__main__":
    for line in run(Path(sys.argv[1]) if len(sys.argv) > 1 else default_corpus()):
        print(line, flush=True)
