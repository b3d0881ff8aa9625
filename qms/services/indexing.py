"""What the search index holds for each entity."""

from __future__ import annotations

from qms.domain.entities import Activity, Document, Entity, Process, Role
from qms.domain.labels import Label
from qms.search.port import SearchDoc

INDEXED = (Label.PROCESS, Label.ACTIVITY, Label.DOCUMENT, Label.ROLE)


def search_doc(entity: Entity, context: str = "") -> SearchDoc | None:
    """The search document of an entity, or None for labels that are not searchable."""
    if isinstance(entity, Process):
        text = " ".join(
            (
                entity.purpose,
                entity.trigger,
                entity.ends_when,
                entity.desired_effect,
                *entity.recipients,
                *entity.stakeholders,
            )
        )
    elif isinstance(entity, Activity):
        text = " ".join((entity.description, *entity.inputs, *entity.outputs))
    elif isinstance(entity, Document):
        text = " ".join((entity.body, entity.legal_reference))
    elif isinstance(entity, Role):
        text = entity.description
    else:
        return None
    return SearchDoc(entity.id, entity.LABEL.value, entity.caption, " ".join(text.split()), context)
