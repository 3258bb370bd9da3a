//! Bulk import of 双公示 sheets (CSV in UTF-8 or GBK, or XLSX) with the national field codes
//! or their Chinese names as headers. Every row is checked before anything is stored; one bad
//! row means nothing is imported and the report lists every problem by row and column.

use std::collections::{HashMap, HashSet};

use qy_credit_rules::{
    licence_field, parse_categories, penalty_field, wan_yuan_to_fen, Licence, LicenceField, Penalty, PenaltyField,
    Severity,
};
use qy_kernel::{id, Error, Principal, Result};
use qy_workcal::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::perm;
use crate::service::{require_perm, Credit};

/// More rows than this are refused (split the sheet): one request, one transaction's worth.
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Penalties,
    Licences,
}

impl ImportKind {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "penalties" => Ok(Self::Penalties),
            "licences" => Ok(Self::Licences),
            other => Err(Error::bad_request("credit.invalid_import_kind", format!("{other:?}: penalties or licences"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// XLSX by its ZIP signature or declared type; anything else is read as CSV.
    pub fn detect(content_type: &str, body: &[u8]) -> Self {
        if body.starts_with(b"PK\x03\x04") || content_type.contains("spreadsheetml") {
            Self::Xlsx
        } else {
            Self::Csv
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// National field code, or `-` for the row as a whole.
    pub field: String,
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub batch_id: String,
    pub rows: usize,
    /// Stored: new, corrected and unchanged rows. Zero whenever `errors` is not empty.
    pub created: usize,
    pub corrected: usize,
    pub unchanged: usize,
    /// Rows without a severity column, entered as `general` (the national template has none).
    pub defaulted_severity: usize,
    pub errors: Vec<RowError>,
}

/// The sheet as text: header names and rows of cells.
struct Sheet {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn decode_text(body: &[u8]) -> String {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match std::str::from_utf8(body) {
        Ok(s) => s.to_owned(),
        // Not UTF-8: Chinese spreadsheets saved as CSV on Windows are GBK (GB 18030 decodes it).
        Err(_) => encoding_rs::GB18030.decode(body).0.into_owned(),
    }
}

fn read_csv(body: &[u8]) -> Result<Sheet> {
    let text = decode_text(body);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let bad = |e: csv::Error| Error::bad_request("credit.unreadable_file", format!("CSV: {e}"));
    let headers = reader.headers().map_err(bad)?.iter().map(|h| h.trim().to_owned()).collect();
    let mut rows = Vec::new();
    for rec in reader.records() {
        rows.push(rec.map_err(bad)?.iter().map(|c| c.trim().to_owned()).collect());
        if rows.len() > MAX_ROWS {
            return Err(too_many());
        }
    }
    Ok(Sheet { headers, rows })
}

fn too_many() -> Error {
    Error::bad_request("credit.too_many_rows", format!("at most {MAX_ROWS} rows per file"))
}

fn read_xlsx(body: &[u8]) -> Result<Sheet> {
    use calamine::{Data, Reader, Xlsx};
    let bad = |e: String| Error::bad_request("credit.unreadable_file", format!("XLSX: {e}"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(body.to_vec())).map_err(|e| bad(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad("the workbook has no sheet".into()))?
        .map_err(|e| bad(e.to_string()))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_owned(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => excel_date(dt.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
            Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
            Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = range.rows();
    let headers = rows.next().map(|r| r.iter().map(cell).collect()).unwrap_or_default();
    let mut out = Vec::new();
    for r in rows {
        out.push(r.iter().map(cell).collect());
        if out.len() > MAX_ROWS {
            return Err(too_many());
        }
    }
    Ok(Sheet { headers, rows: out })
}

/// An Excel serial day number (1900 system) as a date.
fn excel_date(serial: f64) -> Option<Date> {
    let days = serial.floor() as i64;
    let base = Date::new(1899, 12, 30).ok()?;
    base.checked_add(jiff::Span::new().days(days)).ok()
}

/// Dates as departments write them: 2025-03-01, 2025/3/1, 20250301, 2025年3月1日.
pub fn parse_date(s: &str) -> Option<Date> {
    let t = s.trim().replace(['年', '月', '/', '.'], "-").replace('日', "");
    let t = t.split([' ', 'T']).next().unwrap_or("");
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (t.get(..4)?.parse().ok()?, t.get(4..6)?.parse().ok()?, t.get(6..)?.parse().ok()?);
        return Date::new(y, m, d).ok();
    }
    let mut parts = t.split('-');
    let y: i16 = parts.next()?.parse().ok()?;
    let m: i8 = parts.next()?.parse().ok()?;
    let d: i8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// A row's cells by field; problems found while reading them.
struct RowReader<'a, F> {
    cells: HashMap<F, String>,
    errors: &'a mut Vec<RowError>,
    row: usize,
}

impl<F: Copy + Eq + std::hash::Hash> RowReader<'_, F> {
    fn text(&self, f: F) -> String {
        self.cells.get(&f).cloned().unwrap_or_default()
    }
    fn opt(&self, f: F) -> Option<String> {
        Some(self.text(f)).filter(|s| !s.is_empty())
    }
    fn fail(&mut self, field: &str, code: &str, detail: String) {
        self.errors.push(RowError { row: self.row, field: field.into(), code: code.into(), detail });
    }
    fn parsed<T: std::str::FromStr>(&mut self, f: F, field: &str, code: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        let s = self.text(f);
        if s.is_empty() {
            self.fail(field, "credit.field_required", format!("{field} is required"));
            return None;
        }
        match s.parse() {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(field, code, format!("{field}: {e}"));
                None
            }
        }
    }
    fn date(&mut self, f: F, field: &str, required: bool) -> Option<Date> {
        let s = self.text(f);
        if s.is_empty() {
            if required {
                self.fail(field, "credit.field_required", format!("{field} is required"));
            }
            return None;
        }
        let d = parse_date(&s);
        if d.is_none() {
            self.fail(field, "credit.invalid_date", format!("{field}: {s:?} is not a date"));
        }
        d
    }
    fn money(&mut self, f: F, field: &str) -> i64 {
        let s = self.text(f);
        if s.is_empty() {
            return 0;
        }
        match wan_yuan_to_fen(&s) {
            Ok(v) => v,
            Err(e) => {
                self.fail(field, "credit.invalid_amount", format!("{field}: {e}"));
                0
            }
        }
    }
}

fn map_headers<F: Copy>(
    headers: &[String],
    lookup: fn(&str) -> Option<F>,
    errors: &mut Vec<RowError>,
) -> Vec<Option<F>> {
    headers
        .iter()
        .map(|h| {
            let f = lookup(h);
            if f.is_none() && !h.is_empty() {
                errors.push(RowError {
                    row: 1,
                    field: h.clone(),
                    code: "credit.unknown_column".into(),
                    detail: format!("column {h:?} is not a field of the national template"),
                });
            }
            f
        })
        .collect()
}

fn cells_of<F: Copy + Eq + std::hash::Hash>(
    columns: &[Option<F>],
    row: &[String],
    join: fn(F) -> bool,
) -> HashMap<F, String> {
    let mut cells: HashMap<F, String> = HashMap::new();
    for (f, v) in columns.iter().zip(row) {
        let Some(f) = f else { continue };
        if v.is_empty() {
            continue;
        }
        match cells.get_mut(f) {
            // Legacy sheets split a field over two columns (CF_CFLB1, CF_CFLB2).
            Some(existing) if join(*f) => {
                existing.push('；');
                existing.push_str(v);
            }
            Some(_) => {}
            None => {
                cells.insert(*f, v.clone());
            }
        }
    }
    cells
}

fn penalty_row(r: &mut RowReader<'_, PenaltyField>, defaulted: &mut usize) -> Option<Penalty> {
    use PenaltyField as F;
    let subject_category = r.parsed(F::SubjectCategory, "CF_XDR_LB", "credit.invalid_category");
    let categories = match parse_categories(&r.text(F::Categories)) {
        Ok(c) => c,
        Err(e) => {
            r.fail("CF_CFLB", "credit.invalid_category", format!("CF_CFLB: {e}"));
            Vec::new()
        }
    };
    let severity = match r.opt(F::Severity) {
        None => {
            *defaulted += 1;
            Some(Severity::General)
        }
        Some(_) => r.parsed(F::Severity, "SEVERITY", "credit.invalid_severity"),
    };
    let fine_fen = r.money(F::Fine, "CF_NR_FK");
    let confiscated_fen = r.money(F::Confiscated, "CF_NR_WFFF");
    let decision_date = r.date(F::DecisionDate, "CF_JDRQ", true);
    let valid_until = r.date(F::ValidUntil, "CF_YXQ", false);
    Some(Penalty {
        subject_name: r.text(F::SubjectName),
        subject_category: subject_category?,
        uscc: r.opt(F::Uscc),
        legal_rep: r.opt(F::LegalRep),
        person_id_type: r.opt(F::PersonIdType),
        person_id: r.opt(F::PersonId),
        decision_no: r.text(F::DecisionNo),
        violation_type: r.text(F::ViolationType),
        facts: r.text(F::Facts),
        basis: r.text(F::Basis),
        categories,
        content: r.text(F::Content),
        fine_fen,
        confiscated_fen,
        suspended_licence: r.opt(F::SuspendedLicence),
        decision_date: decision_date?,
        valid_until,
        authority: r.text(F::Authority),
        authority_uscc: r.text(F::AuthorityUscc),
        source: r.text(F::Source),
        source_uscc: r.text(F::SourceUscc),
        severity: severity?,
        note: r.opt(F::Note),
    })
}

fn licence_row(r: &mut RowReader<'_, LicenceField>) -> Option<Licence> {
    use LicenceField as F;
    let subject_category = r.parsed(F::SubjectCategory, "XK_XDR_LB", "credit.invalid_category");
    let kind = r.parsed(F::Kind, "XK_XKLB", "credit.invalid_licence_kind");
    let status = r.parsed(F::Status, "XK_ZT", "credit.invalid_status");
    let decision_date = r.date(F::DecisionDate, "XK_JDRQ", true);
    let valid_from = r.date(F::ValidFrom, "XK_YXQZ", false);
    let valid_to = r.date(F::ValidTo, "XK_YXQZI", false);
    Some(Licence {
        subject_name: r.text(F::SubjectName),
        subject_category: subject_category?,
        uscc: r.opt(F::Uscc),
        legal_rep: r.opt(F::LegalRep),
        person_id_type: r.opt(F::PersonIdType),
        person_id: r.opt(F::PersonId),
        decision_doc_name: r.text(F::DecisionDocName),
        decision_no: r.text(F::DecisionNo),
        kind: kind?,
        certificate_name: r.text(F::CertificateName),
        licence_no: r.text(F::LicenceNo),
        content: r.text(F::Content),
        decision_date: decision_date?,
        valid_from,
        valid_to,
        authority: r.text(F::Authority),
        authority_uscc: r.text(F::AuthorityUscc),
        status: status?,
        source: r.text(F::Source),
        source_uscc: r.text(F::SourceUscc),
        note: r.opt(F::Note),
    })
}

enum Parsed {
    Penalty(Penalty),
    Licence(Licence),
}

impl Parsed {
    fn decision_no(&self) -> &str {
        match self {
            Parsed::Penalty(p) => &p.decision_no,
            Parsed::Licence(l) => &l.decision_no,
        }
    }
}

/// Reads, checks and — only when every row is valid — stores the sheet.
pub async fn run(
    credit: &Credit,
    by: &Principal,
    kind: ImportKind,
    format: Format,
    body: &[u8],
) -> Result<ImportReport> {
    require_perm(by, perm::RECORDS_WRITE)?;
    if body.is_empty() {
        return Err(Error::bad_request("credit.empty_file", "the file is empty"));
    }
    let sheet = match format {
        Format::Csv => read_csv(body)?,
        Format::Xlsx => read_xlsx(body)?,
    };
    let today = credit.today();
    let mut errors = Vec::new();
    let mut parsed: Vec<(usize, Parsed)> = Vec::new();
    let mut defaulted = 0;
    let data_rows = sheet.rows.iter().enumerate().filter(|(_, r)| r.iter().any(|c| !c.is_empty()));
    match kind {
        ImportKind::Penalties => {
            let columns = map_headers(&sheet.headers, penalty_field, &mut errors);
            for (i, row) in data_rows {
                let cells = cells_of(&columns, row, |f| f == PenaltyField::Categories);
                let mut r = RowReader { cells, errors: &mut errors, row: i + 2 };
                if let Some(p) = penalty_row(&mut r, &mut defaulted) {
                    for e in p.validate(today) {
                        r.fail(e.field, e.code, e.detail);
                    }
                    parsed.push((i + 2, Parsed::Penalty(p)));
                }
            }
        }
        ImportKind::Licences => {
            let columns = map_headers(&sheet.headers, licence_field, &mut errors);
            for (i, row) in data_rows {
                let cells = cells_of(&columns, row, |_| false);
                let mut r = RowReader { cells, errors: &mut errors, row: i + 2 };
                if let Some(l) = licence_row(&mut r) {
                    for e in l.validate(today) {
                        r.fail(e.field, e.code, e.detail);
                    }
                    parsed.push((i + 2, Parsed::Licence(l)));
                }
            }
        }
    }
    let mut seen = HashSet::new();
    for (row, p) in &parsed {
        if !p.decision_no().trim().is_empty() && !seen.insert(p.decision_no().trim().to_owned()) {
            errors.push(RowError {
                row: *row,
                field: "-".into(),
                code: "credit.duplicate_in_file".into(),
                detail: format!("decision number {} appears twice in the file", p.decision_no()),
            });
        }
    }
    if parsed.is_empty() && errors.is_empty() {
        return Err(Error::bad_request("credit.empty_file", "the file has a header but no rows"));
    }
    let batch_id = id::new_id();
    let mut report = ImportReport {
        batch_id: batch_id.clone(),
        rows: sheet.rows.len(),
        created: 0,
        corrected: 0,
        unchanged: 0,
        defaulted_severity: defaulted,
        errors,
    };
    if !report.errors.is_empty() {
        report.errors.sort_by_key(|e| e.row);
        return Ok(report);
    }
    for (row, p) in parsed {
        let stored = match p {
            Parsed::Penalty(p) => credit.submit_penalty(by, p, Some(&batch_id)).await,
            Parsed::Licence(l) => credit.submit_licence(by, l, Some(&batch_id)).await,
        };
        match stored {
            Ok(s) => match s.outcome {
                crate::service::SubmitOutcome::Created => report.created += 1,
                crate::service::SubmitOutcome::Corrected => report.corrected += 1,
                crate::service::SubmitOutcome::Unchanged => report.unchanged += 1,
            },
            Err(e) => {
                // Nothing half-imported: undo what this batch stored, then report the row.
                crate::store::records::undo_batch(&credit.db, &batch_id).await?;
                return Err(Error::new(
                    e.kind,
                    e.code.clone(),
                    format!("row {row}: {}; nothing was imported", e.detail),
                )
                .with_arg("row", row.to_string()));
            }
        }
    }
    Ok(report)
}

/// A record from a web form whose fields are named by the national codes (`CF_WSH`, …):
/// the same reading as a sheet row, so forms and uploads accept exactly the same values.
pub fn penalty_from_form(pairs: &[(String, String)]) -> std::result::Result<Penalty, Vec<RowError>> {
    let (headers, row): (Vec<String>, Vec<String>) = pairs.iter().filter(|(k, _)| k != "csrf").cloned().unzip();
    let mut errors = Vec::new();
    let columns: Vec<Option<PenaltyField>> = headers.iter().map(|h| penalty_field(h)).collect();
    let cells = cells_of(&columns, &row.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>(), |f| {
        f == PenaltyField::Categories
    });
    let mut defaulted = 0;
    let mut r = RowReader { cells, errors: &mut errors, row: 0 };
    let p = penalty_row(&mut r, &mut defaulted);
    match p {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(errors),
    }
}

pub fn licence_from_form(pairs: &[(String, String)]) -> std::result::Result<Licence, Vec<RowError>> {
    let (headers, row): (Vec<String>, Vec<String>) = pairs.iter().filter(|(k, _)| k != "csrf").cloned().unzip();
    let mut errors = Vec::new();
    let columns: Vec<Option<LicenceField>> = headers.iter().map(|h| licence_field(h)).collect();
    let cells = cells_of(&columns, &row.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>(), |_| false);
    let mut r = RowReader { cells, errors: &mut errors, row: 0 };
    let l = licence_row(&mut r);
    match l {
        Some(l) if errors.is_empty() => Ok(l),
        _ => Err(errors),
    }
}

/// The import template: the national field codes, then their Chinese names as a comment row
/// is not allowed by the format, so the header row uses codes and the second file line is
/// left to the department. CSV with a UTF-8 BOM so that Excel opens it as UTF-8.
pub fn template_csv(kind: ImportKind) -> String {
    let headers: Vec<&str> = match kind {
        ImportKind::Penalties => qy_credit_rules::PENALTY_HEADERS.iter().map(|(_, label)| *label).collect(),
        ImportKind::Licences => qy_credit_rules::LICENCE_HEADERS.iter().map(|(_, label)| *label).collect(),
    };
    format!("\u{FEFF}{}\r\n", headers.join(","))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_in_the_forms_departments_write_them() {
        for s in ["2025-03-01", "2025/3/1", "20250301", "2025年3月1日", "2025-03-01 00:00:00"] {
            assert_eq!(parse_date(s).map(|d| d.to_string()).as_deref(), Some("2025-03-01"), "{s}");
        }
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
