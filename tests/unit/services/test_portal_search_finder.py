"""The portal's search service on a stand-in index: capping, grouping and the typo retry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager

from qms.domain.labels import Label
from qms.search.port import Hit, SearchBatch, SearchDoc, SearchIndex
from qms.services.portal_search import MAX_QUERY, Finder, clean
from qms.services.spelling import Vocabulary


class FakeIndex(SearchIndex):
    """Answers only the query "avvikelse"; remembers every search."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, list[str] | None, int]] = []

    def search(
        self, text: str, *, labels: Sequence[str] | None = None, limit: int = 20
    ) -> list[Hit]:
        self.asked.append((text, list(labels) if labels else None, limit))
        if text != "avvikelse":
            return []
        hits = [Hit("a-1", "Activity", "A", "", 2), Hit("p-1", "Process", "P", "", 1),
                Hit("d-1", "Document", "D", "", 0.5)]
        return [h for h in hits if labels is None or h.label in labels]

    def batch(self) -> AbstractContextManager[SearchBatch]:
        raise NotImplementedError

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        raise NotImplementedError

    def count(self) -> int:
        return 0

    def close(self) -> None:
        """Nothing to release."""


def finder(index: FakeIndex) -> Finder:
    """A finder whose vocabulary knows "avvikelse"."""
    vocabulary = Vocabulary.from_texts(["avvikelse"])
    return Finder(index, lambda: vocabulary)


def test_groups_follow_the_fixed_order() -> None:
    page = finder(FakeIndex()).search("avvikelse")
    assert [label for label, _ in page.groups] == [Label.PROCESS, Label.DOCUMENT, Label.ACTIVITY]
    assert page.total == 3
    assert page.corrected is None


def test_typo_retries_with_the_corrected_query() -> None:
    index = FakeIndex()
    page = finder(index).search("avvikelce")
    assert page.corrected == "avvikelse"
    assert page.total == 3
    assert [q for q, _, _ in index.asked] == ["avvikelce", "avvikelse"]


def test_filter_passes_one_label() -> None:
    index = FakeIndex()
    page = finder(index).search("avvikelse", Label.DOCUMENT)
    assert [label for label, _ in page.groups] == [Label.DOCUMENT]
    assert index.asked[0][1] == ["Document"]


def test_no_words_means_no_search() -> None:
    index = FakeIndex()
    page = finder(index).search("  😀 !! ")
    assert not page.searchable
    assert index.asked == []


def test_clean_caps_and_drops_control_characters() -> None:
    query, cut = clean("a\x00b\tc" + " x" * MAX_QUERY)
    assert query.startswith("a b c")
    assert len(query) <= MAX_QUERY
    assert cut
    assert clean("  avvikelse  ") == ("avvikelse", False)
