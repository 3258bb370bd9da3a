//! Credit Qinghai over HTTP: the public one-stop query and reports, problem+json on bad
//! input, the privacy scan of every public page and API response, the department's forms,
//! and the CreditCheck port as other modules receive it.

use axum::http::StatusCode;
use qy_credit::demo::{DemoAuthority, FeaturedEntity};
use qy_credit_rules::{Penalty, PenaltyCategory, Severity, SubjectCategory};
use qy_kernel::credit::CreditCheckRequest;
use qy_kernel::{Principal, PrincipalKind, RegionScope};
use qy_testkit::{spawn_app, TestApp};
use serde_json::json;

const PERSON_ID: &str = "632521198503120317";
const PHONE: &str = "13909712345";

fn resident_id() -> String {
    let first17 = &PERSON_ID[..17];
    format!("{first17}{}", qy_cnid::resident_id::compute_check_char(first17).unwrap())
}

fn system(department: &str) -> Principal {
    Principal {
        account_id: "system".into(),
        username: "system".into(),
        display_name: "system".into(),
        kind: PrincipalKind::System,
        permissions: ["credit.records.write", "credit.lists.propose"].iter().map(|p| p.to_string()).collect(),
        scope: RegionScope::province(),
        department_id: Some(department.into()),
        uscc: None,
        token_scopes: None,
    }
}

fn featured() -> FeaturedEntity {
    FeaturedEntity {
        name: "格尔木市高原牦牛养殖专业合作社".into(),
        uscc: qy_cnid::Uscc::build("93", "632801", "MA0ABC12").unwrap().as_str().to_owned(),
    }
}

/// Demo-shaped data plus a natural person whose ID and phone an officer typed into the facts.
async fn seeded() -> TestApp {
    let app = spawn_app().await;
    let authorities = vec![
        DemoAuthority {
            department_id: "dept-market".into(),
            name: "共和县市场监督管理局".into(),
            region: "632521".into(),
        },
        DemoAuthority {
            department_id: "dept-eco".into(), name: "德令哈市生态环境局".into(), region: "632802".into()
        },
    ];
    assert!(qy_credit::demo::seed(&app.credit, &authorities, &[featured()], 40).await.unwrap());
    let authority = qy_cnid::Uscc::build("11", "632521", "MB1234A5").unwrap().as_str().to_owned();
    let person = Penalty {
        subject_name: "张某".into(),
        subject_category: SubjectCategory::NaturalPerson,
        uscc: None,
        legal_rep: None,
        person_id_type: Some("身份证".into()),
        person_id: Some(resident_id()),
        decision_no: "共市监罚〔2026〕900号".into(),
        violation_type: "无照经营".into(),
        facts: format!("当事人张某（身份证号{}，联系电话{PHONE}）未取得营业执照从事经营", resident_id()),
        basis: "《无证无照经营查处办法》第十三条".into(),
        categories: vec![PenaltyCategory::Warning],
        content: "警告".into(),
        fine_fen: 0,
        confiscated_fen: 0,
        suspended_licence: None,
        decision_date: app.credit.today().checked_sub(jiff_days(3)).unwrap(),
        valid_until: None,
        authority: "共和县市场监督管理局".into(),
        authority_uscc: authority.clone(),
        source: "共和县市场监督管理局".into(),
        source_uscc: authority,
        severity: Severity::General,
        note: Some(format!("联系电话 {PHONE}")),
    };
    app.credit.submit_penalty(&system("dept-market"), person.clone(), None).await.unwrap();
    // The same facts on a legal entity's record: published, so they must be masked.
    let mut on_entity = person;
    on_entity.subject_name = featured().name;
    on_entity.subject_category = SubjectCategory::LegalEntity;
    on_entity.uscc = Some(featured().uscc);
    on_entity.person_id = None;
    on_entity.person_id_type = None;
    on_entity.decision_no = "共市监罚〔2026〕901号".into();
    app.credit.submit_penalty(&system("dept-market"), on_entity, None).await.unwrap();
    app
}

fn jiff_days(n: i64) -> jiff::Span {
    jiff::Span::new().days(n)
}

fn assert_no_personal_data(what: &str, body: &str) {
    let id = resident_id();
    assert!(!body.contains(&id), "{what} shows a resident ID");
    assert!(!body.contains(PHONE), "{what} shows a phone number");
    // No 18-character ID of any person, whatever the record.
    let digits: Vec<char> = body.chars().collect();
    for w in digits.windows(18) {
        let s: String = w.iter().collect();
        // Chars, not bytes: the window may hold Chinese after its digits.
        if s.starts_with("63") && w[..17].iter().all(char::is_ascii_digit) && qy_cnid::ResidentId::parse(&s).is_ok() {
            panic!("{what} shows a resident ID number {s}");
        }
    }
}

#[tokio::test]
async fn no_public_page_or_api_response_shows_a_resident_id_or_phone() {
    println!("backend: {}", crate::backend());
    let app = seeded().await;
    let mut bodies: Vec<(String, String)> = Vec::new();
    let mut get = |path: String, body: String| bodies.push((path, body));
    // Search pages and API for every two-character slice of a few names, then every subject hit.
    let mut usccs = std::collections::BTreeSet::new();
    for q in ["牦牛", "张某", "商贸", "青海", "合作", "有限", "枸杞", "无照经营"] {
        let page = app.get(&format!("/credit?q={}", urlencode(q)), None).await;
        get(format!("/credit?q={q}"), page.body);
        let api = app.get(&format!("/api/v1/credit/subjects?q={}", urlencode(q)), None).await;
        assert_eq!(api.status, StatusCode::OK);
        for hit in api.json().as_array().unwrap() {
            usccs.insert(hit["uscc"].as_str().unwrap().to_owned());
        }
        get(format!("api ?q={q}"), api.body);
    }
    assert!(usccs.len() > 10, "{usccs:?}");
    assert!(usccs.contains(&featured().uscc));
    for u in &usccs {
        let page = app.get(&format!("/credit/subjects/{u}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        get(format!("/credit/subjects/{u}"), page.body);
        let api = app.get(&format!("/api/v1/credit/subjects/{u}"), None).await;
        assert_eq!(api.json()["uscc"], u.as_str());
        get(format!("api /subjects/{u}"), api.body);
    }
    // The masked facts are still there, masked.
    let mine = app.get(&format!("/api/v1/credit/subjects/{}", featured().uscc), None).await;
    assert!(mine.body.contains("632521********"), "{}", mine.body);
    assert!(mine.body.contains("139****2345"));
    // Reports and verification.
    let report =
        app.send_json("POST", &format!("/api/v1/credit/subjects/{}/reports", featured().uscc), None, &json!({})).await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.body);
    let no = report.json()["report_no"].as_str().unwrap().to_owned();
    let code = report.json()["verify_code"].as_str().unwrap().to_owned();
    get("report api".into(), report.body.clone());
    get("report page".into(), app.get(&format!("/credit/reports/{no}"), None).await.body);
    let verify = app.get(&format!("/credit/verify/{no}?code={code}"), None).await;
    assert!(verify.body.contains("id=\"current\""), "{}", verify.body);
    get("verify page".into(), verify.body);
    get("measures".into(), app.get("/api/v1/credit/measures", None).await.body);
    get("openapi".into(), app.get("/api/openapi.json", None).await.body);
    for (what, body) in &bodies {
        assert_no_personal_data(what, body);
    }
    // The natural person is not publicly findable at all.
    let hits = app.get(&format!("/api/v1/credit/subjects?q={}", urlencode("张某")), None).await.json();
    assert!(hits.as_array().unwrap().iter().all(|h| h["name"] != "张某"));
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn bad_input_gets_problem_json_with_a_stable_code() {
    let app = spawn_app().await;
    let cases = [
        ("/api/v1/credit/subjects/NOT-A-CODE", StatusCode::BAD_REQUEST, "credit.uscc_invalid"),
        ("/api/v1/credit/subjects/91632801MA0ABC1211", StatusCode::BAD_REQUEST, "credit.uscc_invalid"),
        (&format!("/api/v1/credit/subjects/{}", featured().uscc), StatusCode::NOT_FOUND, "credit.subject_not_found"),
        ("/api/v1/credit/subjects?q=%E7%89%9B", StatusCode::BAD_REQUEST, "credit.query_too_short"),
    ];
    for (path, status, code) in cases {
        let r = app.get(path, None).await;
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert_eq!(r.content_type(), "application/problem+json");
        assert_eq!(r.json()["code"], code, "{path}");
    }
    let r = app.send_json("POST", "/api/v1/credit/penalties", None, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let admin = app.admin_token().await;
    let r = app.send_json("POST", "/api/v1/credit/penalties", Some(&admin), &json!({"subject_name": 3})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.content_type(), "application/problem+json");
    let r = app
        .send_json("POST", "/api/v1/credit/checks", Some(&admin), &json!({"uscc": "x", "scenario": "subsidy"}))
        .await;
    assert_eq!(r.json()["code"], "credit.uscc_invalid");
    let r = app.send_raw("POST", "/api/v1/credit/imports/penalties", Some(&admin), "text/csv", "CF_WSH\n".into()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.json()["code"], "credit.empty_file");
    let r =
        app.send_raw("POST", "/api/v1/credit/imports/penalties", Some(&admin), "text/csv", "名称\n甲\n".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["code"], "credit.unknown_column");
    assert_eq!(r.json()["created"], 0);
    let r = app.get("/credit/reports/QHXY000", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.content_type().starts_with("text/html"));
}

#[tokio::test]
async fn a_department_system_pushes_records_and_other_modules_check_through_the_port() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let authority = qy_cnid::Uscc::build("11", "632521", "MB1234A5").unwrap().as_str().to_owned();
    let subject = featured().uscc;
    let decided = app.credit.today().to_string();
    let body = json!({
        "subject_name": featured().name, "subject_category": "legal_entity", "uscc": subject,
        "legal_rep": null, "person_id_type": null, "person_id": null,
        "decision_no": "共市监罚〔2026〕300号", "violation_type": "虚假宣传", "facts": "虚构有机认证",
        "basis": "《反不正当竞争法》第二十条", "categories": ["警告", "罚款"], "content": "罚款5万元",
        "fine_fen": 5000000, "confiscated_fen": 0, "suspended_licence": null, "decision_date": decided,
        "valid_until": null, "authority": "共和县市场监督管理局", "authority_uscc": authority,
        "source": "共和县市场监督管理局", "source_uscc": authority, "severity": "serious", "note": null
    });
    let r = app.send_json("POST", "/api/v1/credit/penalties", Some(&admin), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let again = app.send_json("POST", "/api/v1/credit/penalties", Some(&admin), &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["outcome"], "unchanged");
    let entry = app
        .send_json(
            "POST",
            "/api/v1/credit/list-entries",
            Some(&admin),
            &json!({"uscc": subject, "list": "serious_dishonest", "legal_basis": "国办发〔2020〕49号", "reason": "虚假宣传情节严重",
                    "authority": "共和县市场监督管理局", "authority_uscc": authority, "decided_on": decided, "valid_from": decided}),
        )
        .await;
    assert_eq!(entry.status, StatusCode::CREATED, "{}", entry.body);
    let id = entry.json()["id"].as_str().unwrap().to_owned();
    // The operator proposed it: a second person must approve.
    let same = app
        .send_json(
            "POST",
            &format!("/api/v1/credit/list-entries/{id}/decision"),
            Some(&admin),
            &json!({"action": "approve"}),
        )
        .await;
    assert_eq!(same.json()["code"], "credit.four_eyes");
    app.credit
        .approve_list_entry(
            &Principal {
                account_id: "reviewer".into(),
                permissions: ["credit.lists.approve".to_string()].into(),
                ..system("d")
            },
            &id,
        )
        .await
        .unwrap();
    let outcome = app
        .credit_check
        .check(&CreditCheckRequest {
            uscc: subject.clone(),
            scenario: "public_bidding".into(),
            checker: "qy-services".into(),
            reference: None,
        })
        .await
        .unwrap();
    assert_eq!(outcome.measures.iter().map(|m| m.code.as_str()).collect::<Vec<_>>(), vec!["restrict_bidding"]);
    let stats = app.get("/api/v1/credit/checks/stats", Some(&admin)).await;
    assert_eq!(stats.json()[0]["checker"], "qy-services");
}

#[tokio::test]
async fn the_record_form_shows_every_problem_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let cookie = app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let page = app.get_with_cookie("/admin/credit/records/new/penalty", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = format!(
        "csrf={csrf}&CF_XDR_MC=%E6%9F%90%E5%85%AC%E5%8F%B8&CF_XDR_LB=%E6%B3%95%E4%BA%BA%E5%8F%8A%E9%9D%9E%E6%B3%95%E4%BA%BA%E7%BB%84%E7%BB%87&CF_XDR_SHXYM=BAD&CF_WSH=X1&CF_CFLB=%E7%BD%9A%E6%AC%BE&CF_NR_FK=abc&CF_JDRQ=2026-01-05&SEVERITY=%E4%B8%80%E8%88%AC"
    );
    let r = app.post_form("/admin/credit/records/new/penalty", &cookie, form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("CF_NR_FK"), "{}", r.body);
    assert!(r.body.contains("value=\"X1\""), "typed values are kept");
    // The desk renders for the operator, who may take a measure out of force.
    let desk = app.get_with_cookie("/admin/credit", &cookie).await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains("/admin/credit/measures/green_channel"));
    let r = app
        .post_form(
            "/admin/credit/measures/green_channel",
            &cookie,
            format!("csrf={csrf}&scenarios=administrative_licensing%2Csubsidy"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let measures = app.get("/api/v1/credit/measures", None).await.json();
    let green = measures.as_array().unwrap().iter().find(|m| m["code"] == "green_channel").unwrap().clone();
    assert_eq!(green["active"], false);
    assert_eq!(green["scenarios"], json!(["administrative_licensing", "subsidy"]));
    // Anonymous visitors are sent to log in.
    assert_eq!(app.get("/admin/credit", None).await.status, StatusCode::SEE_OTHER);
}
