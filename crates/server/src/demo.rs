//! Demo data: departments and staff across several counties, citizens and enterprises, so
//! that a newcomer can try every role. All identifiers are valid (check characters
//! computed) but fictitious.

use qy_identity::domain::NewAccount;
use qy_kernel::audit::AuditSink;

use crate::system_audit::record as audit_system_change;
use qy_kernel::region::RegionDirectory;
use qy_kernel::Result;

/// The password of every demo account (shown by `qingyun demo`).
pub const DEMO_PASSWORD: &str = "qingyun-demo-2026";

/// (username, display name, department, region, role)
pub const DEMO_STAFF: &[(&str, &str, &str, &str, &str)] = &[
    ("xining.admin", "王建国", "西宁市大数据管理局", "630100", "region_admin"),
    ("chengzhong.officer", "李梅", "城中区政务服务中心", "630103", "department_admin"),
    ("golmud.admin", "才让多杰", "格尔木市政务服务中心", "632801", "department_admin"),
    ("golmud.officer", "马晓兰", "格尔木市政务服务中心", "632801", "officer"),
    ("delingha.officer", "卓玛", "德令哈市生态环境局", "632802", "officer"),
    ("yushu.officer", "扎西", "玉树市农牧局", "632701", "officer"),
    ("gonghe.officer", "韩永福", "共和县市场监督管理局", "632521", "department_admin"),
    ("gonghe.credit", "韩雪梅", "共和县市场监督管理局", "632521", "credit_officer"),
    ("delingha.credit", "索南", "德令哈市生态环境局", "632802", "credit_officer"),
    ("xining.credit", "李国栋", "西宁市发展和改革委员会", "630100", "credit_reviewer"),
    ("sthjt.data", "赵海燕", "青海省生态环境厅", "630000", "catalog_officer"),
    ("whlyt.data", "更登", "青海省文化和旅游厅", "630000", "catalog_officer"),
    ("dsj.review", "孙立", "青海省大数据局", "630000", "catalog_reviewer"),
    ("scjg.xypt", "市场监管信用监管平台", "青海省市场监督管理局", "630000", "catalog_system"),
    ("scjg.trace", "马玉兰", "青海省市场监督管理局", "630000", "trace_regulator"),
    ("nync.epcis", "农业农村厅追溯平台", "青海省农业农村厅", "630000", "trace_partner"),
];

/// The provincial departments that catalogue resources in the demo: (department, CKAN slug,
/// organisation-code body of their fictitious USCC). Those without demo staff above are
/// created too.
const DEMO_CATALOG_ORGS: &[(&str, &str, &str)] = &[
    ("青海省生态环境厅", "qh-sthjt", "MB1EC0A1"),
    ("青海省统计局", "qh-tjj", "MB1TJ0A2"),
    ("青海省文化和旅游厅", "qh-whlyt", "MB1WL0A3"),
    ("青海省农业农村厅", "qh-nynct", "MB1NY0A4"),
    ("青海省交通运输厅", "qh-jtt", "MB1JT0A5"),
    ("青海省市场监督管理局", "qh-scjgj", "MB1XJ0A6"),
    ("青海省公安厅", "qh-gat", "MB1GA0A7"),
    ("青海省自然资源厅", "qh-zrzyt", "MB1ZR0A8"),
    ("青海省卫生健康委员会", "qh-wjw", "MB1WJ0A9"),
    ("青海省民政厅", "qh-mzt", "MB1MZ0B1"),
    ("青海省能源局", "qh-nyj", "MB1NY0B2"),
];

/// Roles for the credit desk: officers enter records and propose list entries; reviewers
/// (another person, usually the development and reform commission's credit office) approve.
const DEMO_ROLES: &[(&str, &str, &[&str])] = &[
    (
        "credit_officer",
        "Credit officer: enters 双公示 records, proposes list entries, decides repairs and objections",
        &[
            qy_credit::domain::perm::RECORDS_WRITE,
            qy_credit::domain::perm::LISTS_PROPOSE,
            qy_credit::domain::perm::REPAIRS_REVIEW,
            qy_credit::domain::perm::INTERNAL_READ,
            qy_credit::domain::perm::CHECK,
        ],
    ),
    (
        "credit_reviewer",
        "Credit reviewer: approves list entries and exits, reads natural persons' files",
        &[
            qy_credit::domain::perm::LISTS_APPROVE,
            qy_credit::domain::perm::INTERNAL_READ,
            qy_credit::domain::perm::PERSONAL_DATA_READ,
            qy_credit::domain::perm::CHECK,
            qy_credit::domain::perm::MEASURES_MANAGE,
        ],
    ),
];

/// Roles for the catalog desk.
const DEMO_CATALOG_ROLES: &[(&str, &str, &[&str])] = &[
    (
        "catalog_officer",
        "Catalog officer: compiles the department's entries, loads data, decides share requests",
        &[
            qy_catalog::domain::perm::ENTRIES_WRITE,
            qy_catalog::domain::perm::SHARING_DECIDE,
            qy_catalog::domain::perm::SHARING_REQUEST,
        ],
    ),
    (
        "catalog_reviewer",
        "Data authority: reviews and publishes entries, oversees the call record",
        &[
            qy_catalog::domain::perm::ENTRIES_REVIEW,
            qy_catalog::domain::perm::CALLS_READ,
            qy_catalog::domain::perm::ORGS_MANAGE,
        ],
    ),
    ("catalog_system", "A consumer system's technical account (pulls through grants)", &[]),
];

/// Roles for traceability.
const DEMO_TRACE_ROLES: &[(&str, &str, &[&str])] = &[
    (
        "trace_producer",
        "Producer: records its own animals, lots and steps through the forms",
        &[qy_trace::domain::perm::RECORD],
    ),
    (
        "trace_regulator",
        "Traceability regulator: registers producers, products and certificates; recalls; dashboard",
        &[qy_trace::domain::perm::REGULATE, qy_trace::domain::perm::QUERY],
    ),
    (
        "trace_partner",
        "A partner system on the EPCIS 2.0 interface: captures and queries events",
        &[qy_trace::domain::perm::CAPTURE, qy_trace::domain::perm::QUERY],
    ),
];

/// Traceability parties without accounts of their own: (name, kind, county, body, GLN,
/// address, lat, lon). The yak cooperative and goji company are the demo enterprises.
/// (name, kind, county, organisation body, GLN, address, latitude, longitude)
type TraceParty = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, f64, f64);

const DEMO_TRACE_PARTIES: &[TraceParty] = &[
    (
        "西宁高原肉食品屠宰加工有限公司",
        "slaughterhouse",
        "630100",
        "MA0TUC56",
        "9521234000129",
        "西宁市城北区生物园区",
        36.66,
        101.74,
    ),
    (
        "青海雪域冷链物流有限公司",
        "logistics",
        "630100",
        "MA0LLY78",
        "9521234000136",
        "西宁市城东区物流园",
        36.61,
        101.83,
    ),
    ("西宁惠民生鲜超市", "retailer", "630103", "MA0CHA90", "9521234000143", "西宁市城中区南大街", 36.62, 101.78),
];

/// Demo credit entities besides the enterprise accounts.
const DEMO_CREDIT_ENTITIES: usize = 300;

/// (username, display name, region, birth date, sequence)
const DEMO_CITIZENS: &[(&str, &str, &str, &str, &str)] = &[
    ("tashi.herder", "扎西才让", "632801", "19850312", "031"),
    ("zhuoma", "卓玛措", "632701", "19920708", "042"),
    ("ma.wei", "马伟", "630103", "19780115", "017"),
];

/// (username, display name, region, organisation body (8 chars))
const DEMO_ENTERPRISES: &[(&str, &str, &str, &str)] = &[
    ("yak.coop", "格尔木市高原牦牛养殖专业合作社", "632801", "MA0ABC12"),
    ("goji.trade", "德令哈枸杞产业有限公司", "632802", "MA0XYW34"),
];

/// The demo enterprises as traceability parties: (GLN, kind, address, lat, lon).
const DEMO_ENTERPRISE_SITES: &[(&str, &str, &str, f64, f64)] = &[
    ("9521234000105", "cooperative", "格尔木市郭勒木德镇牧场", 36.40, 94.90),
    ("9521234000112", "enterprise", "德令哈市柯鲁柯镇枸杞基地", 37.37, 97.36),
];

fn resident_id(region: &str, birth: &str, seq: &str) -> Option<String> {
    let first17 = format!("{region}{birth}{seq}");
    qy_cnid::resident_id::compute_check_char(&first17).map(|c| format!("{first17}{c}"))
}

fn uscc(region: &str, body: &str) -> Option<String> {
    // 9 = market regulation authority, 3 = farmers' cooperative / 1 = enterprise.
    qy_cnid::Uscc::build("91", region, body).ok().map(|u| u.as_str().to_owned())
}

fn account(username: &str, name: &str, kind: &str) -> NewAccount {
    NewAccount {
        username: username.into(),
        password: DEMO_PASSWORD.into(),
        display_name: name.into(),
        kind: kind.into(),
        department_id: None,
        region_code: None,
        resident_id: None,
        uscc: None,
        roles: Vec::new(),
    }
}

/// Seeds the demo. Idempotent: does nothing when the first demo account exists.
pub async fn seed(
    identity: &qy_identity::Identity,
    regions: &dyn RegionDirectory,
    audit: &dyn AuditSink,
    credit: &qy_credit::Credit,
    catalog: &qy_catalog::Catalog,
    trace: &qy_trace::Trace,
) -> Result<bool> {
    if qy_identity::store::account_by_username(&identity.db, DEMO_STAFF[0].0).await?.is_some() {
        return Ok(false);
    }
    for (name, description, perms) in DEMO_ROLES.iter().chain(DEMO_CATALOG_ROLES).chain(DEMO_TRACE_ROLES) {
        let role = identity.create_role(None, name, description, perms.iter().map(|p| p.to_string()).collect()).await?;
        audit_system_change(audit, "identity.role.create", format!("identity_role/{}", role.id), "demo data").await?;
    }
    let mut departments: Vec<(String, String, String)> = Vec::new();
    for (username, name, dep_name, region, role) in DEMO_STAFF {
        let dep_id = match departments.iter().find(|(n, r, _)| n == dep_name && r == region) {
            Some((_, _, id)) => id.clone(),
            None => {
                let d = identity.create_department(None, regions, dep_name, region).await?;
                audit_system_change(
                    audit,
                    "identity.department.create",
                    format!("identity_department/{}", d.id),
                    "demo data",
                )
                .await?;
                departments.push(((*dep_name).into(), (*region).into(), d.id.clone()));
                d.id
            }
        };
        let mut a = account(username, name, "staff");
        a.department_id = Some(dep_id);
        a.roles = vec![(*role).into()];
        let created = identity.create_account(None, regions, a).await?;
        audit_system_change(audit, "identity.account.create", format!("identity_account/{}", created.id), "demo data")
            .await?;
    }
    for (username, name, region, birth, seq) in DEMO_CITIZENS {
        let mut a = account(username, name, "citizen");
        a.region_code = Some((*region).into());
        a.resident_id = resident_id(region, birth, seq);
        let created = identity.create_account(None, regions, a).await?;
        audit_system_change(audit, "identity.account.create", format!("identity_account/{}", created.id), "demo data")
            .await?;
    }
    for (username, name, region, body) in DEMO_ENTERPRISES {
        let mut a = account(username, name, "enterprise");
        a.region_code = Some((*region).into());
        a.uscc = uscc(region, body);
        a.roles = vec!["trace_producer".into()];
        let created = identity.create_account(None, regions, a).await?;
        audit_system_change(audit, "identity.account.create", format!("identity_account/{}", created.id), "demo data")
            .await?;
    }
    seed_credit(credit, &departments, audit).await?;
    seed_catalog(catalog, identity, regions, &mut departments, audit).await?;
    seed_trace(trace, audit).await?;
    Ok(true)
}

/// Producers along a yak chain and a goji chain, from ear tag or harvest to the shop.
async fn seed_trace(trace: &qy_trace::Trace, audit: &dyn AuditSink) -> Result<()> {
    let mut parties = Vec::new();
    for ((_, name, region, body), (gln, kind, address, lat, lon)) in DEMO_ENTERPRISES.iter().zip(DEMO_ENTERPRISE_SITES)
    {
        let Some(uscc) = uscc(region, body) else { continue };
        parties.push(qy_trace::demo::DemoParty { uscc, name, kind, region, gln, address, lat: *lat, lon: *lon });
    }
    for (name, kind, region, body, gln, address, lat, lon) in DEMO_TRACE_PARTIES {
        let Some(uscc) = uscc(region, body) else { continue };
        parties.push(qy_trace::demo::DemoParty { uscc, name, kind, region, gln, address, lat: *lat, lon: *lon });
    }
    if qy_trace::demo::seed(trace, &parties).await? {
        audit_system_change(audit, "trace.demo.seed", "trace_event/*".into(), "demo data").await?;
    }
    Ok(())
}

/// Provincial departments' resources, a consumer system and its share requests.
async fn seed_catalog(
    catalog: &qy_catalog::Catalog,
    identity: &qy_identity::Identity,
    regions: &dyn RegionDirectory,
    departments: &mut Vec<(String, String, String)>,
    audit: &dyn AuditSink,
) -> Result<()> {
    let mut orgs = Vec::new();
    for (name, slug, body) in DEMO_CATALOG_ORGS {
        let id = match departments.iter().find(|(n, r, _)| n == name && r == "630000") {
            Some((_, _, id)) => id.clone(),
            None => {
                let d = identity.create_department(None, regions, name, "630000").await?;
                audit_system_change(
                    audit,
                    "identity.department.create",
                    format!("identity_department/{}", d.id),
                    "demo data",
                )
                .await?;
                departments.push(((*name).into(), "630000".into(), d.id.clone()));
                d.id
            }
        };
        let Ok(uscc) = qy_cnid::Uscc::build("11", "630000", body) else { continue };
        orgs.push(qy_catalog::demo::DemoOrg { department_id: id, slug, name, uscc: uscc.as_str().to_owned() });
    }
    let system = qy_identity::store::account_by_username(&identity.db, "scjg.xypt")
        .await?
        .map(|a| qy_catalog::demo::DemoSystem { account_id: a.account.id, org_slug: "qh-scjgj" });
    if qy_catalog::demo::seed(catalog, &orgs, system).await? {
        audit_system_change(audit, "catalog.demo.seed", "catalog_entry/*".into(), "demo data").await?;
    }
    Ok(())
}

/// Credit records entered by the market-regulation and ecology departments.
async fn seed_credit(
    credit: &qy_credit::Credit,
    departments: &[(String, String, String)],
    audit: &dyn AuditSink,
) -> Result<()> {
    let authorities: Vec<qy_credit::demo::DemoAuthority> = departments
        .iter()
        .filter(|(name, _, _)| name.contains("市场监督管理局") || name.contains("生态环境局"))
        .map(|(name, region, id)| qy_credit::demo::DemoAuthority {
            department_id: id.clone(),
            name: name.clone(),
            region: region.clone(),
        })
        .collect();
    let featured: Vec<qy_credit::demo::FeaturedEntity> = DEMO_ENTERPRISES
        .iter()
        .filter_map(|(_, name, region, body)| {
            Some(qy_credit::demo::FeaturedEntity { name: (*name).into(), uscc: uscc(region, body)? })
        })
        .collect();
    if qy_credit::demo::seed(credit, &authorities, &featured, DEMO_CREDIT_ENTITIES).await? {
        audit_system_change(audit, "credit.demo.seed", "credit_subject/*".into(), "demo data").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_identifiers_are_valid() {
        for (_, _, region, birth, seq) in super::DEMO_CITIZENS {
            let id = super::resident_id(region, birth, seq).unwrap_or_default();
            assert!(qy_cnid::ResidentId::parse(&id).is_ok(), "{id}");
        }
        for (_, _, region, body) in super::DEMO_ENTERPRISES {
            let code = super::uscc(region, body).unwrap_or_default();
            assert!(qy_cnid::Uscc::parse(&code).is_ok(), "{code}");
        }
    }
}
