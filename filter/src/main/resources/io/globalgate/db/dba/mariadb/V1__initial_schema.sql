-- Globalgate schema version 1 (initial schema) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V1__initial_schema.sql
-- The SQL of io/globalgate/db/migration/V1__initial_schema.sql as it is, then the row Flyway
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

-- ---- V1__initial_schema.sql

-- Globalgate schema. Runs unchanged on MariaDB and on H2 in MariaDB mode.
-- Times are UTC, DATETIME(3). Token values are never stored: only SHA-256 (token_hash) and a hint.

CREATE TABLE integration (
    id                 BIGINT       NOT NULL AUTO_INCREMENT,
    name               VARCHAR(255) NOT NULL,
    -- lower-cased name: the unique key, so names are unique case-insensitively on both databases
    name_key           VARCHAR(255) NOT NULL,
    description        VARCHAR(4000) NOT NULL,
    notification_email VARCHAR(254) NOT NULL,
    active             BOOLEAN      NOT NULL,
    created_at         DATETIME(3)  NOT NULL,
    created_by         VARCHAR(255) NOT NULL,
    updated_at         DATETIME(3)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_integration_name_key UNIQUE (name_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE access_token (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    integration_id BIGINT       NOT NULL,
    name           VARCHAR(255) NOT NULL,
    token_hash     BINARY(32)   NOT NULL,
    hint           VARCHAR(16)  NOT NULL,
    expiration     VARCHAR(16)  NOT NULL,
    expires_at     DATETIME(3)  NULL,
    created_at     DATETIME(3)  NOT NULL,
    created_by     VARCHAR(255) NOT NULL,
    revoked_at     DATETIME(3)  NULL,
    revoked_by     VARCHAR(255) NULL,
    replaced_by    BIGINT       NULL,
    last_used_at   DATETIME(3)  NULL,
    last_used_ip   VARCHAR(64)  NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_access_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_access_token_integration FOREIGN KEY (integration_id) REFERENCES integration (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_access_token_integration ON access_token (integration_id, id);
CREATE INDEX ix_access_token_replaced_by ON access_token (replaced_by);

CREATE TABLE token_usage_hourly (
    token_id      BIGINT      NOT NULL,
    hour_start    DATETIME(3) NOT NULL,
    request_count BIGINT      NOT NULL,
    PRIMARY KEY (token_id, hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_event (
    id             BIGINT        NOT NULL AUTO_INCREMENT,
    occurred_at    DATETIME(3)   NOT NULL,
    actor          VARCHAR(255)  NOT NULL,
    action         VARCHAR(64)   NOT NULL,
    integration_id BIGINT        NULL,
    token_id       BIGINT        NULL,
    detail         VARCHAR(4000) NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_audit_event_integration ON audit_event (integration_id, id);

-- What every gateway node polls: one row wherever the decision for a token may have changed.
CREATE TABLE change_event (
    id             BIGINT      NOT NULL AUTO_INCREMENT,
    kind           VARCHAR(32) NOT NULL,
    integration_id BIGINT      NOT NULL,
    token_id       BIGINT      NULL,
    token_hash     BINARY(32)  NULL,
    created_at     DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '1', 'initial schema', 'SQL', 'V1__initial_schema.sql', -1092340983, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
