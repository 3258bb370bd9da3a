//! Traceability over HTTP: the EPCIS 2.0 REST bindings (discovery, asynchronous capture,
//! queries with paging, named queries and signed webhooks, EPCIS errors) and the Digital
//! Link resolver with its consumer page, linkset and QR codes.

use axum::http::StatusCode;
use qy_testkit::{spawn_app, TestApp, ADMIN_PASSWORD};
use serde_json::{json, Value};

fn data(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../std/epcis/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn captured(app: &TestApp, token: &str, doc: &str) -> Value {
    let r = app.send_raw("POST", "/epcis/capture", Some(token), "application/ld+json", doc.into()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = r.headers["location"].to_str().unwrap().to_owned();
    assert!(job.starts_with("/epcis/capture/"));
    for _ in 0..200 {
        let j = app.get(&job, Some(token)).await.json();
        if j["running"] == json!(false) {
            return j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("capture job {job} did not finish");
}

#[tokio::test]
async fn discovery_headers_and_epcis_errors() {
    let app = spawn_app().await;
    let r = app.send_raw("OPTIONS", "/epcis/capture", None, "application/json", String::new()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for h in ["gs1-epcis-version", "gs1-cbv-version", "gs1-epcis-capture-limit", "gs1-capture-error-behaviour", "allow"]
    {
        assert!(r.headers.contains_key(h), "{h} missing: {:?}", r.headers);
    }
    assert_eq!(r.headers["gs1-epcis-version"], "2.0.0");
    let r = app.send_raw("POST", "/epcis/capture", None, "application/json", "{}".into()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(r.json()["type"], "epcisException:SecurityException");
    let token = app.login("admin", ADMIN_PASSWORD).await;
    let r = app.send_raw("POST", "/epcis/capture", Some(&token), "application/xml", "<x/>".into()).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = app.send_raw("POST", "/epcis/capture", Some(&token), "application/json", "{not json".into()).await;
    assert_eq!(
        (r.status, r.json()["type"].as_str()),
        (StatusCode::BAD_REQUEST, Some("epcisException:ValidationException"))
    );
    let r = app.get("/epcis/events?EQ_colour=red", Some(&token)).await;
    assert_eq!(r.json()["type"], "epcisException:QueryParameterException");
    let r = app.get("/epcis/events/urn%3Auuid%3Anothing", Some(&token)).await;
    assert_eq!(
        (r.status, r.json()["type"].as_str()),
        (StatusCode::NOT_FOUND, Some("epcisException:NoSuchResourceException"))
    );
    let r = app.get("/epcis/events", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn capture_then_query_with_paging_and_by_id() {
    let app = spawn_app().await;
    let token = app.login("admin", ADMIN_PASSWORD).await;
    let job = captured(&app, &token, &data("local/qinghai-yak-chain.jsonld")).await;
    assert_eq!((job["success"].as_bool(), job["capturedCount"].as_u64()), (Some(true), Some(5)), "{job}");
    let again = captured(&app, &token, &data("local/qinghai-yak-chain.jsonld")).await;
    assert_eq!((again["capturedCount"].as_u64(), again["duplicateCount"].as_u64()), (Some(0), Some(5)));
    let animal = enc("https://trace.example.org/qh/animal/263262100012345");
    let r = app.get(&format!("/epcis/events?MATCH_anyEPC={animal}"), Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["gs1-epcis-version"], "2.0.0");
    let doc = r.json();
    assert_eq!(doc["type"], "EPCISQueryDocument");
    assert_eq!(doc["epcisBody"]["queryResults"]["queryName"], "SimpleEventQuery");
    let list = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().clone();
    assert_eq!(list.len(), 3);
    // Paging: two per page, follow Link rel="next" to the end.
    let mut path = "/epcis/events?perPage=2&orderBy=eventTime".to_owned();
    let mut seen = 0;
    loop {
        let r = app.get(&path, Some(&token)).await;
        seen += r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len();
        let Some(link) = r.headers.get("link") else { break };
        let link = link.to_str().unwrap();
        assert!(link.ends_with("rel=\"next\""), "{link}");
        path = link.trim_start_matches('<').split('>').next().unwrap().to_owned();
    }
    assert_eq!(seen, 5);
    let id = list[0]["eventID"].as_str().unwrap();
    let r = app.get(&format!("/epcis/events/{}", enc(id)), Some(&token)).await;
    assert_eq!(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["eventID"], id);
    let r = app.get("/epcis/eventTypes/TransformationEvent/events", Some(&token)).await;
    assert_eq!(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len(), 1);
    let r = app.get("/epcis/bizSteps", Some(&token)).await;
    assert!(r.body.contains("https://ref.gs1.org/cbv/BizStep-killing"), "{}", r.body);
    let r = app
        .get(
            &format!("/epcis/epcs/{}/events", enc("https://id.gs1.org/01/09521234000013/10/YK20241015A")),
            Some(&token),
        )
        .await;
    assert_eq!(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_single_event_is_created_once() {
    let app = spawn_app().await;
    let token = app.login("admin", ADMIN_PASSWORD).await;
    let ev = json!({
        "type": "ObjectEvent", "eventTime": "2026-10-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",
        "epcList": ["https://id.gs1.org/01/09521234000013/21/A1"], "action": "OBSERVE", "bizStep": "receiving"
    })
    .to_string();
    let r = app.send_raw("POST", "/epcis/events", Some(&token), "application/json", ev.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(r.headers["location"].to_str().unwrap().starts_with("/epcis/events/ni%3A%2F%2F%2Fsha-256"));
    let r = app.send_raw("POST", "/epcis/events", Some(&token), "application/json", ev).await;
    assert_eq!(
        (r.status, r.json()["type"].as_str()),
        (StatusCode::CONFLICT, Some("epcisException:ResourceAlreadyExistsException"))
    );
}

#[tokio::test]
async fn named_queries_and_signed_webhook_subscriptions() {
    let app = spawn_app().await;
    let token = app.login("admin", ADMIN_PASSWORD).await;
    let body = json!({"name": "recalled", "query": {"EQ_disposition": ["recalled"]}});
    let r = app.send_json("POST", "/epcis/queries", Some(&token), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.headers["location"], "/epcis/queries/recalled");
    assert_eq!(app.send_json("POST", "/epcis/queries", Some(&token), &body).await.status, StatusCode::CONFLICT);
    // A webhook receiver on the loopback.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Option<String>, String)>();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let tx = tx.clone();
            async move {
                let sig = headers.get("gs1-signature").and_then(|v| v.to_str().ok()).map(str::to_owned);
                let _ = tx.send((sig, body));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let sub = json!({"dest": format!("http://{addr}/hook"), "signatureToken": "s3cret", "stream": true});
    let r = app.send_json("POST", "/epcis/queries/recalled/subscriptions", Some(&token), &sub).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let bad = json!({"dest": "ftp://x", "stream": true});
    let r = app.send_json("POST", "/epcis/queries/recalled/subscriptions", Some(&token), &bad).await;
    assert_eq!(r.json()["type"], "epcisException:SubscriptionControlsException");
    let job = captured(&app, &token, &data("local/qinghai-yak-chain.jsonld")).await;
    assert_eq!(job["success"], true);
    let client = reqwest::Client::new();
    let (sent, failed) = app.trace.deliver_subscriptions(&client).await.unwrap();
    assert_eq!((sent, failed), (1, 0));
    let (sig, body) = rx.recv().await.unwrap();
    let doc: Value = serde_json::from_str(&body).unwrap();
    let events = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap();
    assert_eq!(events.len(), 1, "only the recalled event matches");
    assert!(doc["epcisBody"]["queryResults"]["subscriptionID"].is_string());
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"s3cret").unwrap();
    mac.update(body.as_bytes());
    assert_eq!(sig.unwrap(), format!("sha256={}", hex::encode(mac.finalize().into_bytes())));
    // Nothing new: nothing sent; the bookmark moved.
    assert_eq!(app.trace.deliver_subscriptions(&client).await.unwrap(), (0, 0));
    let r = app.get("/epcis/queries/recalled/events", Some(&token)).await;
    assert_eq!(r.json()["epcisBody"]["queryResults"]["queryName"], "recalled");
    assert_eq!(
        app.send_raw("DELETE", "/epcis/queries/recalled", Some(&token), "application/json", String::new()).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get("/epcis/queries/recalled", Some(&token)).await.status, StatusCode::NOT_FOUND);
}

fn demo_parties() -> Vec<qy_trace::demo::DemoParty> {
    qy_trace::demo::example_parties()
}

#[tokio::test]
async fn the_digital_link_resolver_serves_the_page_the_linkset_and_qr_codes() {
    let app = spawn_app().await;
    qy_trace::demo::seed(&app.trace, &demo_parties()).await.unwrap();
    let path = format!("/01/{}/10/YK20261015A", qy_trace::demo::YAK_MEAT);
    let r = app.get(&path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("牦牛肉") && r.body.contains("id=\"timeline\""), "{}", r.body);
    assert!(r.body.contains("cold-chain-chart"));
    assert!(r.headers["link"].to_str().unwrap().contains("rel=\"linkset\""));
    let req = axum::http::Request::get(&path)
        .header("accept", "application/linkset+json")
        .body(axum::body::Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.content_type(), "application/linkset+json");
    let set = r.json();
    assert_eq!(set["linkset"][0]["anchor"], format!("https://id.gs1.org{path}"));
    assert!(set["linkset"][0]["https://gs1.org/voc/pip"].is_array());
    assert!(set["linkset"][0]["https://gs1.org/voc/certificationInfo"].is_array());
    let r = app.get(&format!("{path}?linkType=gs1:epcis"), None).await;
    assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT);
    let r = app.get(&format!("/01/{}/10/NOSUCHLOT", qy_trace::demo::GOJI), None).await;
    assert_eq!(r.status, StatusCode::OK, "a registered product with an unknown lot still has a page");
    let r = app.get("/01/09521234000014/10/X", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a wrong check digit is a clear error");
    let r = app.get(&format!("/trace/qr/{}/YK20261015A?format=png", qy_trace::demo::YAK_MEAT), None).await;
    assert_eq!(r.content_type(), "image/png");
    assert!(r.body.len() > 100);
    let r = app.get(&format!("/trace/qr/{}/YK20261015A", qy_trace::demo::YAK_MEAT), None).await;
    assert!(r.body.starts_with("<?xml") || r.body.starts_with("<svg"), "{}", &r.body[..40.min(r.body.len())]);
    // A recall shows at once, on the page and in the linkset.
    let meat = format!("https://id.gs1.org{path}");
    let r = app
        .send_json(
            "POST",
            "/api/v1/trace/recalls",
            Some(&app.login("admin", ADMIN_PASSWORD).await),
            &json!({"lots": [meat], "reason": "检出沙门氏菌"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app.get(&path, None).await;
    assert!(r.body.contains("id=\"recall\"") && r.body.contains("检出沙门氏菌"));
}

fn csrf_of(body: &str) -> String {
    body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_regulator_dashboard_recalls_through_its_form_and_exports_csv() {
    let app = spawn_app().await;
    qy_trace::demo::seed(&app.trace, &demo_parties()).await.unwrap();
    let session = app.web_login("admin", ADMIN_PASSWORD).await;
    let page = app.get_with_cookie("/trace/regulator", &session).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"by-region\"") && page.body.contains("632801"), "events by county");
    assert!(page.body.contains("13126P123456789012") || page.body.contains("GF632801231001"), "certificates expiring");
    // A recall without a reason is refused on the page, with the form kept.
    let form = format!(
        "csrf={}&lots={}&reason=",
        csrf_of(&page.body),
        enc("https://id.gs1.org/01/09521234000013/10/YK20261015A")
    );
    let r = app.post_form("/trace/regulator/recalls", &session, form).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("id=\"error\""));
    let form = format!(
        "csrf={}&lots={}&reason={}",
        csrf_of(&page.body),
        enc("https://id.gs1.org/01/09521234000013/10/YK20261015A"),
        enc("抽检不合格")
    );
    let r = app.post_form("/trace/regulator/recalls", &session, form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let recall = app.get_with_cookie(r.headers["location"].to_str().unwrap(), &session).await;
    assert!(recall.body.contains("00&#x2f;095212340000000013"), "the box is affected: {}", recall.body);
    let csv = app.get_with_cookie("/trace/regulator/events.csv", &session).await;
    assert!(csv.content_type().starts_with("text/csv"));
    assert!(csv.body.lines().count() >= 18, "{}", csv.body);
    assert!(csv.body.contains("https://ref.gs1.org/cbv/Disp-recalled"));
    // Not for everyone: a logged-out visitor is sent to the login page.
    assert_eq!(app.get("/trace/regulator", None).await.status, StatusCode::SEE_OTHER);
}
