//! GS1 identifiers for traceability: check digits, keys, GS1 Digital Link, EPC URNs — and the
//! Chinese codes that travel with them (livestock ear tags, certification codes).
//!
//! | what | module |
//! | ---- | ------ |
//! | GS1 mod-10 check digit | [`check_digit`] |
//! | GMN check character pair | [`check_pair`] |
//! | GS1 keys (GTIN, GLN, SSCC, GRAI, GIAI …), bare-code checker | [`keys`] |
//! | GS1 Digital Link parse / write / canonical form | [`digital_link`] |
//! | which qualifiers follow which key, in which order | [`qualifiers`] |
//! | EPC URN ⇄ Digital Link | [`epc_urn`] |
//! | constrained canonical form for the EPCIS event hash | [`constrained`] |
//! | 畜禽标识 livestock ear tags | [`ear_tag`] |
//! | 绿色食品 / 有机 / 兽药追溯 / 地理标志 code layouts | [`cert_codes`] |
//! | "what is this string?" ([`check`], `qingyun tools gs1 check`) | [`detect`] |
//!
//! Identifiers are stored in canonical Digital Link form (as OpenEPCIS does): converting a URN
//! to a Digital Link needs no data, while the reverse needs the GS1 Company Prefix length.
//! Nothing here panics on any input; errors are [`Gs1Error`] with a stable
//! [`Gs1Error::code`] and a message that names the expected and the found value.
//!
//! ```
//! use qy_gs1::{check, constrained_canonical, urn_to_digital_link, DigitalLink};
//!
//! assert_eq!(qy_gs1::mod10_check_digit("0952123400001"), Some(3));
//! let dl = DigitalLink::parse("https://brand.example/gtin/9521234000013/lot/L1").unwrap();
//! assert_eq!(dl.canonical(), "https://id.gs1.org/01/09521234000013/10/L1");
//! assert_eq!(
//!     urn_to_digital_link("urn:epc:id:sscc:0614141.1234567890").as_deref(),
//!     Ok("https://id.gs1.org/00/106141412345678908")
//! );
//! assert_eq!(check("263262100012345").kind.as_str(), "ear_tag");
//! assert_eq!(
//!     constrained_canonical("urn:epc:class:lgtin:4012345.012345.Lot987").as_deref(),
//!     Some("https://id.gs1.org/01/04012345123456/10/Lot987")
//! );
//! ```

mod ai;
pub mod cert_codes;
pub mod charset;
pub mod check_digit;
pub mod check_pair;
pub mod constrained;
pub mod detect;
pub mod digital_link;
pub mod ear_tag;
pub mod epc_urn;
pub mod error;
pub mod keys;
pub mod normalise;
pub mod qualifiers;
mod region;
pub mod report;

pub use cert_codes::{check_certificate_code, CertCode, CertKind};
pub use check_digit::{has_valid_check_digit, mod10_check_digit};
pub use check_pair::gmn_check_pair;
pub use constrained::constrained_canonical;
pub use detect::check;
pub use digital_link::{DigitalLink, CANONICAL_DOMAIN};
pub use ear_tag::{parse_ear_tag, EarTag, Species};
pub use epc_urn::{digital_link_to_urn, urn_to_digital_link};
pub use error::Gs1Error;
pub use keys::KeyKind;
pub use report::{Kind, Report};
