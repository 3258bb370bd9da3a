//! Cursor pagination: a page of items and an opaque cursor to the next page. Cursors encode
//! the sort key of the last item, so pages stay stable while rows are added.

use base64::Engine;
use qy_kernel::Error;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `?cursor=…&limit=…`
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn limit(&self) -> i64 {
        i64::from(self.limit.unwrap_or(50).clamp(1, 200))
    }
    /// The decoded sort key after which the page starts.
    pub fn after(&self) -> Result<Option<String>, Error> {
        self.cursor.as_deref().filter(|c| !c.is_empty()).map(decode_cursor).transpose()
    }
}

pub fn encode_cursor(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.as_bytes())
}

pub fn decode_cursor(cursor: &str) -> Result<String, Error> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| Error::bad_request("request.invalid_cursor", "the cursor is not one this server issued"))
}

/// Builds a page from `limit + 1` fetched rows: the extra row only signals that more exist.
pub fn page_from<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(50);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more { rows.last().map(|r| encode_cursor(&key(r))) } else { None };
    Page { items: rows, next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        assert_eq!(decode_cursor(&encode_cursor("632801")).ok().as_deref(), Some("632801"));
        assert!(decode_cursor("!!!").is_err());
    }

    #[test]
    fn extra_row_means_next_page() {
        let p = page_from(vec![1, 2, 3], 2, |i| i.to_string());
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.next_cursor.as_deref().map(decode_cursor).and_then(Result::ok).as_deref(), Some("2"));
        assert!(page_from(vec![1, 2], 2, |i| i.to_string()).next_cursor.is_none());
    }
}
