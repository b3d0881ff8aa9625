"""Conformance over the OMG MIWG corpus: every file imports, exports valid, re-imports the same.

The corpus is read where it lies (``QMS_MIWG_CORPUS`` or ``../shared/bpmn-miwg``), never copied.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from qms.services.bpmn_conformance import check, conformance, load_references

REPO = Path(__file__).parents[3]


def corpus() -> Path | None:
    """The MIWG corpus folder, if there is one."""
    for candidate in (os.environ.get("QMS_MIWG_CORPUS"), REPO.parent / "shared" / "bpmn-miwg"):
        if candidate and Path(candidate, "Reference").is_dir():
            return Path(candidate)
    return None


FOLDER = corpus()
MISSING = "MIWG corpus not found: set QMS_MIWG_CORPUS or put it at ../shared/bpmn-miwg"
FILES = sorted(FOLDER.rglob("*.bpmn")) if FOLDER else []
pytestmark = [pytest.mark.slow, pytest.mark.skipif(FOLDER is None, reason=MISSING)]


@pytest.fixture(scope="module")
def references() -> dict[str, object]:
    return load_references(FOLDER) if FOLDER else {}


@pytest.mark.parametrize(
    "path", FILES, ids=[str(p.relative_to(FOLDER)) for p in FILES] if FOLDER else []
)
def test_each_file_passes(path: Path, references: dict[str, object]) -> None:
    assert FOLDER is not None
    row = check(path, str(path.relative_to(FOLDER)), references)  # type: ignore[arg-type]
    assert row.problems == []
    assert row.passed


def test_targets_per_tool_and_a_closing_count() -> None:
    assert FOLDER is not None
    rows = list(conformance(FOLDER))
    passed: Counter[str] = Counter(r.path.split("/")[0] for r in rows if r.passed)
    total: Counter[str] = Counter(r.path.split("/")[0] for r in rows)
    assert passed["Reference"] == total["Reference"] > 0
    for tool in set(total) - {"Reference"}:
        assert passed[tool] >= 0.95 * total[tool], tool
    compared = [r for r in rows if r.reference is not None]
    assert compared  # files named like a case were held against Reference/<case>.bpmn
