"""005: quality work — goal assessments, indicator outcomes, the risk matrix, kontrollmoment."""

STATEMENTS = (
    "CREATE CONSTRAINT goal_assessment_id IF NOT EXISTS "
    "FOR (n:GoalAssessment) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT indicator_outcome_id IF NOT EXISTS "
    "FOR (n:IndicatorOutcome) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT risk_matrix_id IF NOT EXISTS FOR (n:RiskMatrix) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT control_id IF NOT EXISTS FOR (n:Control) REQUIRE n.id IS UNIQUE",
    # The avvikelse lists filter by kind (lex Sarah / lex Maria) and by follow-up date.
    "CREATE INDEX deviation_kind IF NOT EXISTS FOR (n:Deviation) ON (n.kind)",
    "CREATE INDEX deviation_follow_up_on IF NOT EXISTS FOR (n:Deviation) ON (n.follow_up_on)",
)
