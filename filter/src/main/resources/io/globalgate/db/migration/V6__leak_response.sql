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
