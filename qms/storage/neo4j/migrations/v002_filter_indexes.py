"""002: range indexes on what the pages and the change log filter and sort by."""

STATEMENTS = (
    # The change log of one entity (every detail page, ``qms`` history).
    "CREATE INDEX change_entry_entity IF NOT EXISTS FOR (n:ChangeEntry) ON (n.entity_id)",
    "CREATE INDEX change_entry_set IF NOT EXISTS FOR (n:ChangeEntry) ON (n.change_set)",
    # The process map leaves archived processes out.
    "CREATE INDEX process_archived IF NOT EXISTS FOR (n:Process) ON (n.archived)",
    # Document control: documents by status and by review date.
    "CREATE INDEX document_status IF NOT EXISTS FOR (n:Document) ON (n.status)",
    "CREATE INDEX document_review_by IF NOT EXISTS FOR (n:Document) ON (n.review_by)",
    # Follow-up lists: open risks, deviations and actions, egenkontroller due.
    "CREATE INDEX risk_status IF NOT EXISTS FOR (n:Risk) ON (n.status)",
    "CREATE INDEX deviation_status IF NOT EXISTS FOR (n:Deviation) ON (n.status)",
    "CREATE INDEX action_status IF NOT EXISTS FOR (n:Action) ON (n.status)",
    "CREATE INDEX action_due_on IF NOT EXISTS FOR (n:Action) ON (n.due_on)",
    "CREATE INDEX self_inspection_next_due IF NOT EXISTS FOR (n:SelfInspection) ON (n.next_due)",
    # The ILS goal chain by level and year.
    "CREATE INDEX goal_level_year IF NOT EXISTS FOR (n:Goal) ON (n.level, n.year)",
)
