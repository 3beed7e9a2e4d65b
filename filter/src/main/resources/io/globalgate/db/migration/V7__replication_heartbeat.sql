-- One row the nodes that read from a replica keep current on the primary: whichever node finds it
-- older than its poll interval writes the time. Read on the replica, its age is how far behind the
-- replica is (plus at most one interval), which counts into the staleness of what the node caches.
CREATE TABLE replication_heartbeat (
    id      INT         NOT NULL,
    beat_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO replication_heartbeat (id, beat_at) VALUES (1, '1970-01-01 00:00:00.000');
