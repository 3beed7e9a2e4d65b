-- The usage batches written, by id. A flush whose commit reached the database but whose answer
-- was lost (the database stopped mid-commit) is retried with the same id, and the retry finds its
-- id here and writes nothing: usage is counted once. Rows are purged after a day.
CREATE TABLE usage_batch (
    id         CHAR(36)    NOT NULL,
    written_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX ix_usage_batch_written_at ON usage_batch (written_at);
