//! SQL of the traceability module. Nothing else in the module writes SQL.

pub mod captures;
pub mod events;
pub mod master;
pub mod queries;
pub mod recalls;
pub mod search;
pub mod select;

/// `$1, $2, …` placeholders for `n` rows of `width` values, starting after `offset`.
pub(crate) fn rows_placeholders(n: usize, width: usize, offset: usize) -> String {
    (0..n)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", offset + r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
