//! EPC URNs (GS1 EPC Tag Data Standard) ⇄ GS1 Digital Link.
//!
//! **URN → Digital Link needs no table**: the URN splits the key into company prefix and
//! reference with a dot, so the key is rebuilt by moving the indicator (or SSCC extension digit)
//! from the front of the reference to the front of the key, concatenating and appending the
//! mod-10 check digit. **Digital Link → URN needs the GS1 Company Prefix length** (6–12 digits),
//! which the digits alone do not reveal; callers must take it from their own registry.
//!
//! Supported: `id` schemes sgtin, sscc, sgln, grai, giai, gsrn, gsrnp, gdti, cpi, sgcn, ginc,
//! gsin, itip, upui, pgln; `class` lgtin; `idpat` sgtin, sgln, grai, gdti, sgcn, cpi, itip, upui
//! when the pattern pins a single key (`CP.REF.*`).

use crate::ai;
use crate::charset::{check_cset39, percent_decode, percent_encode_urn};
use crate::check_digit::with_check_digit;
use crate::digital_link::DigitalLink;
use crate::error::Gs1Error;
use crate::keys::KeyKind;

/// Convert an EPC URN to its canonical GS1 Digital Link URI.
///
/// ```
/// assert_eq!(
///     qy_gs1::urn_to_digital_link("urn:epc:id:sgtin:0614141.107346.2017").as_deref(),
///     Ok("https://id.gs1.org/01/10614141073464/21/2017")
/// );
/// ```
///
/// # Errors
/// When the URN is not a supported, well-formed EPC URN.
pub fn urn_to_digital_link(urn: &str) -> Result<String, Gs1Error> {
    let link = urn_to_link(urn)?;
    link.validate()?;
    Ok(link.canonical())
}

/// Parse an EPC URN into a (not yet validated) [`DigitalLink`] on the canonical domain.
pub(crate) fn urn_to_link(urn: &str) -> Result<DigitalLink, Gs1Error> {
    let urn = urn.trim();
    let rest = urn
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("urn:epc:"))
        .map(|_| &urn[8..])
        .ok_or_else(|| Gs1Error::syntax("an EPC URN must start with urn:epc:"))?;
    let mut parts = rest.splitn(3, ':');
    let (class, scheme, body) = match (parts.next(), parts.next(), parts.next()) {
        (Some(c), Some(s), Some(b)) => (c, s, b),
        _ => return Err(Gs1Error::syntax("an EPC URN must look like urn:epc:id:{scheme}:{fields}")),
    };
    let class = class.to_ascii_lowercase();
    let scheme = scheme.to_ascii_lowercase();
    let unsupported = || Gs1Error::syntax(format!("unsupported EPC URN type urn:epc:{class}:{scheme}"));
    match class.as_str() {
        "id" => id_urn(&scheme, body).and_then(|l| l.ok_or_else(unsupported)),
        "class" if scheme == "lgtin" => {
            let [cp, ir, lot] = fields::<3>(body)?;
            Ok(DigitalLink::new("01", &gtin(cp, ir)?).with_qualifier("10", &component(lot, "lot")?))
        }
        "idpat" => pattern_urn(&scheme, body).and_then(|l| l.ok_or_else(unsupported)),
        _ => Err(unsupported()),
    }
}

/// `Ok(None)` for a scheme we do not support.
fn id_urn(scheme: &str, body: &str) -> Result<Option<DigitalLink>, Gs1Error> {
    Ok(Some(match scheme {
        "sgtin" => {
            let [cp, ir, ser] = fields::<3>(body)?;
            DigitalLink::new("01", &gtin(cp, ir)?).with_qualifier("21", &component(ser, "serial")?)
        }
        "upui" => {
            let [cp, ir, tpx] = fields::<3>(body)?;
            DigitalLink::new("01", &gtin(cp, ir)?).with_qualifier("235", &component(tpx, "TPX")?)
        }
        "sscc" => {
            let [cp, sr] = fields::<2>(body)?;
            digits(cp, sr, 17)?;
            let (ext, rest) = sr.split_at(1);
            DigitalLink::new("00", &check(&format!("{ext}{cp}{rest}"))?)
        }
        "sgln" => {
            let [cp, lr, ext] = fields::<3>(body)?;
            digits(cp, lr, 12)?;
            let link = DigitalLink::new("414", &check(&format!("{cp}{lr}"))?);
            // Extension "0" means "no extension" in the Tag Data Standard.
            if ext == "0" {
                link
            } else {
                link.with_qualifier("254", &component(ext, "extension")?)
            }
        }
        "pgln" => {
            let [cp, pr] = fields::<2>(body)?;
            digits(cp, pr, 12)?;
            DigitalLink::new("417", &check(&format!("{cp}{pr}"))?)
        }
        "grai" => {
            let [cp, at, ser] = fields::<3>(body)?;
            digits(cp, at, 12)?;
            DigitalLink::new("8003", &format!("{}{}", check(&format!("0{cp}{at}"))?, component(ser, "serial")?))
        }
        "gdti" => {
            let [cp, dt, ser] = fields::<3>(body)?;
            digits(cp, dt, 12)?;
            DigitalLink::new("253", &format!("{}{}", check(&format!("{cp}{dt}"))?, component(ser, "serial")?))
        }
        "sgcn" => {
            let [cp, cr, ser] = fields::<3>(body)?;
            digits(cp, cr, 12)?;
            DigitalLink::new("255", &format!("{}{}", check(&format!("{cp}{cr}"))?, component(ser, "serial")?))
        }
        "giai" | "ginc" => {
            let [cp, reference] = fields::<2>(body)?;
            company_prefix(cp)?;
            let ai = if scheme == "giai" { "8004" } else { "401" };
            DigitalLink::new(ai, &format!("{cp}{}", component(reference, "reference")?))
        }
        "gsrn" | "gsrnp" => {
            let [cp, sr] = fields::<2>(body)?;
            digits(cp, sr, 17)?;
            let ai = if scheme == "gsrn" { "8018" } else { "8017" };
            DigitalLink::new(ai, &check(&format!("{cp}{sr}"))?)
        }
        "gsin" => {
            let [cp, sr] = fields::<2>(body)?;
            digits(cp, sr, 16)?;
            DigitalLink::new("402", &check(&format!("{cp}{sr}"))?)
        }
        "itip" => {
            let [cp, ir, piece, total, ser] = fields::<5>(body)?;
            DigitalLink::new("8006", &format!("{}{piece}{total}", gtin(cp, ir)?))
                .with_qualifier("21", &component(ser, "serial")?)
        }
        "cpi" => {
            let [cp, cpref, ser] = fields::<3>(body)?;
            DigitalLink::new("8010", &cpid(cp, cpref)?).with_qualifier("8011", ser)
        }
        _ => return Ok(None),
    }))
}

/// `Ok(None)` for a scheme we do not support.
fn pattern_urn(scheme: &str, body: &str) -> Result<Option<DigitalLink>, Gs1Error> {
    let star = |last: &str| {
        if last == "*" {
            Ok(())
        } else {
            Err(Gs1Error::syntax(format!(
                "only patterns that end in .* after a full key are supported (found {last:?})"
            )))
        }
    };
    Ok(Some(match scheme {
        "sgtin" | "upui" => {
            let [cp, ir, last] = fields::<3>(body)?;
            star(last)?;
            DigitalLink::new("01", &gtin(cp, ir)?)
        }
        "sgln" => {
            let [cp, lr, last] = fields::<3>(body)?;
            star(last)?;
            digits(cp, lr, 12)?;
            DigitalLink::new("414", &check(&format!("{cp}{lr}"))?)
        }
        "grai" => {
            let [cp, at, last] = fields::<3>(body)?;
            star(last)?;
            digits(cp, at, 12)?;
            DigitalLink::new("8003", &check(&format!("0{cp}{at}"))?)
        }
        "gdti" | "sgcn" => {
            let [cp, dt, last] = fields::<3>(body)?;
            star(last)?;
            digits(cp, dt, 12)?;
            DigitalLink::new(if scheme == "gdti" { "253" } else { "255" }, &check(&format!("{cp}{dt}"))?)
        }
        "itip" => {
            let [cp, ir, piece, total, last] = fields::<5>(body)?;
            star(last)?;
            DigitalLink::new("8006", &format!("{}{piece}{total}", gtin(cp, ir)?))
        }
        "cpi" => {
            let [cp, cpref, last] = fields::<3>(body)?;
            star(last)?;
            DigitalLink::new("8010", &cpid(cp, cpref)?)
        }
        _ => return Ok(None),
    }))
}

/// Split the URN body into exactly `N` dot-separated fields; the last one takes the rest, since
/// serials may themselves contain dots.
fn fields<const N: usize>(body: &str) -> Result<[&str; N], Gs1Error> {
    let mut out = [""; N];
    let mut it = body.splitn(N, '.');
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = it.next().ok_or_else(|| {
            Gs1Error::syntax(format!("EPC URN body {body:?} has {i} dot-separated fields, expected {N}"))
        })?;
    }
    Ok(out)
}

fn company_prefix(cp: &str) -> Result<(), Gs1Error> {
    crate::charset::check_digits(cp).map_err(|e| e.in_field("company prefix"))?;
    if !(6..=12).contains(&cp.len()) {
        return Err(Gs1Error::length("company prefix", "6 to 12 digits", cp.len()));
    }
    Ok(())
}

/// Company prefix and reference must be digits and together `total` long.
fn digits(cp: &str, reference: &str, total: usize) -> Result<(), Gs1Error> {
    company_prefix(cp)?;
    crate::charset::check_digits(reference).map_err(|e| e.in_field("reference"))?;
    let n = cp.len() + reference.len();
    if n != total {
        return Err(Gs1Error::length("company prefix and reference together", format!("{total} digits"), n));
    }
    Ok(())
}

/// GTIN-14 from company prefix and indicator + item reference.
fn gtin(cp: &str, ir: &str) -> Result<String, Gs1Error> {
    digits(cp, ir, 13)?;
    let (indicator, item) = ir.split_at(1);
    check(&format!("{indicator}{cp}{item}"))
}

fn check(digits_without_check: &str) -> Result<String, Gs1Error> {
    with_check_digit(digits_without_check).ok_or_else(|| Gs1Error::syntax("key digits expected"))
}

fn cpid(cp: &str, cpref: &str) -> Result<String, Gs1Error> {
    company_prefix(cp)?;
    let cpref = percent_decode(cpref)?;
    check_cset39(&cpref).map_err(|e| e.in_field("component/part reference"))?;
    Ok(format!("{cp}{cpref}"))
}

/// Decode a URN component. The Tag Data Standard requires `" % & / < > ?` to be escaped, so a
/// literal one means the URN was assembled by hand and may have been cut at the wrong place.
fn component(raw: &str, what: &str) -> Result<String, Gs1Error> {
    if let Some((i, c)) = raw.chars().enumerate().find(|(_, c)| "\"&/<>?#".contains(*c)) {
        return Err(Gs1Error::syntax(format!(
            "{what}: character {c:?} at position {} must be percent-encoded in an EPC URN",
            i + 1
        )));
    }
    if raw.is_empty() {
        return Err(Gs1Error::syntax(format!("{what} is empty")));
    }
    percent_decode(raw).map_err(|e| e.in_field(what.to_owned()))
}

/// Convert a GS1 Digital Link to an EPC URN, given the length of the GS1 Company Prefix
/// (6–12; GS1 China issues 7 to 12).
///
/// A GTIN with serial becomes `sgtin`, with lot only `class:lgtin`, alone `idpat:sgtin:…*`; a
/// GLN without extension gets the extension `0`. Query strings are ignored.
///
/// ```
/// assert_eq!(
///     qy_gs1::digital_link_to_urn("https://id.gs1.org/01/10614141073464/21/2017", 7).as_deref(),
///     Ok("urn:epc:id:sgtin:0614141.107346.2017")
/// );
/// ```
///
/// # Errors
/// When the link is invalid, the prefix length is out of range or too long for the key, or the
/// key has no EPC URN form (GMN, GLN with AI 7040).
pub fn digital_link_to_urn(dl: &str, company_prefix_len: u8) -> Result<String, Gs1Error> {
    let link = DigitalLink::parse(dl)?;
    let l = usize::from(company_prefix_len);
    if !(6..=12).contains(&l) {
        return Err(Gs1Error::syntax(format!("company prefix length must be 6 to 12, found {l}")));
    }
    let kind = link.key_kind().ok_or_else(|| Gs1Error::syntax("not a primary key"))?;
    let v = link.primary.1.as_str();
    let enc = percent_encode_urn;
    let head = |n: usize| -> Result<(&str, &str), Gs1Error> {
        // Company prefix and reference out of the first n digits (check digit excluded).
        if v.len() < n || l > n {
            return Err(Gs1Error::syntax(format!("company prefix length {l} does not fit a {} {v}", kind.label())));
        }
        Ok((&v[..l], &v[l..n]))
    };
    Ok(match kind {
        KeyKind::Gtin | KeyKind::Itip => {
            let g = if kind == KeyKind::Gtin { format!("{v:0>14}") } else { v[..14].to_owned() };
            let cp_ir = format!("{}.{}{}", &g[1..=l], &g[..1], &g[l + 1..13]);
            if kind == KeyKind::Itip {
                let pt = format!("{}.{}", &v[14..16], &v[16..18]);
                match link.qualifier("21") {
                    Some(s) => format!("urn:epc:id:itip:{cp_ir}.{pt}.{}", enc(s)),
                    None => format!("urn:epc:idpat:itip:{cp_ir}.{pt}.*"),
                }
            } else if let Some(tpx) = link.qualifier("235") {
                format!("urn:epc:id:upui:{cp_ir}.{}", enc(tpx))
            } else if let Some(s) = link.qualifier("21") {
                format!("urn:epc:id:sgtin:{cp_ir}.{}", enc(s))
            } else if let Some(lot) = link.qualifier("10") {
                format!("urn:epc:class:lgtin:{cp_ir}.{}", enc(lot))
            } else {
                format!("urn:epc:idpat:sgtin:{cp_ir}.*")
            }
        }
        KeyKind::Sscc => {
            format!("urn:epc:id:sscc:{}.{}{}", &v[1..=l], &v[..1], &v[l + 1..17])
        }
        KeyKind::Gln => {
            if link.qualifier("7040").is_some() {
                return Err(Gs1Error::syntax("a GLN with AI 7040 has no EPC URN form"));
            }
            let (cp, lr) = head(12)?;
            format!("urn:epc:id:sgln:{cp}.{lr}.{}", link.qualifier("254").map_or_else(|| "0".to_owned(), enc))
        }
        KeyKind::Pgln => {
            let (cp, pr) = head(12)?;
            format!("urn:epc:id:pgln:{cp}.{pr}")
        }
        KeyKind::Grai => {
            let (cp, at) = (&v[1..=l], &v[l + 1..13]);
            match &v[14..] {
                "" => format!("urn:epc:idpat:grai:{cp}.{at}.*"),
                serial => format!("urn:epc:id:grai:{cp}.{at}.{}", enc(serial)),
            }
        }
        KeyKind::Gdti | KeyKind::Gcn => {
            let (cp, r) = head(12)?;
            let scheme = if kind == KeyKind::Gdti { "gdti" } else { "sgcn" };
            match &v[13..] {
                "" => format!("urn:epc:idpat:{scheme}:{cp}.{r}.*"),
                serial => format!("urn:epc:id:{scheme}:{cp}.{r}.{}", enc(serial)),
            }
        }
        KeyKind::Giai | KeyKind::Ginc | KeyKind::Cpid => {
            let cp = v.get(..l).filter(|cp| crate::charset::all_digits(cp)).ok_or_else(|| {
                Gs1Error::syntax(format!("{} {v} does not start with a {l}-digit company prefix", kind.label()))
            })?;
            let reference = &v[l..];
            match kind {
                KeyKind::Cpid => match link.qualifier("8011") {
                    Some(s) => format!("urn:epc:id:cpi:{cp}.{}.{s}", enc(reference)),
                    None => format!("urn:epc:idpat:cpi:{cp}.{}.*", enc(reference)),
                },
                _ if reference.is_empty() => {
                    return Err(Gs1Error::syntax(format!(
                        "{} {v} has no reference after the company prefix",
                        kind.label()
                    )))
                }
                KeyKind::Giai => format!("urn:epc:id:giai:{cp}.{}", enc(reference)),
                _ => format!("urn:epc:id:ginc:{cp}.{}", enc(reference)),
            }
        }
        KeyKind::Gsrn | KeyKind::Gsrnp => {
            let (cp, sr) = head(17)?;
            format!("urn:epc:id:{}:{cp}.{sr}", if kind == KeyKind::Gsrn { "gsrn" } else { "gsrnp" })
        }
        KeyKind::Gsin => {
            let (cp, sr) = head(16)?;
            format!("urn:epc:id:gsin:{cp}.{sr}")
        }
        KeyKind::Gmn => return Err(Gs1Error::syntax(format!("{} has no EPC URN form", ai::describe("8013")))),
    })
}
