-- A counter every write to catalog_entry bumps in the same transaction: servers keep the
-- public view of the open catalog in memory and reload it when the counter moves.
CREATE TABLE catalog_generation (
    id INTEGER PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO catalog_generation (id, generation) VALUES (1, 0);
