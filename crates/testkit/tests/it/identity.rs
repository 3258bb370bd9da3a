use axum::http::StatusCode;
use qy_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

const PW: &str = "county-staff-password";

async fn department(app: &TestApp, admin: &str, name: &str, region: &str) -> String {
    let r = app
        .send_json("POST", "/api/v1/identity/departments", Some(admin), &json!({"name": name, "region_code": region}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

async fn staff(app: &TestApp, admin: &str, username: &str, dep: &str, role: &str) -> Value {
    let body = json!({"username": username, "password": PW, "display_name": username, "kind": "staff", "department_id": dep, "roles": [role]});
    let r = app.send_json("POST", "/api/v1/identity/accounts", Some(admin), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn county_staff_cannot_read_or_change_another_countys_staff_but_an_operator_can() {
    println!("backend: {}", crate::backend());
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let golmud = department(&app, &admin, "格尔木市政务服务中心", "632801").await;
    let delingha = department(&app, &admin, "德令哈市政务服务中心", "632802").await;
    let _a = staff(&app, &admin, "golmud.admin", &golmud, "department_admin").await;
    let b = staff(&app, &admin, "delingha.officer", &delingha, "officer").await;
    let b_id = b["id"].as_str().unwrap();

    let golmud_token = app.login("golmud.admin", PW).await;
    let read = app.get(&format!("/api/v1/identity/accounts/{b_id}"), Some(&golmud_token)).await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);
    assert_eq!(read.content_type(), "application/problem+json");
    assert_eq!(read.json()["code"], "identity.out_of_scope");
    let change = app
        .send_json(
            "PATCH",
            &format!("/api/v1/identity/accounts/{b_id}"),
            Some(&golmud_token),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(change.status, StatusCode::FORBIDDEN);
    let create = app
        .send_json(
            "POST",
            "/api/v1/identity/accounts",
            Some(&golmud_token),
            &json!({"username": "intruder", "password": PW, "display_name": "x", "kind": "staff", "department_id": delingha}),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN, "{}", create.body);

    assert_eq!(app.get(&format!("/api/v1/identity/accounts/{b_id}"), Some(&admin)).await.status, StatusCode::OK);
    // b's bearer token works (and is now cached) until b is disabled, then at once no more.
    let b_token = app.login("delingha.officer", PW).await;
    assert_eq!(app.get("/api/v1/identity/me", Some(&b_token)).await.status, StatusCode::OK);
    let off = app
        .send_json("PATCH", &format!("/api/v1/identity/accounts/{b_id}"), Some(&admin), &json!({"disabled": true}))
        .await;
    assert_eq!(off.json()["disabled"], true);
    assert_eq!(app.get("/api/v1/identity/me", Some(&b_token)).await.status, StatusCode::UNAUTHORIZED);

    // Staff listing is bounded by the region subtree.
    let list = app.get("/api/v1/identity/accounts", Some(&golmud_token)).await.json();
    let regions: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|a| a["region_code"].as_str().unwrap()).collect();
    assert!(!regions.is_empty() && regions.iter().all(|r| r.starts_with("632801")), "{regions:?}");
}

#[tokio::test]
async fn wrong_password_is_a_problem_and_repeated_failures_lock_the_account() {
    let app = spawn_app().await;
    let bad = json!({"username": "admin", "password": "not the password"});
    let r = app.send_json("POST", "/api/v1/identity/sessions", None, &bad).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("identity.invalid_credentials")));
    for _ in 0..4 {
        app.send_json("POST", "/api/v1/identity/sessions", None, &bad).await;
    }
    let good = json!({"username": "admin", "password": qy_testkit::ADMIN_PASSWORD});
    let r = app.send_json("POST", "/api/v1/identity/sessions", None, &good).await;
    assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("identity.account_locked")));
}

#[tokio::test]
async fn citizen_resident_id_is_masked_and_revealing_it_is_audited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let body = json!({"username": "tashi", "password": PW, "display_name": "扎西", "kind": "citizen",
                      "region_code": "632801", "resident_id": "11010519491231002X"});
    let r = app.send_json("POST", "/api/v1/identity/accounts", Some(&admin), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(!r.body.contains("11010519491231002X"));
    assert_eq!(r.json()["resident_id_masked"], "110105********002X");
    let id = r.json()["id"].as_str().unwrap().to_owned();

    let no_reason = app
        .send_json("POST", &format!("/api/v1/identity/accounts/{id}/resident-id"), Some(&admin), &json!({"reason": ""}))
        .await;
    assert_eq!(no_reason.json()["code"], "identity.reason_required");
    let shown = app
        .send_json(
            "POST",
            &format!("/api/v1/identity/accounts/{id}/resident-id"),
            Some(&admin),
            &json!({"reason": "核对低保申请"}),
        )
        .await;
    assert_eq!(shown.json()["resident_id"], "11010519491231002X");

    let log = app.get("/api/v1/audit/entries?action=identity.personal_data", Some(&admin)).await.json();
    let entry = &log["items"][0];
    assert_eq!(entry["reason"], "核对低保申请");
    assert!(!log.to_string().contains("11010519491231002X"));

    let bad = json!({"username": "fake", "password": PW, "display_name": "x", "kind": "citizen", "resident_id": "110105194912310021"});
    assert_eq!(
        app.send_json("POST", "/api/v1/identity/accounts", Some(&admin), &bad).await.json()["code"],
        "identity.invalid_resident_id"
    );
    let bad = json!({"username": "fakeco", "password": PW, "display_name": "x", "kind": "enterprise", "uscc": "914403001922038217"});
    assert_eq!(
        app.send_json("POST", "/api/v1/identity/accounts", Some(&admin), &bad).await.json()["code"],
        "identity.invalid_uscc"
    );
}

#[tokio::test]
async fn personal_access_tokens_are_scoped_and_revocable() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .send_json(
            "POST",
            "/api/v1/identity/tokens",
            Some(&admin),
            &json!({"name": "环境监测系统", "scopes": ["regions.*"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert!(token.starts_with("qy_pat_"));
    assert_eq!(app.get("/api/v1/identity/me", Some(&token)).await.status, StatusCode::OK);
    // The token's scope does not include identity.staff.read, even though admin may.
    assert_eq!(app.get("/api/v1/identity/accounts", Some(&token)).await.status, StatusCode::FORBIDDEN);
    let minted =
        app.send_json("POST", "/api/v1/identity/tokens", Some(&token), &json!({"name": "x", "scopes": ["*"]})).await;
    assert_eq!(minted.status, StatusCode::FORBIDDEN);
    // Only the hash is stored.
    let listed = app.get("/api/v1/identity/tokens", Some(&admin)).await;
    assert!(!listed.body.contains(&token));
    assert_eq!(
        app.send_json("DELETE", &format!("/api/v1/identity/tokens/{id}"), Some(&admin), &json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    let after = app.get("/api/v1/identity/me", Some(&token)).await;
    assert_eq!((after.status, after.json()["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("auth.invalid_token")));
}

#[tokio::test]
async fn logout_ends_the_api_session() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    assert_eq!(
        app.send_json("DELETE", "/api/v1/identity/sessions/current", Some(&admin), &json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get("/api/v1/identity/me", Some(&admin)).await.status, StatusCode::UNAUTHORIZED);
}
