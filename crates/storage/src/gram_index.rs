//! Queries over a bigram index table `(gram TEXT, <key> TEXT, PRIMARY KEY (gram, <key>))`,
//! the full-text index of Chinese names and titles (see `qy-textsearch`). A module owns its
//! index table and its rows; this is only the shape of the three lookups a search needs.

use qy_kernel::Result;

use crate::{Db, Params, Row, StoreResultExt};

/// An index table and its key column. Both are fixed names from the calling module, never
/// user input.
#[derive(Debug, Clone, Copy)]
pub struct GramIndex {
    pub table: &'static str,
    pub key: &'static str,
}

impl GramIndex {
    /// How many keys each gram indexes, counted up to `cap` + 1 (the index range is walked,
    /// no rows are fetched): enough to tell rare grams from common ones in one round trip.
    pub async fn counts(&self, db: &Db, grams: &[String], cap: i64) -> Result<Vec<(String, i64)>> {
        if grams.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = Params::new();
        let limit = p.push(cap + 1);
        let parts: Vec<String> = grams
            .iter()
            .map(|g| {
                let g = p.push(g.as_str());
                format!(
                    "SELECT CAST({g} AS TEXT) AS gram, \
                     (SELECT COUNT(*) FROM (SELECT 1 FROM {t} WHERE gram = {g} LIMIT {limit}) c) AS n",
                    t = self.table
                )
            })
            .collect();
        let sql = parts.join(" UNION ALL ");
        let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
        rows.iter().map(|r| Ok((r.try_get("gram").store()?, r.try_get("n").store()?))).collect()
    }

    /// Keys indexed under any of `grams`, at most `limit`.
    pub async fn with_any(&self, db: &Db, grams: &[String], limit: i64) -> Result<Vec<String>> {
        if grams.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = Params::new();
        let list = grams.iter().map(|g| p.push(g.as_str())).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT DISTINCT {k} AS k FROM {t} WHERE gram IN ({list}) LIMIT {}",
            p.push(limit),
            k = self.key,
            t = self.table
        );
        let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
        rows.iter().map(|r| r.try_get("k")).collect::<std::result::Result<_, _>>().store()
    }

    /// Keys indexed under every one of `grams` (the first three, rarest first: the first
    /// drives the walk, the others are index probes), at most `limit`.
    pub async fn with_all(&self, db: &Db, grams: &[String], limit: i64) -> Result<Vec<String>> {
        let Some((first, rest)) = grams.split_first() else { return Ok(Vec::new()) };
        let (t, k) = (self.table, self.key);
        let mut p = Params::new();
        let mut sql = format!("SELECT g0.{k} AS k FROM {t} g0");
        let first = p.push(first.as_str());
        for (i, g) in rest.iter().take(2).enumerate() {
            let g = p.push(g.as_str());
            let n = i + 1;
            sql.push_str(&format!(" JOIN {t} g{n} ON g{n}.gram = {g} AND g{n}.{k} = g0.{k}"));
        }
        sql.push_str(&format!(" WHERE g0.gram = {first} LIMIT {}", p.push(limit)));
        let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
        rows.iter().map(|r| r.try_get("k")).collect::<std::result::Result<_, _>>().store()
    }

    /// The keys worth scoring for a query's bigrams: all keys of its two rarest existing
    /// grams when those are rare (a gram that indexes no one, such as one a typo makes, is
    /// ignored; two cover a wrong character that makes an existing gram), or — when every
    /// gram is common — the keys that have all of its rarest three.
    pub async fn candidates(&self, db: &Db, grams: &[String], common: i64) -> Result<Vec<String>> {
        let mut counts = self.counts(db, grams, common).await?;
        counts.retain(|(_, n)| *n > 0);
        counts.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let rare: Vec<String> = counts.iter().filter(|(_, n)| *n <= common).map(|(g, _)| g.clone()).collect();
        if rare.is_empty() {
            let rarest: Vec<String> = counts.iter().take(3).map(|(g, _)| g.clone()).collect();
            return self.with_all(db, &rarest, 2 * common).await;
        }
        self.with_any(db, &rare[..rare.len().min(2)], 2 * common).await
    }
}
