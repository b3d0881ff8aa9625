// Lint Cypher offline with Neo4j's own front end (@neo4j-cypher/language-support).
//
// stdin:  {"queries": ["MATCH ...", ...], "schema": {labels, relationshipTypes, propertyKeys,
//          parameters, graphSchema, ...}}
// stdout: [{"query": "...", "diagnostics": [{"severity", "message", "offsets"}]}, ...]
//
// Unless the schema brings its own, the function and procedure catalogue is the one the
// package records from a real Neo4j server, without plugins (APOC, GDS): a Community server
// has only the built-ins, so a query calling anything else must fail here too.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const PLUGINS = /^(apoc|gds)\./;

function builtIns(registry, keep) {
  const scoped = {};
  for (const [version, entries] of Object.entries(registry)) {
    scoped[version] = Object.fromEntries(
      Object.entries(entries).filter(([name, entry]) => !PLUGINS.test(name) && keep(entry)),
    );
  }
  return scoped;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const input = JSON.parse(await readStdin());
if (!Array.isArray(input.queries) || typeof input.schema !== 'object') {
  console.error('expected {"queries": [...], "schema": {...}} on stdin');
  process.exit(2);
}
const schema = {
  functions: builtIns(testData.mockSchema.functions, (f) => f.isBuiltIn),
  procedures: builtIns(testData.mockSchema.procedures, () => true),
  ...input.schema,
};
const results = input.queries.map((query) => ({
  query,
  diagnostics: lintCypherQuery(query, schema).diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    offsets: d.offsets,
  })),
}));
process.stdout.write(JSON.stringify(results));
