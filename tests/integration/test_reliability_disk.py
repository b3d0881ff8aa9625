"""A read-only and a full data directory: reads go on, writes get a clear error, nothing breaks.

The tests run as root, which file permissions do not stop, so the read-only case runs the
server and the command line as ``nobody`` on files root owns. A full disk is a small tmpfs
filled to the last byte (skipped with the reason where mounting is not allowed) and, on any
machine, a file-size limit of 0 set on the running server (``RLIMIT_FSIZE``, as a quota
would). In each case: pages and search still work, a save answers 503 with the Swedish page
"Inget sparades … Kontakta administratören", ``qms`` prints one line and exits non-zero, and
once the condition is lifted the dump is byte for byte what it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from process_models import DEMO
from tests.integration.reliability_kit import (
    AS_NOBODY,
    Server,
    dump_of,
    form_fields,
    page_text,
    readable_catalogues,
    replaced,
    run_qms,
    serve,
)

pytestmark = pytest.mark.slow

PROCESS = "p-hemtjanst"
ACTION = f"/arbetsyta/processer/{PROCESS}"
NOT_SAVED = ("Inget sparades", "Kontakta administratören", "skrivskyddad eller disken är full")


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory outside pytest's private tmp (0700), so ``nobody`` can reach into it."""
    folder = Path(tempfile.mkdtemp(prefix="qms-reliability-"))
    folder.chmod(0o755)
    home = folder / "home"
    home.mkdir()
    home.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def loaded(data: Path, home: Path) -> list[str]:
    """Load the demo organisation into ``data`` as root; return its dump."""
    result = run_qms(data, "load", str(DEMO), home=home)
    assert result.returncode == 0, result.stderr
    return dump_of(data)


def check_reads(server: Server) -> None:
    """The portal, a process page and search answer as usual."""
    for path, expected in (
        ("/", "Hemtjänst"),
        (f"/processer/{PROCESS}", "Hemtjänst – från beslut till insats"),
        ("/sok?q=hemtjänst", "Hemtjänst"),
    ):
        page = requests.get(server.url + path, timeout=30)
        assert page.status_code == 200, (path, server.stderr())
        assert expected in page_text(page.text)


def save_is_refused(server: Server, *, as_json: bool = False) -> None:
    """Saving the process form answers 503 with the page that says nothing was saved."""
    browser = requests.Session()
    fields = form_fields(browser.get(server.url + ACTION, timeout=30).text, ACTION)
    answer = browser.post(
        server.url + ACTION,
        data=replaced(fields, name="Hemtjänst som inte går att spara"),
        headers={"Accept": "application/json"} if as_json else {},
        allow_redirects=False,
        timeout=30,
    )
    text = answer.json()["message"] if as_json else page_text(answer.text)
    assert answer.status_code == 503, text[:500]
    for words in NOT_SAVED:
        assert words.lower() in text.lower()
    assert "Traceback" not in answer.text


def save_works(server: Server, name: str) -> bool:
    """Saving the process form goes through (303 to the saved form)."""
    browser = requests.Session()
    fields = form_fields(browser.get(server.url + ACTION, timeout=30).text, ACTION)
    answer = browser.post(
        server.url + ACTION, data=replaced(fields, name=name), allow_redirects=False, timeout=30
    )
    return answer.status_code == 303


def clear_error(result: subprocess.CompletedProcess[str], *, notice: bool = False) -> None:
    """The command failed with one clear line (after the read-only notice, if ``notice``)."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == (2 if notice else 1), result.stderr
    assert all(line.startswith("qms: datakatalogen kan inte skrivas") for line in lines)
    assert "inget sparades" in lines[-1]
    if notice:
        assert "öppnas skrivskyddad" in lines[0]


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) is missing")
def test_read_only_data_directory(shared_dir: Path) -> None:
    data, home = shared_dir / "data", shared_dir / "home"
    before = loaded(data, home)
    readable_catalogues()
    with serve(data, home, wrapper=AS_NOBODY) as server:
        check_reads(server)
        save_is_refused(server)
        save_is_refused(server, as_json=True)  # and again: the first refusal broke nothing
        startup = [line for line in server.stderr().splitlines() if "öppnas skrivskyddad" in line]
        assert len(startup) == 1, server.stderr()  # ``qms serve`` says it once, in one line

    clear_error(run_qms(data, "load", str(DEMO), home=home, wrapper=AS_NOBODY), notice=True)
    search = run_qms(data, "search", "hemtjänst", home=home, wrapper=AS_NOBODY)
    assert search.returncode == 0, search.stderr
    assert "Hemtjänst" in search.stdout

    assert dump_of(data) == before  # as root again: nothing changed, nothing broke
    assert run_qms(data, "reindex", home=home).returncode == 0  # and root can write


@pytest.fixture
def small_disk(shared_dir: Path) -> Iterator[Path]:
    """A 64 MB tmpfs, or a skip saying why there is none."""
    mount_point = shared_dir / "disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(
            f"no tmpfs to fill (mount refused: {result.stderr.strip()}); see the rlimit case"
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk has no byte left."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (2**16, 1):  # big blocks, then byte by byte into the last page
            with contextlib.suppress(OSError):
                while os.write(descriptor, b"\0" * size):
                    pass
    finally:
        os.close(descriptor)
    return filler


def test_full_disk(small_disk: Path, shared_dir: Path) -> None:
    data, home = small_disk / "data", shared_dir / "home"
    before = loaded(data, home)
    with serve(data, home) as server:
        filler = fill(small_disk)
        assert shutil.disk_usage(small_disk).free < 4096
        check_reads(server)
        save_is_refused(server)
        save_is_refused(server)
        assert "disken har bara 0 MB ledigt" in server.stderr()
        filler.unlink()  # the administrator frees space: QMS saves again, no restart needed
        assert save_works(server, "Hemtjänst när disken har plats igen")
    filler = fill(small_disk)
    clear_error(run_qms(data, "load", str(DEMO), home=home))  # the command line: one line
    filler.unlink()
    # Intact: the dump is the one from before plus that one save, nothing else.
    after = dump_of(data)
    removed = [json.loads(line) for line in before if line not in after]
    added = [json.loads(line) for line in after if line not in before]
    assert [(r["kind"], r["props"]["id"]) for r in removed] == [("node", PROCESS)]
    node = [r for r in added if r["kind"] == "node"]
    assert [(r["props"]["id"], r["props"]["name"]) for r in node] == [
        (PROCESS, "Hemtjänst när disken har plats igen")
    ]
    changes = [r for r in added if r["kind"] == "change"]
    assert len({r["change_set"] for r in changes}) == 1
    assert len(added) == 1 + len(changes)


def test_file_size_limit_reached(shared_dir: Path) -> None:
    data, home = shared_dir / "data", shared_dir / "home"
    before = loaded(data, home)
    with serve(data, home) as server:
        pid = server.process.pid
        _, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, hard))  # no file may grow any more
        try:
            check_reads(server)
            save_is_refused(server)  # the COMMIT fails: the store refuses writes from now on
        finally:
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (hard, hard))
        save_is_refused(server)  # limit lifted, but LadybugDB needs a restart after that
        assert "starta om QMS" in server.stderr()
        check_reads(server)
    assert dump_of(data) == before
    with serve(data, home) as server:  # restarted: saving works again
        assert save_works(server, "Hemtjänst efter omstarten")
    assert dump_of(data) != before
