pub mod api;
pub mod pages;

use qy_kernel::{Error, Principal, Result};

use crate::domain::{day_end_ms, day_start_ms};
use crate::store::Filter;
use crate::PERM_READ;

/// Refuses principals without `audit.read`.
pub fn require_read(p: &Principal) -> Result<()> {
    if p.can(PERM_READ) {
        Ok(())
    } else {
        Err(Error::forbidden("audit.forbidden", "reading the audit log needs the audit.read permission"))
    }
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn date(field: &str, value: Option<&str>, parse: fn(&str) -> Option<i64>) -> Result<Option<i64>> {
    match non_empty(value) {
        None => Ok(None),
        Some(v) => parse(&v).map(Some).ok_or_else(|| {
            Error::bad_request(
                "audit.invalid_date",
                format!("{field} must be a date as YYYY-MM-DD (Asia/Shanghai), got {v:?}"),
            )
            .with_arg("field", field)
        }),
    }
}

/// The filter from query values; `from`/`to` are whole Asia/Shanghai days, both inclusive.
pub fn filter_of(
    actor: Option<&str>,
    action: Option<&str>,
    target: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Filter> {
    let from_ms = date("from", from, day_start_ms)?;
    let to_ms = date("to", to, day_end_ms)?;
    if let (Some(f), Some(t)) = (from_ms, to_ms) {
        if f >= t {
            return Err(Error::bad_request("audit.invalid_date", "from must not be after to").with_arg("field", "from"));
        }
    }
    Ok(Filter { actor: non_empty(actor), action: non_empty(action), target: non_empty(target), from_ms, to_ms })
}

/// The seq a cursor stands for.
pub fn before_seq(decoded: Option<String>) -> Result<Option<i64>> {
    decoded
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| Error::bad_request("request.invalid_cursor", "the cursor is not one this server issued"))
        })
        .transpose()
}
