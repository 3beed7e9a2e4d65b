-- Globalgate schema version 3 (active token index) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V3__active_token_index.sql
-- The SQL of io/globalgate/db/migration/V3__active_token_index.sql as it is, then the row Flyway
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

-- ---- V3__active_token_index.sql

-- Counting an integration's active tokens (the grid's "Active tokens" column, the integration
-- page) read every token row of the integration: 106 ms for 100 000 tokens. With the status
-- columns in the index, the count is an index-only range scan over the integration's unrevoked
-- tokens.
CREATE INDEX ix_access_token_active ON access_token (integration_id, revoked_at, expires_at);

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '3', 'active token index', 'SQL', 'V3__active_token_index.sql', -1372727585, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
