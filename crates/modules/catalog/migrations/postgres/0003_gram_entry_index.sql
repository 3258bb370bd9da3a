-- Re-indexing an entry deletes its bigrams by entry: without this index every create or edit
-- scanned the whole bigram table (2.7 → 23.5 ms per new entry at 10,000 entries on SQLite).
CREATE INDEX catalog_gram_entry ON catalog_gram (entry_id);
