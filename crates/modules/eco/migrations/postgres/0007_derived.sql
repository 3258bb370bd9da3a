-- Hourly values computed from a station's minute data (when it sends no hourly data of its
-- own) are marked derived; a station's own hourly value replaces a derived one.
ALTER TABLE eco_observation ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;
