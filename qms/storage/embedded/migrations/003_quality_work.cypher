-- 003: quality work (issue 6): goal assessments and indicator outcomes per tertial, the
-- configurable risk matrix, the internkontrollplan's kontrollmoment, the avvikelse workflow.
CREATE NODE TABLE GoalAssessment(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, year INT64, tertial INT64, verdict STRING, analysis STRING, planned_actions STRING, PRIMARY KEY(id));
CREATE NODE TABLE IndicatorOutcome(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, year INT64, tertial INT64, value DOUBLE, women DOUBLE, men DOUBLE, comment STRING, PRIMARY KEY(id));
CREATE NODE TABLE RiskMatrix(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, name STRING, probability_labels STRING[], consequence_labels STRING[], level_names STRING[], level_colours STRING[], level_minimums STRING[], control_threshold INT64, PRIMARY KEY(id));
CREATE NODE TABLE Control(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, title STRING, method STRING, frequency STRING, reporting STRING, year INT64, result STRING, outcome STRING, PRIMARY KEY(id));
CREATE REL TABLE HAS_ASSESSMENT(FROM Goal TO GoalAssessment);
CREATE REL TABLE HAS_OUTCOME(FROM Indicator TO IndicatorOutcome);
CREATE REL TABLE CONTROLS(FROM Control TO Risk, FROM Control TO Process, FROM Control TO Activity);
ALTER TABLE Goal ADD working_method STRING;
ALTER TABLE Goal ADD resources STRING;
ALTER TABLE Initiative ADD status STRING;
ALTER TABLE InspectionResult ADD performed_by STRING;
ALTER TABLE Deviation ADD location STRING;
ALTER TABLE Deviation ADD reported_by STRING;
ALTER TABLE Deviation ADD reported_on DATE;
ALTER TABLE Deviation ADD investigator STRING;
ALTER TABLE Deviation ADD incident_class STRING;
ALTER TABLE Deviation ADD serious BOOL;
ALTER TABLE Deviation ADD serious_decided_by STRING;
ALTER TABLE Deviation ADD serious_decided_on DATE;
ALTER TABLE Deviation ADD reported_to_ivo_on DATE;
ALTER TABLE Deviation ADD ivo_reference STRING;
ALTER TABLE Deviation ADD follow_up_outcome STRING;
ALTER TABLE Deviation ADD closed_on DATE;
ALTER TABLE BELONGS_TO ADD FROM Control TO OrgUnit;
ALTER TABLE BELONGS_TO ADD FROM RiskMatrix TO OrgUnit;
ALTER TABLE OWNED_BY ADD FROM Control TO Role;
ALTER TABLE OWNED_BY ADD FROM Indicator TO Role;
