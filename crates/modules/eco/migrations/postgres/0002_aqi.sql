-- Air quality index per station and hour (HJ 633 hourly report), recomputed when late data arrives.
CREATE TABLE eco_aqi (
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    period TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    standard TEXT NOT NULL,
    aqi INTEGER NOT NULL,
    level INTEGER NOT NULL,
    primary_pollutants TEXT NOT NULL,
    iaqi TEXT NOT NULL,
    publishable INTEGER NOT NULL,
    PRIMARY KEY (station_id, period, time_ms)
);
CREATE INDEX eco_aqi_time ON eco_aqi (period, time_ms);
