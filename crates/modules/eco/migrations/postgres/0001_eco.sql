CREATE TABLE eco_station (
    id TEXT PRIMARY KEY,
    mn TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    st TEXT NOT NULL,
    region_code TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    password TEXT NOT NULL,
    allow_swapped_crc INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    last_packet_at BIGINT,
    last_peer TEXT
);
CREATE INDEX eco_station_region ON eco_station (region_code);

-- Every accepted data packet, verbatim, for replay; (station, QN, CN) makes uploads idempotent.
CREATE TABLE eco_packet (
    id TEXT PRIMARY KEY,
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    qn TEXT NOT NULL,
    cn TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    raw TEXT NOT NULL,
    UNIQUE (station_id, qn, cn)
);
CREATE INDEX eco_packet_received ON eco_packet (received_at);

-- One value of one factor at one station for one period (rtd, minute, hour, day).
CREATE TABLE eco_observation (
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    factor TEXT NOT NULL,
    period TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    value TEXT NOT NULL,
    value_num DOUBLE PRECISION NOT NULL,
    min_value TEXT,
    max_value TEXT,
    flag TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (station_id, factor, period, time_ms)
);
CREATE INDEX eco_observation_time ON eco_observation (period, time_ms);

-- The newest value per station, factor and period: "latest of every datastream" is one scan.
CREATE TABLE eco_latest (
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    factor TEXT NOT NULL,
    period TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    value TEXT NOT NULL,
    flag TEXT NOT NULL,
    PRIMARY KEY (station_id, factor, period)
);
