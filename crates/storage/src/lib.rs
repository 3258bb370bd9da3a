//! Database access shared by all modules. See README.md.

pub mod db;
mod error;
pub mod gram_index;
mod kept;
mod migrate;
mod own;
mod params;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Db, Dialect};
pub use error::{db_err, StoreResultExt};
pub use gram_index::{GramIndex, Plan as GramPlan};
pub use kept::KeptConnection;
pub use migrate::{migrate, parity_problems, Migration, ModuleMigrations};
pub use own::OwnConnection;
pub use params::{bind_f64_or_null, values_chunks, Params, Value, ValuesChunk};
pub use sqlx;
pub use sqlx::Row;
