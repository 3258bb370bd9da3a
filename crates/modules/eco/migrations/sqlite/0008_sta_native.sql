-- SensorThings entities created through the API (partner sensor networks): a graph of their
-- own beside the registry's stations, which the API shows as Things, Datastreams and so on.
-- Ids are integers; registry-backed ids are texts, so the two never collide. `region_code` is
-- the creator's region: who may change or delete the entity. JSON columns hold JSON text.
CREATE TABLE sta_thing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    properties TEXT,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sta_location (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    encoding_type TEXT NOT NULL,
    location TEXT NOT NULL,
    lon REAL,
    lat REAL,
    properties TEXT,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sta_thing_location (
    thing_id BIGINT NOT NULL REFERENCES sta_thing (id),
    location_id BIGINT NOT NULL REFERENCES sta_location (id),
    PRIMARY KEY (thing_id, location_id)
);
CREATE INDEX sta_thing_location_location ON sta_thing_location (location_id);
CREATE TABLE sta_historical_location (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thing_id BIGINT NOT NULL REFERENCES sta_thing (id),
    time_ms BIGINT NOT NULL,
    region_code TEXT NOT NULL
);
CREATE INDEX sta_historical_location_thing ON sta_historical_location (thing_id, time_ms);
CREATE TABLE sta_historical_location_location (
    historical_location_id BIGINT NOT NULL REFERENCES sta_historical_location (id),
    location_id BIGINT NOT NULL REFERENCES sta_location (id),
    PRIMARY KEY (historical_location_id, location_id)
);
CREATE INDEX sta_hll_location ON sta_historical_location_location (location_id);
CREATE TABLE sta_sensor (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    encoding_type TEXT NOT NULL,
    metadata TEXT NOT NULL,
    properties TEXT,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sta_observed_property (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    description TEXT NOT NULL,
    properties TEXT,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE sta_datastream (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    thing_id BIGINT NOT NULL REFERENCES sta_thing (id),
    sensor_id BIGINT NOT NULL REFERENCES sta_sensor (id),
    observed_property_id BIGINT NOT NULL REFERENCES sta_observed_property (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    observation_type TEXT NOT NULL,
    unit_name TEXT,
    unit_symbol TEXT,
    unit_definition TEXT,
    observed_area TEXT,
    properties TEXT,
    -- The span of its Observations' phenomenonTime and resultTime (kept on every change, so
    -- listing Datastreams never scans their Observations).
    phenomenon_start BIGINT,
    phenomenon_end BIGINT,
    result_start BIGINT,
    result_end BIGINT,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sta_datastream_thing ON sta_datastream (thing_id);
CREATE INDEX sta_datastream_sensor ON sta_datastream (sensor_id);
CREATE INDEX sta_datastream_op ON sta_datastream (observed_property_id);
CREATE TABLE sta_feature (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    encoding_type TEXT NOT NULL,
    feature TEXT NOT NULL,
    lon REAL,
    lat REAL,
    properties TEXT,
    -- The Location this feature was generated from (an Observation posted without one).
    location_id BIGINT REFERENCES sta_location (id),
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sta_feature_location ON sta_feature (location_id);
CREATE TABLE sta_observation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    datastream_id BIGINT NOT NULL REFERENCES sta_datastream (id),
    feature_id BIGINT NOT NULL REFERENCES sta_feature (id),
    phenomenon_start BIGINT NOT NULL,
    -- NULL for an instant.
    phenomenon_end BIGINT,
    -- The result as JSON text; its number (when it is one) and its text (strings unquoted).
    result TEXT NOT NULL,
    result_num REAL,
    result_text TEXT,
    result_time BIGINT,
    result_quality TEXT,
    valid_start BIGINT,
    valid_end BIGINT,
    parameters TEXT,
    region_code TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sta_observation_datastream ON sta_observation (datastream_id, phenomenon_start, id);
CREATE INDEX sta_observation_feature ON sta_observation (feature_id);

-- A new Observation widens its Datastream's spans in the same statement (changes and deletes
-- recompute them in the store code).
CREATE TRIGGER sta_observation_widens_datastream AFTER INSERT ON sta_observation BEGIN
    UPDATE sta_datastream SET
        phenomenon_start = CASE WHEN phenomenon_start IS NULL OR NEW.phenomenon_start < phenomenon_start
            THEN NEW.phenomenon_start ELSE phenomenon_start END,
        phenomenon_end = CASE WHEN phenomenon_end IS NULL
            OR COALESCE(NEW.phenomenon_end, NEW.phenomenon_start) > phenomenon_end
            THEN COALESCE(NEW.phenomenon_end, NEW.phenomenon_start) ELSE phenomenon_end END,
        result_start = CASE WHEN NEW.result_time IS NOT NULL AND (result_start IS NULL OR NEW.result_time < result_start)
            THEN NEW.result_time ELSE result_start END,
        result_end = CASE WHEN NEW.result_time IS NOT NULL AND (result_end IS NULL OR NEW.result_time > result_end)
            THEN NEW.result_time ELSE result_end END
        WHERE id = NEW.datastream_id;
END;
