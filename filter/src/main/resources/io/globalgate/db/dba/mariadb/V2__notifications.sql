-- Globalgate schema version 2 (notifications) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V2__notifications.sql
-- The SQL of io/globalgate/db/migration/V2__notifications.sql as it is, then the row Flyway
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

-- ---- V2__notifications.sql

-- Notification e-mails: an outbox row is written in the transaction of the change it reports,
-- so a message is never lost and never sent for a change that rolled back.

CREATE TABLE notification_outbox (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    kind            VARCHAR(32)   NOT NULL,
    integration_id  BIGINT        NOT NULL,
    recipient       VARCHAR(254)  NOT NULL,
    actor           VARCHAR(255)  NULL,
    occurred_at     DATETIME(3)   NOT NULL,
    -- one line per token concerned: id TAB name TAB hint TAB expires_at (names hold no control characters)
    facts           MEDIUMTEXT    NOT NULL,
    detail          VARCHAR(255)  NULL,
    status          VARCHAR(16)   NOT NULL,
    attempts        INT           NOT NULL,
    next_attempt_at DATETIME(3)   NOT NULL,
    claimed_by      VARCHAR(64)   NULL,
    claimed_until   DATETIME(3)   NULL,
    last_error      VARCHAR(1000) NULL,
    sent_at         DATETIME(3)   NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_notification_outbox_due ON notification_outbox (status, next_attempt_at);
CREATE INDEX ix_notification_outbox_integration ON notification_outbox (integration_id, id);

-- One row per token and reminder threshold: the primary key is what makes a reminder go out once,
-- however many gateway nodes run the expiry scan.
CREATE TABLE token_reminder (
    token_id      BIGINT      NOT NULL,
    threshold_key VARCHAR(16) NOT NULL,
    created_at    DATETIME(3) NOT NULL,
    PRIMARY KEY (token_id, threshold_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_access_token_expires ON access_token (expires_at);

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '2', 'notifications', 'SQL', 'V2__notifications.sql', -699576978, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
