//! Downloads of an open dataset: CSV (UTF-8 with a byte-order mark, so that Excel opens the
//! Chinese text), JSON (an array of objects keyed by column name) and XLSX. CSV and JSON
//! stream page by page through `read_rows`; XLSX is built in memory (the format is a ZIP).
//! All stop at `MAX_ROWS`. Personal items are never in them (`read_rows` with no grant).

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use qy_kernel::{Error, Result};
use qy_web::page::{Base, PageError};
use qy_web::AppState;

use super::pages::enc;
use super::portal::cell;
use crate::domain::{DataType, Entry, SourceKind};
use crate::service::read::{Column, RowQuery};
use crate::{service, Catalog, Ctx};

/// Most rows one download carries.
pub const MAX_ROWS: usize = 200_000;
/// Rows read per page while streaming.
const PAGE: usize = 2_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open/datasets/{slug}/download.csv", get(csv))
        .route("/open/datasets/{slug}/download.json", get(json))
        .route("/open/datasets/{slug}/download.xlsx", get(xlsx))
}

/// The entry, when the visitor may read its rows.
async fn readable(state: &AppState, ctx: &Ctx, base: &Base, slug: &str) -> Result<(Catalog, Entry)> {
    let catalog = service(state, ctx);
    let e = catalog.open_entry(slug).await?;
    let account = base.principal().map(|p| p.account_id.as_str());
    if !catalog.may_read_open(account, &e).await? {
        return Err(Error::forbidden(
            "catalog.application_required",
            "this resource is open on application: log in and apply on its page",
        ));
    }
    if e.source_kind == SourceKind::Endpoint {
        return Err(Error::conflict(
            "catalog.external_source",
            format!("this resource is served by its provider at {}", e.endpoint_url.clone().unwrap_or_default()),
        ));
    }
    Ok((catalog, e))
}

/// Reads an entry's rows page by page, up to `MAX_ROWS`.
struct Pager {
    catalog: Catalog,
    entry: Entry,
    cursor: Option<String>,
    sent: usize,
    done: bool,
}

impl Pager {
    fn new(catalog: Catalog, entry: Entry) -> Self {
        Pager { catalog, entry, cursor: None, sent: 0, done: false }
    }

    /// The columns of a download: every item but the personal ones, as `read_rows` gives
    /// them without a grant.
    fn columns(&self) -> Vec<Column> {
        self.entry
            .items
            .iter()
            .filter(|i| !i.personal)
            .map(|i| Column {
                column: i.column_name.clone(),
                name: i.name.clone(),
                data_type: i.data_type.code().into(),
            })
            .collect()
    }

    async fn next(&mut self) -> Result<Option<Vec<Vec<serde_json::Value>>>> {
        if self.done {
            return Ok(None);
        }
        let limit = PAGE.min(MAX_ROWS - self.sent);
        let q = RowQuery { cursor: self.cursor.clone(), limit, ..Default::default() };
        let page = self.catalog.read_rows(&self.entry, &q, None).await?;
        let mut rows = page.rows;
        rows.truncate(limit);
        self.sent += rows.len();
        self.cursor = page.next;
        self.done = self.cursor.is_none() || rows.is_empty() || self.sent >= MAX_ROWS;
        Ok(Some(rows))
    }
}

fn attachment(e: &Entry, ext: &str, content_type: &str) -> [(header::HeaderName, String); 2] {
    [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.{ext}\"; filename*=UTF-8''{}.{ext}", e.slug, enc(&e.name)),
        ),
    ]
}

/// A stream of chunks: `head`, then `line` for every page, then `tail`.
fn stream(
    pager: Pager,
    head: Vec<u8>,
    page: impl Fn(&[Vec<serde_json::Value>], bool) -> Vec<u8> + Send + 'static,
    tail: Vec<u8>,
) -> Body {
    enum Step {
        Head(Pager, Vec<u8>),
        Rows(Pager, bool),
        Tail,
        End,
    }
    let start = Step::Head(pager, head);
    let s = futures_util::stream::unfold((start, page, tail), |(step, page, tail)| async move {
        match step {
            Step::Head(pager, head) => Some((Ok(Bytes::from(head)), (Step::Rows(pager, true), page, tail))),
            Step::Rows(mut pager, first) => match pager.next().await {
                Ok(Some(rows)) => {
                    let chunk = page(&rows, first);
                    let first = first && rows.is_empty();
                    Some((Ok(Bytes::from(chunk)), (Step::Rows(pager, first), page, tail)))
                }
                Ok(None) => Some((Ok(Bytes::from(tail.clone())), (Step::Tail, page, tail))),
                Err(e) => {
                    tracing::warn!(code = %e.code, entry = %pager.entry.code, "download stopped");
                    Some((Err(e), (Step::End, page, tail)))
                }
            },
            Step::Tail | Step::End => None,
        }
    });
    // Fused: the compression layer polls once more after the end, which `unfold` forbids.
    Body::from_stream(futures_util::StreamExt::fuse(s))
}

fn csv_line(values: impl IntoIterator<Item = String>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = w.write_record(values.into_iter().collect::<Vec<_>>());
    w.into_inner().unwrap_or_default()
}

async fn csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let (catalog, e) = readable(&state, &ctx, &base, &slug).await.map_err(|e| PageError::new(&state, &base, e))?;
    let headers = attachment(&e, "csv", "text/csv; charset=utf-8");
    let pager = Pager::new(catalog, e);
    let mut head = "\u{feff}".as_bytes().to_vec();
    head.extend(csv_line(pager.columns().into_iter().map(|c| c.name)));
    let page = |rows: &[Vec<serde_json::Value>], _first: bool| -> Vec<u8> {
        rows.iter().flat_map(|r| csv_line(r.iter().map(cell))).collect()
    };
    Ok((headers, stream(pager, head, page, Vec::new())).into_response())
}

async fn json(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let (catalog, e) = readable(&state, &ctx, &base, &slug).await.map_err(|e| PageError::new(&state, &base, e))?;
    let headers = attachment(&e, "json", "application/json");
    let pager = Pager::new(catalog, e);
    let columns: Vec<String> = pager.columns().into_iter().map(|c| c.column).collect();
    let page = move |rows: &[Vec<serde_json::Value>], first: bool| -> Vec<u8> {
        let mut out = Vec::new();
        for (n, r) in rows.iter().enumerate() {
            if !(first && n == 0) {
                out.extend_from_slice(b",\n");
            }
            let object: serde_json::Map<String, serde_json::Value> =
                columns.iter().cloned().zip(r.iter().cloned()).collect();
            out.extend(serde_json::to_vec(&object).unwrap_or_default());
        }
        out
    };
    Ok((headers, stream(pager, b"[\n".to_vec(), page, b"\n]\n".to_vec())).into_response())
}

/// Excel's limit on the text of one cell.
const XLSX_CELL_MAX: usize = 32_767;

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("xlsx: {e}"))
}

async fn xlsx(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let (catalog, e) = readable(&state, &ctx, &base, &slug).await.map_err(err)?;
    let headers = attachment(&e, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let mut pager = Pager::new(catalog, e);
    let columns = pager.columns();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, col) in columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, c, &col.name, &bold).map_err(|x| err(xlsx_error(x)))?;
        sheet.set_column_width(c, 14).map_err(|x| err(xlsx_error(x)))?;
    }
    // Decimals (N, Y) are kept exact as text by the store; a spreadsheet wants numbers.
    let numeric: Vec<bool> =
        columns.iter().map(|c| matches!(DataType::parse(&c.data_type), Some(DataType::N | DataType::Y))).collect();
    let mut row: u32 = 0;
    while let Some(rows) = pager.next().await.map_err(err)? {
        for r in rows {
            row += 1;
            for (c, v) in r.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                let written = match v {
                    serde_json::Value::Null => continue,
                    serde_json::Value::Number(n) => sheet.write_number(row, col, n.as_f64().unwrap_or_default()),
                    serde_json::Value::String(s) if numeric.get(c).copied().unwrap_or(false) => {
                        match s.parse::<f64>() {
                            Ok(f) => sheet.write_number(row, col, f),
                            Err(_) => sheet.write_string(row, col, s),
                        }
                    }
                    other => {
                        let text: String = cell(other).chars().take(XLSX_CELL_MAX).collect();
                        sheet.write_string(row, col, text)
                    }
                };
                written.map_err(|x| err(xlsx_error(x)))?;
            }
        }
    }
    let bytes = tokio::task::spawn_blocking(move || book.save_to_buffer())
        .await
        .map_err(|x| err(Error::internal(format!("xlsx task: {x}"))))?
        .map_err(|x| err(xlsx_error(x)))?;
    Ok((headers, bytes).into_response())
}
