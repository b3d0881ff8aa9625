"""The SQLite FTS5 search index on a real file in a temporary directory."""

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from qms.search.port import SearchDoc
from qms.search.sqlite import SCHEMA_VERSION, SqliteSearchIndex


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "search.db"


@pytest.fixture
def index(path: Path) -> Iterator[SqliteSearchIndex]:
    idx = SqliteSearchIndex(path)
    yield idx
    idx.close()


def add(index: SqliteSearchIndex, *docs: SearchDoc) -> None:
    with index.batch() as batch:
        for doc in docs:
            batch.upsert(doc)


def ids(
    index: SqliteSearchIndex, query: str, labels: Sequence[str] | None = None, limit: int = 20
) -> list[str]:
    return [hit.id for hit in index.search(query, labels=labels, limit=limit)]


def doc(id_: str, title: str, text: str = "", label: str = "Process") -> SearchDoc:
    return SearchDoc(id=id_, label=label, title=title, text=text)


def test_upserted_document_is_found(index: SqliteSearchIndex) -> None:
    add(index, doc("p1", "Avvikelsehantering", "Så hanterar vi avvikelser."))
    [hit] = index.search("avvikelsehantering")
    assert (hit.id, hit.label, hit.title) == ("p1", "Process", "Avvikelsehantering")
    assert hit.score > 0


@pytest.mark.parametrize("query", ["förskola", "förskolor", "förskolan", "FÖRSKOLORNA"])
def test_swedish_inflections_find_each_other(index: SqliteSearchIndex, query: str) -> None:
    add(index, doc("a", "Förskola"), doc("b", "x", "två förskolor"), doc("c", "y", "förskolan"))
    assert sorted(ids(index, query)) == ["a", "b", "c"]


@pytest.mark.parametrize(("query", "expected"), [("försk", "förskola"), ("rutin", "rutiner")])
def test_query_words_match_as_prefixes(index: SqliteSearchIndex, query: str, expected: str) -> None:
    add(index, doc("hit", "x", expected), doc("miss", "x", "skola"))
    assert ids(index, query) == ["hit"]


def test_prefix_of_a_compound_word(index: SqliteSearchIndex) -> None:
    add(index, doc("a", "Avvikelsehantering"), doc("b", "Hantering"))
    assert ids(index, "avvik") == ["a"]


def test_case_folding_keeps_a_and_a_ring_apart(index: SqliteSearchIndex) -> None:
    add(index, doc("a", "Äldreomsorg i Åre"))
    assert ids(index, "ÄLDREOMSORG åre") == ["a"]
    assert ids(index, "aldreomsorg") == []
    assert ids(index, "are") == []


def test_all_query_words_must_match(index: SqliteSearchIndex) -> None:
    add(index, doc("both", "Rutin för läkemedel"), doc("one", "Rutin för städning"))
    assert ids(index, "rutin läkemedel") == ["both"]


def test_title_match_ranks_above_text_match(index: SqliteSearchIndex) -> None:
    add(
        index,
        doc("in-text", "Uppföljning", "Här nämns delegering, delegering och delegering."),
        doc("in-title", "Delegering", "Om beslut i nämnden."),
        doc("other", "Annat", "Helt orelaterat."),
    )
    hits = index.search("delegering")
    assert [hit.id for hit in hits] == ["in-title", "in-text"]
    assert hits[0].score > hits[1].score


def test_a_title_word_weighs_more_than_text_words(index: SqliteSearchIndex) -> None:
    add(
        index,
        doc("text-only", "Annat", "rutin för läkemedel, rutin för läkemedel"),
        doc("half-title", "Läkemedel", "en rutin"),
        *(doc(f"filler{i}", "Filler", "ord") for i in range(5)),
    )
    assert ids(index, "rutin läkemedel") == ["half-title", "text-only"]


def test_context_is_searchable(index: SqliteSearchIndex) -> None:
    add(index, SearchDoc("act", "Activity", "Inskolning", "Första dagen", context="Förskola"))
    assert ids(index, "inskolning förskola") == ["act"]


def test_labels_filter_results(index: SqliteSearchIndex) -> None:
    add(
        index,
        doc("p", "Rutin", label="Process"),
        doc("d", "Rutin", label="Document"),
        doc("r", "Rutin", label="Role"),
    )
    assert sorted(ids(index, "rutin", labels=["Process", "Role"])) == ["p", "r"]
    assert ids(index, "rutin", labels=["Document"]) == ["d"]
    assert ids(index, "rutin", labels=[]) == []


def test_limit_caps_the_hits(index: SqliteSearchIndex) -> None:
    add(index, *(doc(f"d{i}", "Rutin" if i % 2 else "x", "rutin") for i in range(30)))
    assert len(index.search("rutin", limit=7)) == 7
    assert len(index.search("rutin")) == 20
    assert index.search("rutin", limit=0) == []


def test_upsert_replaces_the_document(index: SqliteSearchIndex) -> None:
    add(index, doc("p1", "Gammal titel"))
    add(index, doc("p1", "Ny rubrik"))
    assert ids(index, "gammal") == []
    assert [hit.title for hit in index.search("rubrik")] == ["Ny rubrik"]
    assert index.count() == 1


def test_remove_deletes_the_document(index: SqliteSearchIndex) -> None:
    add(index, doc("p1", "Rutin"), doc("p2", "Rutin"))
    with index.batch() as batch:
        batch.remove("p1")
        batch.remove("unknown")
    assert ids(index, "rutin") == ["p2"]
    assert index.count() == 1


def test_removed_documents_leave_nothing_behind_in_the_ranking(index: SqliteSearchIndex) -> None:
    add(index, *(doc(f"gone{i}", "Rutin") for i in range(5)), doc("kept", "x", "rutin"))
    with index.batch() as batch:
        for i in range(5):
            batch.remove(f"gone{i}")
    assert ids(index, "rutin", limit=1) == ["kept"]


def test_batch_rolls_back_on_exception(index: SqliteSearchIndex) -> None:
    add(index, doc("keep", "Rutin"))

    def failing_batch() -> None:
        with index.batch() as batch:
            batch.upsert(doc("new", "Rutin"))
            batch.remove("keep")
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        failing_batch()
    assert ids(index, "rutin") == ["keep"]
    assert index.count() == 1


def test_batch_cannot_be_used_after_it_ends(index: SqliteSearchIndex) -> None:
    with index.batch() as batch:
        pass
    with pytest.raises(RuntimeError, match="finished"):
        batch.upsert(doc("late", "Rutin"))


def test_batches_cannot_nest(index: SqliteSearchIndex) -> None:
    with index.batch():  # the outer batch stays open around the check
        with pytest.raises(RuntimeError, match="nested"):
            index.batch().__enter__()


def test_rebuild_replaces_everything(index: SqliteSearchIndex) -> None:
    add(index, doc("old", "Rutin"))
    assert index.rebuild([doc("n1", "Rutin"), doc("n2", "Risk"), doc("n1", "Rutin igen")]) == 2
    assert ids(index, "rutin") == ["n1"]
    assert index.count() == 2


def test_failed_rebuild_keeps_the_old_index(index: SqliteSearchIndex) -> None:
    add(index, doc("old", "Rutin"))

    def broken() -> Iterator[SearchDoc]:
        yield doc("new", "Rutin")
        raise OSError("disk")

    with pytest.raises(OSError, match="disk"):
        index.rebuild(broken())
    assert ids(index, "rutin") == ["old"]


HOSTILE = (
    '"', "*", "AND", "OR NOT", "NEAR(", "NEAR(rutin", "-", ":", "", "title:rutin", "{title}:x",
    '"rutin', "rutin*", "^rutin", "(", ")", "rutin AND", "'; DROP TABLE docs; --", "\x00", "ﬁ ß İ",
)  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(index: SqliteSearchIndex, query: str) -> None:
    add(index, doc("p1", "Rutin", "text"))
    assert isinstance(index.search(query), list)
    assert index.count() == 1


def test_syntax_characters_around_words_are_ignored(index: SqliteSearchIndex) -> None:
    add(index, doc("p1", "Rutin"))
    assert ids(index, '"rutin*" AND:') == []  # "AND" is just a word that must match too
    assert ids(index, '("rutin*" -:') == ["p1"]


def test_snippet_marks_match_and_escapes_html(index: SqliteSearchIndex) -> None:
    add(index, doc("p1", "Titel", "Före <script>alert(1)</script> kommer rutinerna & mer."))
    [hit] = index.search("rutin")
    assert "<mark>rutinerna</mark>" in hit.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet
    assert "<script>" not in hit.snippet


def test_new_file_needs_rebuild_and_reopened_one_does_not(path: Path) -> None:
    first = SqliteSearchIndex(path)
    assert first.needs_rebuild
    add(first, doc("p1", "Rutin"))
    first.close()
    second = SqliteSearchIndex(path)
    try:
        assert not second.needs_rebuild
        assert ids(second, "rutin") == ["p1"]
    finally:
        second.close()


def test_rebuild_clears_needs_rebuild(index: SqliteSearchIndex) -> None:
    index.rebuild([])
    assert not index.needs_rebuild


def test_other_schema_version_is_recreated_empty(path: Path) -> None:
    old = SqliteSearchIndex(path)
    add(old, doc("p1", "Rutin"))
    old.close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    reopened = SqliteSearchIndex(path)
    try:
        assert reopened.needs_rebuild
        assert reopened.count() == 0
    finally:
        reopened.close()


def test_closed_index_refuses_work(path: Path) -> None:
    idx = SqliteSearchIndex(path)
    idx.close()
    with pytest.raises(RuntimeError, match="closed"):
        idx.count()


def test_threads_search_while_another_writes(index: SqliteSearchIndex) -> None:
    add(index, doc("p0", "Rutin"))
    errors: list[BaseException] = []
    counts: list[int] = []

    def reader() -> None:
        try:
            for _ in range(50):
                counts.append(len(index.search("rutin", limit=100)))
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for i in range(1, 21):
        add(index, doc(f"p{i}", "Rutin"))
    for thread in threads:
        thread.join()
    assert errors == []
    assert min(counts) >= 1
    assert index.count() == 21
