"""004: the BPMN file of a process (``ProcessModel``), one node per id."""

STATEMENTS = (
    "CREATE CONSTRAINT process_model_id IF NOT EXISTS FOR (n:ProcessModel) REQUIRE n.id IS UNIQUE",
)
