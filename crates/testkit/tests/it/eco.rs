use axum::http::StatusCode;
use qy_testkit::spawn_app;
use serde_json::json;

fn station(mn: &str, region: &str) -> serde_json::Value {
    json!({"mn": mn, "name": "格尔木市环境监测站", "kind": "air", "region_code": region,
           "latitude": 36.41, "longitude": 94.90, "password": "123456"})
}

#[tokio::test]
async fn stations_are_registered_within_scope_and_listed_publicly_without_their_password() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app.send_json("POST", "/api/v1/eco/stations", Some(&admin), &station("QH632801T001", "632801")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(!r.body.contains("123456"));
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let again = app.send_json("POST", "/api/v1/eco/stations", Some(&admin), &station("QH632801T001", "632801")).await;
    assert_eq!(again.json()["code"], "eco.station_exists");
    let bad = app.send_json("POST", "/api/v1/eco/stations", Some(&admin), &json!({"mn": "x"})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let list = app.get("/api/v1/eco/stations?region=632800", None).await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    assert!(!list.body.contains("123456"));
    let one = app.get(&format!("/api/v1/eco/stations/{id}"), None).await.json();
    assert_eq!((one["mn"].as_str(), one["online"].as_bool()), (Some("QH632801T001"), Some(false)));
    assert_eq!(app.get("/api/v1/eco/stations?kind=volcano", None).await.json()["code"], "eco.invalid_kind");
    let series = app.get(&format!("/api/v1/eco/stations/{id}/observations?period=week"), None).await;
    assert_eq!(series.json()["code"], "eco.invalid_period");

    // A token without the station permission is refused.
    let t = app
        .send_json("POST", "/api/v1/identity/tokens", Some(&admin), &json!({"name": "ro", "scopes": ["regions.*"]}))
        .await;
    let token = t.json()["token"].as_str().unwrap().to_owned();
    let denied = app.send_json("POST", "/api/v1/eco/stations", Some(&token), &station("QH632801T002", "632801")).await;
    assert_eq!((denied.status, denied.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("eco.out_of_scope")));
    assert_eq!(app.get("/api/v1/eco/connections", Some(&token)).await.status, StatusCode::FORBIDDEN);
    let page = app.get("/eco/stations", None).await;
    assert!(page.body.contains("格尔木市环境监测站"));
    for path in [
        format!("/eco/stations/{id}"),
        format!("/eco/stations/{id}?range=7d"),
        format!("/eco/stations/{id}?range=30d"),
        "/eco/ranking".into(),
        "/eco/map".into(),
    ] {
        assert_eq!(app.get(&path, None).await.status, StatusCode::OK, "{path}");
    }
    let csv = app.get(&format!("/eco/stations/{id}/observations.csv?period=hour&days=2"), None).await;
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}') && csv.body.contains("因子代码"));
}

#[tokio::test]
async fn an_alert_raised_by_a_sensorthings_value_shows_on_the_alert_pages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app.send_json("POST", "/api/v1/eco/stations", Some(&admin), &station("QH632801T003", "632801")).await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let rule = json!({"name": "PM2.5 高", "kind": "threshold", "region_code": "630000", "factor": "a34004",
                      "period": "hour", "threshold": "100", "notify": ["sms:13800000000"]});
    assert_eq!(app.send_json("POST", "/api/v1/eco/alert-rules", Some(&admin), &rule).await.status, StatusCode::CREATED);
    let obs = json!({"Datastream": {"@iot.id": format!("{id}~a34004~hour")}, "phenomenonTime": "2026-01-15T01:00:00Z", "result": 180});
    let created = app.send_json("POST", "/sta/v1.1/Observations", Some(&admin), &obs).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let alerts = app.get("/api/v1/eco/alerts", Some(&admin)).await.json();
    let alert_id = alerts[0]["id"].as_str().expect("an open alert").to_owned();
    let session = app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let list = app.get_with_cookie("/admin/eco/alerts", &session).await;
    assert!(list.status == StatusCode::OK && list.body.contains("PM2.5 高"));
    let page = app.get_with_cookie(&format!("/admin/eco/alerts/{alert_id}"), &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("a34004 hour = 180"), "{}", page.body);
}
