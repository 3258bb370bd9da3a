//! Producers, products, certificates, lots and animals.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{bind_f64_or_null, Db, Row, StoreResultExt};

use crate::domain::{Animal, Cert, Lot, Party, Product};

fn party_of(r: &AnyRow) -> Result<Party> {
    Ok(Party {
        uscc: r.try_get("uscc").store()?,
        name: r.try_get("name").store()?,
        kind: r.try_get("kind").store()?,
        region_code: r.try_get("region_code").store()?,
        gln: r.try_get("gln").store()?,
        address: r.try_get("address").store()?,
        lat: r.try_get("lat").store()?,
        lon: r.try_get("lon").store()?,
    })
}

pub async fn put_party(db: &Db, p: &Party, now: i64) -> Result<()> {
    let q = query(
        "INSERT INTO trace_party (uscc, name, kind, region_code, gln, address, lat, lon, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, \
         kind = excluded.kind, region_code = excluded.region_code, gln = excluded.gln, address = excluded.address, \
         lat = excluded.lat, lon = excluded.lon",
    )
    .bind(&p.uscc)
    .bind(&p.name)
    .bind(&p.kind)
    .bind(&p.region_code)
    .bind(p.gln.as_deref())
    .bind(&p.address);
    let q = bind_f64_or_null(bind_f64_or_null(q, p.lat), p.lon);
    q.bind(now).execute(db.pool()).await.store()?;
    Ok(())
}

pub async fn party(db: &Db, uscc: &str) -> Result<Option<Party>> {
    let row = query("SELECT * FROM trace_party WHERE uscc = $1").bind(uscc).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(party_of).transpose()
}

pub async fn party_by_gln(db: &Db, gln: &str) -> Result<Option<Party>> {
    let row = query("SELECT * FROM trace_party WHERE gln = $1").bind(gln).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(party_of).transpose()
}

pub async fn parties(db: &Db) -> Result<Vec<Party>> {
    let rows = query("SELECT * FROM trace_party ORDER BY region_code, name").fetch_all(db.pool()).await.store()?;
    rows.iter().map(party_of).collect()
}

fn product_of(r: &AnyRow) -> Result<Product> {
    Ok(Product {
        gtin: r.try_get("gtin").store()?,
        owner_uscc: r.try_get("owner_uscc").store()?,
        name: r.try_get("name").store()?,
        name_en: r.try_get("name_en").store()?,
        name_bo: r.try_get("name_bo").store()?,
        category: r.try_get("category").store()?,
        origin_region: r.try_get("origin_region").store()?,
        description: r.try_get("description").store()?,
    })
}

pub async fn put_product(db: &Db, p: &Product, now: i64) -> Result<()> {
    query(
        "INSERT INTO trace_product (gtin, owner_uscc, name, name_en, name_bo, category, origin_region, description, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (gtin) DO UPDATE SET \
         owner_uscc = excluded.owner_uscc, name = excluded.name, name_en = excluded.name_en, \
         name_bo = excluded.name_bo, category = excluded.category, origin_region = excluded.origin_region, \
         description = excluded.description",
    )
    .bind(&p.gtin)
    .bind(&p.owner_uscc)
    .bind(&p.name)
    .bind(&p.name_en)
    .bind(&p.name_bo)
    .bind(&p.category)
    .bind(&p.origin_region)
    .bind(&p.description)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn product(db: &Db, gtin: &str) -> Result<Option<Product>> {
    let row =
        query("SELECT * FROM trace_product WHERE gtin = $1").bind(gtin).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(product_of).transpose()
}

pub async fn products_of(db: &Db, owner: Option<&str>) -> Result<Vec<Product>> {
    let rows = match owner {
        Some(o) => query("SELECT * FROM trace_product WHERE owner_uscc = $1 ORDER BY gtin").bind(o),
        None => query("SELECT * FROM trace_product ORDER BY gtin"),
    }
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(product_of).collect()
}

fn cert_of(r: &AnyRow) -> Result<Cert> {
    Ok(Cert {
        id: r.try_get("id").store()?,
        kind: r.try_get("kind").store()?,
        code: r.try_get("code").store()?,
        holder_uscc: r.try_get("holder_uscc").store()?,
        gtin: r.try_get("gtin").store()?,
        issuer: r.try_get("issuer").store()?,
        issued_on: r.try_get("issued_on").store()?,
        expires_on: r.try_get("expires_on").store()?,
    })
}

pub async fn put_cert(db: &Db, c: &Cert, now: i64) -> Result<()> {
    query(
        "INSERT INTO trace_cert (id, kind, code, holder_uscc, gtin, issuer, issued_on, expires_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kind, code) DO UPDATE SET \
         holder_uscc = excluded.holder_uscc, gtin = excluded.gtin, issuer = excluded.issuer, \
         issued_on = excluded.issued_on, expires_on = excluded.expires_on",
    )
    .bind(&c.id)
    .bind(&c.kind)
    .bind(&c.code)
    .bind(&c.holder_uscc)
    .bind(c.gtin.as_deref())
    .bind(&c.issuer)
    .bind(&c.issued_on)
    .bind(c.expires_on.as_deref())
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn cert(db: &Db, kind: &str, code: &str) -> Result<Option<Cert>> {
    let row = query("SELECT * FROM trace_cert WHERE kind = $1 AND code = $2")
        .bind(kind)
        .bind(code)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(cert_of).transpose()
}

/// Certificates of a holder, or of a product (product-level and the holder's general ones).
pub async fn certs_for(db: &Db, holder: &str, gtin: Option<&str>) -> Result<Vec<Cert>> {
    let rows = query(
        "SELECT * FROM trace_cert WHERE holder_uscc = $1 AND kind <> 'quarantine' AND (gtin IS NULL OR gtin = $2) \
         ORDER BY kind, code",
    )
    .bind(holder)
    .bind(gtin.unwrap_or(""))
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(cert_of).collect()
}

/// Certificates (not quarantine certificates) expiring on or before `until`, soonest first.
pub async fn certs_expiring(db: &Db, until: &str) -> Result<Vec<Cert>> {
    let rows = query(
        "SELECT * FROM trace_cert WHERE kind <> 'quarantine' AND expires_on IS NOT NULL AND expires_on <= $1 \
         ORDER BY expires_on, code",
    )
    .bind(until)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(cert_of).collect()
}

fn lot_of(r: &AnyRow) -> Result<Lot> {
    Ok(Lot {
        gtin: r.try_get("gtin").store()?,
        lot: r.try_get("lot").store()?,
        owner_uscc: r.try_get("owner_uscc").store()?,
        origin_region: r.try_get("origin_region").store()?,
        quantity: r.try_get("quantity").store()?,
        uom: r.try_get("uom").store()?,
        produced_on: r.try_get("produced_on").store()?,
    })
}

/// Registers a lot; false when the (GTIN, lot) already exists.
pub async fn insert_lot(db: &Db, l: &Lot, by: &str, now: i64) -> Result<bool> {
    let q = query(
        "INSERT INTO trace_lot (gtin, lot, owner_uscc, origin_region, quantity, uom, produced_on, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (gtin, lot) DO NOTHING",
    )
    .bind(&l.gtin)
    .bind(&l.lot)
    .bind(&l.owner_uscc)
    .bind(&l.origin_region);
    let r = bind_f64_or_null(q, l.quantity)
        .bind(l.uom.as_deref())
        .bind(&l.produced_on)
        .bind(by)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected() == 1)
}

pub async fn lot(db: &Db, gtin: &str, lot: &str) -> Result<Option<Lot>> {
    let row = query("SELECT * FROM trace_lot WHERE gtin = $1 AND lot = $2")
        .bind(gtin)
        .bind(lot)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(lot_of).transpose()
}

pub async fn lots_of(db: &Db, owner: &str, limit: i64) -> Result<Vec<Lot>> {
    let rows = query("SELECT * FROM trace_lot WHERE owner_uscc = $1 ORDER BY created_at DESC, lot LIMIT $2")
        .bind(owner)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(lot_of).collect()
}

fn animal_of(r: &AnyRow) -> Result<Animal> {
    Ok(Animal {
        ear_tag: r.try_get("ear_tag").store()?,
        species: r.try_get("species").store()?,
        breed: r.try_get("breed").store()?,
        birth_date: r.try_get("birth_date").store()?,
        owner_uscc: r.try_get("owner_uscc").store()?,
        region_code: r.try_get("region_code").store()?,
    })
}

/// Registers an animal; false when the ear tag is already registered.
pub async fn insert_animal(db: &Db, a: &Animal, now: i64) -> Result<bool> {
    let r = query(
        "INSERT INTO trace_animal (ear_tag, species, breed, birth_date, owner_uscc, region_code, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ear_tag) DO NOTHING",
    )
    .bind(&a.ear_tag)
    .bind(&a.species)
    .bind(&a.breed)
    .bind(&a.birth_date)
    .bind(&a.owner_uscc)
    .bind(&a.region_code)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}

pub async fn animal(db: &Db, ear_tag: &str) -> Result<Option<Animal>> {
    let row =
        query("SELECT * FROM trace_animal WHERE ear_tag = $1").bind(ear_tag).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(animal_of).transpose()
}

pub async fn animals_of(db: &Db, owner: &str, limit: i64) -> Result<Vec<Animal>> {
    let rows = query("SELECT * FROM trace_animal WHERE owner_uscc = $1 ORDER BY created_at DESC, ear_tag LIMIT $2")
        .bind(owner)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(animal_of).collect()
}
