//! All SQL of the credit module, one file per table group.

pub mod cases;
pub mod checks;
pub mod events;
pub mod lists;
pub mod records;
pub mod subjects;

use qy_storage::Params;

/// `$3, $4, $5` for a list of values (an `IN (…)` clause).
pub(crate) fn placeholders(p: &mut Params, values: &[String]) -> String {
    values.iter().map(|v| p.push(v.as_str())).collect::<Vec<_>>().join(", ")
}

pub(crate) fn flag(v: bool) -> i64 {
    i64::from(v)
}
