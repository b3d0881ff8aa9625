-- 002: the BPMN file behind a process (issue 4: import and export with modeling tools).
CREATE NODE TABLE ProcessModel(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, xml STRING, source STRING, tool STRING, digest STRING, PRIMARY KEY(id));
CREATE REL TABLE HAS_MODEL(FROM Process TO ProcessModel);
