//! The SensorThings API (`/sta/v1.1`) in the whole application: identity tokens, the audit
//! log, and a real external client (PyPI `frost-sta-client`) over HTTP when
//! `QY_TEST_PYTHON` names a Python that has it installed.

use axum::http::StatusCode;
use qy_eco::domain::observation::{Observation, Period};
use qy_testkit::{spawn_app, TestApp};
use serde_json::json;

/// Registers an air station through the API and stores PM2.5 hourly values 75, 60, 90 at
/// 2026-01-15T01:00Z–03:00Z the way the gateway stores an upload.
async fn station_with_data(app: &TestApp, token: &str, mn: &str) -> String {
    let r = app
        .send_json(
            "POST",
            "/api/v1/eco/stations",
            Some(token),
            &json!({"mn": mn, "name": "格尔木市", "kind": "air", "region_code": "632801",
                    "latitude": 36.41, "longitude": 94.90, "password": "123456"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    for (i, v) in ["75", "60", "90"].iter().enumerate() {
        let t = 1_768_438_800_000 + i as i64 * 3_600_000;
        let items = [Observation {
            factor: "a34004".into(),
            period: Period::Hour,
            time_ms: t,
            value: (*v).into(),
            min: None,
            max: None,
            flag: "N".into(),
        }];
        let qn = format!("2026011510000000{i}");
        let upload = qy_eco::store::Upload {
            station_id: &id,
            qn: &qn,
            cn: "2061",
            raw: "test",
            received_at: app.state.now_ms(),
            peer: "test",
            observations: &items,
        };
        assert!(qy_eco::store::store_upload(&app.state.db, &upload).await.unwrap());
    }
    id
}

#[tokio::test]
async fn sensorthings_in_the_whole_app_with_identity_tokens_and_audit() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = station_with_data(&app, &admin, "QH632801T101").await;
    let root = app.get("/sta/v1.1", None).await;
    assert_eq!(root.status, StatusCode::OK);
    assert_eq!(root.json()["value"][0]["name"], "Things");
    let ds = app.get(&format!("/sta/v1.1/Things('{id}')/Datastreams"), None).await.json();
    assert_eq!(ds["value"][0]["@iot.id"], format!("{id}~a34004~hour"));

    // A token whose scopes do not include the permission is refused; the operator may write.
    let t = app
        .send_json("POST", "/api/v1/identity/tokens", Some(&admin), &json!({"name": "ro", "scopes": ["regions.*"]}))
        .await;
    let narrow = t.json()["token"].as_str().unwrap().to_owned();
    let obs = json!({"phenomenonTime": "2026-01-15T04:00:00Z", "result": 33, "Datastream": {"@iot.id": format!("{id}~a34004~hour")}});
    let r = app.send_json("POST", "/sta/v1.1/Observations", Some(&narrow), &obs).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("sta.forbidden")));
    let r = app.send_json("POST", "/sta/v1.1/Observations", Some("qy_s_forged"), &obs).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.send_json("POST", "/sta/v1.1/Observations", Some(&admin), &obs).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let location = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(location.ends_with(&format!("/sta/v1.1/Observations('{id}~a34004~hour~1768449600000')")), "{location}");
    // Writes are in the audit log like every state-changing request.
    let audit = app.get("/api/v1/audit/entries?limit=200", Some(&admin)).await.json();
    let text = audit.to_string();
    assert!(text.contains("/sta/v1.1/Observations"), "{text}");
    // Protocol errors stay problem+json under the platform's layers.
    let r = app.get("/sta/v1.1/Observations?$filter=result%20gt", None).await;
    assert_eq!((r.status, r.content_type()), (StatusCode::BAD_REQUEST, "application/problem+json"));
    assert_eq!(r.json()["code"], "sta.invalid_filter");
}

/// The reference Python client against a live server. Skipped unless `QY_TEST_PYTHON` points
/// at a Python with `frost-sta-client` installed (see .ci/run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frost_sta_client_round_trip() {
    let Some(python) = std::env::var_os("QY_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        println!("skipped: QY_TEST_PYTHON not set");
        return;
    };
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let station = station_with_data(&app, &admin, "QH632801T102").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../modules/eco/tests/sta_client/roundtrip.py");
    let url = format!("http://{addr}/sta/v1.1");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .env("QY_STA_URL", url)
            .env("QY_STA_TOKEN", admin)
            .env("QY_STA_STATION", station)
            .output()
    })
    .await
    .unwrap()
    .expect("run the Python client");
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "frost-sta-client round trip failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("all checks passed"), "{stdout}");
}
