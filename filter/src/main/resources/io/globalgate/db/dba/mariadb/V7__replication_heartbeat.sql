-- Globalgate schema version 7 (replication heartbeat) for MariaDB,
-- for a DBA who applies schema changes while the nodes run with migrate=false.
-- Apply the scripts in order of their version, each once, in the Globalgate database:
--   mariadb globalgate < V7__replication_heartbeat.sql
-- The SQL of io/globalgate/db/migration/V7__replication_heartbeat.sql as it is, then the row Flyway
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

-- ---- V7__replication_heartbeat.sql

-- One row the nodes that read from a replica keep current on the primary: whichever node finds it
-- older than its poll interval writes the time. Read on the replica, its age is how far behind the
-- replica is (plus at most one interval), which counts into the staleness of what the node caches.
CREATE TABLE replication_heartbeat (
    id      INT         NOT NULL,
    beat_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO replication_heartbeat (id, beat_at) VALUES (1, '1970-01-01 00:00:00.000');

-- ---- the record of this version

INSERT INTO globalgate_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT COALESCE(MAX(installed_rank), 0) + 1, '7', 'replication heartbeat', 'SQL', 'V7__replication_heartbeat.sql', -1698592340, LEFT(CURRENT_USER(), 100), 0, 1
FROM globalgate_schema_history;
