"""Settings read from ``QMS_*`` environment variables, with defaults for a laptop."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qms.domain.errors import InvalidInput
from qms.storage.neo4j.connection import SCHEMES

BACKENDS = ("embedded", "neo4j")
NEO4J_SCHEMES = SCHEMES
# Neo4j's rule for database names: 3–63 characters, a letter first, then letters, digits,
# dots and dashes.
_DATABASE = re.compile(r"\A[A-Za-z][A-Za-z0-9.-]{2,62}\Z")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the Neo4j server is and how to log in (the password is never printed)."""

    uri: str
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None

    @property
    def auth(self) -> tuple[str, str]:
        """User and password as the driver takes them."""
        return (self.user, self.password)


@dataclass(frozen=True)
class Settings:
    """Where the data lives and which graph backend to use."""

    data_dir: Path = Path("var")
    graph_backend: str = "embedded"
    neo4j: Neo4jSettings | None = None

    @property
    def server_threads(self) -> int:
        """Worker threads for ``qms serve``. On the embedded store a page is pure Python work
        under one interpreter lock: threads beyond the cores only make every request wait for
        the others (measured: p95 server time 106 → 36 ms for a process page, 8 → 3 threads on
        2 cores). Neo4j's network waits release the lock, so more threads pay off there."""
        cores = os.cpu_count() or 1
        return cores + 1 if self.graph_backend == "embedded" else 4 * cores

    @property
    def graph_path(self) -> Path:
        """The LadybugDB database directory."""
        return self.data_dir / "graph"

    @property
    def search_path(self) -> Path:
        """The SQLite search index file."""
        return self.data_dir / "search.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``QMS_DATA_DIR``, ``QMS_GRAPH_BACKEND`` and ``QMS_NEO4J_*``.

        The Neo4j settings are read whenever ``QMS_NEO4J_URI`` is set (``qms migrate --to
        neo4j`` needs them next to an embedded store) and are required for the neo4j backend.
        """
        env = os.environ if env is None else env
        backend = env.get("QMS_GRAPH_BACKEND", "embedded")
        if backend not in BACKENDS:
            raise InvalidInput(
                f"QMS_GRAPH_BACKEND={backend!r} är okänt; använd 'embedded' eller 'neo4j'",
                {"QMS_GRAPH_BACKEND": ["tillåtet: embedded, neo4j"]},
            )
        neo4j = neo4j_from_env(env) if env.get("QMS_NEO4J_URI") else None
        if backend == "neo4j" and neo4j is None:
            raise InvalidInput(
                "QMS_GRAPH_BACKEND=neo4j kräver QMS_NEO4J_URI, t.ex. neo4j://localhost:7687",
                {"QMS_NEO4J_URI": ["saknas"]},
            )
        return cls(Path(env.get("QMS_DATA_DIR", "var")), backend, neo4j)


def neo4j_from_env(env: Mapping[str, str]) -> Neo4jSettings:
    """The ``QMS_NEO4J_*`` settings, validated; every problem is named by its variable."""
    errors: dict[str, list[str]] = {}
    uri = env.get("QMS_NEO4J_URI", "").strip()
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme not in NEO4J_SCHEMES or not rest or "@" in rest:
        errors["QMS_NEO4J_URI"] = [
            "ska vara t.ex. neo4j://värd:7687 eller bolt://värd:7687 (schema: "
            + ", ".join(NEO4J_SCHEMES)
            + "; användare och lösenord anges separat)"
        ]
    user = env.get("QMS_NEO4J_USER", "neo4j")
    if not user:
        errors["QMS_NEO4J_USER"] = ["får inte vara tomt"]
    password = secret(env, "QMS_NEO4J_PASSWORD", errors)
    if not password and "QMS_NEO4J_PASSWORD_FILE" not in errors:
        errors["QMS_NEO4J_PASSWORD"] = ["saknas (eller ange QMS_NEO4J_PASSWORD_FILE)"]
    database = env.get("QMS_NEO4J_DATABASE") or None
    if database is not None and not _DATABASE.match(database):
        errors["QMS_NEO4J_DATABASE"] = [
            "3–63 tecken: en bokstav först, sedan bokstäver, siffror, punkt eller bindestreck"
        ]
    if errors:
        raise InvalidInput("ogiltiga inställningar för Neo4j", errors)
    return Neo4jSettings(uri, user, password, database)


def secret(env: Mapping[str, str], name: str, errors: dict[str, list[str]]) -> str:
    """A password from ``name`` or from the file ``name_FILE`` (a container secret), "" when
    neither is set; a problem goes into ``errors`` under the variable's name."""
    direct, path = env.get(name), env.get(f"{name}_FILE")
    if direct and path:
        errors[f"{name}_FILE"] = [f"ange antingen {name} eller _FILE"]
        return ""
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            errors[f"{name}_FILE"] = [f"kan inte läsas: {exc.strerror or exc}"]
            return ""
    return direct or ""
