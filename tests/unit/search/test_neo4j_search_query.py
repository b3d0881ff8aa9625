"""The Neo4j search adapter's own logic: Lucene queries, batches, hits and snippets."""

from __future__ import annotations

from typing import Any

import pytest

from qms.search.neo4j import (
    INDEX,
    REMOVE,
    SEARCH,
    UPSERT,
    Neo4jSearchIndex,
    escape,
    lucene_query,
)
from qms.search.port import SearchDoc


@pytest.fixture
def index(recorder: Any) -> Neo4jSearchIndex:
    made = Neo4jSearchIndex(recorder)
    recorder.log.clear()
    return made


def test_every_lucene_operator_is_escaped() -> None:
    assert escape('a+b-c&&d||e!f(g)h{i}j[k]l^m"n~o*p?q:r\\s/t') == (
        'a\\+b\\-c\\&\\&d\\|\\|e\\!f\\(g\\)h\\{i\\}j\\[k\\]l\\^m\\"n\\~o\\*p\\?q\\:r\\\\s\\/t'
    )


def test_every_word_is_required_as_itself_or_as_a_prefix_title_first() -> None:
    assert lucene_query(["hemtjänst", "x"]) == (
        "+(title:hemtjänst^4 OR hemtjänst OR hemtjänst*) +(title:x^4 OR x)"
    )


def test_search_sends_the_stemmed_words_and_marks_them_in_the_snippet(
    index: Neo4jSearchIndex, recorder: Any
) -> None:
    recorder.answer(
        SEARCH,
        [["p-1", "Process", "Hemtjänst", "Insatser i hemmet för äldre", "", 3.5]],
    )
    [hit] = index.search("Hemtjänsten ÄLDRE", labels=["Process"], limit=5)
    [(query, params)] = recorder.log
    assert query == SEARCH
    assert params == {
        "index": INDEX,
        "query": "+(title:hemtjänst^4 OR hemtjänst OR hemtjänst*) +(title:äldr^4 OR äldr OR äldr*)",
        "labels": ["Process"],
        "limit": 5,
    }
    assert (hit.id, hit.label, hit.title, hit.score) == ("p-1", "Process", "Hemtjänst", 3.5)
    assert hit.snippet == "Insatser i hemmet för <mark>äldre</mark>"


def test_user_syntax_never_reaches_lucene_as_syntax(
    index: Neo4jSearchIndex, recorder: Any
) -> None:
    index.search('rutin* OR "x" AND title:(y)')
    [(_, params)] = recorder.log
    # Only words reach Lucene, case-folded: "or"/"and" are terms there, operators only in caps.
    assert params["query"] == (
        "+(title:rutin^4 OR rutin OR rutin*) +(title:or^4 OR or OR or*) +(title:x^4 OR x) "
        "+(title:and^4 OR and OR and*) +(title:titl^4 OR titl OR titl*) +(title:y^4 OR y)"
    )


@pytest.mark.parametrize(
    ("text", "labels", "limit"), [("", None, 20), ("   !? ", None, 20), ("rutin", [], 20),
                                  ("rutin", None, 0)]  # fmt: skip
)
def test_nothing_to_search_sends_nothing(
    index: Neo4jSearchIndex, recorder: Any, text: str, labels: list[str] | None, limit: int
) -> None:
    assert index.search(text, labels=labels, limit=limit) == []
    assert recorder.log == []


def test_a_batch_writes_the_last_change_per_id_in_one_transaction(
    index: Neo4jSearchIndex, recorder: Any
) -> None:
    with index.batch() as batch:
        batch.upsert(SearchDoc("p-1", "Process", "Först", ""))
        batch.upsert(SearchDoc("p-1", "Process", "Sist", "text"))
        batch.upsert(SearchDoc("p-2", "Process", "Borta", ""))
        batch.remove("p-2")
    assert recorder.writes == 1
    assert recorder.log == [
        (REMOVE, {"ids": ["p-2"]}),
        (UPSERT, {"docs": [{"id": "p-1", "label": "Process", "title": "Sist", "text": "text",
                            "context": ""}]}),  # fmt: skip
    ]


def test_a_failed_batch_writes_nothing(index: Neo4jSearchIndex, recorder: Any) -> None:
    def fail_inside() -> None:
        with index.batch() as batch:
            batch.upsert(SearchDoc("p-1", "Process", "X", ""))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_inside()
    assert recorder.writes == 0


def test_rebuild_replaces_everything_at_once_and_counts_distinct_ids(
    index: Neo4jSearchIndex, recorder: Any
) -> None:
    docs = [SearchDoc("p-1", "Process", "A", ""), SearchDoc("p-1", "Process", "B", "")]
    assert index.rebuild(docs) == 1
    assert recorder.writes == 1
    assert recorder.queries() == ["MATCH (d:SearchDoc) DELETE d", UPSERT]


def test_an_empty_index_asks_to_be_rebuilt(recorder: Any) -> None:
    assert Neo4jSearchIndex(recorder).needs_rebuild
    recorder.answer("count(d)", [[12]])
    assert not Neo4jSearchIndex(recorder).needs_rebuild
