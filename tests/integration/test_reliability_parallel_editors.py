"""20 editors save the same process at once: one wins, 19 get 409 with what changed.

A real ``qms serve`` (waitress, 24 threads) on the demo organisation, open access. Each
editor is a browser session of its own: it opens the process form, waits until all 20 have
it (same version), then posts its own name for the process with every other field as the
page rendered it, the CSRF token included. Optimistic locking must let exactly one through;
the others get the form back with status 409 and the winner's change listed, nothing is lost
(the stored name is the winner's) and the change log holds exactly one new change set.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
import requests

from process_models import DEMO
from qms.domain.labels import Label
from qms.services.app import Qms
from qms.services.config import Settings
from tests.integration.reliability_kit import (
    form_fields,
    page_text,
    replaced,
    run_qms,
    serve,
)

pytestmark = pytest.mark.slow

EDITORS = 20
PROCESS = "p-hemtjanst"
ACTION = f"/arbetsyta/processer/{PROCESS}"


def test_twenty_parallel_editors_one_wins_no_update_is_lost(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_qms(data, "load", str(DEMO), home=tmp_path).returncode == 0
    with closing(Qms.open(Settings(data_dir=data))) as qms:
        changes_before = {c.change_set for c in qms.store.changes(PROCESS)}
        original = qms.store.get(Label.PROCESS, PROCESS).caption
    ready = threading.Barrier(EDITORS, timeout=60)

    def edit(number: int) -> tuple[int, int, str]:
        browser = requests.Session()
        page = browser.get(server.url + ACTION, timeout=30)
        assert page.status_code == 200
        fields = form_fields(page.text, ACTION)
        assert dict(fields)["csrf_token"]
        ready.wait()
        answer = browser.post(
            server.url + ACTION,
            data=replaced(fields, name=f"Hemtjänst enligt redaktör {number}"),
            allow_redirects=False,
            timeout=60,
        )
        return number, answer.status_code, answer.text

    with serve(data, tmp_path, threads=EDITORS + 4) as server:
        with ThreadPoolExecutor(EDITORS) as pool:
            results = list(pool.map(edit, range(EDITORS)))
        errors = server.stderr()

    statuses = sorted(status for _, status, _ in results)
    assert statuses == [303] + [409] * (EDITORS - 1), errors
    (winner,) = [number for number, status, _ in results if status == 303]
    winning_name = f"Hemtjänst enligt redaktör {winner}"
    for number, status, html in results:
        if status != 409:
            continue
        text = page_text(html)
        assert "Någon annan sparade först" in text  # the conflict notice, in Swedish
        assert f"{original} → {winning_name}" in text  # what the winner changed
        assert f'value="Hemtjänst enligt redaktör {number}"' in html  # their own edit kept

    with closing(Qms.open(Settings(data_dir=data))) as qms:
        stored = qms.store.get(Label.PROCESS, PROCESS)
        new_sets = {c.change_set for c in qms.store.changes(PROCESS)} - changes_before
        name_changes = [c for c in qms.store.changes(PROCESS) if c.field == "name"]
    assert stored.caption == winning_name
    assert stored.version == 2
    assert len(new_sets) == 1
    assert len(name_changes) == 1
