"""Every statement the Neo4j adapters can send, checked by Neo4j's own Cypher front end.

``tools/cypher-lint/lint.mjs`` runs ``lintCypherQuery`` from ``@neo4j-cypher/language-support``
(pinned in package.json) offline, against our real schema: the labels, relationship types,
label pairs and property keys of ``qms/domain``, the change log, the migration record and
the search documents, and the parameters the adapters pass. Any diagnostic fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from qms.domain.graph import REL_TYPES, field_types
from qms.domain.labels import Label, Rel
from qms.search import neo4j as search_neo4j
from qms.storage import schema as q
from qms.storage.neo4j import catalogue

ROOT = Path(__file__).resolve().parents[3]
LINT = ROOT / "tools" / "cypher-lint" / "lint.mjs"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed, so Neo4j's Cypher front end cannot run"
)

#: Parameters that are not property names: ids, versions, batches, search, migrations.
CONTROL_PARAMETERS = (
    "id", "ids", "expected", "source", "target", "rows", "docs",
    "number", "name", "at", "seconds", "index", "query", "labels", "limit",
)  # fmt: skip
SEARCH_DOC_KEYS = ("id", "label", "title", "text", "context")
MIGRATION_KEYS = ("number", "name", "applied_at")
#: Keys of the rows bulk loading UNWINDs: the front end cannot tell ``row.source`` on a map
#: from a property of a node, so they are declared like property keys.
ROW_KEYS = ("source", "target", "props")


def real_schema() -> dict[str, Any]:
    """Our graph as the linter's DbSchema."""
    keys = {name for label in Label for name in field_types(label)}
    keys |= {name for rel in REL_TYPES.values() for name, _ in rel.props}
    keys |= {*q.CHANGE_FIELDS, *SEARCH_DOC_KEYS, *MIGRATION_KEYS, *ROW_KEYS}
    return {
        "labels": [
            *(label.value for label in Label),
            q.CHANGE_LABEL,
            "SchemaMigration",
            search_neo4j.DOC_LABEL,
        ],  # fmt: skip
        "relationshipTypes": [rel.value for rel in Rel],
        "propertyKeys": sorted(keys),
        "parameters": {name: None for name in sorted(keys | set(CONTROL_PARAMETERS))},
        "graphSchema": [
            {"from": s.value, "to": t.value, "relType": rel.value}
            for rel, rel_type in REL_TYPES.items()
            for s, t in rel_type.pairs
        ],
        "defaultLanguage": "CYPHER 5",
    }


def lint(queries: list[str]) -> list[dict[str, Any]]:
    """Diagnostics per query from the node script."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(LINT)],
        input=json.dumps({"queries": queries, "schema": real_schema()}),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    assert [r["query"] for r in results] == queries
    return results


def every_statement() -> list[str]:
    """What the Neo4j store and the Neo4j search index can send."""
    return [*catalogue.statements(), *search_neo4j.QUERIES]


#: Mistakes the front end must report, so a clean run means something.
BROKEN = {
    "MATCH (n:Proces {id: $id}) RETURN n": "Label Proces is not present",
    "MATCH (n:Process {id: $idd}) RETURN n": "Parameter $idd is not defined",
    "MATCH (n:Process {id: $id}) RETURN n.nmae": "nmae is not present",
    "MATCH (n:Process)-[:FLOW_TO]->(m) RETURN m": "FLOW_TO is not present",
    "MATCH (n) WHERE n.id = $id RETURN label(n)": "Function label is not present",
    "MATCH (a:Activity)-[:FLOWS_TO]->(b:Process) RETURN b": "has no incoming",
    "UNWIND $rows AS row MATCH (a:Role {id: row.sourse}) RETURN a": "sourse is not present",
    "MATCH (n:Process {id: $id} RETURN n": "Invalid input",
}


@pytest.fixture(scope="module")
def linted() -> dict[str, list[str]]:
    """Messages per query, for every statement and every deliberate mistake (one node run)."""
    queries = [*every_statement(), *BROKEN]
    return {r["query"]: [d["message"] for d in r["diagnostics"]] for r in lint(queries)}


def test_every_neo4j_statement_passes_neo4js_cypher_front_end(
    linted: dict[str, list[str]],
) -> None:
    problems = [f"{query}\n    -> {m}" for query in every_statement() for m in linted[query]]
    assert problems == [], "\n".join(problems)


def test_the_catalogue_covers_every_label_and_link_pair() -> None:
    text = "\n".join(every_statement())
    assert all(f"CREATE (n:{label.value} " in text for label in Label)
    pairs = [(r, s, t) for r, rt in REL_TYPES.items() for s, t in rt.pairs]
    assert all(f"(a:{s.value} {{id: $source}})-[r:{r.value}]->" in text for r, s, t in pairs)
    assert "fulltext.analyzer`: 'swedish'" in text


@pytest.mark.parametrize(("broken", "expected"), BROKEN.items())
def test_the_front_end_reports_each_kind_of_mistake(
    linted: dict[str, list[str]], broken: str, expected: str
) -> None:
    assert any(expected in message for message in linted[broken]), linted[broken]
