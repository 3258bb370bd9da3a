use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use qy_testkit::spawn_app;

fn has_tibetan(s: &str) -> bool {
    s.chars().any(|c| ('\u{0F00}'..='\u{0FFF}').contains(&c))
}

#[tokio::test]
async fn home_page_speaks_chinese_by_default_and_tibetan_when_asked() {
    let app = spawn_app().await;
    let zh = app.get("/", None).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains("lang=\"zh-Hans-CN\"") && zh.body.contains("青云"));
    let req = Request::get("/").header(header::COOKIE, "qy_lang=bo").body(Body::empty()).unwrap();
    let bo = app.send(req).await;
    assert!(bo.body.contains("lang=\"bo\"") && has_tibetan(&bo.body));
    let req = Request::get("/regions").header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9").body(Body::empty()).unwrap();
    assert!(app.send(req).await.body.contains("Administrative regions of Qinghai"));
}

#[tokio::test]
async fn forms_without_a_csrf_token_are_refused() {
    let app = spawn_app().await;
    let r = app
        .send_raw("POST", "/login", None, "application/x-www-form-urlencoded", "username=admin&password=x".into())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn login_form_sets_a_session_cookie_and_shows_the_account_page() {
    let app = spawn_app().await;
    let page = app.get("/login", None).await;
    let csrf = qy_testkit::first_cookie(&page, "qy_csrf=");
    let body = format!(
        "{}&username=admin&password={}&next=%2Faccount",
        csrf.replace("qy_csrf=", "csrf="),
        qy_testkit::ADMIN_PASSWORD
    );
    let r = app.post_form("/login", &csrf, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/account"));
    let line = qy_testkit::set_cookie_line(&r, "qy_session=");
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Lax"), "{line}");
    let session = qy_testkit::first_cookie(&r, "qy_session=");
    let account = app.get_with_cookie("/account", &session).await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("平台运营管理员"));
    for page in [
        "/admin/staff",
        "/admin/departments",
        "/admin/roles",
        "/admin/audit",
        "/regions/632801",
        "/eco/stations",
        "/admin/eco/stations",
        "/admin/eco/alerts",
        "/eco/ranking",
        "/eco/map",
    ] {
        assert_eq!(app.get_with_cookie(page, &session).await.status, StatusCode::OK, "{page}");
    }
    assert_eq!(app.get("/account", None).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn home_page_first_load_stays_under_150_kb_compressed() {
    let app = spawn_app().await;
    let gz = |path: String| Request::get(path).header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let home = app.send(gz("/".into())).await;
    // minijinja escapes "/" in attribute values as &#x2f; (OWASP), which browsers decode.
    let html = app.get("/", None).await.body.replace("&#x2f;", "/");
    let mut total = home.len;
    let assets: Vec<String> = html.split('"').filter(|s| s.starts_with("/assets/")).map(str::to_owned).collect();
    assert!(assets.len() >= 2, "{assets:?}");
    for a in assets {
        let r = app.send(gz(a.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{a}");
        assert!(r.headers.get(header::CACHE_CONTROL).is_some_and(|v| v.to_str().unwrap_or("").contains("immutable")));
        total += r.len;
    }
    println!("home page first load: {} bytes compressed ({:.2} of the 150 KB budget)", total, total as f64 / 153_600.0);
    assert!(total < 150 * 1024, "{total} bytes");
}

#[tokio::test]
async fn operator_creates_a_role_from_the_roles_page() {
    let app = spawn_app().await;
    let session = app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    // The session's own CSRF token is on every page it renders.
    let page = app.get_with_cookie("/admin/roles", &session).await;
    let token = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form =
        format!("csrf={token}&name=eco.viewer&description=x&permission=identity.staff.read&other=eco.stations.read");
    assert_eq!(app.post_form("/admin/roles", &session, form).await.status, StatusCode::SEE_OTHER);
    let roles = app.get("/api/v1/identity/roles", Some(&app.admin_token().await)).await.json();
    let role = roles.as_array().unwrap().iter().find(|r| r["name"] == "eco.viewer").cloned().unwrap();
    assert_eq!(role["permissions"], serde_json::json!(["eco.stations.read", "identity.staff.read"]));
}

#[tokio::test]
async fn logging_out_ends_the_web_session() {
    let app = spawn_app().await;
    let session = app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let page = app.get_with_cookie("/account", &session).await;
    let token = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let r = app.post_form("/logout", &session, format!("csrf={token}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(qy_testkit::set_cookie_line(&r, "qy_session=").contains("Max-Age=0"));
    assert_eq!(app.get_with_cookie("/account", &session).await.status, StatusCode::SEE_OTHER);
}
