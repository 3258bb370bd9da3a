//! The three sharing classes and what a grant allows.

use qy_catalog::domain::{OpenType, ShareType};
use qy_catalog::service::sharing::{NewShareRequest, NewSystem, ShareDecision};

use crate::harness::{ecology_officer, scenic_areas, tourism_officer, H};

async fn consumer(h: &H) -> qy_catalog::domain::System {
    h.catalog
        .register_system(
            &ecology_officer(),
            NewSystem {
                org_id: None,
                code: "sthj-app".into(),
                name: "生态环境业务系统".into(),
                account_id: "sys-eco".into(),
            },
        )
        .await
        .unwrap()
}

fn ask(entry: &str, system: &str, columns: &[&str]) -> NewShareRequest {
    NewShareRequest {
        entry: entry.into(),
        system_id: system.into(),
        purpose: "生态旅游监管".into(),
        basis: "《青海省生态环境保护条例》".into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        region_filter: None,
    }
}

#[tokio::test]
async fn unconditional_resources_are_granted_at_once_and_recorded() {
    let h = H::on("2026-11-20").await;
    let e = scenic_areas(&h, ShareType::Unconditional, OpenType::None).await;
    let sys = consumer(&h).await;
    let (r, g) = h.catalog.request_share(&ecology_officer(), ask(&e.code, &sys.id, &[])).await.unwrap();
    assert_eq!(r.status, "approved");
    let g = g.unwrap();
    assert_eq!(g.columns, vec!["name", "grade", "region", "visitors", "rated_on"]);
}

#[tokio::test]
async fn conditional_resources_wait_for_the_provider_who_answers_within_ten_working_days() {
    let h = H::on("2026-09-28").await;
    let e = scenic_areas(&h, ShareType::Conditional, OpenType::None).await;
    let sys = consumer(&h).await;
    let (r, g) =
        h.catalog.request_share(&ecology_officer(), ask(&e.code, &sys.id, &["name", "visitors"])).await.unwrap();
    assert!(g.is_none());
    assert_eq!(r.status, "submitted");
    // 10 working days from Monday 2026-09-28 across the National Day holiday (Saturday
    // 10-10 is a make-up working day).
    assert_eq!(r.due_on, "2026-10-16");
    // Only the provider decides; a refusal needs its reason; a grant is at most what was asked.
    let refuse = ShareDecision { approve: false, reason: String::new(), columns: None, region_filter: None };
    assert_eq!(
        h.catalog.decide_share(&ecology_officer(), &r.id, refuse.clone()).await.unwrap_err().code,
        "catalog.other_department"
    );
    assert_eq!(
        h.catalog.decide_share(&tourism_officer(), &r.id, refuse).await.unwrap_err().code,
        "catalog.field_required"
    );
    let too_much = ShareDecision {
        approve: true,
        reason: String::new(),
        columns: Some(vec!["name".into(), "grade".into()]),
        region_filter: None,
    };
    assert_eq!(
        h.catalog.decide_share(&tourism_officer(), &r.id, too_much).await.unwrap_err().code,
        "catalog.more_than_asked"
    );
    let narrow = ShareDecision {
        approve: true,
        reason: "仅限海南州".into(),
        columns: Some(vec!["name".into()]),
        region_filter: Some("632500".into()),
    };
    let (r, g) = h.catalog.decide_share(&tourism_officer(), &r.id, narrow).await.unwrap();
    assert_eq!(r.status, "approved");
    let g = g.unwrap();
    assert_eq!((g.columns.clone(), g.region_filter.clone()), (vec!["name".to_string()], Some("632500".to_string())));
    let again = ShareDecision { approve: true, reason: String::new(), columns: None, region_filter: None };
    assert_eq!(
        h.catalog.decide_share(&tourism_officer(), &r.id, again).await.unwrap_err().code,
        "catalog.invalid_transition"
    );
}

#[tokio::test]
async fn resources_not_for_sharing_are_never_granted() {
    let h = H::on("2026-11-20").await;
    let e = scenic_areas(&h, ShareType::None, OpenType::None).await;
    let sys = consumer(&h).await;
    let err = h.catalog.request_share(&ecology_officer(), ask(&e.code, &sys.id, &[])).await.unwrap_err();
    assert_eq!(err.code, "catalog.not_shareable");
    assert_eq!(
        h.catalog.request_share(&ecology_officer(), ask(&e.code, &sys.id, &["secret"])).await.unwrap_err().code,
        "catalog.not_shareable"
    );
}
