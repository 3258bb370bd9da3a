//! The regulator's registers: producers, products and certificates.

use qy_kernel::{Error, Principal, Result};

use super::forms::{date, gtin14};
use super::Trace;
use crate::domain::{perm, Cert, Party, Product, CATEGORIES, CERT_KINDS, PARTY_KINDS};
use crate::store::master;

fn regulator(p: &Principal) -> Result<()> {
    if p.can(perm::REGULATE) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "trace.forbidden",
            "registering producers, products and certificates needs trace.regulate",
        ))
    }
}

fn required(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() {
        Err(Error::bad_request("trace.missing_field", format!("{field} is required")).with_arg("field", field))
    } else {
        Ok(v.to_owned())
    }
}

impl Trace {
    pub async fn register_party(&self, by: &Principal, mut p: Party) -> Result<Party> {
        regulator(by)?;
        p.uscc = qy_cnid::Uscc::parse(p.uscc.trim())
            .map_err(|e| Error::bad_request("trace.invalid_uscc", format!("USCC: {e}")))?
            .as_str()
            .to_owned();
        p.name = required("name", &p.name)?;
        if !PARTY_KINDS.contains(&p.kind.as_str()) {
            return Err(Error::bad_request(
                "trace.invalid_kind",
                format!("kind must be one of {}", PARTY_KINDS.join(", ")),
            ));
        }
        if p.region_code.len() != 6 || !p.region_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::bad_request("trace.invalid_region", "region_code is a 6-digit county code"));
        }
        if let Some(gln) = p.gln.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            if gln.len() != 13 || !gln.bytes().all(|b| b.is_ascii_digit()) || !qy_gs1::has_valid_check_digit(gln) {
                return Err(Error::bad_request(
                    "trace.invalid_gln",
                    format!("GLN {gln:?} is not 13 digits with a valid check digit"),
                ));
            }
            p.gln = Some(gln.to_owned());
        } else {
            p.gln = None;
        }
        for (name, v) in [("lat", p.lat), ("lon", p.lon)] {
            if v.is_some_and(|v| !v.is_finite() || v.abs() > 180.0) {
                return Err(Error::bad_request("trace.invalid_position", format!("{name} is out of range")));
            }
        }
        master::put_party(&self.db, &p, self.now()).await?;
        Ok(p)
    }

    pub async fn register_product(&self, by: &Principal, mut p: Product) -> Result<Product> {
        regulator(by)?;
        p.gtin = gtin14(&p.gtin)?;
        p.name = required("name", &p.name)?;
        if !CATEGORIES.contains(&p.category.as_str()) {
            return Err(Error::bad_request(
                "trace.invalid_category",
                format!("category must be one of {}", CATEGORIES.join(", ")),
            ));
        }
        if master::party(&self.db, &p.owner_uscc).await?.is_none() {
            return Err(Error::bad_request(
                "trace.unknown_party",
                format!("{} is not a registered producer", p.owner_uscc),
            ));
        }
        master::put_product(&self.db, &p, self.now()).await?;
        Ok(p)
    }

    pub async fn register_cert(&self, by: &Principal, mut c: Cert) -> Result<Cert> {
        regulator(by)?;
        if !CERT_KINDS.contains(&c.kind.as_str()) {
            return Err(Error::bad_request(
                "trace.invalid_cert_kind",
                format!("kind must be one of {}", CERT_KINDS.join(", ")),
            ));
        }
        let kind = match c.kind.as_str() {
            "green" => Some(qy_gs1::CertKind::GreenFood),
            "organic" => Some(qy_gs1::CertKind::Organic),
            "gi" => Some(qy_gs1::CertKind::GeographicalIndication),
            _ => None,
        };
        c.code = required("code", &c.code)?;
        if let Some(kind) = kind {
            qy_gs1::check_certificate_code(kind, &c.code)
                .map_err(|e| Error::bad_request("trace.invalid_cert_code", format!("{}: {e}", c.code)))?;
        }
        c.issued_on = date("issued on", &c.issued_on)?;
        c.expires_on = match c.expires_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(e) => Some(date("expires on", e)?),
            None => None,
        };
        if let Some(g) = &c.gtin {
            c.gtin = Some(gtin14(g)?);
        }
        if master::party(&self.db, &c.holder_uscc).await?.is_none() {
            return Err(Error::bad_request(
                "trace.unknown_party",
                format!("{} is not a registered producer", c.holder_uscc),
            ));
        }
        if c.id.is_empty() {
            c.id = qy_kernel::id::new_id();
        }
        master::put_cert(&self.db, &c, self.now()).await?;
        Ok(c)
    }
}
