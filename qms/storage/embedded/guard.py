"""When the embedded store must refuse a write before it starts: read-only, full, or broken.

LadybugDB (0.22) copes with a write that fails on a full disk, but not with a COMMIT that
fails there: the transaction is rolled back in memory, yet the next COMMIT on the same
database hangs, and the log records of the failed one may still be written out later (on
closing with the disk still full they come back as committed after a restart). So a write
is refused *before* it starts while the disk is nearly full, and after a COMMIT has failed
every further write is refused until QMS is restarted. See docs/reliability.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from qms.domain.errors import StoreNotWritable
from qms.storage.embedded.engine import NOT_WRITABLE

#: Free space a write needs besides its own log records: room for a checkpoint's shadow
#: pages and the search index. Below it the store refuses writes instead of failing a COMMIT.
MIN_FREE_BYTES = 32 * 2**20


class WriteGuard:
    """Decides, before each write, whether the store can take it."""

    def __init__(self, path: Path, *, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self.broken: str | None = None

    def check(self) -> None:
        """``StoreNotWritable`` when a write cannot succeed now (nothing has been written)."""
        if self.read_only:
            self._refuse(f"grafdatabasen {self.path} är öppnad skrivskyddad")
        if self.broken is not None:
            self._refuse(
                f"en tidigare sparning misslyckades ({self.broken}); starta om QMS när det är "
                "åtgärdat"
            )
        free = shutil.disk_usage(self.path.parent).free
        if free < MIN_FREE_BYTES:
            self._refuse(
                f"disken har bara {free // 2**20} MB ledigt, minst {MIN_FREE_BYTES // 2**20} MB "
                f"behövs ({self.path.parent})"
            )

    def commit_failed(self, exc: StoreNotWritable) -> None:
        """A COMMIT failed on the disk: no write may follow in this process."""
        self.broken = str(exc)

    @staticmethod
    def _refuse(reason: str) -> None:
        raise StoreNotWritable(f"{NOT_WRITABLE}; inget sparades: {reason}")
