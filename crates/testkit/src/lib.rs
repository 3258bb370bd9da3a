//! Boots the platform for tests. See README.md.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use qy_server::Config;
use qy_storage::testing::TestDb;
use qy_web::AppState;
use serde_json::Value;
use tower::ServiceExt;

pub const ADMIN_PASSWORD: &str = "test-admin-password";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub config: Config,
    /// The credit service, for seeding records the way departments enter them.
    pub credit: qy_credit::Credit,
    /// The joint rewards and punishments port as other modules receive it.
    pub credit_check: std::sync::Arc<dyn qy_kernel::credit::CreditCheck>,
    /// The catalog service, for seeding entries the way departments compile them.
    pub catalog: qy_catalog::Catalog,
    /// The traceability service, for seeding producers and chains.
    pub trace: qy_trace::Trace,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// Size of the body as sent (compressed when the response is).
    pub len: usize,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// Boots the platform on a fresh database.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let db = TestDb::new().await.unwrap_or_else(|e| panic!("test database: {e}"));
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(db.url.clone()),
        bootstrap_admin_password: Some(ADMIN_PASSWORD.into()),
        ..Config::default()
    };
    let app = qy_server::build(&config).await.unwrap_or_else(|e| panic!("build: {e}"));
    TestApp {
        router: app.router,
        state: app.state,
        config,
        credit: app.credit,
        credit_check: app.credit_check,
        catalog: app.catalog,
        trace: app.trace,
        _db: db,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.unwrap_or_else(|e| match e {});
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        Reply { status, headers, len: bytes.len(), body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::empty()).unwrap_or_default()).await
    }

    pub async fn send_json(&self, method: &str, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send_raw(method, path, token, "application/json", body.to_string()).await
    }

    pub async fn send_raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: String,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::from(body)).unwrap_or_default()).await
    }

    /// Logs in through the API and returns the bearer token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let r = self
            .send_json(
                "POST",
                "/api/v1/identity/sessions",
                None,
                &serde_json::json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "login {username}: {}", r.body);
        r.json()["token"].as_str().unwrap_or_default().to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }
}

impl TestApp {
    /// Logs in through the login form (CSRF cookie, then POST) and returns the session
    /// cookie (`qy_session=…`) to send back.
    pub async fn web_login(&self, username: &str, password: &str) -> String {
        let page = self.get("/login", None).await;
        let csrf_cookie = first_cookie(&page, "qy_csrf=");
        let token = csrf_cookie.trim_start_matches("qy_csrf=");
        let body = serde_urlencoded_pair(&[("csrf", token), ("username", username), ("password", password)]);
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &csrf_cookie)
            .body(Body::from(body))
            .unwrap_or_default();
        let r = self.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login {username}: {}", r.body);
        first_cookie(&r, "qy_session=")
    }

    /// GET with a cookie.
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Reply {
        self.send(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap_or_default()).await
    }

    /// POST a form with a cookie.
    pub async fn post_form(&self, path: &str, cookie: &str, body: String) -> Reply {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap_or_default();
        self.send(req).await
    }
}

/// The `name=value` part of the first `Set-Cookie` starting with `prefix`.
pub fn first_cookie(r: &Reply, prefix: &str) -> String {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(prefix))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned()
}

/// The full `Set-Cookie` line starting with `prefix` (attributes included).
pub fn set_cookie_line(r: &Reply, prefix: &str) -> String {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(prefix))
        .unwrap_or_default()
        .to_owned()
}

fn serde_urlencoded_pair(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}
