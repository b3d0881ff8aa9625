"""``Portal``: the staff portal's reads over one ``Qms``, with its two whole-graph caches."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from qms.domain.entities import ID_PATTERN, Role
from qms.domain.errors import NotFound
from qms.domain.labels import Label
from qms.services import pages
from qms.services.app import Qms
from qms.services.cache import Refreshing
from qms.services.landscape import StartPage, load_landscape, start_page
from qms.services.portal_search import Finder, SearchPage
from qms.services.spelling import vocabulary_of

#: Seconds a cached whole-graph read may lag behind a write made elsewhere.
LANDSCAPE_TTL = 15.0
VOCABULARY_TTL = 300.0


class Portal:
    """Read models for the portal's pages; item pages read the store once (per parent level)."""

    def __init__(self, qms: Qms, today: Callable[[], date] = date.today) -> None:
        self._qms = qms
        self._today = today
        self._landscape = Refreshing(lambda: load_landscape(qms.store), LANDSCAPE_TTL)
        self._vocabulary = Refreshing(lambda: vocabulary_of(qms.store), VOCABULARY_TTL)
        self._finder = Finder(qms.search_index, self._vocabulary.get)
        self._listeners: list[Callable[[], None]] = []

    def on_invalidate(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` too whenever the portal's caches are dropped."""
        self._listeners.append(listener)

    def invalidate(self) -> None:
        """Forget the cached landscape and vocabulary (and tell listeners) after a write."""
        self._landscape.invalidate()
        self._vocabulary.invalidate()
        for listener in self._listeners:
            listener()

    def start(self, unit_id: str | None = None) -> StartPage:
        """The start page of one organisation unit, or of all."""
        if unit_id is not None:
            _checked(Label.ORG_UNIT, unit_id)
        return start_page(self._landscape.get(), unit_id)

    def process(self, process_id: str) -> pages.ProcessPage:
        """The process page."""
        return pages.process_page(self._qms.store, _checked(Label.PROCESS, process_id))

    def activity(self, activity_id: str) -> pages.ActivityPage:
        """The activity page."""
        return pages.activity_page(self._qms.store, _checked(Label.ACTIVITY, activity_id))

    def document(self, document_id: str) -> pages.DocumentPage:
        """The document page, overdue compared with today."""
        checked = _checked(Label.DOCUMENT, document_id)
        return pages.document_page(self._qms.store, checked, self._today())

    def role(self, role_id: str) -> pages.RolePage:
        """Vad gör jag som …?"""
        return pages.role_page(self._qms.store, _checked(Label.ROLE, role_id))

    def roles(self) -> list[Role]:
        """Every role, by name."""
        return pages.roles(self._qms.store)

    def search(self, text: str, only: Label | None = None) -> SearchPage:
        """Grouped hits with typo tolerance."""
        return self._finder.search(text, only)

    @property
    def today(self) -> date:
        """Today's date as the portal sees it (tests fix it)."""
        return self._today()


def _checked(label: Label, entity_id: str) -> str:
    """The id, or ``NotFound`` without asking the store when it cannot be an id at all."""
    if not ID_PATTERN.match(entity_id):
        raise NotFound(label, entity_id[:100])
    return entity_id
