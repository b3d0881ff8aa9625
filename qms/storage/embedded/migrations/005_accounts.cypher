-- 005 (issue 8): accounts and API tokens; an avvikelse remembers the account that reported
-- it; document control records who approved a version and which version a new one replaces.
CREATE NODE TABLE Account(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, name STRING, email STRING, roles STRING[], password_hash STRING, disabled BOOL, PRIMARY KEY(id));
CREATE NODE TABLE ApiToken(id STRING, version INT64, created_at STRING, created_by STRING, updated_at STRING, updated_by STRING, name STRING, account STRING, secret_hash STRING, expires_on DATE, revoked BOOL, PRIMARY KEY(id));
ALTER TABLE Deviation ADD reported_by_account STRING;
-- Document control: who approved a version, and which version a new one supersedes.
ALTER TABLE Document ADD approved_by STRING;
CREATE REL TABLE SUPERSEDES(FROM Document TO Document);
