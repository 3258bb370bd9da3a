//! One problem with one field of a 双公示 record.
//!
//! Record validation collects every problem instead of stopping at the first, so an import can
//! report a whole sheet row at once. `field` is the national field code (e.g. `"CF_WSH"`) so the
//! message points at the column the data provider knows; `code` is stable for translation.

use serde::Serialize;

/// A required field is empty.
pub const FIELD_REQUIRED: &str = "credit.field_required";
/// A unified social credit code fails GB 32100 validation.
pub const USCC_INVALID: &str = "credit.uscc_invalid";
/// A resident identity number fails GB 11643 validation.
pub const PERSON_ID_INVALID: &str = "credit.person_id_invalid";
/// 罚款 is among the categories but there is no fine amount, or the reverse.
pub const FINE_MISMATCH: &str = "credit.fine_mismatch";
/// 没收违法所得/没收非法财物 is among the categories but there is no amount, or the reverse.
pub const CONFISCATION_MISMATCH: &str = "credit.confiscation_mismatch";
/// An amount below zero.
pub const AMOUNT_NEGATIVE: &str = "credit.amount_negative";
/// A category listed twice.
pub const CATEGORY_DUPLICATE: &str = "credit.category_duplicate";
/// A decision date after today.
pub const DATE_IN_FUTURE: &str = "credit.date_in_future";
/// An end date before the corresponding start date.
pub const DATE_ORDER: &str = "credit.date_order";

/// A validation finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// National field code, e.g. `"CF_WSH"`.
    pub field: &'static str,
    /// Stable code, one of the constants of this module.
    pub code: &'static str,
    /// English sentence for people; never contains a resident identity number.
    pub detail: String,
}

impl FieldError {
    pub(crate) fn new(field: &'static str, code: &'static str, detail: impl Into<String>) -> Self {
        FieldError { field, code, detail: detail.into() }
    }

    pub(crate) fn required(field: &'static str, what: &str) -> Self {
        FieldError::new(field, FIELD_REQUIRED, format!("{what} is required"))
    }
}

/// Whether an optional text field is missing or blank.
pub(crate) fn blank(value: Option<&str>) -> bool {
    value.is_none_or(|v| v.trim().is_empty())
}

/// Pushes a "required" error when `value` is blank.
pub(crate) fn require(out: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) {
    if value.trim().is_empty() {
        out.push(FieldError::required(field, what));
    }
}

/// Checks a required USCC field: present and valid under GB 32100.
pub(crate) fn require_uscc(out: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) {
    if value.trim().is_empty() {
        out.push(FieldError::required(field, what));
    } else if let Err(e) = qy_cnid::Uscc::parse(value) {
        out.push(FieldError::new(
            field,
            USCC_INVALID,
            format!("{what} is not a valid unified social credit code: {e}"),
        ));
    }
}
