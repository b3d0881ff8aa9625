"""The portal's search: capped input, results grouped by type, a retry when a word is misspelt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qms.domain.labels import Label
from qms.search import text as txt
from qms.search.port import Hit, SearchIndex
from qms.services.spelling import Vocabulary

MAX_QUERY = 200  # characters; longer input is cut, never an error
LIMIT_ALL = 30
LIMIT_ONE = 60
#: The order groups are shown in: where the answer to "how do we do X" usually is, first.
GROUP_ORDER = (Label.PROCESS, Label.DOCUMENT, Label.ACTIVITY, Label.ROLE)


@dataclass(frozen=True)
class SearchPage:
    """What the search page shows."""

    query: str
    groups: tuple[tuple[Label, tuple[Hit, ...]], ...] = ()
    only: Label | None = None
    corrected: str | None = None
    truncated: bool = False
    searchable: bool = False

    @property
    def total(self) -> int:
        """Number of hits shown."""
        return sum(len(hits) for _, hits in self.groups)


def clean(text: str) -> tuple[str, bool]:
    """The query as searched: control characters out, spaces collapsed, cut to MAX_QUERY."""
    printable = "".join(c if c.isprintable() else " " for c in text)
    query = " ".join(printable.split())
    return query[:MAX_QUERY].rstrip(), len(query) > MAX_QUERY


class Finder:
    """Search with typo tolerance on top of any ``SearchIndex``."""

    def __init__(self, index: SearchIndex, vocabulary: Callable[[], Vocabulary]) -> None:
        self._index = index
        self._vocabulary = vocabulary

    def search(self, text: str, only: Label | None = None) -> SearchPage:
        """Hits grouped by type; if none, those of the query with misspelt words corrected."""
        query, truncated = clean(text)
        page = SearchPage(query, only=only, truncated=truncated)
        if not txt.query_terms(query):
            return page
        hits = self._hits(query, only)
        corrected = None
        if not hits:
            corrected = self._vocabulary().correct_query(query)
            hits = self._hits(corrected, only) if corrected else []
        return SearchPage(
            query,
            _grouped(hits),
            only=only,
            corrected=corrected if hits else None,
            truncated=truncated,
            searchable=True,
        )

    def _hits(self, query: str, only: Label | None) -> list[Hit]:
        if only is None:
            return self._index.search(query, limit=LIMIT_ALL)
        return self._index.search(query, labels=[only.value], limit=LIMIT_ONE)


def _grouped(hits: list[Hit]) -> tuple[tuple[Label, tuple[Hit, ...]], ...]:
    by_label: dict[str, list[Hit]] = {}
    for hit in hits:
        by_label.setdefault(hit.label, []).append(hit)
    return tuple(
        (label, tuple(by_label[label.value])) for label in GROUP_ORDER if label.value in by_label
    )
