"""003: the search documents and their full-text index with Lucene's Swedish analyzer.

``eventually_consistent`` is off, so a search right after a write finds it.
"""

STATEMENTS = (
    "CREATE CONSTRAINT search_doc_id IF NOT EXISTS FOR (n:SearchDoc) REQUIRE n.id IS UNIQUE",
    "CREATE FULLTEXT INDEX qms_search IF NOT EXISTS FOR (n:SearchDoc) "
    "ON EACH [n.title, n.text, n.context] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'swedish', "
    "`fulltext.eventually_consistent`: false}}",
)
