//! Demo data: Qinghai producers along two whole chains (a Golmud yak from ear tag to a
//! Xining shop, with quarantine, slaughter, packing and a cold chain; Delingha goji from
//! harvest to sale) and registered products and certificates. GTINs, GLNs and SSCCs use
//! the GS1 demonstration prefix 952, so no real company is named.

use qy_kernel::{Principal, PrincipalKind, RegionScope, Result};

use crate::domain::{Cert, Party, Product};
use crate::service::forms::{parse_readings, Actor};
use crate::store::master;
use crate::Trace;

/// A demo producer that has an enterprise account: (USCC, name, kind, county, GLN, address, lat, lon).
pub struct DemoParty {
    pub uscc: String,
    pub name: &'static str,
    pub kind: &'static str,
    pub region: &'static str,
    pub gln: &'static str,
    pub address: &'static str,
    pub lat: f64,
    pub lon: f64,
}

/// The demo's yak meat and goji products.
pub const YAK_MEAT: &str = "09521234000013";
pub const GOJI: &str = "09521234000020";
pub const BARLEY: &str = "09521234000037";
pub const SEABUCKTHORN: &str = "09521234000044";
pub const SHEEP_MEAT: &str = "09521234000051";

fn regulator() -> Principal {
    Principal {
        account_id: "demo".into(),
        username: "demo".into(),
        display_name: "demo".into(),
        kind: PrincipalKind::Operator,
        permissions: Default::default(),
        scope: RegionScope::province(),
        department_id: None,
        uscc: None,
        token_scopes: None,
    }
}

fn party(p: &DemoParty) -> Party {
    Party {
        uscc: p.uscc.clone(),
        name: p.name.into(),
        kind: p.kind.into(),
        region_code: p.region.into(),
        gln: Some(p.gln.into()),
        address: p.address.into(),
        lat: Some(p.lat),
        lon: Some(p.lon),
    }
}

fn product(gtin: &str, owner: &str, names: [&str; 3], category: &str, origin: &str, description: &str) -> Product {
    Product {
        gtin: gtin.into(),
        owner_uscc: owner.into(),
        name: names[0].into(),
        name_en: names[1].into(),
        name_bo: names[2].into(),
        category: category.into(),
        origin_region: origin.into(),
        description: description.into(),
    }
}

/// Seeds the registers and both chains. `parties` are, in order: the yak cooperative, the
/// goji company, the slaughterhouse, the cold-chain carrier and the shop. Idempotent: does
/// nothing when the yak meat product exists.
pub async fn seed(trace: &Trace, parties: &[DemoParty]) -> Result<bool> {
    if master::product(trace.db(), YAK_MEAT).await?.is_some() || parties.len() < 5 {
        return Ok(false);
    }
    let op = regulator();
    for p in parties {
        trace.register_party(&op, party(p)).await?;
    }
    let (coop, goji, abattoir, carrier, shop) = (&parties[0], &parties[1], &parties[2], &parties[3], &parties[4]);
    for p in [
        product(
            YAK_MEAT,
            &abattoir.uscc,
            ["牦牛肉（冷冻分割）", "Frozen yak meat cuts", "གཡག་ཤ། (འཁྱགས་ཤ)"],
            "yak",
            coop.region,
            "海拔 3000 米以上天然草场放牧牦牛，定点屠宰，-18 °C 冷链配送。",
        ),
        product(
            GOJI,
            &goji.uscc,
            ["柴达木红枸杞", "Qaidam red goji", "ཚྭ་འདམ་དྲེ་ཚེར་དམར་པོ།"],
            "goji",
            goji.region,
            "柴达木盆地种植，自然晾晒，农产品地理标志产品。",
        ),
        product(BARLEY, &coop.uscc, ["高原青稞", "Highland barley", "ནས།"], "barley", coop.region, "高原青稞原粮。"),
        product(
            SEABUCKTHORN,
            &goji.uscc,
            ["沙棘原浆", "Sea-buckthorn purée", "སྟར་བུའི་ཁུ་བ།"],
            "seabuckthorn",
            goji.region,
            "野生沙棘果冷榨。",
        ),
        product(
            SHEEP_MEAT,
            &abattoir.uscc,
            ["藏羊肉", "Tibetan mutton", "བོད་ལུག་ཤ།"],
            "sheep",
            coop.region,
            "高原藏羊。",
        ),
    ] {
        trace.register_product(&op, p).await?;
    }
    for (kind, code, holder, gtin, issuer, issued, expires) in [
        ("green", "GF632802261234", &goji.uscc, Some(GOJI), "中国绿色食品发展中心", "2026-01-10", Some("2029-01-09")),
        (
            "organic",
            "13126P123456789012",
            &coop.uscc,
            None,
            "中绿华夏有机产品认证中心",
            "2025-12-20",
            Some("2026-12-19"),
        ),
        ("gi", "AGI01581", &goji.uscc, Some(GOJI), "农业农村部", "2015-01-01", None),
        (
            "green",
            "GF632801231001",
            &abattoir.uscc,
            Some(YAK_MEAT),
            "中国绿色食品发展中心",
            "2023-12-30",
            Some("2026-12-29"),
        ),
    ] {
        let c = Cert {
            id: String::new(),
            kind: kind.into(),
            code: code.into(),
            holder_uscc: holder.clone(),
            gtin: gtin.map(str::to_owned),
            issuer: issuer.into(),
            issued_on: issued.into(),
            expires_on: expires.map(str::to_owned),
        };
        // A code layout the checker rejects would stop the demo; it is data, so skip it.
        if let Err(e) = trace.register_cert(&op, c).await {
            tracing::warn!(code = %e.code, "demo certificate skipped: {}", e.detail);
        }
    }
    let actor = |p: &DemoParty| Actor { account: "demo".into(), party: party(p) };
    let (coop, goji, abattoir, carrier, shop) =
        (actor(coop), actor(goji), actor(abattoir), actor(carrier), actor(shop));
    // The yak chain.
    let tag = "263280100012345";
    trace.register_animal(&coop, tag, "高原牦牛", "2023-04-20", Some("2023-05-03T10:00")).await?;
    for (i, t) in ["263280100012346", "263280100012347", "263280100012348"].iter().enumerate() {
        trace.register_animal(&coop, t, "高原牦牛", "2023-05-01", Some(&format!("2023-05-1{i}T10:00"))).await?;
    }
    trace
        .inspect(&coop, tag, "青动检（2026）第000123号", true, "格尔木市动物卫生监督所", Some("2026-10-14T08:30"))
        .await?;
    let meat =
        trace.transform(&abattoir, &[tag.to_owned()], YAK_MEAT, "YK20261015A", 182.5, Some("2026-10-15T06:00")).await?;
    let lot = crate::service::forms::lot_uri(&meat.gtin, &meat.lot);
    trace.pack(&abattoir, "095212340000000013", std::slice::from_ref(&lot), Some("2026-10-16T07:00")).await?;
    let readings = parse_readings("2026-10-16", "08:00 -18.6\n11:00 -18.1\n14:00 -17.4\n17:00 -17.9\n20:00 -18.3")?;
    trace.ship(&carrier, "095212340000000013", &shop.party.uscc, &readings, Some("2026-10-16T20:00")).await?;
    trace.receive(&shop, "095212340000000013", Some("2026-10-17T07:30")).await?;
    trace.sell(&shop, &lot, Some("2026-10-18T10:15")).await?;
    // The goji chain.
    let harvest = trace.register_lot(&goji, GOJI, "GJ20260820", 1200.0, "2026-08-20").await?;
    let goji_lot = crate::service::forms::lot_uri(&harvest.gtin, &harvest.lot);
    trace
        .inspect(&goji, &goji_lot, "QH-JC-2026-0877", true, "青海省农产品质量安全检测中心", Some("2026-08-25T09:00"))
        .await?;
    trace.pack(&goji, "095212340000000020", std::slice::from_ref(&goji_lot), Some("2026-09-01T09:00")).await?;
    let readings = parse_readings("2026-09-02", "09:00 12.5\n15:00 16.0")?;
    trace.ship(&carrier, "095212340000000020", &shop.party.uscc, &readings, Some("2026-09-02T18:00")).await?;
    trace.receive(&shop, "095212340000000020", Some("2026-09-03T08:00")).await?;
    trace.sell(&shop, &goji_lot, Some("2026-09-05T11:00")).await?;
    // A barley lot, for the producers' list.
    trace.register_lot(&coop, BARLEY, "QK20260905", 5000.0, "2026-09-05").await?;
    Ok(true)
}

/// Five producers in one county, with the demo's GLNs: the chain `seed` needs, for tests and
/// benchmarks that do not go through the platform's demo accounts.
pub fn example_parties() -> Vec<DemoParty> {
    [
        ("MA0ABC12", "高原牦牛养殖专业合作社", "cooperative", "9521234000105"),
        ("MA0XYW34", "枸杞产业有限公司", "enterprise", "9521234000112"),
        ("MA0TUC56", "屠宰加工有限公司", "slaughterhouse", "9521234000129"),
        ("MA0LLY78", "冷链物流有限公司", "logistics", "9521234000136"),
        ("MA0CHA90", "生鲜超市", "retailer", "9521234000143"),
    ]
    .into_iter()
    .filter_map(|(body, name, kind, gln)| {
        Some(DemoParty {
            uscc: qy_cnid::Uscc::build("91", "632801", body).ok()?.as_str().to_owned(),
            name,
            kind,
            region: "632801",
            gln,
            address: "格尔木市",
            lat: 36.4,
            lon: 94.9,
        })
    })
    .collect()
}
