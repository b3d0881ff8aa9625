"""Full-text search: the port and its embedded SQLite FTS5 adapter."""

from qms.search.port import Hit, SearchBatch, SearchDoc, SearchIndex

__all__ = ["Hit", "SearchBatch", "SearchDoc", "SearchIndex"]
