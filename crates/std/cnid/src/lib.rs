//! Chinese national identifiers, validated by their standards' own rules.
//!
//! | type | standard | module |
//! | ---- | -------- | ------ |
//! | [`Uscc`] unified social credit code (统一社会信用代码) | GB 32100-2015, MOD 31 | [`uscc`] |
//! | [`OrgCode`] organisation code (组织机构代码) | GB 11714-1997, MOD 11 | [`orgcode`] |
//! | [`ResidentId`] citizen identity number (公民身份号码) | GB 11643-1999, ISO 7064 MOD 11-2 | [`resident_id`] |
//! | [`ElicenceId`] e-licence identifier (电子证照标识) | GB/T 36904-2018, ISO 7064 MOD 37,36 | [`elicence`] |
//! | [`RegistrationNo`] 15-digit business registration number (工商注册号) | GS 15-2006, ISO 7064 MOD 11,10 | [`registration_no`] |
//! | [`RegionCode`] division code (行政区划代码 / 统计用区划代码) | GB/T 2260, NBS 9/12-digit | [`region_code`] |
//!
//! Every type is *parse, don't validate*: the only way to get one is `parse` (or a builder
//! that computes the check characters), so holding a value proves it is well-formed. Parsers
//! [`normalise()`] first (trim, full-width → half-width, upper-case) and never panic on any
//! input. Errors are [`IdError`] with a stable [`IdError::code`]; soft findings on valid
//! values are [`Warning`]s. [`check`] guesses the kind of an arbitrary string and reports on it
//! (the `qingyun tools id check` command).
//!
//! Resident identity numbers are personal data: [`ResidentId`]'s `Debug` prints only the masked
//! form, it has no `Display`/`Serialize`, and [`CheckReport`] never contains the full number.
//!
//! ```
//! use qy_cnid::{check, Kind, Uscc};
//!
//! let u = Uscc::parse(" 91440300708461136t ").unwrap();
//! assert_eq!(u.as_str(), "91440300708461136T");
//! assert_eq!(u.region_code(), "440300");
//!
//! let r = check("914403001922038217");
//! assert_eq!(r.kind, Kind::Uscc);
//! assert_eq!(r.reason.as_deref(), Some("check character: expected 6, found 7"));
//! ```

pub mod detect;
pub mod elicence;
pub mod error;
pub mod normalise;
pub mod orgcode;
pub mod region_code;
pub mod registration_no;
pub mod resident_id;
pub mod uscc;
pub mod warning;

pub use detect::{check, CheckReport, Kind};
pub use elicence::ElicenceId;
pub use error::IdError;
pub use normalise::normalise;
pub use orgcode::OrgCode;
pub use region_code::{RegionCode, RegionLevel};
pub use registration_no::RegistrationNo;
pub use resident_id::{BirthDate, ResidentId, Sex};
pub use uscc::{RegistrationAuthority, Uscc};
pub use warning::Warning;
