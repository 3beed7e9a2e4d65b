-- Globalgate schema version 5 (token restrictions) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V5__token_restrictions.sql
-- The SQL of io/globalgate/db/migration/V5__token_restrictions.sql as it is, then the row Flyway
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

-- ---- V5__token_restrictions.sql

-- Token restrictions: where a token may be used from, what it may do, how fast its integration may go.
-- Lists are kept as text the filter reads back with its own parsers, and written by the admin only
-- after they passed its validation: networks comma-separated in canonical form, path prefixes one
-- a line. NULL = no restriction of that kind.

ALTER TABLE integration ADD COLUMN allowed_networks TEXT NULL;
-- Both NULL: the deployment's default rate limit (the filter's rateLimitPerMinute and rateLimitBurst).
ALTER TABLE integration ADD COLUMN rate_limit_per_minute INT NULL;
ALTER TABLE integration ADD COLUMN rate_limit_burst INT NULL;

ALTER TABLE access_token ADD COLUMN allowed_networks TEXT NULL;
-- 'read-write' (every method) or 'read-only' (GET, HEAD, OPTIONS).
ALTER TABLE access_token ADD COLUMN scope VARCHAR(16) NOT NULL DEFAULT 'read-write';
ALTER TABLE access_token ADD COLUMN path_prefixes TEXT NULL;

-- The client addresses a token was used from lately, written with the usage batches (one row per
-- token and address, its latest use), so the admin can offer them as a starting list of allowed
-- networks. Rows not seen for 30 days are purged.
CREATE TABLE token_client_address (
    token_id     BIGINT      NOT NULL,
    address      VARCHAR(64) NOT NULL,
    last_seen_at DATETIME(3) NOT NULL,
    PRIMARY KEY (token_id, address)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_token_client_address_seen ON token_client_address (last_seen_at);

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '5', 'token restrictions', 'SQL', 'V5__token_restrictions.sql', -180832149, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
