-- Daily means derived from hourly values (GB 3095-2012 §8.2: at least 20 valid hours), and
-- the day's ozone maxima (1-hour, and 8-hour moving average with at least 6 valid hours).
CREATE TABLE eco_daily (
    station_id TEXT NOT NULL REFERENCES eco_station (id),
    factor TEXT NOT NULL,
    day_ms BIGINT NOT NULL,
    statistic TEXT NOT NULL,
    value TEXT NOT NULL,
    hours INTEGER NOT NULL,
    PRIMARY KEY (station_id, factor, day_ms, statistic)
);

-- Prefecture (city) AQI: each pollutant averaged over the prefecture's stations first, then
-- rated (HJ 633 city rule).
CREATE TABLE eco_city_aqi (
    region_code TEXT NOT NULL,
    period TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    standard TEXT NOT NULL,
    aqi INTEGER NOT NULL,
    level INTEGER NOT NULL,
    primary_pollutants TEXT NOT NULL,
    stations INTEGER NOT NULL,
    PRIMARY KEY (region_code, period, time_ms)
);
