//! Queries over a bigram index table `(gram TEXT, <key> TEXT, PRIMARY KEY (gram, <key>))`,
//! the full-text index of Chinese names and titles (see `qy-textsearch`). A module owns its
//! index table and its rows; this is the shape of the lookups a search needs.
//!
//! A search first asks how common each of the query's grams is, then plans: the keys of the
//! two rarest grams when those are rare, or — when every gram is common — the keys that have
//! all of its three rarest. The plan becomes a subquery the module embeds in its own SELECT
//! (so candidates and their rows come back in one statement with a handful of parameters:
//! binding thousands of ids costs quadratically in SQLite's driver).

use qy_kernel::Result;

use crate::{Db, Params, Row, StoreResultExt};

/// An index table and its key column, and optionally a table `(gram TEXT PRIMARY KEY,
/// n BIGINT)` that the module keeps with the number of keys per gram (large indexes: counting
/// a common gram's postings costs more than reading one row). All names are fixed strings of
/// the calling module, never user input.
#[derive(Debug, Clone, Copy)]
pub struct GramIndex {
    pub table: &'static str,
    pub key: &'static str,
    pub counts_table: Option<&'static str>,
}

/// Which keys a query's grams select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// No gram of the query indexes anything.
    Nothing,
    /// Keys indexed under any of these (rare) grams.
    Any(Vec<String>),
    /// Keys indexed under all of these (common) grams, rarest first.
    All(Vec<String>),
}

impl GramIndex {
    /// How many keys each gram indexes: from the counts table when there is one, else by
    /// walking the index up to `cap` + 1 entries (enough to tell rare from common).
    pub async fn counts(&self, db: &Db, grams: &[String], cap: i64) -> Result<Vec<(String, i64)>> {
        if grams.is_empty() {
            return Ok(Vec::new());
        }
        let mut p = Params::new();
        let sql = match self.counts_table {
            Some(t) => {
                let list = p.push_list(grams);
                format!("SELECT gram, n FROM {t} WHERE gram IN ({list})")
            }
            None => {
                let limit = p.push(cap + 1);
                grams
                    .iter()
                    .map(|g| {
                        let g = p.push(g.as_str());
                        format!(
                            "SELECT CAST({g} AS TEXT) AS gram, \
                             (SELECT COUNT(*) FROM (SELECT 1 FROM {t} WHERE gram = {g} LIMIT {limit}) c) AS n",
                            t = self.table
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" UNION ALL ")
            }
        };
        let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
        rows.iter().map(|r| Ok((r.try_get("gram").store()?, r.try_get("n").store()?))).collect()
    }

    /// Plans a query: the two rarest existing grams when they are rare (a gram that indexes
    /// no one, such as one a typo makes, is ignored; two cover a wrong character that makes an
    /// existing gram), or all of the three rarest when every gram is common.
    pub async fn plan(&self, db: &Db, grams: &[String], common: i64) -> Result<Plan> {
        let mut counts = self.counts(db, grams, common).await?;
        counts.retain(|(_, n)| *n > 0);
        counts.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        if counts.is_empty() {
            return Ok(Plan::Nothing);
        }
        let rare: Vec<String> = counts.iter().filter(|(_, n)| *n <= common).map(|(g, _)| g.clone()).collect();
        if rare.is_empty() {
            return Ok(Plan::All(counts.iter().take(3).map(|(g, _)| g.clone()).collect()));
        }
        Ok(Plan::Any(rare.into_iter().take(2).collect()))
    }

    /// The plan as a subquery selecting at most `limit` keys (column `k`), its values pushed
    /// onto `p`; None for `Plan::Nothing`.
    pub fn subquery(&self, p: &mut Params, plan: &Plan, limit: i64) -> Option<String> {
        let (t, k) = (self.table, self.key);
        match plan {
            Plan::Nothing => None,
            Plan::Any(grams) => {
                let list = p.push_list(grams);
                Some(format!("SELECT DISTINCT {k} AS k FROM {t} WHERE gram IN ({list}) LIMIT {}", p.push(limit)))
            }
            Plan::All(grams) => {
                let (first, rest) = grams.split_first()?;
                let first = p.push(first.as_str());
                let mut sql = format!("SELECT g0.{k} AS k FROM {t} g0");
                for (i, g) in rest.iter().take(2).enumerate() {
                    let g = p.push(g.as_str());
                    let n = i + 1;
                    sql.push_str(&format!(" JOIN {t} g{n} ON g{n}.gram = {g} AND g{n}.{k} = g0.{k}"));
                }
                sql.push_str(&format!(" WHERE g0.gram = {first} LIMIT {}", p.push(limit)));
                Some(sql)
            }
        }
    }

    /// The candidate keys themselves (small indexes; large ones embed `subquery`).
    pub async fn candidates(&self, db: &Db, grams: &[String], common: i64) -> Result<Vec<String>> {
        let plan = self.plan(db, grams, common).await?;
        let mut p = Params::new();
        let Some(sql) = self.subquery(&mut p, &plan, 2 * common) else { return Ok(Vec::new()) };
        let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
        rows.iter().map(|r| r.try_get("k")).collect::<std::result::Result<_, _>>().store()
    }
}
