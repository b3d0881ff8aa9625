"""Running an export, and the record each export of a comparing format leaves behind.

Formats such as ``ils-sosfs`` mark rows Skapad/Ändrad/Borttagen against the previous export
of the same scope; that export's record is kept as JSON in
``<data_dir>/exports/<format>/<scope>/<timestamp>.json`` (scope ``alla`` for the whole
organisation). The web download and ``qms export`` both go through ``run`` and so both keep
a record.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import exporters
from exporters import ExportContext, Format
from qms.domain.errors import InvalidInput
from qms.domain.labels import Label
from qms.services.access import Actor, Permission
from qms.services.app import Qms
from qms.services.dump import snapshot

WHOLE = "alla"
#: Formats that carry personal data (the change log of avvikelser) need that permission too.
PERSONAL = frozenset({"jsonl"})


@dataclass(frozen=True)
class ExportResult:
    """One export: the file to hand over, its siblings (CSV) and where its record was kept."""

    format: Format
    filename: str
    data: bytes
    attachments: tuple[tuple[str, bytes], ...]
    record_path: Path | None


def folder(qms: Qms, name: str, scope: str | None) -> Path:
    """Where the records of a format and scope are kept."""
    return qms.settings.data_dir / "exports" / name / (scope or WHOLE)


def previous(qms: Qms, name: str, scope: str | None) -> Mapping[str, Any] | None:
    """The record of the latest export of this format and scope, if any."""
    found = sorted(folder(qms, name, scope).glob("*.json"))
    if not found:
        return None
    loaded: Mapping[str, Any] = json.loads(found[-1].read_text(encoding="utf-8"))
    return loaded


def keep(qms: Qms, name: str, scope: str | None, record: Mapping[str, Any], when: datetime) -> Path:
    """Store a record (written whole, then renamed, so a reader never sees half a file)."""
    target = folder(qms, name, scope)
    target.mkdir(parents=True, exist_ok=True)
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = target / f"{stamp}.json"
    count = 1
    while path.exists():  # two exports in the same microsecond keep their order
        count += 1
        path = target / f"{stamp}-{count:03d}.json"
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)
    return path


def run(
    qms: Qms,
    actor: Actor,
    name: str,
    *,
    scope: str | None = None,
    today: date,
    when: datetime | None = None,
) -> ExportResult:
    """Export ``name`` for ``scope`` (an organisation unit id, or None for all)."""
    actor.require(Permission.EDIT_QUALITY)
    if name in PERSONAL:
        actor.require(Permission.READ_PERSONAL_DATA)
    try:
        fmt = exporters.get_format(name)
    except KeyError as exc:
        raise InvalidInput(str(exc.args[0]), {"format": [str(exc.args[0])]}) from None
    scope = scope or None
    if scope is not None:
        if not fmt.scoped:
            raise InvalidInput(
                f"Exporten {name} omfattar alltid hela organisationen.",
                {"scope": ["Formatet kan inte avgränsas till en enhet."]},
            )
        if qms.store.label_of(scope) is not Label.ORG_UNIT:
            raise InvalidInput(
                f"Organisationsenheten {scope} finns inte.",
                {"scope": [f"Organisationsenheten {scope} finns inte."]},
            )
    before = previous(qms, name, scope) if fmt.history else None
    output = fmt.run(snapshot(qms.store), ExportContext(scope, today, before))
    path = None
    if fmt.history and output.record is not None:
        path = keep(qms, name, scope, output.record, when or datetime.now(UTC))
    return ExportResult(fmt, fmt.filename(scope), output.data, output.attachments, path)
