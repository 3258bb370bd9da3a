//! The GS1 Application Identifiers this crate understands, with their value formats.
//!
//! Only the AIs that can appear in a GS1 Digital Link path (primary keys and key qualifiers) and
//! the common data attributes of its query string are listed: this is a validator for
//! identifiers, not a full GS1 Syntax Dictionary. Formats follow the GS1 General
//! Specifications; the alphabetic aliases are the (deprecated) short names of GS1 Digital Link
//! 1.1, which 1.2 resolvers still accept and which we normalise to numeric AIs.

use crate::charset::{check_cset39, check_cset82, check_digits};
use crate::check_digit::verify_check_digit;
use crate::check_pair::verify_gmn_check_pair;
use crate::error::Gs1Error;

/// Shape of an AI's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Exactly `n` digits, the last one a mod-10 check digit.
    NumericCheck(usize),
    /// GTIN-8, -12, -13 or -14 with check digit (a Digital Link may carry the short forms).
    Gtin,
    /// Exactly `n` digits.
    NumericFixed(usize),
    /// 1 to `n` digits.
    NumericUpTo(usize),
    /// 1 to `n` characters of set 82.
    AlnumUpTo(usize),
    /// 1 to `n` characters of set 82 beginning with a GS1 Company Prefix (so a digit).
    KeyAlnumUpTo(usize),
    /// Component/part identifier: 1 to 30 characters of set 39 beginning with a digit.
    Cpid,
    /// Global Model Number: set 82, at most 25, ending in a check character pair.
    Gmn,
    /// GRAI: filler `0`, 13 digits with check digit, optional serial of up to 16 (set 82).
    Grai,
    /// GDTI: 13 digits with check digit, optional serial of up to 17 (set 82).
    Gdti,
    /// GCN: 13 digits with check digit, optional serial of up to 12 digits.
    Gcn,
    /// ITIP: 14 digits with check digit, then piece and total (2 digits each, piece ≤ total).
    Itip,
    /// AI 7040: one digit then three characters of set 82.
    Uic,
    /// `YYMMDD`; with `zero_day`, `DD` may be `00` (meaning the end of the month).
    Date {
        /// Whether day `00` is allowed.
        zero_day: bool,
    },
}

/// One Application Identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ai {
    /// Numeric AI, e.g. `"01"`.
    pub code: &'static str,
    /// Digital Link 1.1 alias, e.g. `"gtin"`.
    pub alias: Option<&'static str>,
    /// Short English name used in messages.
    pub name: &'static str,
    /// Value format.
    pub format: Format,
}

const fn ai(code: &'static str, alias: Option<&'static str>, name: &'static str, format: Format) -> Ai {
    Ai { code, alias, name, format }
}

/// Every AI we know by number.
pub(crate) const AIS: &[Ai] = &[
    // Primary keys.
    ai("00", Some("sscc"), "SSCC", Format::NumericCheck(18)),
    ai("01", Some("gtin"), "GTIN", Format::Gtin),
    ai("8006", Some("itip"), "ITIP", Format::Itip),
    ai("8013", Some("gmn"), "GMN", Format::Gmn),
    ai("8010", Some("cpid"), "CPID", Format::Cpid),
    ai("414", Some("gln"), "GLN", Format::NumericCheck(13)),
    ai("417", Some("party"), "PGLN", Format::NumericCheck(13)),
    ai("8017", Some("gsrnp"), "GSRNP", Format::NumericCheck(18)),
    ai("8018", Some("gsrn"), "GSRN", Format::NumericCheck(18)),
    ai("253", Some("gdti"), "GDTI", Format::Gdti),
    ai("255", Some("gcn"), "GCN", Format::Gcn),
    ai("401", Some("ginc"), "GINC", Format::KeyAlnumUpTo(30)),
    ai("402", Some("gsin"), "GSIN", Format::NumericCheck(17)),
    ai("8003", Some("grai"), "GRAI", Format::Grai),
    ai("8004", Some("giai"), "GIAI", Format::KeyAlnumUpTo(30)),
    // Key qualifiers.
    ai("22", Some("cpv"), "consumer product variant", Format::AlnumUpTo(20)),
    ai("10", Some("lot"), "lot", Format::AlnumUpTo(20)),
    ai("21", Some("ser"), "serial", Format::AlnumUpTo(20)),
    ai("235", None, "third-party serial", Format::AlnumUpTo(28)),
    ai("254", Some("glnx"), "GLN extension", Format::AlnumUpTo(20)),
    ai("7040", None, "UIC with extension", Format::Uic),
    ai("8011", Some("cpsn"), "CPID serial", Format::NumericUpTo(12)),
    ai("8019", Some("srin"), "service relation instance", Format::NumericUpTo(10)),
    // Common data attributes (query string).
    ai("11", None, "production date", Format::Date { zero_day: false }),
    ai("12", None, "due date", Format::Date { zero_day: false }),
    ai("13", None, "packaging date", Format::Date { zero_day: false }),
    ai("15", None, "best before date", Format::Date { zero_day: true }),
    ai("16", None, "sell by date", Format::Date { zero_day: true }),
    ai("17", Some("exp"), "expiry date", Format::Date { zero_day: true }),
    ai("30", None, "variable count", Format::NumericUpTo(8)),
    ai("37", None, "count of trade items", Format::NumericUpTo(8)),
];

/// Look up an AI by its number. Measures `31nn`–`36nn` (six digits, last AI digit = decimals)
/// are recognised by pattern instead of being listed one by one.
pub(crate) fn lookup(code: &str) -> Option<Ai> {
    if let Some(a) = AIS.iter().find(|a| a.code == code) {
        return Some(*a);
    }
    let b = code.as_bytes();
    (b.len() == 4 && b.iter().all(u8::is_ascii_digit) && b[0] == b'3' && (b'1'..=b'6').contains(&b[1])).then_some(Ai {
        code: "3nnn",
        alias: None,
        name: "measure",
        format: Format::NumericFixed(6),
    })
}

/// Resolve a Digital Link path segment or query key to a numeric AI: numeric AIs we know are
/// returned as is, aliases (ASCII case-insensitive) are translated.
pub(crate) fn resolve(segment: &str) -> Option<&'static str> {
    AIS.iter().find(|a| a.code == segment || a.alias.is_some_and(|al| al.eq_ignore_ascii_case(segment))).map(|a| a.code)
}

/// `"01 (GTIN)"`, the way AIs are named in messages.
pub(crate) fn describe(code: &str) -> String {
    match lookup(code) {
        Some(a) => format!("{code} ({})", a.name),
        None => code.to_owned(),
    }
}

impl Ai {
    /// Validate a (percent-decoded) value. With `check_digits` false, check digits and check
    /// pairs are not verified (everything else is) — used by the event-hash canonicaliser, which
    /// must give a stable answer even for mistyped keys.
    pub(crate) fn validate(&self, value: &str, check_digits: bool) -> Result<(), Gs1Error> {
        validate_format(self.format, self.name, value, check_digits)
    }
}

fn validate_format(format: Format, name: &'static str, value: &str, csum: bool) -> Result<(), Gs1Error> {
    let n = value.chars().count();
    match format {
        Format::NumericCheck(len) => {
            check_digits(value)?;
            if n != len {
                return Err(Gs1Error::length(name, format!("{len} digits"), n));
            }
            verify(value, csum)
        }
        Format::Gtin => {
            check_digits(value)?;
            if ![8, 12, 13, 14].contains(&n) {
                return Err(Gs1Error::length(name, "8, 12, 13 or 14 digits", n));
            }
            verify(value, csum)
        }
        Format::NumericFixed(len) => {
            check_digits(value)?;
            expect_len(name, n, len, len)
        }
        Format::NumericUpTo(max) => {
            check_digits(value)?;
            expect_len(name, n, 1, max)
        }
        Format::AlnumUpTo(max) => {
            check_cset82(value)?;
            expect_len(name, n, 1, max)
        }
        Format::KeyAlnumUpTo(max) => {
            check_cset82(value)?;
            expect_len(name, n, 1, max)?;
            starts_with_digit(name, value)
        }
        Format::Cpid => {
            check_cset39(value)?;
            expect_len(name, n, 1, 30)?;
            starts_with_digit(name, value)
        }
        Format::Gmn => {
            check_cset82(value)?;
            expect_len(name, n, 3, 25)?;
            starts_with_digit(name, value)?;
            if csum {
                verify_gmn_check_pair(value)?;
            }
            Ok(())
        }
        Format::Grai => {
            let (head, serial) = split_digits(name, value, 14)?;
            if !head.starts_with('0') {
                let found = head.chars().next().unwrap_or('?');
                return Err(Gs1Error::syntax(format!("{name} must start with the filler digit 0, found {found:?}")));
            }
            verify(head, csum)?;
            check_serial(serial, 16, 15, false)
        }
        Format::Gdti => {
            let (head, serial) = split_digits(name, value, 13)?;
            verify(head, csum)?;
            check_serial(serial, 17, 14, false)
        }
        Format::Gcn => {
            let (head, serial) = split_digits(name, value, 13)?;
            verify(head, csum)?;
            check_serial(serial, 12, 14, true)
        }
        Format::Itip => {
            check_digits(value)?;
            if n != 18 {
                return Err(Gs1Error::length(name, "18 digits (GTIN-14, piece, total)", n));
            }
            let (gtin, rest) = value.split_at(14);
            verify(gtin, csum).map_err(|e| e.in_field("GTIN part"))?;
            let (piece, total) = rest.split_at(2);
            if piece == "00" || total == "00" || piece > total {
                return Err(Gs1Error::syntax(format!(
                    "{name} piece {piece} of total {total}: both must be 01-99 and piece must not exceed total"
                )));
            }
            Ok(())
        }
        Format::Uic => {
            expect_len(name, n, 4, 4)?;
            check_digits(&value.chars().take(1).collect::<String>())?;
            check_cset82(value)
        }
        Format::Date { zero_day } => {
            check_digits(value)?;
            expect_len(name, n, 6, 6)?;
            check_yymmdd(value, zero_day)
        }
    }
}

fn verify(code: &str, csum: bool) -> Result<(), Gs1Error> {
    if csum {
        verify_check_digit(code)
    } else {
        Ok(())
    }
}

fn expect_len(name: &'static str, n: usize, min: usize, max: usize) -> Result<(), Gs1Error> {
    if (min..=max).contains(&n) {
        return Ok(());
    }
    let expected = if min == max { format!("{min} characters") } else { format!("{min} to {max} characters") };
    Err(Gs1Error::length(name, expected, n))
}

fn starts_with_digit(name: &'static str, value: &str) -> Result<(), Gs1Error> {
    match value.chars().next() {
        Some(c) if c.is_ascii_digit() => Ok(()),
        found => Err(Gs1Error::syntax(format!(
            "{name} must begin with a GS1 Company Prefix (digits), found {:?} at position 1",
            found.unwrap_or(' ')
        ))),
    }
}

/// Split a value into its leading `len` digits and the rest.
fn split_digits<'a>(name: &'static str, value: &'a str, len: usize) -> Result<(&'a str, &'a str), Gs1Error> {
    let head: String = value.chars().take(len).collect();
    check_digits(&head)?;
    if head.len() < len {
        return Err(Gs1Error::length(name, format!("at least {len} digits"), head.len()));
    }
    Ok(value.split_at(len))
}

/// Check an optional trailing serial; `offset` turns its positions into positions in the value.
fn check_serial(serial: &str, max: usize, offset: usize, numeric: bool) -> Result<(), Gs1Error> {
    let shift = |e: Gs1Error| match e {
        Gs1Error::Charset { position, found, allowed } => {
            Gs1Error::Charset { position: position + offset, found, allowed }
        }
        Gs1Error::NonDigit { position, found } => Gs1Error::NonDigit { position: position + offset, found },
        other => other,
    };
    if numeric {
        check_digits(serial).map_err(shift)?;
    } else {
        check_cset82(serial).map_err(shift)?;
    }
    let n = serial.chars().count();
    if n > max {
        return Err(Gs1Error::length("serial component", format!("at most {max} characters"), n));
    }
    Ok(())
}

/// Validate `YYMMDD` (GS1 dates have a two-digit year; a year divisible by 4 is taken as a leap
/// year, which is right for 2000–2099, the window GS1's century rule yields today).
pub(crate) fn check_yymmdd(value: &str, zero_day: bool) -> Result<(), Gs1Error> {
    let num = |r: std::ops::Range<usize>| value.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(99);
    let (yy, mm, dd) = (num(0..2), num(2..4), num(4..6));
    let date = |reason| Err(Gs1Error::Date { found: value.to_owned(), reason });
    if !(1..=12).contains(&mm) {
        return date("month must be 01-12");
    }
    if dd == 0 {
        return if zero_day { Ok(()) } else { date("day must not be 00") };
    }
    if dd > days_in_month(2000 + yy, mm) {
        return date("no such day in that month");
    }
    Ok(())
}

/// Days in a Gregorian month.
// `u32::is_multiple_of` needs Rust 1.87; the workspace's rust-version is 1.85.
#[allow(clippy::manual_is_multiple_of)]
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(code: &str, value: &str) -> Result<(), Gs1Error> {
        lookup(code).map_or(Err(Gs1Error::syntax("unknown")), |a| a.validate(value, true))
    }

    #[test]
    fn aliases_resolve() {
        assert_eq!(resolve("gtin"), Some("01"));
        assert_eq!(resolve("GTIN"), Some("01"));
        assert_eq!(resolve("ser"), Some("21"));
        assert_eq!(resolve("glnx"), Some("254"));
        assert_eq!(resolve("01"), Some("01"));
        assert_eq!(resolve("99"), None);
        assert_eq!(lookup("3103").map(|a| a.format), Some(Format::NumericFixed(6)));
        assert_eq!(describe("21"), "21 (serial)");
    }

    #[test]
    fn formats() {
        assert_eq!(check("01", "10614141073464"), Ok(()));
        assert_eq!(check("01", "96385074"), Ok(()));
        assert_eq!(
            check("01", "1061414107346").map_err(|e| e.to_string()),
            Err("check digit should be 0, found 6".into())
        );
        assert_eq!(
            check("01", "10614141073").map_err(|e| e.to_string()),
            Err("GTIN must be 8, 12, 13 or 14 digits, found 11".into())
        );
        assert_eq!(check("8003", "04012345555554987"), Ok(()));
        assert_eq!(check("8003", "0401234555555"), Err(Gs1Error::length("GRAI", "at least 14 digits", 13)));
        assert!(check("8003", "14012345555554987").is_err());
        assert_eq!(check("253", "06141410000121618034"), Ok(()));
        assert_eq!(check("8004", "4000001111"), Ok(()));
        assert!(check("8004", "A000001111").is_err());
        assert_eq!(check("8006", "040123451234560102"), Ok(()));
        assert!(check("8006", "040123451234560302").is_err());
        assert_eq!(check("8010", "061414111111111111111-A#/"), Ok(()));
        assert_eq!(check("8013", "1987654Ad4X4bL5ttr2310c2K"), Ok(()));
        assert_eq!(check("17", "261231"), Ok(()));
        assert_eq!(check("17", "261200"), Ok(()));
        assert!(check("11", "261200").is_err());
        assert!(check("11", "250229").is_err());
        assert_eq!(check("11", "240229"), Ok(()));
        assert_eq!(check("3103", "000500"), Ok(()));
        assert_eq!(check("7040", "1ABC"), Ok(()));
        assert_eq!(check("255", "0811625999996554433"), Ok(()));
        assert!(check("255", "081162599999655443X").is_err());
    }
}
