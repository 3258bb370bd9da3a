//! The measure catalogue, the record of every check, and issued reports.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use super::flag;
use crate::domain::MeasureDef;

fn measure_of(r: &AnyRow) -> Result<MeasureDef> {
    let scenarios: String = r.try_get("scenarios").store()?;
    let active: i64 = r.try_get("active").store()?;
    Ok(MeasureDef {
        code: r.try_get("code").store()?,
        kind: r.try_get("kind").store()?,
        name: r.try_get("name").store()?,
        basis: r.try_get("basis").store()?,
        trigger: r.try_get("trigger").store()?,
        scenarios: scenarios.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
        active: active != 0,
    })
}

pub async fn measures(db: &Db) -> Result<Vec<MeasureDef>> {
    let rows =
        query("SELECT code, kind, name, basis, trigger, scenarios, active FROM credit_measure ORDER BY kind, code")
            .fetch_all(db.pool())
            .await
            .store()?;
    rows.iter().map(measure_of).collect()
}

pub async fn upsert_measure(db: &Db, m: &MeasureDef) -> Result<()> {
    query(
        "INSERT INTO credit_measure (code, kind, name, basis, trigger, scenarios, active) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name, basis = excluded.basis, \
         trigger = excluded.trigger, scenarios = excluded.scenarios, active = excluded.active",
    )
    .bind(&m.code)
    .bind(&m.kind)
    .bind(&m.name)
    .bind(&m.basis)
    .bind(&m.trigger)
    .bind(m.scenarios.join(","))
    .bind(flag(m.active))
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

/// One recorded check.
#[derive(Debug, Clone)]
pub struct CheckRow {
    pub id: String,
    pub at: i64,
    pub checker: String,
    pub scenario: String,
    pub reference: Option<String>,
    pub uscc: String,
    pub subject_id: Option<String>,
    pub grade: Option<String>,
    pub measures: Vec<String>,
}

pub async fn insert_check(db: &Db, c: &CheckRow) -> Result<()> {
    query(
        "INSERT INTO credit_check (id, at, checker, scenario, reference, uscc, subject_id, grade, measures, measure_count) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&c.id)
    .bind(c.at)
    .bind(&c.checker)
    .bind(&c.scenario)
    .bind(&c.reference)
    .bind(&c.uscc)
    .bind(&c.subject_id)
    .bind(&c.grade)
    .bind(c.measures.join(","))
    .bind(c.measures.len() as i64)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

/// Feedback statistics: per checker and scenario, how many checks and how many of them
/// found at least one measure.
pub async fn check_stats(db: &Db, since: i64) -> Result<Vec<(String, String, i64, i64)>> {
    let rows = query(
        "SELECT checker, scenario, COUNT(*) AS n, SUM(CASE WHEN measure_count > 0 THEN 1 ELSE 0 END) AS hits \
         FROM credit_check WHERE at >= $1 GROUP BY checker, scenario ORDER BY checker, scenario",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("checker").store()?,
                r.try_get("scenario").store()?,
                r.try_get("n").store()?,
                r.try_get::<Option<i64>, _>("hits").store()?.unwrap_or(0),
            ))
        })
        .collect()
}

/// An issued report.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub report_no: String,
    pub subject_id: String,
    pub generated_at: i64,
    pub content: String,
    pub digest: String,
    pub verify_code: String,
}

pub async fn insert_report(db: &Db, r: &ReportRow) -> Result<()> {
    query(
        "INSERT INTO credit_report (report_no, subject_id, generated_at, content, digest, verify_code) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&r.report_no)
    .bind(&r.subject_id)
    .bind(r.generated_at)
    .bind(&r.content)
    .bind(&r.digest)
    .bind(&r.verify_code)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn report(db: &Db, report_no: &str) -> Result<Option<ReportRow>> {
    let row = query(
        "SELECT report_no, subject_id, generated_at, content, digest, verify_code FROM credit_report WHERE report_no = $1",
    )
    .bind(report_no)
    .fetch_optional(db.pool())
    .await
    .store()?;
    row.map(|r| {
        Ok(ReportRow {
            report_no: r.try_get("report_no").store()?,
            subject_id: r.try_get("subject_id").store()?,
            generated_at: r.try_get("generated_at").store()?,
            content: r.try_get("content").store()?,
            digest: r.try_get("digest").store()?,
            verify_code: r.try_get("verify_code").store()?,
        })
    })
    .transpose()
}
