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
