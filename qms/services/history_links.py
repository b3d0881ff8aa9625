"""Link entries of a history: "kopplad till X" and "kopplingen till X togs bort".

The change log names a link's other end by id only; a history names it by kind and caption,
read once per page for every link shown (an avvikelse's title only for those who may read it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qms.domain.changes import Change, ChangeOp
from qms.domain.labels import Label
from qms.services.access import Actor
from qms.services.field_names import decoded, label_name, rel_name
from qms.services.history_access import hidden_fields
from qms.services.history_log import Step
from qms.storage.port import GraphStore

LINK_OPS = (ChangeOp.LINK, ChangeOp.UNLINK)


@dataclass(frozen=True)
class LinkChange:
    """A link made or removed in one version, with the other node's kind and caption."""

    added: bool
    rel: str
    name: str
    target_id: str
    #: The other node's label ("" when it no longer exists) and its Swedish name.
    target_label: str
    target_kind: str
    target_caption: str


def target_of(change: Change) -> str:
    """The id at the other end of a link entry."""
    raw = decoded(change.after if change.op is ChangeOp.LINK else change.before)
    return str(raw.get("target", "")) if isinstance(raw, dict) else ""


def targets(store: GraphStore, actor: Actor, steps: Iterable[Step]) -> dict[str, tuple[str, str]]:
    """Id → (label, caption) of every node the link entries of ``steps`` name."""
    ids = {target_of(c) for s in steps for c in s.changes if c.op in LINK_OPS} - {""}
    found: dict[str, tuple[str, str]] = {}
    by_label: dict[Label, list[str]] = {}
    for target in sorted(ids):
        label = store.label_of(target)
        if label is None:
            found[target] = ("", target)
        else:
            by_label.setdefault(label, []).append(target)
    for label, group in by_label.items():
        entities = store.get_many(label, group)
        for target in group:
            entity = entities.get(target)
            caption = entity.caption if entity is not None else target
            if entity is not None and entity.TITLE_FIELD in hidden_fields(
                store, actor, label, target
            ):
                caption = target
            found[target] = (label.value, caption)
    return found


def link_change(change: Change, found: dict[str, tuple[str, str]]) -> LinkChange:
    """A link entry in words, its other end named from ``found`` (see ``targets``)."""
    target = target_of(change)
    label, caption = found.get(target, ("", target))
    return LinkChange(
        added=change.op is ChangeOp.LINK,
        rel=change.field,
        name=rel_name(change.field),
        target_id=target,
        target_label=label,
        target_kind=label_name(label) if label else "",
        target_caption=caption,
    )
