-- Providers and consumers: government departments (政务部门) with their USCC.
CREATE TABLE catalog_org (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    uscc TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL,
    department_id TEXT UNIQUE,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Resource classification (类 / 项 / 目): 1 基础, 2 主题, 3 部门.
CREATE TABLE catalog_category (
    code TEXT PRIMARY KEY,
    parent_code TEXT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- 政务信息资源: one row per entry, its current version's metadata.
CREATE TABLE catalog_entry (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    category_code TEXT NOT NULL REFERENCES catalog_category (code),
    seq INTEGER NOT NULL,
    org_id TEXT NOT NULL REFERENCES catalog_org (id),
    name TEXT NOT NULL,
    abstract TEXT NOT NULL,
    keywords TEXT NOT NULL,
    format_kind TEXT NOT NULL,
    format_detail TEXT NOT NULL,
    share_type TEXT NOT NULL,
    share_condition TEXT NOT NULL,
    share_basis TEXT NOT NULL,
    share_modes TEXT NOT NULL,
    open_type TEXT NOT NULL,
    open_condition TEXT NOT NULL,
    update_cycle TEXT NOT NULL,
    region_code TEXT NOT NULL,
    related_codes TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    feed_code TEXT,
    endpoint_url TEXT,
    data_table TEXT,
    row_count BIGINT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_on TEXT,
    review_note TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (category_code, seq)
);
CREATE INDEX catalog_entry_org ON catalog_entry (org_id);
CREATE INDEX catalog_entry_status ON catalog_entry (status, updated_at);

-- 信息项: the columns of an entry.
CREATE TABLE catalog_item (
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    data_type TEXT NOT NULL,
    length INTEGER,
    is_key INTEGER NOT NULL,
    personal INTEGER NOT NULL,
    PRIMARY KEY (entry_id, seq),
    UNIQUE (entry_id, column_name)
);

-- Every published version, as published.
CREATE TABLE catalog_entry_version (
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (entry_id, version)
);

-- Bigrams of entry names, abstracts and keywords: the open-data full-text index.
CREATE TABLE catalog_gram (
    gram TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (gram, entry_id)
);

-- Consumer systems (政务信息系统), each acting through an identity system account.
CREATE TABLE catalog_system (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES catalog_org (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    account_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, code)
);

-- 共享申请: a consumer system asks for (part of) an entry.
CREATE TABLE catalog_share_request (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    system_id TEXT NOT NULL REFERENCES catalog_system (id),
    purpose TEXT NOT NULL,
    basis TEXT NOT NULL,
    columns TEXT NOT NULL,
    region_filter TEXT,
    status TEXT NOT NULL,
    due_on TEXT NOT NULL,
    due_provisional INTEGER NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_reason TEXT
);
CREATE INDEX catalog_share_request_status ON catalog_share_request (status, due_on);

-- What a consumer system may pull: columns and rows of one entry.
CREATE TABLE catalog_grant (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES catalog_share_request (id),
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    system_id TEXT NOT NULL REFERENCES catalog_system (id),
    columns TEXT NOT NULL,
    region_filter TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_reason TEXT
);
CREATE INDEX catalog_grant_lookup ON catalog_grant (system_id, entry_id);

-- Every exchange call, allowed or denied: a SHA-256 chain like the audit log.
CREATE TABLE catalog_call (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    request_id TEXT NOT NULL,
    system_id TEXT,
    account_id TEXT NOT NULL,
    entry_code TEXT NOT NULL,
    grant_id TEXT,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    columns TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    query_digest TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX catalog_call_entry ON catalog_call (entry_code, at);
CREATE TABLE catalog_call_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Push subscriptions: a signed webhook when a new version of an entry is published.
CREATE TABLE catalog_subscription (
    id TEXT PRIMARY KEY,
    system_id TEXT NOT NULL REFERENCES catalog_system (id),
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (system_id, entry_id, url)
);
CREATE TABLE catalog_delivery (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES catalog_subscription (id),
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_at BIGINT NOT NULL,
    delivered_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX catalog_delivery_due ON catalog_delivery (delivered_at, next_at);

-- 数据异议: a consumer reports wrong data; the provider answers and corrects by a deadline.
CREATE TABLE catalog_objection (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    raised_by TEXT NOT NULL,
    raised_by_org TEXT,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    due_on TEXT NOT NULL,
    due_provisional INTEGER NOT NULL,
    raised_at BIGINT NOT NULL,
    answered_by TEXT,
    answered_at BIGINT,
    answer TEXT
);
CREATE INDEX catalog_objection_status ON catalog_objection (status, due_on);

-- Developer keys of the open-data API, and applications for 有条件开放 entries.
CREATE TABLE catalog_api_key (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE TABLE catalog_open_application (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES catalog_entry (id),
    account_id TEXT NOT NULL,
    applicant TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    due_on TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_reason TEXT
);
CREATE INDEX catalog_open_application_account ON catalog_open_application (account_id, entry_id);
