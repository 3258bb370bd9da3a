use axum::http::StatusCode;
use qy_testkit::spawn_app;
use serde_json::json;

#[tokio::test]
async fn malformed_json_unknown_fields_wrong_type_and_oversize_bodies_are_4xx_problems() {
    let app = spawn_app().await;
    let path = "/api/v1/identity/sessions";
    let r = app.send_raw("POST", path, None, "application/json", "{\"username\": ".into()).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("request.malformed_json")));
    assert_eq!(r.content_type(), "application/problem+json");
    let r = app.send_json("POST", path, None, &json!({"username": "a", "password": "b", "extra": 1})).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::BAD_REQUEST, Some("request.invalid_field")));
    let r = app.send_raw("POST", path, None, "text/plain", "{}".into()).await;
    assert_eq!(r.json()["code"], "request.unsupported_media_type");
    let big = format!("{{\"username\": \"{}\", \"password\": \"x\"}}", "a".repeat(2 * 1024 * 1024));
    let r = app.send_raw("POST", path, None, "application/json", big).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("request.too_large")));
}

#[tokio::test]
async fn unknown_api_paths_and_missing_tokens_are_problems() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/nothing/here", None).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("http.not_found")));
    let r = app.get("/api/v1/identity/me", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers.get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
    let r = app.get("/api/v1/identity/me", Some("qy_s_forged")).await;
    assert_eq!(r.json()["code"], "auth.invalid_token");
    let r = app.get("/api/v1/identity/accounts/not-a-uuid", Some(&app.admin_token().await)).await;
    assert_eq!(r.json()["code"], "identity.invalid_id");
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let app = spawn_app().await;
    let doc = app.get("/api/openapi.json", None).await.json();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.1")), Some(true));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/regions/{code}",
        "/api/v1/regions",
        "/api/v1/identity/sessions",
        "/api/v1/identity/accounts/{id}",
        "/api/v1/identity/tokens",
        "/api/v1/audit/entries",
        "/api/v1/platform/status",
    ] {
        assert!(paths.contains_key(p), "{p} missing from OpenAPI");
    }
    // API routes are only registered through utoipa-axum's `routes!`, which documents them:
    // no handler under /api may be mounted with a plain `.route(`.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../");
    let mut offenders = Vec::new();
    scan(std::path::Path::new(root), &mut offenders);
    assert!(offenders.is_empty(), "undocumented API routes: {offenders:?}");
    let docs = app.get("/api/docs/", None).await;
    assert_eq!(docs.status, StatusCode::OK, "Swagger UI is served from the binary");
}

fn scan(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() && !p.ends_with("target") && !p.ends_with("tests") {
            scan(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if line.contains(".route(\"/api/v1") {
                    out.push(format!("{}:{}", p.display(), i + 1));
                }
            }
        }
    }
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.body, "ok");
    let ready = app.get("/readyz", None).await;
    assert_eq!((ready.status, ready.json()["database"].as_bool()), (StatusCode::OK, Some(true)));
    app.get("/api/v1/regions/630000", None).await;
    let m = app.get("/metrics", None).await;
    assert!(m.body.contains("qy_http_requests_total"), "{}", m.body);
}
