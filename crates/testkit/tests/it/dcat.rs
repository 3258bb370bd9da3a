//! DCAT-AP documents (`/catalog.ttl|jsonld`, `/dataset/{slug}.ttl|jsonld`) in the whole
//! application, and read by rdflib (Python) over HTTP when `QY_TEST_PYTHON` names a Python
//! that has it installed.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use qy_testkit::spawn_app;
use serde_json::Value;

use crate::ckan::{run_python, seed};

#[tokio::test]
async fn documents_content_types_paging_and_visibility() {
    let app = spawn_app().await;
    let s = seed(&app).await;

    let ttl = app.get("/catalog.ttl", None).await;
    assert_eq!((ttl.status, ttl.content_type()), (StatusCode::OK, "text/turtle; charset=utf-8"), "{}", ttl.body);
    for e in s.open() {
        assert!(ttl.body.contains(&format!("dct:identifier \"{}\"", e.code)), "{}: {}", e.code, ttl.body);
    }
    for hidden in [&s.closed, &s.draft] {
        assert!(!ttl.body.contains(&hidden.code) && !ttl.body.contains(&hidden.slug), "{} leaked", hidden.code);
    }
    // The published title of the entry being revised, never the draft's.
    assert!(ttl.body.contains("\"环境空气质量小时数据\"@zh") && !ttl.body.contains("修订稿"));
    assert!(ttl.body.contains("hydra:totalItems 6"), "{}", ttl.body);
    assert!(ttl.body.contains("<http://localhost/catalog/categories/201001>"));
    assert!(ttl.body.contains("<http://publications.europa.eu/resource/authority/access-right/RESTRICTED>"));

    let jsonld = app.get("/catalog.jsonld?page=1", None).await;
    assert_eq!((jsonld.status, jsonld.content_type()), (StatusCode::OK, "application/ld+json"));
    let doc: Value = jsonld.json();
    assert!(doc["@context"].is_object() && doc["@graph"].is_array(), "{doc}");
    let datasets = doc["@graph"].as_array().unwrap().iter().filter(|n| n["@type"] == "dcat:Dataset").count();
    assert_eq!(datasets, 6);

    let one = app.get(&format!("/dataset/{}.ttl", s.scenic.slug), None).await;
    assert_eq!((one.status, one.content_type()), (StatusCode::OK, "text/turtle; charset=utf-8"));
    assert!(one.body.contains(&format!("dct:identifier \"{}\"", s.scenic.code)));
    assert!(one.body.contains(&format!("<http://localhost/open/datasets/{}/download.xlsx>", s.scenic.slug)));
    let one = app.get(&format!("/dataset/{}.jsonld", s.air.slug), None).await;
    assert_eq!((one.status, one.content_type()), (StatusCode::OK, "application/ld+json"));

    // Not open, not there; wrong parameters are problems.
    for path in [
        format!("/dataset/{}.ttl", s.closed.slug),
        format!("/dataset/{}.jsonld", s.draft.slug),
        "/dataset/nothing.ttl".to_owned(),
        format!("/dataset/{}.rdf", s.air.slug),
        "/catalog.ttl?page=2".to_owned(),
    ] {
        let r = app.get(&path, None).await;
        assert_eq!(
            (r.status, r.content_type()),
            (StatusCode::NOT_FOUND, "application/problem+json"),
            "{path}: {}",
            r.body
        );
    }
    for path in ["/catalog.ttl?page=0", "/catalog.jsonld?page=x", "/catalog.ttl?modified_since=yesterday"] {
        let r = app.get(path, None).await;
        assert_eq!((r.status, r.content_type()), (StatusCode::BAD_REQUEST, "application/problem+json"), "{path}");
    }
    let later = app.get("/catalog.ttl?modified_since=2999-01-01", None).await;
    assert_eq!(later.status, StatusCode::OK);
    assert!(later.body.contains("hydra:totalItems 0") && !later.body.contains("dcat:Dataset"), "{}", later.body);

    // The dataset IRI answers with the document the client accepts, or the portal page.
    let req = |accept: &str| {
        Request::get(format!("/dataset/{}", s.air.slug)).header(header::ACCEPT, accept).body(Body::empty()).unwrap()
    };
    let r = app.send(req("text/turtle")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], format!("/dataset/{}.ttl", s.air.slug).as_str());
    let r = app.send(req("text/html")).await;
    assert_eq!(r.headers[header::LOCATION], format!("/open/datasets/{}", s.air.slug).as_str());
}

/// rdflib parses what we serve. Skipped unless `QY_TEST_PYTHON` points at a Python with
/// `rdflib` installed (see .ci/run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rdflib_reads_catalog_and_dataset_documents() {
    let Some(python) = std::env::var_os("QY_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        println!("skipped: QY_TEST_PYTHON not set (a Python with rdflib installed)");
        return;
    };
    let app = spawn_app().await;
    let s = seed(&app).await;
    let mut codes: Vec<String> = s.open().iter().map(|e| e.code.clone()).collect();
    codes.sort();
    let checker = "../std/dcat/tests/check_with_rdflib.py";
    for (path, format) in [("/catalog.ttl", "turtle"), ("/catalog.jsonld", "json-ld")] {
        let url = format!("{{url}}{path}");
        let out = run_python(&app, python.clone(), checker, &[&url, format], &[]).await;
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["catalogs"], 1, "{path}: {v}");
        assert_eq!(v["datasets"], 6, "{path}: {v}");
        // Three downloads for each of the four datasets with rows, one API, none for water.
        assert_eq!(v["distributions"], 13, "{path}: {v}");
        assert_eq!(v["distributions_without_access_url"], 0, "{path}: {v}");
        assert_eq!(v["identifiers"], serde_json::json!(codes), "{path}: {v}");
    }
    let url = format!("{{url}}/dataset/{}.ttl", s.air.slug);
    let out = run_python(&app, python.clone(), checker, &[&url, "turtle"], &[]).await;
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (v["catalogs"].clone(), v["datasets"].clone(), v["distributions"].clone()),
        (0.into(), 1.into(), 3.into())
    );
    assert_eq!(v["identifiers"], serde_json::json!([s.air.code]));

    let out = run_python(&app, python, "tests/python/dcat_check.py", &["{url}/catalog.jsonld", "json-ld"], &[]).await;
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    let air = &v["datasets"][&s.air.code];
    assert_eq!((air["access_rights"].as_str(), air["frequency"].as_str()), (Some("PUBLIC"), Some("DAILY")), "{v}");
    let ecology_uscc = s.orgs.iter().find(|o| o.slug == "qh-sthjt").map(|o| o.uscc.clone()).unwrap();
    assert_eq!(air["publisher_identifier"], ecology_uscc.as_str());
    assert_eq!(air["issued_datatype"], "date");
    assert!(air["themes"].as_array().unwrap().iter().any(|t| t.as_str().unwrap().ends_with("/catalog/categories/201")));
    assert!(air["keywords"].as_array().unwrap().contains(&"空气质量".into()));
    assert_eq!(air["downloads"].as_array().unwrap().len(), 3);
    assert_eq!(v["datasets"][&s.scenic.code]["access_rights"], "RESTRICTED");
    assert_eq!(v["datasets"][&s.water.code]["frequency"], "MONTHLY");
    assert_eq!(v["catalog_languages"], serde_json::json!(["BOD", "ENG", "ZHO"]));
    assert_eq!(v["total_items"], 6);
    assert!(v["catalog_titles"]["bo"].is_string() && v["catalog_titles"]["en"].is_string(), "{v}");
}
