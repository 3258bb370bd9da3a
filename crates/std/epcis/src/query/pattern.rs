//! Identifiers and identifier patterns of the `MATCH_*` parameters.

use qy_gs1::constrained_canonical;

/// One `MATCH_*` value: an identifier in constrained canonical Digital Link form (as the event
/// hash and the repository index store them), either exact or a prefix pattern.
///
/// Patterns come from `urn:epc:idpat:…` URNs with a wildcard serial
/// (`urn:epc:idpat:sgtin:4012345.012345.*`) and from Digital Links with only a GTIN
/// (`https://id.gs1.org/01/04012345123456`), which EPCIS 2.0 lets stand for every
/// instance, lot and class of that GTIN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EpcPattern {
    /// Constrained canonical Digital Link, or the value as given for non-GS1 URIs.
    pub uri: String,
    /// `true` for patterns: [`EpcPattern::matches`] then accepts every identifier below `uri`.
    pub prefix: bool,
}

impl EpcPattern {
    /// Parses one parameter value.
    ///
    /// # Errors
    /// A message for malformed EPC URNs and for patterns other than "any serial".
    pub fn parse(value: &str) -> Result<Self, String> {
        let v = value.trim();
        if v.is_empty() {
            return Err("an empty identifier".into());
        }
        let lower = v.get(..14).map(str::to_ascii_lowercase).unwrap_or_default();
        if lower.starts_with("urn:epc:idpat:") {
            let uri = constrained_canonical(v).filter(|_| v.ends_with(".*")).ok_or_else(|| {
                format!("'{v}' is not a supported EPC pattern; only a wildcard serial (…*) is supported")
            })?;
            return Ok(Self { uri, prefix: true });
        }
        if lower.starts_with("urn:epc:") {
            let uri = constrained_canonical(v).ok_or_else(|| format!("'{v}' is not a valid EPC URN"))?;
            return Ok(Self { uri, prefix: false });
        }
        match constrained_canonical(v) {
            Some(uri) => {
                let prefix = is_gtin_only(&uri);
                Ok(Self { uri, prefix })
            }
            None => Ok(Self { uri: v.to_owned(), prefix: false }),
        }
    }

    /// Whether a stored identifier (in constrained canonical form) is matched.
    #[must_use]
    pub fn matches(&self, canonical_id: &str) -> bool {
        if canonical_id == self.uri {
            return true;
        }
        if !self.prefix {
            return false;
        }
        let Some(rest) = canonical_id.strip_prefix(self.uri.as_str()) else { return false };
        // GRAI, GDTI and GCN glue the serial onto the key without a separator.
        rest.starts_with('/') || (!rest.is_empty() && ["/8003/", "/253/", "/255/"].iter().any(|k| self.uri.contains(k)))
    }
}

/// `https://id.gs1.org/01/{14 digits}` and nothing more.
fn is_gtin_only(uri: &str) -> bool {
    uri.strip_prefix("https://id.gs1.org/01/").is_some_and(|g| g.len() == 14 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_patterns_match_instances_and_lots() {
        let p = EpcPattern::parse("urn:epc:idpat:sgtin:4012345.012345.*");
        let Ok(p) = p else { panic!("{p:?}") };
        assert_eq!(p.uri, "https://id.gs1.org/01/04012345123456");
        assert!(p.prefix);
        assert!(p.matches("https://id.gs1.org/01/04012345123456/21/7"));
        assert!(p.matches("https://id.gs1.org/01/04012345123456/10/L1"));
        assert!(!p.matches("https://id.gs1.org/01/04012345123457/21/7"));
        let dl = EpcPattern::parse("https://brand.example/01/04012345123456?17=261231");
        assert_eq!(dl, Ok(p));
    }

    #[test]
    fn exact_identifiers_are_canonicalised() {
        let p = EpcPattern::parse("urn:epc:id:sgtin:0614141.107346.2018");
        assert_eq!(p, Ok(EpcPattern { uri: "https://id.gs1.org/01/10614141073464/21/2018".into(), prefix: false }));
        let private = EpcPattern::parse("https://trace.example.org/qh/animal/263262100012345");
        assert!(private.is_ok_and(|p| !p.prefix && p.matches("https://trace.example.org/qh/animal/263262100012345")));
    }

    #[test]
    fn glued_serial_keys() {
        let p = EpcPattern::parse("urn:epc:idpat:grai:4012345.66666.*");
        assert!(p.is_ok_and(|p| p.matches("https://id.gs1.org/8003/04012345666663987")));
    }

    #[test]
    fn unsupported_patterns_are_errors() {
        assert!(EpcPattern::parse("urn:epc:idpat:sgtin:4012345.*.*").is_err());
        assert!(EpcPattern::parse("urn:epc:id:sgtin:garbage").is_err());
        assert!(EpcPattern::parse(" ").is_err());
    }
}
