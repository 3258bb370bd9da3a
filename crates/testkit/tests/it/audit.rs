use qy_testkit::spawn_app;
use serde_json::json;

#[tokio::test]
async fn state_changing_requests_are_chained_into_the_audit_log() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.send_json(
        "POST",
        "/api/v1/identity/departments",
        Some(&admin),
        &json!({"name": "玉树市农牧局", "region_code": "632701"}),
    )
    .await;
    let entries = app.get("/api/v1/audit/entries?limit=50", Some(&admin)).await.json();
    let actions: Vec<&str> =
        entries["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
    assert!(actions.iter().filter(|a| **a == "http.post").count() >= 2, "{actions:?}");
    let verdict = qy_audit::verify(&app.state.db).await.unwrap();
    assert!(verdict.ok, "{verdict:?}");

    // Deleting one row breaks the chain, and verify names the row.
    qy_storage::sqlx::query("DELETE FROM audit_log WHERE seq = 1").execute(app.state.db.pool()).await.unwrap();
    let verdict = qy_audit::verify(&app.state.db).await.unwrap();
    assert!(!verdict.ok);
    assert!(verdict.first_bad.is_some());
}

#[tokio::test]
async fn audit_entries_need_the_audit_permission() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .send_json("POST", "/api/v1/identity/tokens", Some(&admin), &json!({"name": "t", "scopes": ["regions.*"]}))
        .await;
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let denied = app.get("/api/v1/audit/entries", Some(&token)).await;
    assert_eq!(denied.status, 403);
}
