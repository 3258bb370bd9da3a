//! Rules of China's public-credit practice (公共信用信息), as pure functions.
//!
//! - [`penalty`], [`licence`]: the 双公示 records (行政处罚 / 行政许可) and their validation;
//! - [`fields`]: import-sheet headers (national codes and Chinese labels);
//! - [`publication`]: effective-dated publication periods (three national regimes);
//! - [`repair`]: credit-repair eligibility;
//! - [`score`]: a transparent, configurable credit evaluation.
//!
//! Facts come from `shared/reference/gov-services-credit-poverty.md` §4.2, §4.3 and §7.2; each
//! module names its source. Nothing here does I/O, uses floats, or panics on any input.

pub mod error;
pub mod field_error;
pub mod fields;
pub mod licence;
pub mod money;
pub mod months;
pub mod penalty;
pub mod penalty_category;
pub mod publication;
pub mod repair;
pub mod score;
pub mod severity;
pub mod subject;

pub use error::RuleError;
pub use field_error::FieldError;
pub use fields::{licence_field, penalty_field, LicenceField, PenaltyField, LICENCE_HEADERS, PENALTY_HEADERS};
pub use licence::{Licence, LicenceKind, LicenceStatus, LONG_TERM};
pub use money::{fen_to_wan_yuan, wan_yuan_to_fen, FEN_PER_WAN_YUAN};
pub use months::{add_months, whole_months_between};
pub use penalty::Penalty;
pub use penalty_category::{parse_categories, PenaltyCategory};
pub use publication::{is_public, PublicationPolicy, Regime, SeverityPeriod, Window};
pub use repair::{repair_blockers, RepairBlocker};
pub use score::{Evaluation, Factor, PenaltyPoints, RecencyBand, ScoreInput, ScoreModel, ScoredPenalty, SCORE_RANGE};
pub use severity::Severity;
pub use subject::{is_resident_id_type, SubjectCategory};
