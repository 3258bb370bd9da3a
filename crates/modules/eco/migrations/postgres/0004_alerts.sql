-- Early-warning rules. A rule applies to the stations inside its region subtree (or to one
-- station); `kind` says what it watches:
--   threshold   a factor's value above `threshold`
--   rate        a factor's change per hour above `threshold` (absolute)
--   silent      no packet for `minutes`
--   aqi_level   the hourly AQI level at or above `threshold` (1-6)
--   water_class the hourly water class worse than the station's target (or at or above `threshold`)
CREATE TABLE eco_alert_rule (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region_code TEXT NOT NULL,
    station_id TEXT REFERENCES eco_station (id),
    factor TEXT,
    period TEXT,
    threshold TEXT,
    minutes INTEGER,
    notify TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Alerts: open -> acknowledged -> closed. One active (not closed) alert per rule and station.
CREATE TABLE eco_alert (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL REFERENCES eco_alert_rule (id),
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    region_code TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    closed_at BIGINT,
    assignee TEXT,
    value TEXT,
    detail TEXT NOT NULL
);
CREATE UNIQUE INDEX eco_alert_one_active ON eco_alert (rule_id, station_id) WHERE status <> 'closed';
CREATE INDEX eco_alert_status ON eco_alert (status, opened_at);

CREATE TABLE eco_alert_note (
    id TEXT PRIMARY KEY,
    alert_id TEXT NOT NULL REFERENCES eco_alert (id),
    at BIGINT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX eco_alert_note_alert ON eco_alert_note (alert_id, at);

-- Notifications waiting to be delivered (SMS, e-mail, …), written from alert events on the bus.
CREATE TABLE eco_outbox (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (event_id, channel, recipient)
);
CREATE INDEX eco_outbox_pending ON eco_outbox (sent_at, created_at);
