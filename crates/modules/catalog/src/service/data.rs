//! The data behind an entry: an uploaded file (CSV, XLSX or JSON; UTF-8 or GBK) loaded into
//! a typed table matching the 信息项, all rows or none; a module's live feed; or another
//! system's endpoint.

use std::collections::{HashMap, HashSet};

use qy_kernel::{Error, Principal, Result};
use serde::Serialize;
use utoipa::ToSchema;

use super::{require, Catalog};
use crate::domain::{perm, Entry, Item, SourceKind};
use crate::store::{data, entries};
use crate::typed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    /// By content first (ZIP signature, a JSON array), then by the declared type.
    pub fn detect(content_type: &str, body: &[u8]) -> Self {
        let start = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if body.starts_with(b"PK\x03\x04") || content_type.contains("spreadsheetml") {
            Self::Xlsx
        } else if start == Some(b'[') || content_type.contains("json") {
            Self::Json
        } else {
            Self::Csv
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellError {
    /// Row as a spreadsheet shows it (header = 1; JSON: element index + 2).
    pub row: usize,
    /// The column (信息项 column name or the header as written).
    pub column: String,
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoadReport {
    pub rows: usize,
    pub loaded: bool,
    /// The encoding the file was read in (utf-8 or gb18030).
    pub encoding: String,
    pub errors: Vec<CellError>,
}

/// A sheet as text.
pub(crate) struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub encoding: &'static str,
}

/// Reads a CSV, XLSX or JSON file as header and rows, whichever it is.
pub(crate) fn read_sheet(content_type: &str, body: &[u8]) -> Result<Sheet> {
    if body.is_empty() {
        return Err(Error::bad_request("catalog.empty_file", "the file is empty"));
    }
    match Format::detect(content_type, body) {
        Format::Csv => read_csv(body),
        Format::Xlsx => read_xlsx(body),
        Format::Json => read_json(body),
    }
}

fn unreadable(detail: String) -> Error {
    Error::bad_request("catalog.unreadable_file", detail)
}

fn decode(body: &[u8]) -> (String, &'static str) {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match std::str::from_utf8(body) {
        Ok(s) => (s.to_owned(), "utf-8"),
        // Spreadsheets saved as CSV by Chinese Windows are GBK; GB 18030 is its superset.
        Err(_) => (encoding_rs::GB18030.decode(body).0.into_owned(), "gb18030"),
    }
}

fn read_csv(body: &[u8]) -> Result<Sheet> {
    let (text, encoding) = decode(body);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| unreadable(format!("CSV: {e}")))?.iter().map(|h| h.trim().to_owned()).collect();
    let mut rows = Vec::new();
    for r in reader.records() {
        rows.push(r.map_err(|e| unreadable(format!("CSV: {e}")))?.iter().map(str::to_owned).collect());
    }
    Ok(Sheet { headers, rows, encoding })
}

fn read_xlsx(body: &[u8]) -> Result<Sheet> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(body.to_vec())).map_err(|e| unreadable(format!("XLSX: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("XLSX: the workbook has no sheet".into()))?
        .map_err(|e| unreadable(format!("XLSX: {e}")))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => excel_datetime(dt.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows = range.rows();
    let headers = rows.next().map(|r| r.iter().map(|c| cell(c).trim().to_owned()).collect()).unwrap_or_default();
    Ok(Sheet { headers, rows: rows.map(|r| r.iter().map(cell).collect()).collect(), encoding: "xlsx" })
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`.
fn excel_datetime(serial: f64) -> String {
    let days = serial.floor();
    let secs = ((serial - days) * 86_400.0).round() as i64;
    let Ok(base) = qy_workcal::Date::new(1899, 12, 30) else { return String::new() };
    let Ok(date) = base.checked_add(jiff::Span::new().days(days as i64)) else { return String::new() };
    if secs == 0 {
        date.to_string()
    } else {
        format!("{date} {:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
    }
}

/// A JSON array of objects keyed by column name (or item name).
fn read_json(body: &[u8]) -> Result<Sheet> {
    let (text, encoding) = decode(body);
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| unreadable(format!("JSON: {e}")))?;
    let array = value.as_array().ok_or_else(|| unreadable("JSON: expected an array of objects".into()))?;
    let mut headers: Vec<String> = Vec::new();
    for obj in array {
        let obj = obj.as_object().ok_or_else(|| unreadable("JSON: every element must be an object".into()))?;
        for k in obj.keys() {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
    }
    let rows = array
        .iter()
        .map(|obj| {
            headers
                .iter()
                .map(|h| match obj.get(h) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect();
    Ok(Sheet { headers, rows, encoding })
}

/// Matches each header to an item by column name or Chinese name.
fn columns<'a>(headers: &[String], items: &'a [Item], errors: &mut Vec<CellError>) -> Vec<Option<&'a Item>> {
    let mapped: Vec<Option<&Item>> =
        headers.iter().map(|h| items.iter().find(|i| i.column_name.eq_ignore_ascii_case(h) || i.name == *h)).collect();
    for (h, m) in headers.iter().zip(&mapped) {
        if m.is_none() && !h.is_empty() {
            errors.push(CellError {
                row: 1,
                column: h.clone(),
                code: "catalog.unknown_column".into(),
                detail: format!("column {h:?} is not a 信息项 of this entry"),
            });
        }
    }
    for i in items {
        if !mapped.iter().any(|m| m.is_some_and(|m| m.seq == i.seq)) {
            errors.push(CellError {
                row: 1,
                column: i.column_name.clone(),
                code: "catalog.missing_column".into(),
                detail: format!("the file has no column for 信息项 {} ({})", i.name, i.column_name),
            });
        }
    }
    mapped
}

impl Catalog {
    /// Loads a file into a new table for the entry. Every cell is checked first; one bad
    /// cell and nothing is loaded (the report says where and why).
    pub async fn upload(&self, by: &Principal, entry_id: &str, content_type: &str, body: &[u8]) -> Result<LoadReport> {
        require(by, perm::ENTRIES_WRITE)?;
        let e = self.entry(entry_id).await?;
        self.ensure_own(by, &e).await?;
        if body.is_empty() {
            return Err(Error::bad_request("catalog.empty_file", "the file is empty"));
        }
        if body.len() > self.policy.max_upload_bytes {
            return Err(Error::new(
                qy_kernel::ErrorKind::PayloadTooLarge,
                "catalog.file_too_large",
                format!("{} bytes; at most {}", body.len(), self.policy.max_upload_bytes),
            ));
        }
        let sheet = read_sheet(content_type, body)?;
        let mut errors = Vec::new();
        let mapped = columns(&sheet.headers, &e.items, &mut errors);
        let data_rows: Vec<&Vec<String>> =
            sheet.rows.iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).collect();
        if data_rows.len() > self.policy.max_upload_rows {
            return Err(Error::bad_request(
                "catalog.too_many_rows",
                format!("{} rows; at most {}", data_rows.len(), self.policy.max_upload_rows),
            ));
        }
        let mut rows: Vec<Vec<typed::Value>> = Vec::with_capacity(data_rows.len());
        let mut keys: HashSet<Vec<String>> = HashSet::new();
        if errors.is_empty() {
            for (n, raw) in data_rows.iter().enumerate() {
                let row_no = n + 2;
                let by_item: HashMap<u32, &str> =
                    mapped.iter().zip(raw.iter()).filter_map(|(m, v)| m.map(|i| (i.seq, v.as_str()))).collect();
                let mut values = Vec::with_capacity(e.items.len());
                let mut key = Vec::new();
                for item in &e.items {
                    let raw = by_item.get(&item.seq).copied().unwrap_or("");
                    match typed::check(item.data_type, item.length, raw) {
                        Ok(typed::Value::Null) if item.is_key => errors.push(CellError {
                            row: row_no,
                            column: item.column_name.clone(),
                            code: "catalog.key_missing".into(),
                            detail: format!("{} is a key item and cannot be empty", item.name),
                        }),
                        Ok(v) => {
                            if item.is_key {
                                key.push(raw.trim().to_owned());
                            }
                            values.push(v);
                        }
                        Err(bad) => errors.push(CellError {
                            row: row_no,
                            column: item.column_name.clone(),
                            code: bad.code.into(),
                            detail: bad.detail,
                        }),
                    }
                }
                if !key.is_empty() && !keys.insert(key.clone()) {
                    errors.push(CellError {
                        row: row_no,
                        column: "-".into(),
                        code: "catalog.duplicate_key".into(),
                        detail: format!("key {} appears twice", key.join("/")),
                    });
                }
                if errors.len() >= 500 {
                    break;
                }
                rows.push(values);
            }
        }
        let mut report = LoadReport { rows: data_rows.len(), loaded: false, encoding: sheet.encoding.into(), errors };
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let table = format!(
            "catalog_t_{}_{}",
            e.id.replace('-', "").get(..16).unwrap_or("x"),
            hex::encode(rand::random::<[u8; 4]>())
        );
        data::create_and_fill(&self.db, &table, &e.items, &rows).await?;
        let source = entries::Source {
            kind: Some(SourceKind::Table),
            table: Some(&table),
            rows: rows.len() as i64,
            ..Default::default()
        };
        if let Err(err) = entries::set_source(&self.db, &e.id, &source, self.now_ms()).await {
            data::drop_table(&self.db, &table).await?;
            return Err(err);
        }
        if let Some(old) = e.data_table.as_deref() {
            // Readers of the old table finish their page; the next page reads the new one.
            data::drop_table(&self.db, old).await?;
        }
        report.loaded = true;
        Ok(report)
    }

    /// Puts a module's live feed behind the entry; the entry's 信息项 become the feed's columns.
    pub async fn bind_feed(&self, by: &Principal, entry_id: &str, feed_code: &str) -> Result<Entry> {
        require(by, perm::ENTRIES_WRITE)?;
        let mut e = self.entry(entry_id).await?;
        self.ensure_own(by, &e).await?;
        let feed = self
            .feeds
            .feeds()
            .into_iter()
            .find(|f| f.code == feed_code)
            .ok_or_else(|| Error::bad_request("catalog.unknown_feed", format!("no data feed {feed_code:?}")))?;
        let items: Vec<Item> = feed
            .columns
            .iter()
            .enumerate()
            .map(|(n, c)| Item {
                seq: u32::try_from(n + 1).unwrap_or(999),
                name: c.name.clone(),
                column_name: c.column.clone(),
                data_type: crate::domain::DataType::parse(&c.data_type.to_string())
                    .unwrap_or(crate::domain::DataType::C),
                length: None,
                is_key: false,
                personal: false,
            })
            .collect();
        if let Some(old) = e.data_table.take() {
            data::drop_table(&self.db, &old).await?;
        }
        e.items = items;
        e.updated_at = self.now_ms();
        entries::update(&self.db, &e).await?;
        let source = entries::Source { kind: Some(SourceKind::Feed), feed: Some(feed_code), ..Default::default() };
        entries::set_source(&self.db, &e.id, &source, self.now_ms()).await?;
        self.entry(&e.id).await
    }

    /// Registers another system's endpoint as the entry's source (metadata only: consumers
    /// are told where to call).
    pub async fn bind_endpoint(&self, by: &Principal, entry_id: &str, url: &str) -> Result<Entry> {
        require(by, perm::ENTRIES_WRITE)?;
        let e = self.entry(entry_id).await?;
        self.ensure_own(by, &e).await?;
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.len() > 500
            || url.contains(char::is_whitespace)
        {
            return Err(
                Error::bad_request("catalog.invalid_url", "an http(s) URL is required").with_arg("field", "url")
            );
        }
        if let Some(old) = e.data_table.as_deref() {
            data::drop_table(&self.db, old).await?;
        }
        let source = entries::Source { kind: Some(SourceKind::Endpoint), endpoint: Some(url), ..Default::default() };
        entries::set_source(&self.db, &e.id, &source, self.now_ms()).await?;
        self.entry(&e.id).await
    }
}
