//! The "constrained canonical" Digital Link of the EPCIS event hash (CBV 2.0 §8.9).
//!
//! The event hash must not change when the same object is written as an EPC URN, a class or
//! pattern URN, or a Digital Link on a brand domain with aliases and a query string. So every
//! such identifier is reduced to one string: canonical Digital Link on `id.gs1.org`, numeric
//! AIs, GTIN-14, no query string, and only the most specific key level (see
//! [`DigitalLink::constrained`]).

use crate::digital_link::DigitalLink;
use crate::epc_urn::urn_to_link;

/// Constrained canonical GS1 Digital Link for an EPC URN (`id`, `class` or `idpat`) or any
/// Digital Link URI; `None` when the input is not a GS1 identifier, in which case the caller
/// keeps the value as it is.
///
/// Check digits of Digital Link keys are deliberately *not* verified here: a mistyped key is
/// still the same mistyped key in every syntax, and the hash must treat it consistently (as the
/// reference implementation does). Everything else — AIs, qualifier order, value formats — must
/// be valid.
///
/// ```
/// use qy_gs1::constrained_canonical;
/// assert_eq!(
///     constrained_canonical("urn:epc:idpat:sgtin:4012345.012345.*").as_deref(),
///     Some("https://id.gs1.org/01/04012345123456")
/// );
/// assert_eq!(
///     constrained_canonical("https://brand.example/gtin/9521234000013/lot/L1/ser/7?17=261231").as_deref(),
///     Some("https://id.gs1.org/01/09521234000013/21/7")
/// );
/// assert_eq!(constrained_canonical("https://example.com/animal/263262100012345"), None);
/// ```
#[must_use]
pub fn constrained_canonical(uri: &str) -> Option<String> {
    let t = uri.trim();
    let starts = |p: &str| t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    let link = if starts("urn:epc:") {
        let link = urn_to_link(t).ok()?;
        link.validate().ok()?;
        link
    } else if starts("https://") || starts("http://") {
        DigitalLink::parse_with(t, false).ok()?
    } else {
        return None;
    };
    Some(link.constrained().canonical())
}
