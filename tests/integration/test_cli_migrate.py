"""``qms migrate --to neo4j``: what it refuses and says without a reachable server."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from process_models import DEMO
from qms.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    for name in ("QMS_GRAPH_BACKEND", "QMS_NEO4J_URI", "QMS_NEO4J_PASSWORD", "QMS_NEO4J_USER"):
        monkeypatch.delenv(name, raising=False)
    directory = str(tmp_path / "data")
    assert run(capsys, "--data-dir", directory, "load", str(DEMO))[0] == 0
    return directory


def test_without_neo4j_settings_it_says_what_to_set(
    data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--data-dir", data, "migrate", "--to", "neo4j")
    assert code == 2
    assert "QMS_NEO4J_URI" in err


def test_an_unreachable_server_is_one_clear_line(
    data: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("QMS_NEO4J_URI", f"bolt://127.0.0.1:{port}")
    monkeypatch.setenv("QMS_NEO4J_PASSWORD", "hemligt")
    code, out, err = run(capsys, "--data-dir", data, "migrate", "--to", "neo4j")
    assert code == 1
    assert out == ""
    assert err.startswith(f"qms: grafdatabasen Neo4j på bolt://127.0.0.1:{port} svarar inte")
    assert "hemligt" not in err
    assert len(err.strip().splitlines()) == 1
