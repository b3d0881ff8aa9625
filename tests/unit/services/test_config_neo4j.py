"""Choosing the graph backend and validating the Neo4j settings from ``QMS_*`` variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from qms.domain.errors import InvalidInput
from qms.services.config import Neo4jSettings, Settings

NEO4J = {
    "QMS_GRAPH_BACKEND": "neo4j",
    "QMS_NEO4J_URI": "neo4j://db.kommun.se:7687",
    "QMS_NEO4J_USER": "qms",
    "QMS_NEO4J_PASSWORD": "hemligt",
}


def problems(env: dict[str, str]) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as caught:
        Settings.from_env(env)
    return caught.value.errors


def test_embedded_is_the_default_and_needs_no_server() -> None:
    settings = Settings.from_env({})
    assert (settings.graph_backend, settings.neo4j) == ("embedded", None)


def test_neo4j_settings_are_read_and_the_password_is_never_printed() -> None:
    settings = Settings.from_env({**NEO4J, "QMS_NEO4J_DATABASE": "qms-prod"})
    expected = Neo4jSettings("neo4j://db.kommun.se:7687", "qms", "hemligt", "qms-prod")
    assert settings.neo4j == expected
    assert settings.neo4j.auth == ("qms", "hemligt")
    assert "hemligt" not in repr(settings)


def test_the_password_can_come_from_a_docker_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "neo4j_password"
    secret.write_text("från-fil\n", encoding="utf-8")
    env = {k: v for k, v in NEO4J.items() if k != "QMS_NEO4J_PASSWORD"}
    settings = Settings.from_env({**env, "QMS_NEO4J_PASSWORD_FILE": str(secret)})
    assert settings.neo4j is not None
    assert settings.neo4j.password == "från-fil"  # noqa: S105 - the test's own secret


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"QMS_GRAPH_BACKEND": "postgres"}, "QMS_GRAPH_BACKEND"),
        ({"QMS_NEO4J_URI": ""}, "QMS_NEO4J_URI"),
        ({"QMS_NEO4J_URI": "http://db:7474"}, "QMS_NEO4J_URI"),
        ({"QMS_NEO4J_URI": "neo4j://qms:hemligt@db:7687"}, "QMS_NEO4J_URI"),
        ({"QMS_NEO4J_PASSWORD": ""}, "QMS_NEO4J_PASSWORD"),
        ({"QMS_NEO4J_PASSWORD_FILE": "/nowhere/secret"}, "QMS_NEO4J_PASSWORD_FILE"),
        ({"QMS_NEO4J_USER": ""}, "QMS_NEO4J_USER"),
        ({"QMS_NEO4J_DATABASE": "1x"}, "QMS_NEO4J_DATABASE"),
    ],
)
def test_each_bad_setting_is_named_in_swedish(change: dict[str, str], variable: str) -> None:
    errors = problems({**NEO4J, **change})
    assert list(errors) == [variable]
    assert all(message.strip() for message in errors[variable])


def test_messages_say_what_to_do() -> None:
    assert problems({**NEO4J, "QMS_NEO4J_PASSWORD": ""})["QMS_NEO4J_PASSWORD"] == [
        "saknas (eller ange QMS_NEO4J_PASSWORD_FILE)"
    ]
    with pytest.raises(InvalidInput, match="kräver QMS_NEO4J_URI"):
        Settings.from_env({"QMS_GRAPH_BACKEND": "neo4j"})


def test_unreadable_password_file_says_why(tmp_path: Path) -> None:
    errors = problems({**NEO4J, "QMS_NEO4J_PASSWORD": "", "QMS_NEO4J_PASSWORD_FILE": "/x/y"})
    assert any("kan inte läsas" in m for m in errors["QMS_NEO4J_PASSWORD_FILE"])


def test_migrating_from_embedded_reads_the_neo4j_settings_too() -> None:
    settings = Settings.from_env({**NEO4J, "QMS_GRAPH_BACKEND": "embedded"})
    assert settings.graph_backend == "embedded"
    assert settings.neo4j is not None


def test_server_threads_follow_the_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert Settings().server_threads == 3  # one interpreter lock: the cores and one more
    neo4j = Settings(graph_backend="neo4j", neo4j=Neo4jSettings("neo4j://db:7687"))
    assert neo4j.server_threads == 8  # network waits release the lock
