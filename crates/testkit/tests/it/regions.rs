use qy_testkit::spawn_app;

#[tokio::test]
async fn province_lists_its_eight_prefectures() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/regions/630000", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let children = r.json()["children"].as_array().cloned().unwrap_or_default();
    assert_eq!(children.len(), 8);
    assert!(children.iter().all(|c| c["level"] == "prefecture"));
}

#[tokio::test]
async fn haixi_includes_golmud_with_its_parent_chain() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/regions/632800", None).await;
    assert!(r.json()["children"].as_array().unwrap().iter().any(|c| c["name"] == "格尔木市"));
    let v = app.get("/api/v1/regions/632801001001", None).await.json();
    let chain: Vec<&str> = v["ancestors"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
    assert_eq!(chain, ["630000", "632800", "632801", "632801001"]);
}

#[tokio::test]
async fn bad_and_unknown_codes_are_problems() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/regions/abc", None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(r.json()["code"], "regions.invalid_code");
    let r = app.get("/api/v1/regions/639999", None).await;
    assert_eq!((r.status.as_u16(), r.json()["code"].as_str()), (404, Some("regions.not_found")));
}

#[tokio::test]
async fn search_by_name_pages_with_a_cursor() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/regions?q=%E6%A0%BC%E5%B0%94%E6%9C%A8", None).await; // 格尔木
    assert!(r.json()["items"].as_array().unwrap().iter().any(|i| i["code"] == "632801"));
    let first = app.get("/api/v1/regions?q=%E6%9D%91&limit=5", None).await.json(); // 村
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app.get(&format!("/api/v1/regions?q=%E6%9D%91&limit=5&cursor={cursor}"), None).await.json();
    assert!(second["items"][0]["code"].as_str() > first["items"][4]["code"].as_str());
    let bad = app.get("/api/v1/regions?cursor=%21%21", None).await;
    assert_eq!(bad.json()["code"], "request.invalid_cursor");
}
