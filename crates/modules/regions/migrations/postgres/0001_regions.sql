CREATE TABLE regions_region (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_code TEXT,
    level TEXT NOT NULL,
    depth INTEGER NOT NULL
);
CREATE INDEX regions_region_parent ON regions_region (parent_code);
CREATE INDEX regions_region_name ON regions_region (name);
