//! SQL of the traceability module. Nothing else in the module writes SQL.

pub mod captures;
pub mod events;
pub mod master;
pub mod queries;
pub mod recalls;
pub mod search;
pub mod select;

/// The `VALUES` rows of a multi-row INSERT binding `rows` × `width` values in order:
/// `($1, $2), ($3, $4)` on PostgreSQL, `(?, ?), (?, ?)` on SQLite. (Rows bind typed values directly, so `Params` is not used here:
/// nullable doubles need `bind_f64_or_null`.)
pub(crate) fn value_tuples(dialect: qy_storage::Dialect, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            // Anonymous on SQLite: sqlx binds `$N` there in quadratic time (`Params::positional`).
            let cells: Vec<String> = (1..=width)
                .map(|c| {
                    if dialect == qy_storage::Dialect::Sqlite {
                        "?".to_owned()
                    } else {
                        format!("${}", r * width + c)
                    }
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
