//! The API and the page, through the module's routers with a fake authenticator.

use std::sync::Arc;

use async_trait::async_trait;
use qy_kernel::auth::{Authenticated, Authenticator, Credential};
use qy_kernel::bus::{BusError, DeliveryStream, Event, EventBus};
use qy_kernel::region::{RegionDirectory, RegionScope, RegionSummary};
use qy_kernel::{FixedClock, Principal, PrincipalKind};
use qy_storage::testing::TestDb;
use qy_web::axum::body::Body;
use qy_web::axum::http::{header, Request, StatusCode};
use qy_web::axum::Router;
use qy_web::{AppState, Core, Module};
use tower::ServiceExt;

use crate::{db_with, raw};

struct Users;

fn principal(token: &str) -> Option<Principal> {
    let (kind, perms): (PrincipalKind, &[&str]) = match token {
        "operator" => (PrincipalKind::Operator, &[]),
        "reader" => (PrincipalKind::Staff, &["audit.read"]),
        "staff" => (PrincipalKind::Staff, &["identity.staff.read"]),
        _ => return None,
    };
    Some(Principal {
        account_id: format!("acct-{token}"),
        username: token.to_owned(),
        display_name: token.to_owned(),
        kind,
        permissions: perms.iter().map(|p| p.to_string()).collect(),
        scope: RegionScope::province(),
        department_id: None,
        uscc: None,
        token_scopes: None,
    })
}

#[async_trait]
impl Authenticator for Users {
    async fn authenticate(&self, credential: &Credential) -> qy_kernel::Result<Option<Authenticated>> {
        let token = match credential {
            Credential::Bearer(t) | Credential::SessionCookie(t) => t,
        };
        Ok(principal(token).map(|principal| Authenticated { principal, csrf_token: Some("csrf".into()), locale: None }))
    }
}

struct NoBus;

#[async_trait]
impl EventBus for NoBus {
    async fn publish(&self, _: &str, _: serde_json::Value) -> Result<Event, BusError> {
        Err(BusError::Unavailable("no bus in these tests".into()))
    }
    async fn subscribe(&self, _: &str, _: &str) -> Result<DeliveryStream, BusError> {
        Err(BusError::Unavailable("no bus in these tests".into()))
    }
    fn name(&self) -> &'static str {
        "none"
    }
}

struct NoRegions;

#[async_trait]
impl RegionDirectory for NoRegions {
    async fn get(&self, _: &str) -> qy_kernel::Result<Option<RegionSummary>> {
        Ok(None)
    }
}

fn app(t: &TestDb) -> Router {
    let module = qy_audit::module();
    let sources: Vec<_> = qy_web::LOCALES.iter().chain(module.locales()).copied().collect();
    let i18n = Arc::new(qy_web::i18n::I18n::new(&sources).unwrap());
    let templates = qy_web::templates::environment(i18n.clone(), module.templates()).unwrap();
    let clock = Arc::new(FixedClock::new(crate::T0));
    let state = AppState(Arc::new(Core {
        db: t.db.clone(),
        clock: clock.clone(),
        bus: Arc::new(NoBus),
        audit: qy_audit::sink(t.db.clone(), clock),
        auth: Arc::new(Users),
        regions: Arc::new(NoRegions),
        i18n,
        templates,
        nav: module.nav(),
        limiter: Default::default(),
        config: Default::default(),
    }));
    let (api, _openapi) = module.api().split_for_parts();
    api.merge(module.pages()).with_state(state)
}

async fn get(app: &Router, uri: &str, token: Option<&str>, cookie: Option<&str>, lang: &str) -> (StatusCode, String) {
    let mut req = Request::get(uri).header(header::ACCEPT_LANGUAGE, lang);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, format!("qy_session={c}"));
    }
    let resp = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let location = resp.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = qy_web::axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let body = String::from_utf8(body.to_vec()).unwrap();
    (status, if location.is_empty() { body } else { location })
}

async fn api(app: &Router, uri: &str, token: Option<&str>) -> (StatusCode, serde_json::Value) {
    let (status, body) = get(app, uri, token, None, "en").await;
    (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn the_api_needs_audit_read() {
    let (t, _) = db_with(3).await;
    let app = app(&t);
    let (status, _) = api(&app, "/api/v1/audit/entries", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = api(&app, "/api/v1/audit/entries", Some("staff")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "audit.forbidden");
    let (status, body) = api(&app, "/api/v1/audit/verify", Some("staff")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("audit.forbidden")));
    for who in ["reader", "operator"] {
        let (status, body) = api(&app, "/api/v1/audit/entries", Some(who)).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert_eq!(body["items"].as_array().map(Vec::len), Some(3));
    }
}

#[tokio::test]
async fn the_api_pages_filters_and_verifies() {
    let (t, _) = db_with(7).await;
    let app = app(&t);
    let (status, body) = api(&app, "/api/v1/audit/entries?limit=3", Some("reader")).await;
    assert_eq!(status, StatusCode::OK);
    let seqs = |b: &serde_json::Value| {
        b["items"].as_array().unwrap().iter().map(|i| i["seq"].as_i64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(seqs(&body), vec![7, 6, 5]);
    let item = &body["items"][0];
    for field in ["seq", "at_ms", "actor", "action", "target", "outcome", "reason", "request_id", "prev_hash", "hash"] {
        assert!(item.get(field).is_some(), "{field} missing in {item}");
    }
    let cursor = body["next_cursor"].as_str().unwrap().to_owned();
    let (_, body) = api(&app, &format!("/api/v1/audit/entries?limit=3&cursor={cursor}"), Some("reader")).await;
    assert_eq!(seqs(&body), vec![4, 3, 2]);

    let (_, body) = api(&app, "/api/v1/audit/entries?action=identity.&actor=acct-1", Some("reader")).await;
    assert_eq!(seqs(&body), vec![7, 1]);
    // T0 is 2026-03-01 in Xining; nothing happened on the 2nd.
    let (_, body) = api(&app, "/api/v1/audit/entries?from=2026-03-01&to=2026-03-01", Some("reader")).await;
    assert_eq!(seqs(&body).len(), 7);
    let (_, body) = api(&app, "/api/v1/audit/entries?from=2026-03-02", Some("reader")).await;
    assert!(seqs(&body).is_empty());
    let (_, body) = api(&app, "/api/v1/audit/entries?to=2026-02-28", Some("reader")).await;
    assert!(seqs(&body).is_empty());

    for bad in ["from=2026-3-1", "to=yesterday", "from=2026-02-30", "from=2026-03-02&to=2026-03-01"] {
        let (status, body) = api(&app, &format!("/api/v1/audit/entries?{bad}"), Some("reader")).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("audit.invalid_date")), "{bad}");
    }
    let (status, _) = api(&app, "/api/v1/audit/entries?cursor=!!", Some("reader")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, body) = api(&app, "/api/v1/audit/verify", Some("reader")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({ "ok": true, "rows_checked": 7, "first_bad": null }));
    raw(&t, "DELETE FROM audit_log WHERE seq = 3").await;
    let (_, body) = api(&app, "/api/v1/audit/verify", Some("reader")).await;
    assert_eq!(body["ok"], false);
    assert_eq!(body["first_bad"]["seq"], 4);
    assert_eq!(body["first_bad"]["kind"], "gap");
    assert_eq!(body["first_bad"]["problem"], "seq jumps from 2 to 4 (rows deleted)");
}

#[tokio::test]
async fn the_page_needs_login_and_audit_read() {
    let (t, _) = db_with(2).await;
    let app = app(&t);
    let (status, location) = get(&app, "/admin/audit", None, None, "zh-CN").await;
    assert!(status.is_redirection(), "{status}");
    assert!(location.starts_with("/login?next="), "{location}");
    let (status, body) = get(&app, "/admin/audit", None, Some("staff"), "zh-CN").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("您没有查看审计日志的权限"), "{body}");
}

#[tokio::test]
async fn the_page_lists_filters_and_verifies_in_every_language() {
    let (t, _) = db_with(60).await;
    let app = app(&t);
    for (lang, title, ok) in [
        ("zh-CN", "审计日志", "哈希链完整"),
        ("en", "Audit log", "The hash chain is intact"),
        ("bo", "རྩིས་ཞིབ་ཟིན་ཐོ།", "ཧ་ཤིའི་ལྕགས་ཐག་ཆ་ཚང་ཡིན།"),
    ] {
        let (status, body) = get(&app, "/admin/audit", None, Some("reader"), lang).await;
        assert_eq!(status, StatusCode::OK, "{lang}: {body}");
        assert!(body.contains(title), "{lang}");
        assert!(!body.contains("audit-"), "{lang}: untranslated key in {body}");
        assert!(!body.contains(">none<"), "{lang}: a missing value rendered as none");
        assert!(body.contains("2026-03-01 10:59"), "{lang}: newest row's time (Xining)");
        assert!(body.contains(r#"rel="next""#), "{lang}: next-page link in {body}");
        let (_, body) = get(&app, "/admin/audit?verify=1", None, Some("operator"), lang).await;
        assert!(body.contains(r#"class="flash""#) && body.contains(ok), "{lang}: {body}");
    }
    let (_, body) =
        get(&app, "/admin/audit?actor=acct-2&action=http.&from=2026-03-01", None, Some("reader"), "en").await;
    assert!(body.contains("things&#x2f;2<") && !body.contains("things&#x2f;1<"), "{body}");
    let (status, body) = get(&app, "/admin/audit?from=2026-99-01", None, Some("reader"), "en").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("year-month-day"), "{body}");

    raw(&t, "UPDATE audit_log SET outcome = '200' WHERE seq = 5").await;
    let (_, body) = get(&app, "/admin/audit?verify=1", None, Some("reader"), "en").await;
    assert!(body.contains(r#"class="flash bad""#), "{body}");
    assert!(body.contains("Record 5 does not match its hash"), "{body}");
    assert!(body.contains("row seq 5: hash does not match its content (altered)"), "{body}");
}

#[test]
fn the_api_is_documented() {
    let (_, openapi) = qy_audit::module().api().split_for_parts();
    let doc = serde_json::to_value(&openapi).unwrap();
    for path in ["/api/v1/audit/entries", "/api/v1/audit/verify"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} undocumented");
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/audit/entries"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for p in ["actor", "action", "target", "from", "to", "cursor", "limit"] {
        assert!(params.contains(&p), "parameter {p} undocumented: {params:?}");
    }
    for schema in ["Entry", "Verdict", "BadRow", "ProblemKind"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "schema {schema} missing");
    }
}
