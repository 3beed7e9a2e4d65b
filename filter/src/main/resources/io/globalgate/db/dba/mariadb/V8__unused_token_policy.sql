-- Globalgate schema version 8 (unused token policy) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V8__unused_token_policy.sql
-- The SQL of io/globalgate/db/migration/V8__unused_token_policy.sql as it is, then the row Flyway
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

-- ---- V8__unused_token_policy.sql

-- Unused tokens expire (issue 18): when the integration's owner was last told that a token is
-- unused and will be revoked. A reminder counts for the unused stretch it was sent in only: once
-- the token is used again (last_used_at after it), the next stretch needs a reminder of its own.
-- The policy's scan claims a reminder by setting this column with a conditional update, so each
-- goes out once however many admin nodes run the scan.
ALTER TABLE access_token ADD COLUMN unused_reminded_at DATETIME(3) NULL;

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '8', 'unused token policy', 'SQL', 'V8__unused_token_policy.sql', 1961482147, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
