//! `credit_subject`, its names and the bigram index.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::{query, Any, Transaction};
use qy_storage::{Db, GramIndex, GramPlan, Params, Row, StoreResultExt};

use crate::domain::{Subject, SubjectKind};
use qy_textsearch as search;

/// A subject to create.
#[derive(Debug, Clone)]
pub struct NewSubject {
    pub id: String,
    pub kind: SubjectKind,
    pub name: String,
    pub uscc: Option<String>,
    pub person_id_sealed: Option<String>,
    pub person_id_index: Option<String>,
    pub person_id_masked: Option<String>,
    pub legal_rep: Option<String>,
    pub region_code: String,
    pub industry: Option<String>,
    pub registered_on: Option<String>,
    /// Earlier names, most recent first, with the date each stopped being used.
    pub former_names: Vec<(String, Option<String>)>,
}

const COLUMNS: &str =
    "id, kind, name, uscc, person_id_masked, legal_rep, region_code, industry, registered_on, person_id_sealed";

fn subject_of(r: &AnyRow) -> Result<Subject> {
    let kind: String = r.try_get("kind").store()?;
    Ok(Subject {
        id: r.try_get("id").store()?,
        kind: SubjectKind::parse(&kind).unwrap_or(SubjectKind::LegalEntity),
        name: r.try_get("name").store()?,
        uscc: r.try_get("uscc").store()?,
        person_id_masked: r.try_get("person_id_masked").store()?,
        legal_rep: r.try_get("legal_rep").store()?,
        region_code: r.try_get("region_code").store()?,
        industry: r.try_get("industry").store()?,
        registered_on: r.try_get("registered_on").store()?,
        former_names: Vec::new(),
    })
}

async fn with_former_names(db: &Db, mut s: Subject) -> Result<Subject> {
    let rows = query(
        "SELECT name FROM credit_subject_name WHERE subject_id = $1 AND current = 0 ORDER BY until_on DESC, name",
    )
    .bind(&s.id)
    .fetch_all(db.pool())
    .await
    .store()?;
    s.former_names = rows.iter().map(|r| r.try_get("name")).collect::<std::result::Result<_, _>>().store()?;
    Ok(s)
}

/// The subject whose `key` column (`id`, `uscc`, `person_id_index`: unique, indexed) equals
/// `value`, with its former names.
async fn one_by(db: &Db, key: &'static str, value: &str) -> Result<Option<Subject>> {
    let row = query(&format!("SELECT {COLUMNS} FROM credit_subject WHERE {key} = $1"))
        .bind(value)
        .fetch_optional(db.pool())
        .await
        .store()?;
    match row {
        Some(r) => Ok(Some(with_former_names(db, subject_of(&r)?).await?)),
        None => Ok(None),
    }
}

pub async fn by_uscc(db: &Db, uscc: &str) -> Result<Option<Subject>> {
    one_by(db, "uscc", uscc).await
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Subject>> {
    one_by(db, "id", id).await
}

pub async fn by_person_index(db: &Db, index: &str) -> Result<Option<Subject>> {
    one_by(db, "person_id_index", index).await
}

/// The sealed resident ID of a natural-person subject.
pub async fn sealed_person_id(db: &Db, id: &str) -> Result<Option<String>> {
    let row = query("SELECT person_id_sealed FROM credit_subject WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    Ok(match row {
        Some(r) => r.try_get("person_id_sealed").store()?,
        None => None,
    })
}

/// Subjects by id, in no particular order.
pub async fn by_ids(db: &Db, ids: &[String]) -> Result<Vec<Subject>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut p = Params::new();
    let list = p.push_list(ids);
    let sql = format!("SELECT {COLUMNS} FROM credit_subject WHERE id IN ({list})");
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(subject_of).collect()
}

async fn insert_in(tx: &mut Transaction<'static, Any>, s: &NewSubject, now: i64) -> Result<()> {
    query(
        "INSERT INTO credit_subject (id, kind, name, uscc, person_id_sealed, person_id_index, person_id_masked, \
         legal_rep, region_code, industry, registered_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&s.id)
    .bind(s.kind.as_str())
    .bind(&s.name)
    .bind(&s.uscc)
    .bind(&s.person_id_sealed)
    .bind(&s.person_id_index)
    .bind(&s.person_id_masked)
    .bind(&s.legal_rep)
    .bind(&s.region_code)
    .bind(&s.industry)
    .bind(&s.registered_on)
    .bind(now)
    .execute(&mut **tx)
    .await
    .store()?;
    add_name(tx, &s.id, &s.name, true, None).await?;
    for (name, until) in &s.former_names {
        add_name(tx, &s.id, name, false, until.as_deref()).await?;
    }
    Ok(())
}

pub async fn insert(db: &Db, s: &NewSubject, now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    insert_in(&mut tx, s, now).await?;
    tx.commit().await.store()
}

/// Many subjects in one transaction (demo data, benchmarks, bulk registration), with
/// multi-row statements: a million subjects carry about 13 million name grams.
pub async fn insert_many(db: &Db, subjects: &[NewSubject], now: i64) -> Result<()> {
    let mut names: Vec<(&str, &str, bool, Option<&str>)> = Vec::new();
    for s in subjects {
        names.push((&s.id, &s.name, true, None));
        names.extend(s.former_names.iter().map(|(n, until)| (s.id.as_str(), n.as_str(), false, until.as_deref())));
    }
    let mut grams: Vec<(String, &str)> = Vec::new();
    for (id, name, _, _) in &names {
        grams.extend(search::bigrams(&search::normalise(name)).into_iter().map(|g| (g, *id)));
    }
    grams.sort();
    grams.dedup();
    let mut tx = db.pool().begin().await.store()?;
    for chunk in subjects.chunks(200) {
        let mut p = Params::new();
        let rows: Vec<String> = chunk
            .iter()
            .map(|s| {
                let opt = |p: &mut Params, v: &Option<String>| match v {
                    Some(v) => p.push(v.as_str()),
                    None => p.push(qy_storage::Value::Null),
                };
                let values = [
                    p.push(s.id.as_str()),
                    p.push(s.kind.as_str()),
                    p.push(s.name.as_str()),
                    opt(&mut p, &s.uscc),
                    opt(&mut p, &s.person_id_sealed),
                    opt(&mut p, &s.person_id_index),
                    opt(&mut p, &s.person_id_masked),
                    opt(&mut p, &s.legal_rep),
                    p.push(s.region_code.as_str()),
                    opt(&mut p, &s.industry),
                    opt(&mut p, &s.registered_on),
                    p.push(now),
                    p.push(now),
                ];
                format!("({})", values.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO credit_subject (id, kind, name, uscc, person_id_sealed, person_id_index, person_id_masked, \
             legal_rep, region_code, industry, registered_on, created_at, updated_at) VALUES {}",
            rows.join(", ")
        );
        p.bind(&sql).execute(&mut *tx).await.store()?;
    }
    for chunk in names.chunks(500) {
        let mut p = Params::new();
        let rows: Vec<String> = chunk
            .iter()
            .map(|(id, name, current, until)| {
                let until = match until {
                    Some(u) => p.push(*u),
                    None => p.push(qy_storage::Value::Null),
                };
                format!("({}, {}, {}, {until})", p.push(*id), p.push(*name), p.push(i64::from(*current)))
            })
            .collect();
        let sql = format!(
            "INSERT INTO credit_subject_name (subject_id, name, current, until_on) VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        p.bind(&sql).execute(&mut *tx).await.store()?;
    }
    for chunk in grams.chunks(1000) {
        let mut p = Params::new();
        let rows: Vec<String> =
            chunk.iter().map(|(g, id)| format!("({}, {})", p.push(g.as_str()), p.push(*id))).collect();
        let sql = format!(
            "INSERT INTO credit_name_gram (gram, subject_id) VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        p.bind(&sql).execute(&mut *tx).await.store()?;
    }
    // New subjects: every (gram, subject) row above was new, so each counts once.
    let mut per_gram: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for (g, _) in &grams {
        *per_gram.entry(g.as_str()).or_default() += 1;
    }
    let per_gram: Vec<(&str, i64)> = per_gram.into_iter().collect();
    for chunk in per_gram.chunks(1000) {
        count_grams(&mut tx, chunk).await?;
    }
    tx.commit().await.store()
}

async fn add_name(
    tx: &mut Transaction<'static, Any>,
    subject_id: &str,
    name: &str,
    current: bool,
    until: Option<&str>,
) -> Result<()> {
    query(
        "INSERT INTO credit_subject_name (subject_id, name, current, until_on) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (subject_id, name) DO UPDATE SET current = excluded.current, until_on = excluded.until_on",
    )
    .bind(subject_id)
    .bind(name)
    .bind(i64::from(current))
    .bind(until)
    .execute(&mut **tx)
    .await
    .store()?;
    for gram in search::bigrams(&search::normalise(name)) {
        let r = query("INSERT INTO credit_name_gram (gram, subject_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&gram)
            .bind(subject_id)
            .execute(&mut **tx)
            .await
            .store()?;
        if r.rows_affected() == 1 {
            count_grams(tx, &[(gram.as_str(), 1)]).await?;
        }
    }
    Ok(())
}

/// Adds to the number of subjects each gram indexes.
async fn count_grams(tx: &mut Transaction<'static, Any>, grams: &[(&str, i64)]) -> Result<()> {
    if grams.is_empty() {
        return Ok(());
    }
    let mut p = Params::new();
    let rows: Vec<String> = grams.iter().map(|(g, n)| format!("({}, {})", p.push(*g), p.push(*n))).collect();
    let sql = format!(
        "INSERT INTO credit_gram_count (gram, n) VALUES {} \
         ON CONFLICT (gram) DO UPDATE SET n = credit_gram_count.n + excluded.n",
        rows.join(", ")
    );
    p.bind(&sql).execute(&mut **tx).await.store()?;
    Ok(())
}

/// Every name (current and former) of the subjects a search plan selects (at most `limit`
/// subjects), in one statement: (subject id, name, current).
pub async fn names_of_candidates(db: &Db, plan: &GramPlan, limit: i64) -> Result<Vec<(String, String, bool)>> {
    let mut p = Params::new();
    let Some(candidates) = NAME_INDEX.subquery(&mut p, plan, limit) else { return Ok(Vec::new()) };
    let sql = format!("SELECT subject_id, name, current FROM credit_subject_name WHERE subject_id IN ({candidates})");
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter()
        .map(|r| {
            let current: i64 = r.try_get("current").store()?;
            Ok((r.try_get("subject_id").store()?, r.try_get("name").store()?, current != 0))
        })
        .collect()
}

/// The subject changed its name on `on`: the old one becomes a former name (still searchable).
pub async fn rename(db: &Db, id: &str, old: &str, new: &str, on: &str, now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    query("UPDATE credit_subject SET name = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(new)
        .bind(now)
        .execute(&mut *tx)
        .await
        .store()?;
    add_name(&mut tx, id, old, false, Some(on)).await?;
    add_name(&mut tx, id, new, true, None).await?;
    tx.commit().await.store()
}

/// The bigram index of all names (current and former).
pub const NAME_INDEX: GramIndex =
    GramIndex { table: "credit_name_gram", key: "subject_id", counts_table: Some("credit_gram_count") };

pub async fn count(db: &Db) -> Result<i64> {
    let row = query("SELECT COUNT(*) AS n FROM credit_subject").fetch_one(db.pool()).await.store()?;
    row.try_get("n").store()
}

/// A page of subjects in id order (staff browsing, benchmarks picking USCCs).
pub async fn list(db: &Db, after: Option<&str>, limit: i64) -> Result<Vec<Subject>> {
    let rows = query(&format!("SELECT {COLUMNS} FROM credit_subject WHERE id > $1 ORDER BY id LIMIT $2"))
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(subject_of).collect()
}
