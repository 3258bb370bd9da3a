-- The tamper-evident audit log. Each row carries the SHA-256 of the previous row
-- (prev_hash) and its own (hash); see the crate README for the exact definition.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NULL,
    request_id TEXT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_at ON audit_log (at_ms);
-- The last appended row (one row, id 1), so that deleting the last rows is detectable too.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
