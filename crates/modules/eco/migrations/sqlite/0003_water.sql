-- Surface-water stations: which GB 3838-2002 limits apply (river or lake/reservoir) and the
-- section's target class (水质目标), for early warning.
ALTER TABLE eco_station ADD COLUMN water_body TEXT NOT NULL DEFAULT 'river';
ALTER TABLE eco_station ADD COLUMN target_class INTEGER;

-- Water class per station and hour (single-factor method), recomputed when late data arrives.
CREATE TABLE eco_water_class (
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    period TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    class INTEGER NOT NULL,
    worst TEXT NOT NULL,
    per_item TEXT NOT NULL,
    PRIMARY KEY (station_id, period, time_ms)
);
