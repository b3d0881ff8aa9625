"""Shared by the reliability tests: real ``qms`` processes, a real server, forms as a browser.

Nothing here fakes the system: commands run as subprocesses of the installed code, the server
is ``qms serve`` (waitress), and a form is posted with every field the page rendered.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests

from qms.services.app import Qms
from qms.services.config import Settings
from qms.services.dump import dump_lines
from web.i18n import TRANSLATIONS, compile_catalogues

ROOT = Path(__file__).resolve().parents[2]
#: Run a command as ``nobody``, so file permissions apply as on a real server. (``setpriv``
#: rather than a ``preexec_fn`` calling ``setuid``: here the latter cannot even start Python.)
AS_NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")


def qms_command(*args: str, wrapper: Sequence[str] = ()) -> list[str]:
    """The ``qms`` command line of this checkout."""
    return [*wrapper, sys.executable, "-m", "qms.cli", *args]


def environment(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``qms`` subprocess: no bytecode written, a home it may write."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QMS_")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1", HOME=str(home), **extra)
    return env


def run_qms(
    data_dir: Path,
    *args: str,
    home: Path,
    wrapper: Sequence[str] = (),
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run one ``qms`` command to its end."""
    return subprocess.run(
        qms_command("--data-dir", str(data_dir), *args, wrapper=wrapper),
        cwd=ROOT,
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def dump_of(data_dir: Path) -> list[str]:
    """The whole graph of a closed data directory, as ``qms dump`` writes it."""
    qms = Qms.open(Settings(data_dir=data_dir))
    try:
        return list(dump_lines(qms.store))
    finally:
        qms.close()


def readable_catalogues() -> None:
    """Compiled translations every user can read (a server may run as another user)."""
    compile_catalogues()
    for mo in TRANSLATIONS.glob("*/LC_MESSAGES/*.mo"):
        mo.chmod(mo.stat().st_mode | 0o044)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running ``qms serve``; its standard error is read through a pipe as it comes.

    A pipe, not a file: with a file-size limit on the server a log file could not grow.
    """

    url: str
    process: subprocess.Popen[str]
    lines: list[str]

    def stderr(self) -> str:
        """What the server wrote to standard error so far."""
        return "".join(self.lines)


@contextlib.contextmanager
def serve(
    data_dir: Path,
    home: Path,
    *,
    threads: int = 8,
    wrapper: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """``qms serve`` on a free port with open access (every visitor a coordinator)."""
    port = free_port()
    extra = {"QMS_OPEN_ACCESS": "1", "QMS_SESSION_COOKIE_SECURE": "false", **(env or {})}
    process = subprocess.Popen(
        qms_command(
            *("--data-dir", str(data_dir), "serve"),
            *("--port", str(port), "--threads", str(threads)),
            wrapper=wrapper,
        ),
        cwd=ROOT,
        env=environment(home, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process, [])
    assert process.stderr is not None
    reader = threading.Thread(target=server.lines.extend, args=(process.stderr,), daemon=True)
    reader.start()
    try:
        _wait_until_up(server)
        yield server
    finally:
        stop(process)
        reader.join(timeout=10)
        process.stderr.close()


def _wait_until_up(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"qms serve stopped: {server.stderr()}")
        try:
            requests.get(f"{server.url}/health", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"qms serve did not answer in {timeout} s: {server.stderr()}")


def stop(process: subprocess.Popen[Any]) -> None:
    """Ctrl+C, as an operator stops the server; kill it if it does not end."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class FormFields(HTMLParser):
    """The fields of the first form posting to ``action``, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = self.done = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Inputs, selected options and textareas of the form."""
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("action", "").endswith(self.action):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_data(self, data: str) -> None:
        """Text of a textarea."""
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        """The end of the form, a select or a textarea."""
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """Every field of the form posting to ``action`` in ``html``."""
    parser = FormFields(action)
    parser.feed(html)
    assert parser.fields, f"no form posting to {action}"
    return parser.fields


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with some values changed (every other field as the page had it)."""
    return [(k, values.get(k, v)) for k, v in fields]


def page_text(html: str) -> str:
    """The visible words of a page, for assertions on what a user reads."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())
