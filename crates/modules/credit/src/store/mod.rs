//! All SQL of the credit module, one file per table group.

pub mod cases;
pub mod checks;
pub mod events;
pub mod lists;
pub mod records;
pub mod subjects;

pub(crate) fn flag(v: bool) -> i64 {
    i64::from(v)
}
