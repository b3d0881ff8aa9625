"""Matching an import's items to the graph: by id, else by name within the parent."""

from __future__ import annotations

import re
import unicodedata

from exporters.importers import Draft, Item, LinkSpec, Ref
from exporters.two_c8_excel import TYPE_OF_LABEL
from qms.domain.entities import Entity
from qms.domain.graph import REL_TYPES, Link
from qms.domain.labels import Label, Rel
from qms.storage.port import GraphStore

_PREFIXES = {
    Label.PROCESS: "proc",
    Label.ACTIVITY: "akt",
    Label.ROLE: "roll",
    Label.DOCUMENT: "dok",
    Label.GOAL: "mal",
    Label.RISK: "risk",
    Label.CONTROL: "km",
}
#: Ids looked up one at a time before every other label is read in one go.
_LOOKUPS = 200
_MATCHED = {"id": "matchad på id", "name": "matchad på namn", "new-id": "nytt, id från filen"}


def type_name(label: Label) -> str:
    """The Swedish name of a node type, as 2c8's object sheets call it."""
    kind = TYPE_OF_LABEL.get(label)
    return kind.sheet_name if kind else label.value


def slug_id(label: Label, name: str, taken: set[str]) -> str:
    """A readable id not in ``taken``: a prefix for the label and the ASCII words of ``name``."""
    folded = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40].strip("-") or "ny"
    base = f"{_PREFIXES.get(label, label.value.lower())}-{words}"
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        candidate = f"{base}-{count}"
    taken.add(candidate)
    return candidate


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Matcher:
    """Gives every item of a draft its id: the stored node it matches, or a new one.

    The graph is read once per label and once per relationship type, never per row.
    """

    def __init__(self, store: GraphStore, draft: Draft) -> None:
        self.store = store
        self.draft = draft
        labels = {item.label for item in draft.items}
        for item in draft.items:
            labels.update(item.parent.labels if item.parent else ())
        for spec in draft.links:
            labels.update(spec.source.labels + spec.target.labels)
        for _rel, source, target in draft.managed:
            labels.update((source, target))
        self._read_labels = labels
        self.stored: dict[str, Entity] = {
            e.id: e for label in sorted(labels) for e in store.entities(label)
        }
        self.names: dict[tuple[Label, str], list[str]] = {}
        for entity in self.stored.values():
            self.names.setdefault((entity.LABEL, _key(entity.caption)), []).append(entity.id)
        self.taken = set(self.stored)
        self.ids: dict[int, str] = {}
        self.how: dict[int, str] = {}
        self.file_ids: dict[str, Item] = {}
        self.file_names: dict[tuple[Label, str], list[Item]] = {}
        self._parents: dict[tuple[Rel, bool], dict[str, set[str]]] = {}
        self._busy: set[int] = set()
        self._scoped: dict[tuple[Label, str, str], Item] = {}
        self._others: dict[str, Entity] | None = None
        self._lookups = 0

    def is_new(self, entity_id: str) -> bool:
        """Whether this import creates the node."""
        item = self.file_ids.get(entity_id)
        return item is not None and self.how.get(id(item)) in ("new", "new-id")

    def _new_ref(self, item: Item | None) -> bool:
        return item is not None and self.is_new(self.ids.get(id(item), ""))

    def label(self, entity_id: str) -> Label:
        """The label of a node the plan knows (file or graph)."""
        if entity_id in self.file_ids:
            return self.file_ids[entity_id].label
        return self.stored[entity_id].LABEL

    def stored_ids(self, label: Label) -> set[str]:
        """Ids of the stored nodes of ``label``."""
        return {i for i, e in self.stored.items() if e.LABEL is label}

    def identify(self) -> None:
        """Assign ids: those the file gives first, then the others by name within the parent."""
        for item in self.draft.items:
            if item.name:
                self.file_names.setdefault((item.label, _key(item.name)), []).append(item)
            if not item.id:
                continue
            if item.id in self.file_ids:
                first = self.file_ids[item.id].where
                self.draft.problem(
                    item.where, f"Id:t {item.id} finns redan ({first.sheet}, rad {first.row})."
                )
                continue
            stored = self.stored.get(item.id) or self._elsewhere(item.id)
            if stored is not None and stored.LABEL is not item.label:
                self.draft.problem(
                    item.where,
                    f"Id:t {item.id} är redan av typen {type_name(stored.LABEL)} i grafen.",
                )
                continue
            if item.must_exist and stored is None:
                self._skip(item, item.id)
                continue
            self.file_ids[item.id] = item
            self.taken.add(item.id)
            self.ids[id(item)] = item.id
            self.how[id(item)] = "id" if stored is not None else "new-id"
        for item in self.draft.items:
            if not item.id:
                self._resolve_item(item)

    def _skip(self, item: Item, what: str) -> None:
        self.draft.notes.append(
            f"{item.where.text()}: {type_name(item.label)} {what} finns inte i grafen; "
            "raden hoppas över."
        )

    def _elsewhere(self, entity_id: str) -> Entity | None:
        """A node with this id among the labels not read yet (ids are unique over labels).

        A few ids are looked up one by one; past ``_LOOKUPS`` every other label is read once.
        """
        if self._others is None and self._lookups < _LOOKUPS:
            self._lookups += 1
            label = self.store.label_of(entity_id)
            return None if label is None else self.store.get(label, entity_id)
        if self._others is None:
            loaded = {e.LABEL for e in self.stored.values()}
            self._others = {
                e.id: e for label in sorted(set(Label) - loaded) for e in self.store.entities(label)
            }
        return self._others.get(entity_id)

    def identity(self, item: Item) -> tuple[str, Entity | None, str]:
        """The item's id, the stored entity it matched (or None) and how it was matched."""
        entity_id = self.ids.get(id(item), "")
        stored = self.stored.get(entity_id)
        how = self.how.get(id(item), "")
        return entity_id, stored if how in ("id", "name") else None, _MATCHED.get(how, "nytt")

    def _resolve_item(self, item: Item) -> str | None:
        key = id(item)
        if key in self.ids:
            return self.ids[key]
        if item.id or key in self._busy:
            return self.ids.get(key)
        self._busy.add(key)
        parent_id = self.resolve(item.parent) if item.parent else None
        if item.parent is not None and parent_id is None:
            return None
        scope = (item.label, _key(item.name), parent_id or "")
        if scope in self._scoped:
            first = self._scoped[scope].where
            self.draft.problem(
                item.where,
                f"«{item.name}» finns redan under samma överordnade "
                f"({first.sheet}, rad {first.row}).",
            )
            return None
        self._scoped[scope] = item
        candidates = [
            i
            for i in self.names.get((item.label, _key(item.name)), [])
            if self._has_parent(item, i, parent_id)
        ]
        if len(candidates) > 1:
            self.draft.problem(
                item.where,
                f"Flera av typen {type_name(item.label)} heter «{item.name}» här "
                f"({', '.join(candidates[:5])}); ange id.",
            )
            return None
        if candidates:
            entity_id, how = candidates[0], "name"
        elif item.must_exist:
            self._skip(item, item.name)
            return None
        else:
            entity_id, how = slug_id(item.label, item.name, self.taken), "new"
        self.ids[key], self.how[key] = entity_id, how
        self.file_ids[entity_id] = item
        return entity_id

    def _has_parent(self, item: Item, entity_id: str, parent_id: str | None) -> bool:
        if item.parent_rel is None:
            return True
        parents = self._parent_map(item.parent_rel, item.parent_outgoing).get(entity_id, set())
        return parent_id in parents if parent_id else not parents

    def _parent_map(self, rel: Rel, outgoing: bool) -> dict[str, set[str]]:
        if (rel, outgoing) not in self._parents:
            found: dict[str, set[str]] = {}
            for link in self.store.links(rel):
                child, parent = (
                    (link.source, link.target) if outgoing else (link.target, link.source)
                )
                found.setdefault(child, set()).add(parent)
            self._parents[(rel, outgoing)] = found
        return self._parents[(rel, outgoing)]

    def resolve(self, ref: Ref) -> str | None:
        """The id a reference points at; unknown or ambiguous references are problems."""
        wanted = " eller ".join(type_name(label) for label in ref.labels)
        if ref.item is not None:
            return self._resolve_item(ref.item) if not ref.item.id else self.ids.get(id(ref.item))
        if ref.id and ref.name:
            if ref.id in self.file_ids or ref.id in self.stored:
                return self.resolve(Ref(ref.labels, id=ref.id, where=ref.where))
            return self.resolve(Ref(ref.labels, name=ref.name, where=ref.where))
        if ref.id:
            item = self.file_ids.get(ref.id)
            stored = self.stored.get(ref.id)
            found = item.label if item else (stored.LABEL if stored else None)
            if found is None and self.store.label_of(ref.id) is None:
                self.draft.problem(
                    ref.where, f"Okänd referens: det finns inget av typen {wanted} med id {ref.id}."
                )
                return None
            if found not in ref.labels:
                self.draft.problem(ref.where, f"{ref.id} är inte av typen {wanted}.")
                return None
            return ref.id
        in_file = [
            i for label in ref.labels for i in self.file_names.get((label, _key(ref.name)), [])
        ]
        if len(in_file) == 1:
            return self._resolve_item(in_file[0])
        in_graph = [i for label in ref.labels for i in self.names.get((label, _key(ref.name)), [])]
        if len(in_file) > 1 or (not in_file and len(in_graph) > 1):
            self.draft.problem(
                ref.where, f"Flera av typen {wanted} heter «{ref.name}»; ange id i stället."
            )
            return None
        if not in_graph:
            self.draft.problem(
                ref.where,
                f"Okänd referens: det finns inget av typen {wanted} som heter «{ref.name}».",
            )
            return None
        return in_graph[0]

    def link_changes(self) -> tuple[list[Link], list[Link]]:
        """Links to add and to remove so the graph says what the file says."""
        specs = list(self.draft.links)
        for item in self.draft.items:
            own = self.ids.get(id(item))
            if item.parent is None or item.parent_rel is None or own is None:
                continue
            if not item.link_parent and not self.is_new(own):
                continue
            me = Ref((item.label,), id=own, where=item.where)
            source, target = (me, item.parent) if item.parent_outgoing else (item.parent, me)
            specs.append(LinkSpec(item.parent_rel, source, target, item.parent.where))
        wanted: dict[tuple[Rel, str, str], Link] = {}
        for spec in specs:
            if spec.only_new and not self._new_ref(spec.source.item):
                continue
            start, end = self.resolve(spec.source), self.resolve(spec.target)
            if start is None or end is None:
                continue
            if not REL_TYPES[spec.rel].allows(self.label(start), self.label(end)):
                self.draft.problem(
                    spec.where,
                    f"{type_name(self.label(start))} kan inte kopplas till "
                    f"{type_name(self.label(end))} ({spec.rel}).",
                )
                continue
            wanted[(spec.rel, start, end)] = Link(spec.rel, start, end, dict(spec.props))
        sources = set(self.file_ids)
        existing: set[tuple[Rel, str, str]] = set()
        removes: list[Link] = []
        managed: dict[tuple[Rel, Label], set[Label]] = {}
        for rel, s, t in self.draft.managed:
            managed.setdefault((rel, s), set()).add(t)
        for rel in sorted({k[0] for k in wanted} | {m[0] for m in managed}):
            for link in self.store.links(rel):
                if link.source not in sources:
                    continue
                key = (rel, link.source, link.target)
                existing.add(key)
                if key in wanted and _props(wanted[key]) != _props(link):
                    removes.append(link)
                    existing.discard(key)
                    continue
                targets = managed.get((rel, self.label(link.source)), set())
                other = self.stored.get(link.target)
                if (
                    other is not None
                    and other.LABEL in targets
                    and (rel, link.source, link.target) not in wanted
                ):
                    removes.append(link)
        adds = [link for key, link in wanted.items() if key not in existing]
        return adds, removes


def _props(link: Link) -> dict[str, object]:
    declared = REL_TYPES[link.rel].props
    defaults = {name: (False if kind is bool else "") for name, kind in declared}
    given = {k: v for k, v in link.props.items() if v is not None and k in defaults}
    return defaults | given
