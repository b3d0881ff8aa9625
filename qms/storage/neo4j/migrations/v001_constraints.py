"""001: one node per id in every label, the change log and the migration record."""

STATEMENTS = (
    "CREATE CONSTRAINT org_unit_id IF NOT EXISTS FOR (n:OrgUnit) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT goal_id IF NOT EXISTS FOR (n:Goal) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT expected_result_id IF NOT EXISTS "
    "FOR (n:ExpectedResult) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT indicator_id IF NOT EXISTS FOR (n:Indicator) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT initiative_id IF NOT EXISTS FOR (n:Initiative) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT process_id IF NOT EXISTS FOR (n:Process) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT activity_id IF NOT EXISTS FOR (n:Activity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT role_id IF NOT EXISTS FOR (n:Role) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT risk_id IF NOT EXISTS FOR (n:Risk) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT self_inspection_id IF NOT EXISTS "
    "FOR (n:SelfInspection) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT inspection_result_id IF NOT EXISTS "
    "FOR (n:InspectionResult) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT deviation_id IF NOT EXISTS FOR (n:Deviation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT cause_id IF NOT EXISTS FOR (n:Cause) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT action_id IF NOT EXISTS FOR (n:Action) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT change_entry_id IF NOT EXISTS FOR (n:ChangeEntry) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT schema_migration_number IF NOT EXISTS "
    "FOR (n:SchemaMigration) REQUIRE n.number IS UNIQUE",
)
