//! Credit reports (公共信用信息报告): a snapshot of the public view with a report number and
//! a digest, verifiable later through a code and QR link. "Authentic" means the report was
//! issued here with this content; "current" means the subject's public record is still what
//! the report says.

use qy_kernel::{Error, Result};
use rand::Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::Credit;
use crate::store::checks::{self, ReportRow};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedReport {
    pub report_no: String,
    pub generated_at: i64,
    /// SHA-256 of the report content (hex).
    pub digest: String,
    /// Printed on the report and carried by its QR link.
    pub verify_code: String,
    /// The public view as it was when the report was issued.
    #[schema(value_type = Object)]
    pub view: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    pub report_no: String,
    /// Issued here, with this code, and unaltered since.
    pub authentic: bool,
    /// The subject's public record still matches the report.
    pub current: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// What "the record" is for currency: the view without the date and the evaluation
/// arithmetic that move with time alone.
fn state_of(view: &serde_json::Value) -> serde_json::Value {
    let ids = |key: &str, fields: &[&str]| -> Vec<serde_json::Value> {
        view[key]
            .as_array()
            .map(|rows| rows.iter().map(|r| fields.iter().map(|f| r[*f].clone()).collect()).collect())
            .unwrap_or_default()
    };
    serde_json::json!({
        "name": view["name"],
        "licences": ids("licences", &["id"]),
        "penalties": ids("penalties", &["id", "disputed"]),
        "lists": ids("lists", &["list", "decided_on"]),
        "grade": view["evaluation"]["grade"],
    })
}

fn digest(content: &str) -> String {
    hex::encode(Sha256::digest(content.as_bytes()))
}

/// A code people can type: 16 characters of Crockford base 32 from the digest keyed by the
/// report number, grouped by four.
fn verify_code(report_no: &str, digest: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let h =
        Sha256::new().chain_update(report_no.as_bytes()).chain_update(b":").chain_update(digest.as_bytes()).finalize();
    let code: String = h.iter().take(16).map(|b| char::from(ALPHABET[usize::from(b % 32)])).collect();
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

impl Credit {
    pub async fn issue_report(&self, uscc: &str) -> Result<IssuedReport> {
        let view = self.public_view(uscc).await?;
        let now = self.now_ms();
        let report_no = format!(
            "QHXY{}{:08}",
            self.today().to_string().replace('-', ""),
            rand::thread_rng().gen_range(0..100_000_000u32)
        );
        let view = serde_json::to_value(&view).map_err(|e| Error::internal(format!("report: {e}")))?;
        let content = serde_json::json!({ "report_no": report_no, "generated_at": now, "view": view }).to_string();
        let digest = digest(&content);
        let code = verify_code(&report_no, &digest);
        let subject = crate::store::subjects::by_uscc(&self.db, view["uscc"].as_str().unwrap_or_default())
            .await?
            .ok_or_else(|| Error::not_found("credit.subject_not_found", "no such subject"))?;
        checks::insert_report(
            &self.db,
            &ReportRow {
                report_no: report_no.clone(),
                subject_id: subject.id,
                generated_at: now,
                content,
                digest: digest.clone(),
                verify_code: code.clone(),
            },
        )
        .await?;
        Ok(IssuedReport { report_no, generated_at: now, digest, verify_code: code, view })
    }

    /// The issued report itself (for re-printing).
    pub async fn report(&self, report_no: &str) -> Result<IssuedReport> {
        let row = checks::report(&self.db, report_no)
            .await?
            .ok_or_else(|| Error::not_found("credit.report_not_found", "no report with this number"))?;
        let content: serde_json::Value =
            serde_json::from_str(&row.content).map_err(|e| Error::internal(format!("report content: {e}")))?;
        let view = content["view"].clone();
        Ok(IssuedReport {
            report_no: row.report_no,
            generated_at: row.generated_at,
            digest: row.digest,
            verify_code: row.verify_code,
            view,
        })
    }

    /// Checks a report number and code, as the QR link does.
    pub async fn verify_report(&self, report_no: &str, code: &str) -> Result<Verification> {
        let unknown = Verification {
            report_no: report_no.to_owned(),
            authentic: false,
            current: false,
            generated_at: None,
            subject_name: None,
            uscc: None,
            digest: None,
        };
        let Some(row) = checks::report(&self.db, report_no).await? else {
            return Ok(unknown);
        };
        let wanted = code.trim().to_ascii_uppercase().replace(' ', "");
        let authentic = digest(&row.content) == row.digest
            && verify_code(&row.report_no, &row.digest) == row.verify_code
            && wanted == row.verify_code;
        if !authentic {
            return Ok(unknown);
        }
        let issued = self.report(report_no).await?;
        let uscc = issued.view["uscc"].as_str().unwrap_or_default().to_owned();
        let current = match self.public_view(&uscc).await {
            Ok(now) => serde_json::to_value(&now).is_ok_and(|now| state_of(&now) == state_of(&issued.view)),
            Err(_) => false,
        };
        Ok(Verification {
            report_no: row.report_no,
            authentic,
            current,
            generated_at: Some(row.generated_at),
            subject_name: issued.view["name"].as_str().map(str::to_owned),
            uscc: Some(uscc),
            digest: Some(row.digest),
        })
    }
}
