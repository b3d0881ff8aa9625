"""Numbered Neo4j schema migrations: ``vNNN_name.py`` modules, each with ``STATEMENTS``.

Python modules rather than ``.cypher`` files so they ship in every install. A migration
never changes once released; a new schema is a new number.
"""
