-- Globalgate schema version 6 (leak response) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V6__leak_response.sql
-- The SQL of io/globalgate/db/migration/V6__leak_response.sql as it is, then the row Flyway
-- would have written, so the nodes (and a later migrate=true) see the version.
-- Written by DbaScriptsTest (-Dglobalgate.dba.write=true); do not edit.

CREATE TABLE IF NOT EXISTS `globalgate_schema_history` (
  `installed_rank` int(11) NOT NULL,
  `version` varchar(50) DEFAULT NULL,
  `description` varchar(200) NOT NULL,
  `type` varchar(20) NOT NULL,
  `script` varchar(1000) NOT NULL,
  `checksum` int(11) DEFAULT NULL,
  `installed_by` varchar(100) NOT NULL,
  `installed_on` timestamp NOT NULL DEFAULT current_timestamp(),
  `execution_time` int(11) NOT NULL,
  `success` tinyint(1) NOT NULL,
  PRIMARY KEY (`installed_rank`),
  KEY `globalgate_schema_history_s_idx` (`success`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- ---- V6__leak_response.sql

-- How a token ended, and its use after the end (issue 18, leak response).
-- revoked_reason: manual, regenerated, integration_policy, leak_reported, revoked_by_value, unused;
-- revoked_detail: where a leaked token was found (the reporter, its URL and source), for the token's page.
ALTER TABLE access_token ADD COLUMN revoked_reason VARCHAR(32) NULL;
ALTER TABLE access_token ADD COLUMN revoked_detail VARCHAR(1000) NULL;
-- The last request refused because the token was revoked or expired (written in batches by the
-- nodes, as usage is), and when its owner was told of such use (once per token).
ALTER TABLE access_token ADD COLUMN last_refused_at DATETIME(3) NULL;
ALTER TABLE access_token ADD COLUMN last_refused_ip VARCHAR(64) NULL;
ALTER TABLE access_token ADD COLUMN refused_notified_at DATETIME(3) NULL;

UPDATE access_token SET revoked_reason = CASE WHEN replaced_by IS NULL THEN 'manual' ELSE 'regenerated' END
WHERE revoked_at IS NOT NULL;

-- The owner is told once of use after the end: the scan reads the refused tokens not told of yet.
CREATE INDEX ix_access_token_refused ON access_token (refused_notified_at, last_refused_at);

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '6', 'leak response', 'SQL', 'V6__leak_response.sql', 1147106799, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
