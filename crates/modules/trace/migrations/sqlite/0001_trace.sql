-- EPCIS 2.0 events, stored verbatim (body) with the columns and side tables the query
-- language and genealogy search by. `seq` orders capture and is the paging and subscription
-- bookmark.
CREATE TABLE trace_event (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    event_hash TEXT NOT NULL,
    id_assigned INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    action TEXT,
    biz_step TEXT,
    disposition TEXT,
    read_point TEXT,
    biz_location TEXT,
    transformation_id TEXT,
    event_time BIGINT NOT NULL,
    record_time BIGINT NOT NULL,
    error_declared INTEGER NOT NULL,
    capture_id TEXT NOT NULL,
    context_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (event_id, error_declared)
);
CREATE INDEX trace_event_time ON trace_event (event_time);
CREATE INDEX trace_event_record ON trace_event (record_time);
CREATE INDEX trace_event_step ON trace_event (biz_step);
CREATE INDEX trace_event_location ON trace_event (biz_location);

-- A document's @context, stored once: events are returned inside it.
CREATE TABLE trace_context (
    hash TEXT PRIMARY KEY,
    body TEXT NOT NULL
);

-- Every identifier an event names, canonical (GS1 keys as id.gs1.org Digital Link).
-- role: e epcList, c childEPCs, p parentID, i inputEPCList, o outputEPCList,
-- q quantityList, cq childQuantityList, iq inputQuantityList, oq outputQuantityList.
CREATE TABLE trace_epc (
    seq BIGINT NOT NULL,
    role TEXT NOT NULL,
    epc TEXT NOT NULL,
    gtin TEXT,
    quantity DOUBLE PRECISION,
    uom TEXT
);
CREATE INDEX trace_epc_epc ON trace_epc (epc, role);
CREATE INDEX trace_epc_gtin ON trace_epc (gtin);
CREATE INDEX trace_epc_seq ON trace_epc (seq);

-- Named string values: business transactions (btx:<type>), sources (src:<type>),
-- destinations (dst:<type>), top-level and ILMD extension fields (ext:/ilmd:{ns}name),
-- persistent dispositions (pd_set/pd_unset), error reason, certification.
CREATE TABLE trace_attr (
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX trace_attr_value ON trace_attr (name, value);
CREATE INDEX trace_attr_seq ON trace_attr (seq);

-- Sensor reports, one row each, for the unit-qualified value filters and the cold-chain chart.
CREATE TABLE trace_sensor (
    seq BIGINT NOT NULL,
    type TEXT NOT NULL,
    uom TEXT,
    value DOUBLE PRECISION,
    min_value DOUBLE PRECISION,
    max_value DOUBLE PRECISION,
    mean_value DOUBLE PRECISION,
    time BIGINT,
    device_id TEXT
);
CREATE INDEX trace_sensor_seq ON trace_sensor (seq);
CREATE INDEX trace_sensor_type ON trace_sensor (uom, max_value);

-- Capture jobs (POST /epcis/capture).
CREATE TABLE trace_capture (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    finished_at BIGINT,
    running INTEGER NOT NULL,
    success INTEGER NOT NULL,
    behaviour TEXT NOT NULL,
    event_count INTEGER NOT NULL,
    captured INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    errors TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- Named queries and their webhook subscriptions.
CREATE TABLE trace_query (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE trace_subscription (
    id TEXT PRIMARY KEY,
    query_name TEXT NOT NULL,
    dest TEXT NOT NULL,
    signature_token TEXT,
    report_if_empty INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    schedule TEXT,
    last_seq BIGINT NOT NULL,
    last_run BIGINT,
    last_status TEXT,
    created_at BIGINT NOT NULL
);

-- Producers: enterprises, cooperatives, family farms, slaughterhouses, processors, shops.
CREATE TABLE trace_party (
    uscc TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region_code TEXT NOT NULL,
    gln TEXT,
    address TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    created_at BIGINT NOT NULL
);

CREATE TABLE trace_product (
    gtin TEXT PRIMARY KEY,
    owner_uscc TEXT NOT NULL REFERENCES trace_party (uscc),
    name TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_bo TEXT NOT NULL,
    category TEXT NOT NULL,
    origin_region TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- 绿色食品 / 有机 / 地理标志 / 合格证 and quarantine certificates.
CREATE TABLE trace_cert (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    holder_uscc TEXT NOT NULL REFERENCES trace_party (uscc),
    gtin TEXT,
    issuer TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    expires_on TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (kind, code)
);

-- Lots (GTIN + lot number) and animals (15-digit ear tag): what forms record.
CREATE TABLE trace_lot (
    gtin TEXT NOT NULL,
    lot TEXT NOT NULL,
    owner_uscc TEXT NOT NULL,
    origin_region TEXT NOT NULL,
    quantity DOUBLE PRECISION,
    uom TEXT,
    produced_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (gtin, lot)
);
CREATE TABLE trace_animal (
    ear_tag TEXT PRIMARY KEY,
    species TEXT NOT NULL,
    breed TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    owner_uscc TEXT NOT NULL,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Recalls: the lots a regulator named and everything computed downstream of them.
CREATE TABLE trace_recall (
    id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    roots TEXT NOT NULL,
    affected TEXT NOT NULL,
    holders TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE TABLE trace_recalled (
    epc TEXT NOT NULL,
    recall_id TEXT NOT NULL REFERENCES trace_recall (id),
    PRIMARY KEY (epc, recall_id)
);
