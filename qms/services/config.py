"""Settings read from ``QMS_*`` environment variables, with defaults for a laptop."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from qms.domain.errors import InvalidInput


@dataclass(frozen=True)
class Settings:
    """Where the data lives and which graph backend to use."""

    data_dir: Path = Path("var")
    graph_backend: str = "embedded"

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
        """Settings from ``QMS_DATA_DIR`` and ``QMS_GRAPH_BACKEND``."""
        env = os.environ if env is None else env
        backend = env.get("QMS_GRAPH_BACKEND", "embedded")
        if backend != "embedded":
            raise InvalidInput(
                f"QMS_GRAPH_BACKEND={backend!r} stöds inte ännu; använd 'embedded'",
                {"QMS_GRAPH_BACKEND": ["tillåtet: embedded"]},
            )
        return cls(data_dir=Path(env.get("QMS_DATA_DIR", "var")), graph_backend=backend)
