CREATE TABLE identity_department (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (region_code, name)
);
CREATE TABLE identity_role (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE identity_account (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    department_id TEXT REFERENCES identity_department (id),
    region_code TEXT NOT NULL,
    resident_id_sealed TEXT,
    resident_id_masked TEXT,
    resident_id_index TEXT UNIQUE,
    uscc TEXT UNIQUE,
    locale TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX identity_account_region ON identity_account (region_code);
CREATE INDEX identity_account_department ON identity_account (department_id);
CREATE TABLE identity_account_role (
    account_id TEXT NOT NULL REFERENCES identity_account (id),
    role_id TEXT NOT NULL REFERENCES identity_role (id),
    PRIMARY KEY (account_id, role_id)
);
CREATE TABLE identity_session (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES identity_account (id),
    kind TEXT NOT NULL,
    csrf_token TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX identity_session_account ON identity_session (account_id);
CREATE TABLE identity_token (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES identity_account (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX identity_token_account ON identity_token (account_id);
