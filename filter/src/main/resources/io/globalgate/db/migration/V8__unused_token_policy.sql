-- Unused tokens expire (issue 18): when the integration's owner was last told that a token is
-- unused and will be revoked. A reminder counts for the unused stretch it was sent in only: once
-- the token is used again (last_used_at after it), the next stretch needs a reminder of its own.
-- The policy's scan claims a reminder by setting this column with a conditional update, so each
-- goes out once however many admin nodes run the scan.
ALTER TABLE access_token ADD COLUMN unused_reminded_at DATETIME(3) NULL;
