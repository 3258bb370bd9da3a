-- How many subjects each name bigram indexes: lets a search tell rare grams from common ones
-- with one indexed read per gram instead of walking the postings of 公司 or 有限.
CREATE TABLE credit_gram_count (
    gram TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO credit_gram_count (gram, n) SELECT gram, COUNT(*) FROM credit_name_gram GROUP BY gram;
