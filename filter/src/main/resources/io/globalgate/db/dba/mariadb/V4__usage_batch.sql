-- Globalgate schema version 4 (usage batch) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V4__usage_batch.sql
-- The SQL of io/globalgate/db/migration/V4__usage_batch.sql as it is, then the row Flyway
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

-- ---- V4__usage_batch.sql

-- The usage batches written, by id. A flush whose commit reached the database but whose answer
-- was lost (the database stopped mid-commit) is retried with the same id, and the retry finds its
-- id here and writes nothing: usage is counted once. Rows are purged after a day.
CREATE TABLE usage_batch (
    id         CHAR(36)    NOT NULL,
    written_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_usage_batch_written_at ON usage_batch (written_at);

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '4', 'usage batch', 'SQL', 'V4__usage_batch.sql', -1098929528, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
