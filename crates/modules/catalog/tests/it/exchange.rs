//! Pulling through a grant: columns and rows enforced, every call recorded in a chain that
//! detects tampering; objections; signed push deliveries.

use std::sync::{Arc, Mutex};

use qy_catalog::domain::{OpenType, ShareType};
use qy_catalog::service::read::RowQuery;
use qy_catalog::service::sharing::{NewShareRequest, NewSystem, ShareDecision};

use crate::harness::{ecology_officer, reviewer, scenic_areas, system_principal, tourism_officer, H};

async fn granted(h: &H, share: ShareType) -> (qy_catalog::domain::Entry, qy_catalog::domain::System) {
    let e = scenic_areas(h, share, OpenType::None).await;
    let sys = h
        .catalog
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
        .unwrap();
    let ask = NewShareRequest {
        entry: e.code.clone(),
        system_id: sys.id.clone(),
        purpose: "生态旅游监管".into(),
        basis: "条例".into(),
        columns: vec!["name".into(), "region".into(), "visitors".into()],
        region_filter: Some("632800".into()),
    };
    let (r, _) = h.catalog.request_share(&ecology_officer(), ask).await.unwrap();
    if r.status == "submitted" {
        let ok = ShareDecision { approve: true, reason: String::new(), columns: None, region_filter: None };
        h.catalog.decide_share(&tourism_officer(), &r.id, ok).await.unwrap();
    }
    (e, sys)
}

#[tokio::test]
async fn a_grant_limits_columns_and_rows_and_every_call_is_recorded() {
    let h = H::on("2026-11-20").await;
    let (e, _) = granted(&h, ShareType::Conditional).await;
    let me = system_principal("sys-eco");
    let all = h.catalog.pull(&me, &e.code, RowQuery { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(
        all.rows.columns.iter().map(|c| c.column.as_str()).collect::<Vec<_>>(),
        vec!["name", "region", "visitors"]
    );
    // Rows of the granted region only: 海西州 (6328…).
    let names: Vec<&str> = all.rows.rows.iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(names, vec!["茶卡盐湖"]);
    // A column not granted, rows outside the region, an unregistered caller: denied and recorded.
    let e1 = h
        .catalog
        .pull(&me, &e.code, RowQuery { columns: Some(vec!["grade".into()]), limit: 10, ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e1.code, "catalog.column_not_granted");
    let e2 = h
        .catalog
        .pull(&me, &e.code, RowQuery { region: Some("630100".into()), limit: 10, ..Default::default() })
        .await
        .unwrap_err();
    let narrower = h
        .catalog
        .pull(&me, &e.code, RowQuery { region: Some("632821".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(narrower.rows.rows.len(), 1);
    assert_eq!(e2.code, "catalog.region_not_granted");
    let e3 = h
        .catalog
        .pull(&system_principal("sys-unknown"), &e.code, RowQuery { limit: 10, ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e3.code, "catalog.not_a_system");
    let calls = qy_catalog::store::calls::recent(&h.catalog.db, None, 10).await.unwrap();
    let outcomes: Vec<(&str, &str)> = calls.iter().rev().map(|c| (c.outcome.as_str(), c.reason.as_str())).collect();
    assert_eq!(
        outcomes,
        vec![
            ("ok", ""),
            ("denied", "column_not_granted"),
            ("denied", "region_not_granted"),
            ("ok", ""),
            ("denied", "not_a_system")
        ]
    );
    assert_eq!(calls.last().unwrap().row_count, 1);
    assert!(h.catalog.verify_calls().await.unwrap().intact);
    // Tampering with a stored call is detected, naming the row.
    qy_storage::sqlx::query("UPDATE catalog_call SET row_count = 999 WHERE seq = 2")
        .execute(h.catalog.db.pool())
        .await
        .unwrap();
    let verdict = h.catalog.verify_calls().await.unwrap();
    assert!(!verdict.intact);
    assert_eq!(verdict.first_bad, Some(2));
    // Deleting the last row is detected through the head anchor.
    qy_storage::sqlx::query("UPDATE catalog_call SET row_count = 0 WHERE seq = 2")
        .execute(h.catalog.db.pool())
        .await
        .unwrap();
    assert!(h.catalog.verify_calls().await.unwrap().intact);
    qy_storage::sqlx::query("DELETE FROM catalog_call WHERE seq = 5").execute(h.catalog.db.pool()).await.unwrap();
    assert!(!h.catalog.verify_calls().await.unwrap().intact);
}

#[tokio::test]
async fn revoked_grants_deny_and_objections_have_a_deadline() {
    let h = H::on("2026-11-02").await;
    let (e, _) = granted(&h, ShareType::Unconditional).await;
    let me = system_principal("sys-eco");
    let g = qy_catalog::store::sharing::grants_of_system(
        &h.catalog.db,
        &h.catalog.system_of(&me).await.unwrap().unwrap().id,
    )
    .await
    .unwrap();
    assert_eq!(
        h.catalog.revoke_grant(&tourism_officer(), &g[0].id, "").await.unwrap_err().code,
        "catalog.field_required"
    );
    h.catalog.revoke_grant(&tourism_officer(), &g[0].id, "用途已完成").await.unwrap();
    assert_eq!(
        h.catalog.pull(&me, &e.code, RowQuery { limit: 1, ..Default::default() }).await.unwrap_err().code,
        "catalog.no_grant"
    );
    let o = h.catalog.raise_objection(&me, &e.code, "茶卡盐湖年接待量与统计局公布数不一致").await.unwrap();
    // 5 working days from Monday 2026-11-02.
    assert_eq!(o.due_on, "2026-11-09");
    assert_eq!(
        h.catalog.answer_objection(&ecology_officer(), &o.id, true, "已更正").await.unwrap_err().code,
        "catalog.other_department"
    );
    let answered =
        h.catalog.answer_objection(&tourism_officer(), &o.id, true, "已按统计局年报更正并重新上传").await.unwrap();
    assert_eq!(answered.status, "corrected");
}

#[tokio::test]
async fn a_new_version_is_pushed_to_subscribers_signed() {
    let h = H::on("2026-11-20").await;
    let (e, _) = granted(&h, ShareType::Unconditional).await;
    let me = system_principal("sys-eco");
    // A receiver on 127.0.0.1 that keeps what it gets.
    let got: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let keep = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let keep = keep.clone();
            async move {
                let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                keep.lock().unwrap().push((h("x-qingyun-signature"), h("x-qingyun-timestamp"), body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let sub = h.catalog.subscribe(&me, &e.code, &url).await.unwrap();
    assert_eq!(h.catalog.subscribe(&me, &e.code, &url).await.unwrap_err().code, "catalog.subscription_exists");
    // Revise and republish: version 2 goes out.
    h.catalog
        .update_entry(
            &tourism_officer(),
            &e.id,
            crate::harness::input(
                "青海省A级旅游景区名录",
                "203001",
                ShareType::Unconditional,
                OpenType::None,
                e.items.clone(),
            ),
        )
        .await
        .unwrap();
    h.catalog.submit_entry(&tourism_officer(), &e.id).await.unwrap();
    h.catalog.review_entry(&reviewer(), &e.id, true, "").await.unwrap();
    let client = reqwest_client();
    let (ok, failed) = h.catalog.deliver_due(&client).await.unwrap();
    assert_eq!((ok, failed), (1, 0));
    let (signature, timestamp, body) = got.lock().unwrap()[0].clone();
    let expected = qy_catalog::service::subscriptions::signature(&sub.secret, timestamp.parse().unwrap(), &body);
    assert_eq!(signature, expected);
    assert!(body.contains("\"version\":2"), "{body}");
}

fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

#[tokio::test]
async fn concurrent_calls_all_land_in_one_unbroken_chain() {
    let h = H::on("2026-11-20").await;
    let (e, _) = granted(&h, ShareType::Unconditional).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let catalog = h.catalog.clone();
        let code = e.code.clone();
        tasks.push(tokio::spawn(async move {
            let me = system_principal("sys-eco");
            for _ in 0..5 {
                catalog.pull(&me, &code, RowQuery { limit: 10, ..Default::default() }).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let verdict = h.catalog.verify_calls().await.unwrap();
    assert!(verdict.intact, "{verdict:?}");
    assert_eq!(verdict.rows_checked, 40);
}
