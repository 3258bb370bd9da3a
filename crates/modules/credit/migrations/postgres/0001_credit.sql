-- Credit subjects: legal entities by USCC, natural persons by sealed resident ID.
CREATE TABLE credit_subject (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    uscc TEXT UNIQUE,
    -- Natural persons only: the ID sealed, its keyed blind index, and the masked form.
    person_id_sealed TEXT,
    person_id_index TEXT UNIQUE,
    person_id_masked TEXT,
    legal_rep TEXT,
    region_code TEXT NOT NULL,
    industry TEXT,
    registered_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX credit_subject_region ON credit_subject (region_code);

-- Every name a subject has had (current one included), for search by former names.
CREATE TABLE credit_subject_name (
    subject_id TEXT NOT NULL REFERENCES credit_subject (id),
    name TEXT NOT NULL,
    current INTEGER NOT NULL,
    until_on TEXT,
    PRIMARY KEY (subject_id, name)
);

-- Character bigrams of every name: the Chinese full-text index (see src/search.rs).
CREATE TABLE credit_name_gram (
    gram TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    PRIMARY KEY (gram, subject_id)
);

-- 双公示 decisions. The full national field set is kept as JSON (natural-person IDs removed
-- and sealed separately); the columns are what queries and the publication rules need.
CREATE TABLE credit_record (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES credit_subject (id),
    kind TEXT NOT NULL,
    decision_no TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    severity TEXT,
    authority TEXT NOT NULL,
    authority_uscc TEXT NOT NULL,
    data TEXT NOT NULL,
    data_hash TEXT NOT NULL,
    person_id_sealed TEXT,
    department_id TEXT,
    entered_by TEXT NOT NULL,
    batch_id TEXT,
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_on TEXT NOT NULL,
    late_publication INTEGER NOT NULL,
    regime TEXT,
    published INTEGER NOT NULL,
    min_end TEXT,
    max_end TEXT,
    repairable INTEGER NOT NULL,
    repaired_at BIGINT,
    withdrawn_at BIGINT,
    withdrawn_reason TEXT,
    UNIQUE (kind, decision_no)
);
CREATE INDEX credit_record_subject ON credit_record (subject_id, kind);

-- Append-only change log of records: each version as received.
CREATE TABLE credit_record_version (
    record_id TEXT NOT NULL REFERENCES credit_record (id),
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);

-- Red list, serious-dishonesty list, key-attention list.
CREATE TABLE credit_list_entry (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES credit_subject (id),
    list TEXT NOT NULL,
    status TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    reason TEXT NOT NULL,
    authority TEXT NOT NULL,
    authority_uscc TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    department_id TEXT,
    proposed_by TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    approved_by TEXT,
    approved_at BIGINT,
    exit_requested_by TEXT,
    exit_reason TEXT,
    removed_by TEXT,
    removed_at BIGINT,
    removed_on TEXT,
    suspended_by TEXT
);
CREATE INDEX credit_list_entry_subject ON credit_list_entry (subject_id, list);
CREATE INDEX credit_list_entry_status ON credit_list_entry (list, status);

-- Applications for credit repair of one penalty.
CREATE TABLE credit_repair (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES credit_record (id),
    subject_id TEXT NOT NULL REFERENCES credit_subject (id),
    status TEXT NOT NULL,
    applicant TEXT NOT NULL,
    obligations TEXT NOT NULL,
    commitment TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    due_provisional INTEGER NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_reason TEXT
);
CREATE INDEX credit_repair_status ON credit_repair (status, due_on);

-- Objections (异议) to a record, answered by the department within a deadline.
CREATE TABLE credit_objection (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES credit_record (id),
    subject_id TEXT NOT NULL REFERENCES credit_subject (id),
    status TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    grounds TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    due_provisional INTEGER NOT NULL,
    answered_by TEXT,
    answered_at BIGINT,
    answer TEXT
);
CREATE INDEX credit_objection_status ON credit_objection (status, due_on);

-- What happened to a subject, in order: the history shown to staff.
CREATE TABLE credit_event (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX credit_event_subject ON credit_event (subject_id, at);

-- The joint rewards and punishments catalogue (联合奖惩措施清单).
CREATE TABLE credit_measure (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    basis TEXT NOT NULL,
    trigger TEXT NOT NULL,
    scenarios TEXT NOT NULL,
    active INTEGER NOT NULL
);

-- Every CreditCheck call, for feedback statistics.
CREATE TABLE credit_check (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    checker TEXT NOT NULL,
    scenario TEXT NOT NULL,
    reference TEXT,
    uscc TEXT NOT NULL,
    subject_id TEXT,
    grade TEXT,
    measures TEXT NOT NULL,
    measure_count INTEGER NOT NULL
);
CREATE INDEX credit_check_at ON credit_check (at);

-- Credit reports as issued: the snapshot and its digest, for verification by QR.
CREATE TABLE credit_report (
    report_no TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES credit_subject (id),
    generated_at BIGINT NOT NULL,
    content TEXT NOT NULL,
    digest TEXT NOT NULL,
    verify_code TEXT NOT NULL
);
