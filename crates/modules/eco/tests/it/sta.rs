//! SensorThings API 1.1 (`/sta/v1.1`) through the module's router, on data fed through the
//! HJ 212 gateway: reads, navigation, query options, filters, writes, errors.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use qy_kernel::audit::{AuditEntry, AuditSink};
use qy_kernel::auth::{Authenticated, Authenticator, Credential};
use qy_kernel::{Principal, PrincipalKind, RegionScope};
use qy_web::{AppState, Core, Module};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::harness::{hourly, start, AnyQinghaiRegion, Gateway, PW};

/// Bearer tokens: `op` (operator), `writer` (may write observations in 632801), `elsewhere`
/// (may write in 630102 only), `reader` (no permission).
struct Tokens;

#[async_trait]
impl Authenticator for Tokens {
    async fn authenticate(&self, c: &Credential) -> qy_kernel::Result<Option<Authenticated>> {
        let Credential::Bearer(t) = c else { return Ok(None) };
        let (kind, perms, scope): (PrincipalKind, &[&str], &str) = match t.as_str() {
            "op" => (PrincipalKind::Operator, &[], "630000"),
            "writer" => (PrincipalKind::Staff, &["eco.observations.write"], "632801"),
            "elsewhere" => (PrincipalKind::Staff, &["eco.observations.write"], "630102"),
            "reader" => (PrincipalKind::Staff, &[], "630000"),
            _ => return Ok(None),
        };
        let principal = Principal {
            account_id: t.clone(),
            username: t.clone(),
            display_name: t.clone(),
            kind,
            permissions: perms.iter().map(|p| p.to_string()).collect::<BTreeSet<_>>(),
            scope: RegionScope::new(scope).unwrap(),
            department_id: None,
            uscc: None,
            token_scopes: None,
        };
        Ok(Some(Authenticated { principal, csrf_token: None, locale: None }))
    }
}

struct NoAudit;

#[async_trait]
impl AuditSink for NoAudit {
    async fn append(&self, _: AuditEntry) -> qy_kernel::Result<()> {
        Ok(())
    }
}

pub(crate) fn router(gw: &Gateway) -> Router {
    let i18n = Arc::new(qy_web::i18n::I18n::new(&[]).unwrap());
    let templates = qy_web::templates::environment(i18n.clone(), &[]).unwrap();
    let state = AppState(Arc::new(Core {
        db: gw.db.clone(),
        clock: gw.clock.clone(),
        bus: gw.bus.clone(),
        audit: Arc::new(NoAudit),
        auth: Arc::new(Tokens),
        regions: Arc::new(AnyQinghaiRegion),
        i18n,
        templates,
        nav: vec![],
        limiter: Default::default(),
        config: Default::default(),
    }));
    qy_eco::module(gw.ingest.clone()).pages().with_state(state)
}

pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_owned()
    }
}

/// Percent-encodes what a URI may not hold (spaces, non-ASCII, `+`, quotes are kept).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_graphic() && !b"+#\"<>\\^`{|}".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub(crate) async fn send(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    ctype: &str,
    body: Option<String>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(enc(path)).header(header::HOST, "sta.test");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, ctype);
    }
    let resp = app.clone().oneshot(req.body(body.map(Body::from).unwrap_or_default()).unwrap()).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024).await.unwrap();
    let reply = Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() };
    assert_ne!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{method} {path}: {}", reply.body);
    reply
}

pub(crate) async fn get(app: &Router, path: &str) -> Reply {
    send(app, "GET", &format!("/sta/v1.1{path}"), None, "", None).await
}

pub(crate) async fn post(app: &Router, path: &str, token: Option<&str>, body: Value) -> Reply {
    send(app, "POST", &format!("/sta/v1.1{path}"), token, "application/json", Some(body.to_string())).await
}

const WAIT: Duration = Duration::from_secs(10);

/// Two air stations; A has three hours of PM2.5 (75, 60, 90) and PM10 (80), B one hour.
pub(crate) async fn fed() -> (Gateway, Router, String, String) {
    let gw = start(qy_eco::GatewayConfig::default()).await;
    let a = gw.station("QH632801S001", false).await;
    let b = gw.station("QH632801S002", false).await;
    let mut c = gw.connect().await;
    for (i, (mn, hour, pm)) in [
        ("QH632801S001", "09", "75"),
        ("QH632801S001", "10", "60"),
        ("QH632801S001", "11", "90"),
        ("QH632801S002", "09", "50"),
    ]
    .into_iter()
    .enumerate()
    {
        c.send(hourly(mn, &format!("2026011510000000{i}"), PW, hour, pm).as_bytes()).await;
        assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    }
    let app = router(&gw);
    (gw, app, a, b)
}

async fn mns(app: &Router, f: &str) -> Vec<String> {
    let r = get(app, &format!("/Things?$filter={f}")).await;
    assert_eq!(r.status, StatusCode::OK, "{f}: {}", r.body);
    let mut out: Vec<String> = r.json()["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["properties"]["mn"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

async fn n(app: &Router, path: &str) -> usize {
    let r = get(app, path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()["value"].as_array().map(Vec::len).unwrap_or(99)
}

fn ids(v: &Value) -> Vec<String> {
    v["value"]
        .as_array()
        .map(|a| a.iter().map(|e| e["@iot.id"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

fn results(v: &Value) -> Vec<f64> {
    v["value"]
        .as_array()
        .map(|a| a.iter().map(|e| e["result"].as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn entities_navigation_links_ref_and_value() {
    let (_gw, app, a, b) = fed().await;
    let root = get(&app, "").await.json();
    assert_eq!(root["value"].as_array().unwrap().len(), 8);
    assert_eq!(root["value"][0]["url"], "http://sta.test/sta/v1.1/Things");
    assert!(root["serverSettings"]["conformance"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c.as_str().unwrap().ends_with("/req/request-data")));

    let things = get(&app, "/Things").await.json();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(ids(&things), want);
    let t = get(&app, &format!("/Things('{a}')")).await.json();
    assert_eq!(t["@iot.selfLink"], format!("http://sta.test/sta/v1.1/Things('{a}')"));
    assert_eq!(t["properties"]["mn"], "QH632801S001");
    assert_eq!(t["properties"]["active"], true);
    assert_eq!(t["Datastreams@iot.navigationLink"], format!("http://sta.test/sta/v1.1/Things('{a}')/Datastreams"));

    let ds = get(&app, &format!("/Things('{a}')/Datastreams")).await.json();
    assert_eq!(ids(&ds), [format!("{a}~a34002~hour"), format!("{a}~a34004~hour")]);
    let pm = &ds["value"][1];
    assert_eq!(pm["unitOfMeasurement"]["symbol"], "µg/m³");
    assert_eq!(pm["observationType"], "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement");
    assert_eq!(pm["phenomenonTime"], "2026-01-15T01:00:00Z/2026-01-15T04:00:00Z");
    assert_eq!(pm["name"], "测试站 QH632801S001 · PM2.5 · hour");

    let ds_id = format!("{a}~a34004~hour");
    let obs = get(&app, &format!("/Datastreams('{ds_id}')/Observations")).await.json();
    assert_eq!(results(&obs), [75.0, 60.0, 90.0]);
    let first = &obs["value"][0];
    assert_eq!(first["phenomenonTime"], "2026-01-15T01:00:00Z/2026-01-15T02:00:00Z");
    assert_eq!(first["resultQuality"], "N");
    assert_eq!(first["parameters"]["period"], "hour");
    let oid = first["@iot.id"].as_str().unwrap().to_owned();
    assert_eq!(oid, format!("{ds_id}~1768438800000"));

    assert_eq!(get(&app, &format!("/Observations('{oid}')/Datastream")).await.json()["@iot.id"], ds_id);
    let foi = get(&app, &format!("/Observations('{oid}')/FeatureOfInterest")).await.json();
    assert_eq!(foi["feature"], json!({"type": "Point", "coordinates": [94.9, 36.4]}));
    assert_eq!(get(&app, &format!("/Datastreams('{ds_id}')/Sensor")).await.json()["@iot.id"], "air");
    assert_eq!(get(&app, &format!("/Datastreams('{ds_id}')/ObservedProperty")).await.json()["name"], "PM2.5");
    assert_eq!(get(&app, &format!("/Datastreams('{ds_id}')/Thing")).await.json()["@iot.id"], a);
    assert_eq!(get(&app, &format!("/Datastreams('{ds_id}')/Observations('{oid}')")).await.json()["result"], 75);
    assert_eq!(
        get(&app, &format!("/Things('{a}')/Locations")).await.json()["value"][0]["encodingType"],
        "application/geo+json"
    );
    assert_eq!(get(&app, &format!("/Things('{a}')/HistoricalLocations")).await.json()["value"][0]["@iot.id"], a);
    assert_eq!(get(&app, "/Sensors").await.json()["value"].as_array().unwrap().len(), 3);
    let ops = get(&app, "/ObservedProperties").await.json();
    assert!(ops["value"].as_array().unwrap().iter().any(|o| o["definition"] == "urn:hj212:factor:a34004"));
    assert_eq!(ids(&get(&app, "/Sensors('air')/Datastreams").await.json()).len(), 4);
    assert_eq!(ids(&get(&app, "/ObservedProperties('a34004')/Datastreams").await.json()).len(), 2);
    assert_eq!(ids(&get(&app, &format!("/FeaturesOfInterest('{b}')/Observations")).await.json()).len(), 2);

    // Properties, $value and $ref.
    assert_eq!(get(&app, &format!("/Things('{a}')/name")).await.json(), json!({"name": "测试站 QH632801S001"}));
    let v = get(&app, &format!("/Things('{a}')/name/$value")).await;
    assert_eq!(
        (v.body.as_str(), v.headers[header::CONTENT_TYPE].to_str().unwrap()),
        ("测试站 QH632801S001", "text/plain; charset=utf-8")
    );
    assert_eq!(get(&app, &format!("/Observations('{oid}')/result/$value")).await.body, "75");
    let refs = get(&app, &format!("/Things('{a}')/Datastreams/$ref")).await.json();
    assert_eq!(
        refs["value"][0],
        json!({"@iot.selfLink": format!("http://sta.test/sta/v1.1/Datastreams('{a}~a34002~hour')")})
    );
    let r = get(&app, &format!("/Datastreams('{ds_id}')/Thing/$ref")).await.json();
    assert_eq!(r["@iot.selfLink"], format!("http://sta.test/sta/v1.1/Things('{a}')"));

    // Unknown ids are 404, malformed paths 400, both problem+json.
    for path in [
        "/Things('nope')".to_owned(),
        format!("/Datastreams('{a}~a34004~day')"),
        "/Observations('x~y~hour~1')".to_owned(),
        "/Sensors('volcano')".to_owned(),
        format!("/Things('{b}')/Datastreams('{ds_id}')"),
        "/Unicorns".to_owned(),
    ] {
        let r = get(&app, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
        assert!(r.code().starts_with("sta."), "{path}: {}", r.body);
    }
    for path in ["/Things(abc)", "/Things('x'", "/Things/name", &format!("/Things('{a}')/colour")] {
        let r = get(&app, path).await;
        assert!(r.status.is_client_error(), "{path}: {}", r.body);
        assert!(r.code().starts_with("sta."), "{path}: {}", r.body);
    }
    // A numeric-looking unquoted id is accepted (and simply not found here).
    assert_eq!(get(&app, "/Things(42)").await.code(), "sta.not_found");
}

#[tokio::test]
async fn paging_order_select_and_nested_expand() {
    let (_gw, app, a, _b) = fed().await;
    let ds_id = format!("{a}~a34004~hour");
    let p1 = get(&app, &format!("/Datastreams('{ds_id}')/Observations?$top=2&$count=true&$orderby=result desc"))
        .await
        .json();
    assert_eq!((p1["@iot.count"].as_i64(), results(&p1)), (Some(3), vec![90.0, 75.0]));
    let next = p1["@iot.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&format!("http://sta.test/sta/v1.1/Datastreams('{ds_id}')/Observations?")), "{next}");
    let p2 = send(&app, "GET", next.trim_start_matches("http://sta.test"), None, "", None).await.json();
    assert_eq!(results(&p2), [60.0]);
    assert!(p2.get("@iot.nextLink").is_none());
    let skip = get(&app, &format!("/Datastreams('{ds_id}')/Observations?$skip=1&$orderby=phenomenonTime")).await.json();
    assert_eq!(results(&skip), [60.0, 90.0]);
    let none = get(&app, "/Observations?$top=0&$count=true").await.json();
    assert_eq!((none["@iot.count"].as_i64(), none["value"].as_array().map(Vec::len)), (Some(8), Some(0)));

    let sel = get(&app, &format!("/Things('{a}')?$select=name,Datastreams")).await.json();
    let keys: BTreeSet<&str> = sel.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["name", "Datastreams@iot.navigationLink"]));
    let only_ids = get(&app, "/Things?$select=id").await.json();
    assert_eq!(only_ids["value"][0].as_object().unwrap().len(), 2, "selfLink and id");
    assert_eq!(get(&app, "/Things?$select=colour").await.code(), "sta.unknown_property");

    // Nested expand with its own options.
    let t = get(&app, &format!(
        "/Things('{a}')?$expand=Datastreams($select=name;$orderby=name desc;$expand=Observations($orderby=phenomenonTime desc;$top=2;$count=true),ObservedProperty),Locations"
    ))
    .await
    .json();
    let dss = t["Datastreams"].as_array().unwrap();
    assert_eq!(dss.len(), 2);
    assert_eq!(dss[0]["name"], "测试站 QH632801S001 · PM2.5 · hour");
    assert!(dss[0].get("description").is_none());
    assert_eq!(
        dss[0]["Observations"].as_array().unwrap().iter().map(|o| o["result"].as_f64().unwrap()).collect::<Vec<_>>(),
        [90.0, 60.0]
    );
    assert_eq!(dss[0]["Observations@iot.count"], 3);
    assert!(dss[0]["Observations@iot.nextLink"].as_str().unwrap().contains("$skip=2"));
    assert_eq!(dss[0]["ObservedProperty"]["@iot.id"], "a34004");
    assert_eq!(t["Locations"][0]["location"]["type"], "Point");
    let o = get(&app, "/Observations?$filter=result eq 90&$expand=Datastream/Thing").await.json();
    assert_eq!(o["value"][0]["Datastream"]["Thing"]["@iot.id"], a);

    // The latest observation of every datastream (served from eco_latest).
    let latest = get(&app, "/Datastreams?$expand=Observations($top=1;$orderby=phenomenonTime desc)").await.json();
    let got: Vec<(String, f64)> = latest["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["@iot.id"].as_str().unwrap().to_owned(), d["Observations"][0]["result"].as_f64().unwrap()))
        .collect();
    assert_eq!(got.len(), 4);
    assert!(got.contains(&(format!("{a}~a34004~hour"), 90.0)), "{got:?}");
    assert!(got.contains(&(format!("{a}~a34002~hour"), 80.0)), "{got:?}");

    // Data array.
    let da = get(
        &app,
        &format!("/Datastreams('{ds_id}')/Observations?$resultFormat=dataArray&$select=id,phenomenonTime,result"),
    )
    .await
    .json();
    assert_eq!(da["value"][0]["components"], json!(["id", "phenomenonTime", "result"]));
    assert_eq!(da["value"][0]["dataArray@iot.count"], 3);
    assert_eq!(da["value"][0]["dataArray"][2][2], 90);
    assert_eq!(get(&app, "/Things?$resultFormat=dataArray").await.code(), "sta.invalid_query");
}

#[tokio::test]
async fn filters_of_every_operator_family() {
    let (_gw, app, a, b) = fed().await;
    let ds_id = format!("{a}~a34004~hour");
    let obs = |f: &str| format!("/Datastreams('{ds_id}')/Observations?$orderby=phenomenonTime&$filter={f}");
    let cases: &[(&str, &[f64])] = &[
        ("result gt 70", &[75.0, 90.0]),
        ("result eq 75", &[75.0]),
        ("result ne 75", &[60.0, 90.0]),
        ("result ge 75 and result le 90", &[75.0, 90.0]),
        ("result lt 61 or result gt 89", &[60.0, 90.0]),
        ("not (result lt 70)", &[75.0, 90.0]),
        ("result add 5 eq 80", &[75.0]),
        ("result sub 5 eq 55", &[60.0]),
        ("result mul 2 gt 170", &[90.0]),
        ("result div 4 eq 15", &[60.0]),
        ("result mod 7 eq 5", &[75.0]),
        ("(result add 5) mul 2 eq 160", &[75.0]),
        ("-result lt -80", &[90.0]),
        ("phenomenonTime ge 2026-01-15T02:00:00Z", &[60.0, 90.0]),
        ("phenomenonTime lt 2026-01-15T03:00:00Z", &[75.0, 60.0]),
        ("phenomenonTime gt 2026-01-15T09:30:00 08:00", &[60.0, 90.0]),
        ("phenomenonTime eq 2026-01-15T02:00:00Z/2026-01-15T03:00:00Z", &[60.0]),
        (
            "year(phenomenonTime) eq 2026 and month(phenomenonTime) eq 1 and day(phenomenonTime) eq 15",
            &[75.0, 60.0, 90.0],
        ),
        ("hour(phenomenonTime) eq 2", &[60.0]),
        ("time(phenomenonTime) ge 02:00:00 and fractionalseconds(phenomenonTime) eq 0 and totaloffsetminutes(phenomenonTime) eq 0", &[60.0, 90.0]),
        ("mindatetime(phenomenonTime) eq 2026-01-15T01:00:00Z and maxdatetime(phenomenonTime) eq 2026-01-15T02:00:00Z", &[75.0]),
        ("minute(phenomenonTime) eq 0 and second(phenomenonTime) eq 0", &[75.0, 60.0, 90.0]),
        ("phenomenonTime lt now()", &[75.0, 60.0, 90.0]),
        ("phenomenonTime add duration'PT1H' eq 2026-01-15T02:00:00Z/2026-01-15T03:00:00Z", &[75.0]),
        ("date(phenomenonTime) eq 2026-01-15", &[75.0, 60.0, 90.0]),
        ("resultTime le now() and resultQuality eq 'N'", &[75.0, 60.0, 90.0]),
        ("round(result div 7) eq 13 or floor(result div 7) eq 8 or ceiling(result div 7) eq 11", &[75.0, 60.0, 90.0]),
        ("result eq '90'", &[90.0]),
        ("Datastream/ObservedProperty/name eq 'PM2.5'", &[75.0, 60.0, 90.0]),
        ("Datastream/Thing/properties/mn eq 'QH632801S002'", &[]),
        ("FeatureOfInterest/name eq '测试站 QH632801S001' and parameters/period eq 'hour'", &[75.0, 60.0, 90.0]),
        (&format!("id eq '{ds_id}~1768442400000'"), &[60.0]),
    ];
    for (f, want) in cases {
        let r = get(&app, &obs(f)).await;
        assert_eq!(r.status, StatusCode::OK, "{f}: {}", r.body);
        assert_eq!(results(&r.json()), *want, "{f}");
    }
    let both = vec!["QH632801S001".to_owned(), "QH632801S002".to_owned()];
    let one = vec!["QH632801S001".to_owned()];
    for (f, want) in [
        ("substringof('S001', properties/mn)", &one),
        ("contains(name, 'S00')", &both),
        ("startswith(name, '测试站')", &both),
        ("endswith(properties/mn, '01')", &one),
        ("length(properties/mn) eq 12", &both),
        ("indexof(properties/mn, 'S001') eq 8", &one),
        ("substring(properties/mn, 8) eq 'S001'", &one),
        ("substring(properties/mn, 0, 2) eq 'QH'", &both),
        ("tolower(properties/mn) eq 'qh632801s001'", &one),
        ("toupper(tolower(properties/mn)) eq 'QH632801S001'", &one),
        ("trim(concat(' ', properties/mn)) eq 'QH632801S001'", &one),
        ("concat(properties/mn, '!') eq 'QH632801S001!'", &one),
        ("properties/kind eq 'air' and properties/active eq true", &both),
        ("properties/region_code eq '632801' and description eq 'Ambient air quality monitoring station, HJ 212 MN QH632801S001'", &one),
        (&format!("id eq '{b}'"), &vec!["QH632801S002".to_owned()]),
    ] {
        assert_eq!(&mns(&app, f).await, want, "{f}");
    }
    // Geospatial, on Locations.
    let inside = "st_within(location, geography'POLYGON ((94 36, 96 36, 96 37, 94 37, 94 36))')";
    for (f, n) in [
        (inside.to_owned(), 2),
        ("geo.intersects(location, geography'POLYGON((100 30, 101 30, 101 31, 100 30))')".to_owned(), 0),
        ("st_disjoint(location, geography'POLYGON((100 30, 101 30, 101 31, 100 30))')".to_owned(), 2),
        ("st_equals(location, geography'POINT(94.9 36.4)')".to_owned(), 2),
        ("geo.distance(location, geography'POINT(95 36.4)') lt 0.2".to_owned(), 2),
        ("geo.length(geography'LINESTRING(0 0, 3 4)') eq 5 and geo.length(location) eq 0".to_owned(), 2),
        ("st_overlaps(location, geography'POLYGON((94 36, 96 36, 96 37, 94 36))') or st_crosses(location, geography'LINESTRING(94 36, 96 37)')".to_owned(), 0),
        ("st_contains(geography'POLYGON((94 36, 96 36, 96 37, 94 37, 94 36))', location)".to_owned(), 2),
        ("st_touches(location, geography'POLYGON((94.9 36, 96 36, 96 37, 94.9 37, 94.9 36))')".to_owned(), 2),
        ("st_relate(location, geography'POLYGON((94 36, 96 36, 96 37, 94 37, 94 36))', 'T*F**F***')".to_owned(), 2),
    ] {
        let r = get(&app, &format!("/Locations?$filter={f}")).await;
        assert_eq!(r.status, StatusCode::OK, "{f}: {}", r.body);
        assert_eq!(r.json()["value"].as_array().unwrap().len(), n, "{f}");
    }
    // Datastreams, Sensors, ObservedProperties.
    assert_eq!(n(&app, "/Datastreams?$filter=ObservedProperty/@iot.id eq 'a34004'").await, 2);
    assert_eq!(
        n(&app, "/Datastreams?$filter=unitOfMeasurement/symbol eq 'µg/m³' and properties/period eq 'hour'").await,
        4
    );
    assert_eq!(
        n(&app, &format!("/Datastreams?$filter=Thing/@iot.id eq '{a}' and startswith(name, '测试站')")).await,
        2
    );
    assert_eq!(n(&app, "/Datastreams?$filter=phenomenonTime ge 2026-01-15T02:00:00Z").await, 0);
    assert_eq!(n(&app, "/Datastreams?$filter=phenomenonTime lt 2026-01-15T05:00:00Z and Sensor/name eq 'Ambient air quality analysers'").await, 4);
    assert_eq!(n(&app, "/Sensors?$filter=properties/system_code eq '21'").await, 1);
    assert_eq!(n(&app, "/ObservedProperties?$filter=startswith(name, 'PM')&$orderby=name").await, 3);
    assert_eq!(
        n(&app, "/HistoricalLocations?$filter=time le now() and Thing/properties/mn eq 'QH632801S001'").await,
        1
    );

    // Bad filters are 400 problems with a stable code.
    for (f, code) in [
        ("result gt", "sta.invalid_filter"),
        ("result gt 'x' and", "sta.invalid_filter"),
        ("colour eq 'red'", "sta.unknown_property"),
        ("result eq true", "sta.invalid_filter"),
        ("frobnicate(result)", "sta.invalid_filter"),
        ("parameters/min gt 1", "sta.unsupported_filter"),
        ("(((result)", "sta.invalid_filter"),
        ("result gt 1e999", "sta.invalid_filter"),
    ] {
        let r = get(&app, &obs(f)).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, code), "{f}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/problem+json");
    }
    let r = get(&app, "/Things?$filter=Datastreams/name eq 'x'").await;
    assert_eq!(r.code(), "sta.unsupported_filter");
    assert_eq!(get(&app, "/Things?$expand=Datastreams($filter=colour eq 1)").await.code(), "sta.unknown_property");
    assert_eq!(get(&app, "/Things?$expand=Unicorns").await.code(), "sta.unknown_property");
    assert_eq!(get(&app, "/Things?$top=many").await.code(), "sta.invalid_query");
    assert_eq!(get(&app, "/Things?$orderby=location").await.code(), "sta.unknown_property");
}

#[tokio::test]
async fn observations_are_created_changed_and_deleted_through_the_gateway_path() {
    let (gw, app, a, _b) = fed().await;
    let ds_id = format!("{a}~a34004~hour");
    let body = json!({"phenomenonTime": "2026-01-15T04:00:00Z", "result": 120.5, "Datastream": {"@iot.id": ds_id}});
    assert_eq!(post(&app, "/Observations", None, body.clone()).await.status, StatusCode::UNAUTHORIZED);
    let r = post(&app, "/Observations", Some("reader"), body.clone()).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::FORBIDDEN, "sta.forbidden"));
    assert_eq!(post(&app, "/Observations", Some("elsewhere"), body.clone()).await.code(), "sta.forbidden");
    let aqi_before = gw.count("eco_aqi").await;
    let r = post(&app, "/Observations", Some("writer"), body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let oid = format!("{ds_id}~1768449600000");
    assert_eq!(r.headers[header::LOCATION], format!("http://sta.test/sta/v1.1/Observations('{oid}')"));
    assert_eq!(r.json()["result"], 120.5);
    // The answer is rendered from the stored row, exactly as a GET reads it back.
    assert_eq!(r.json(), get(&app, &format!("/Observations('{oid}')")).await.json());
    // Same path as the gateway: raw packet kept with a synthetic QN, latest value moved.
    let latest = qy_eco::store::latest(&gw.db, Some(&a), None).await.unwrap();
    assert!(latest.iter().any(|l| l.factor == "a34004" && l.value == "120.5"), "{latest:?}");
    let raw = qy_storage::sqlx::query("SELECT qn, cn FROM eco_packet WHERE qn LIKE 'sta-%'")
        .fetch_all(gw.db.pool())
        .await
        .unwrap();
    assert_eq!(raw.len(), 1);
    assert_eq!(qy_storage::Row::try_get::<String, _>(&raw[0], 1).unwrap(), "2061");
    let summer = json!({"phenomenonTime": "2026-06-01T01:00:00Z", "result": 40, "Datastream": {"@iot.id": ds_id}});
    assert_eq!(post(&app, "/Observations", Some("writer"), summer).await.status, StatusCode::CREATED);
    assert_eq!(gw.count("eco_aqi").await, aqi_before + 1, "hourly AQI (HJ 633-2026) derived as by the gateway");
    let june = format!("/sta/v1.1/Observations('{ds_id}~1780275600000')");
    assert_eq!(send(&app, "DELETE", &june, Some("writer"), "", None).await.status, StatusCode::OK);
    let latest = qy_eco::store::latest(&gw.db, Some(&a), None).await.unwrap();
    assert!(
        latest.iter().any(|l| l.factor == "a34004" && l.value == "120.5"),
        "back to the previous latest: {latest:?}"
    );
    let r = post(&app, "/Observations", Some("writer"), body.clone()).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "sta.duplicate_observation"));

    // Other shapes of the same request.
    let r = post(
        &app,
        &format!("/Datastreams('{ds_id}')/Observations"),
        Some("op"),
        json!({"phenomenonTime": "2026-01-15T05:00:00Z/2026-01-15T06:00:00Z", "result": "33.10", "resultQuality": "M",
               "FeatureOfInterest": {"@iot.id": a}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["resultQuality"], "M");
    assert_eq!(get(&app, &format!("/Observations('{ds_id}~1768453200000')/result/$value")).await.body, "33.10");
    for (bad, code) in [
        (
            json!({"phenomenonTime": "2026-01-15T04:30:00Z", "result": 1, "Datastream": {"@iot.id": ds_id}}),
            "sta.invalid_entity",
        ),
        (json!({"result": "lots", "Datastream": {"@iot.id": ds_id}}), "sta.invalid_entity"),
        (json!({"result": 1, "Datastream": {"name": "new"}}), "sta.invalid_entity"),
        (json!({"result": 1, "Datastream": {"@iot.id": "nope"}}), "sta.unknown_datastream"),
        (json!({"result": 1, "Datastream": {"@iot.id": format!("{a}~zz9999~hour")}}), "sta.unknown_datastream"),
        (json!({"result": 1, "colour": "red", "Datastream": {"@iot.id": ds_id}}), "sta.invalid_entity"),
        (
            json!({"result": 1, "Datastream": {"@iot.id": ds_id}, "FeatureOfInterest": {"@iot.id": "elsewhere"}}),
            "sta.invalid_feature",
        ),
        (json!([1, 2]), "sta.invalid_entity"),
    ] {
        let r = post(&app, "/Observations", Some("op"), bad.clone()).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, code), "{bad}: {}", r.body);
    }
    let r = send(&app, "POST", "/sta/v1.1/Observations", Some("op"), "application/json", Some("{".into())).await;
    assert_eq!(r.code(), "request.malformed_json");
    // The registry's stations, datastreams, kinds and factors are read-only here.
    for (m, path) in [
        ("PATCH", format!("/Things('{a}')")),
        ("DELETE", format!("/Datastreams('{ds_id}')")),
        ("PATCH", "/Sensors('air')".into()),
        ("DELETE", "/ObservedProperties('a34004')".into()),
        ("POST", format!("/Things('{a}')/Datastreams")),
    ] {
        let r = send(&app, m, &format!("/sta/v1.1{path}"), Some("op"), "application/json", Some("{}".into())).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, "sta.read_only_entity"),
            "{m} {path}"
        );
    }

    // Data array: two good rows, one bad, one duplicate of an existing value.
    let r = post(
        &app,
        "/CreateObservations",
        Some("writer"),
        json!([{
            "Datastream": {"@iot.id": format!("{a}~a34002~hour")},
            "components": ["phenomenonTime", "result", "FeatureOfInterest/id"],
            "dataArray@iot.count": 4,
            "dataArray": [["2026-01-15T04:00:00Z", 81, a], ["2026-01-15T05:00:00Z", 82.5, null],
                          ["2026-01-15T05:30:00Z", 1, null], ["2026-01-15T01:00:00Z", 80, null]]
        }, {
            "Datastream": {"@iot.id": "nope"}, "components": ["result"], "dataArray": [[1]]
        }]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let links = r.json();
    let links: Vec<&str> = links.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(links[0], format!("http://sta.test/sta/v1.1/Observations('{a}~a34002~hour~1768449600000')"));
    assert!(links[1].ends_with("~1768453200000')"));
    assert!(
        links[2].starts_with("error") && links[3].starts_with("error") && links[4].starts_with("error"),
        "{links:?}"
    );
    assert_eq!(
        get(&app, &format!("/Datastreams('{a}~a34002~hour')/Observations?$count=true&$top=0")).await.json()
            ["@iot.count"],
        5
    );
    let r = post(
        &app,
        "/CreateObservations",
        Some("elsewhere"),
        json!([{"Datastream": {"@iot.id": ds_id}, "components": ["result"], "dataArray": [[1]]}]),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // PATCH (merge and JSON Patch), PUT, DELETE.
    let path = format!("/sta/v1.1/Observations('{oid}')");
    let r = send(
        &app,
        "PATCH",
        &path,
        Some("writer"),
        "application/json",
        Some(json!({"result": 99, "resultQuality": "C"}).to_string()),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["result"].as_i64(), r.json()["resultQuality"].as_str()), (Some(99), Some("C")));
    let latest = qy_eco::store::latest(&gw.db, Some(&a), None).await.unwrap();
    assert!(latest.iter().any(|l| l.factor == "a34004" && l.value == "33.10"), "the newer value stays latest");
    let patch = json!([{"op": "replace", "path": "/result", "value": 98}, {"op": "add", "path": "/parameters/min", "value": 90}]);
    let r = send(&app, "PATCH", &path, Some("writer"), "application/json-patch+json", Some(patch.to_string())).await;
    assert_eq!((r.json()["result"].as_i64(), r.json()["parameters"]["min"].as_i64()), (Some(98), Some(90)));
    let r = send(
        &app,
        "PATCH",
        &path,
        Some("writer"),
        "application/json",
        Some(json!({"phenomenonTime": "2026-01-15T07:00:00Z"}).to_string()),
    )
    .await;
    assert_eq!(r.code(), "sta.read_only_property");
    assert_eq!(
        send(&app, "PATCH", &path, Some("elsewhere"), "application/json", Some("{}".into())).await.code(),
        "sta.forbidden"
    );
    let full = json!({"phenomenonTime": "2026-01-15T04:00:00Z/2026-01-15T05:00:00Z", "result": 97, "Datastream": {"@iot.id": ds_id}});
    let r = send(&app, "PUT", &path, Some("writer"), "application/json", Some(full.to_string())).await;
    assert_eq!((r.json()["result"].as_i64(), r.json()["resultQuality"].as_str()), (Some(97), Some("N")));
    let latest_obs = format!("/sta/v1.1/Observations('{ds_id}~1768453200000')");
    assert_eq!(send(&app, "DELETE", &latest_obs, Some("reader"), "", None).await.code(), "sta.forbidden");
    assert_eq!(send(&app, "DELETE", &latest_obs, Some("writer"), "", None).await.status, StatusCode::OK);
    assert_eq!(send(&app, "GET", &latest_obs, None, "", None).await.status, StatusCode::NOT_FOUND);
    let latest = qy_eco::store::latest(&gw.db, Some(&a), None).await.unwrap();
    assert!(
        latest.iter().any(|l| l.factor == "a34004" && l.value == "97"),
        "the next newest became latest: {latest:?}"
    );
    let top = get(&app, &format!("/Datastreams('{ds_id}')?$expand=Observations($top=1;$orderby=phenomenonTime desc)"))
        .await
        .json();
    assert_eq!(top["Observations"][0]["result"], 97);
}

#[tokio::test]
async fn hostile_input_never_panics_or_fails_with_500() {
    let (_gw, app, a, _b) = fed().await;
    let long = "a".repeat(10_000);
    let deep = format!("{}true{}", "(".repeat(200), ")".repeat(200));
    let nots = "not ".repeat(200) + "true";
    let paths = [
        "/Things?$filter=".to_owned(),
        format!("/Things?$filter={long}"),
        format!("/Things?$filter={deep}"),
        format!("/Things?$filter={nots}"),
        "/Things?$filter=name eq '".to_owned(),
        "/Things?$filter=substring(name, -5, 99999999999) eq 'x'".to_owned(),
        "/Things?$filter=length(name) div 0 eq 1 or length(name) mod 0 eq 1".to_owned(),
        "/Observations?$filter=result div 0 gt 1".to_owned(),
        "/Observations?$filter=result mul 1e308 mul 1e308 gt 1".to_owned(),
        "/Observations?$orderby=result mul 1e308 mul 1e308".to_owned(),
        "/Observations?$filter=year(phenomenonTime sub duration'P36500000D') eq 1".to_owned(),
        "/Observations?$filter=phenomenonTime add duration'P99999999D' gt now()".to_owned(),
        "/Observations?$filter=year(resultTime) eq 99999999999999999999".to_owned(),
        "/Locations?$filter=st_within(location, geography'POLYGON((1 1, 1 1, 1 1, 1 1))')".to_owned(),
        "/Locations?$filter=geo.distance(location, geography'POLYGON((1 1, 2 1, 2 2, 1 1))') lt 1".to_owned(),
        "/Things?$orderby=name asc desc".to_owned(),
        "/Things?$expand=Datastreams($expand=Observations($expand=Datastream($expand=Thing($expand=Datastreams($expand=Sensor)))))".to_owned(),
        "/Things?$expand=Datastreams(".to_owned(),
        "/Things?$top=99999999999999999999".to_owned(),
        "/Things?$skip=-3".to_owned(),
        "/Things?$count=maybe".to_owned(),
        "/Things?$select=".to_owned(),
        "/Things('')".to_owned(),
        "/Things('''')".to_owned(),
        format!("/Things('{a}')/name/$value/$value"),
        format!("/Things('{a}')/$ref/$ref"),
        "/Observations('~~~~')".to_owned(),
        "/Observations('a~b~hour~99999999999999999999999')".to_owned(),
        "/Datastreams('x~a34004~hour')/Observations?$filter=id eq 5".to_owned(),
        "/%FF%FE".to_owned(),
        "/Things?%24filter=name%20eq%20%27%E6%B5%8B%27".to_owned(),
    ];
    for p in &paths {
        let r = get(&app, p).await;
        assert!(r.status.is_success() || r.status.is_client_error(), "{p}: {} {}", r.status, r.body);
        if r.status.is_client_error() {
            assert!(r.code().starts_with("sta.") || r.code().starts_with("request."), "{p}: {}", r.body);
        }
    }
    for body in [
        "null",
        "[]",
        "[null]",
        "[{\"components\": 5}]",
        "{\"result\": {}}",
        "\"x\"",
        "[{\"Datastream\": {\"@iot.id\": 1}, \"components\": [\"result\"], \"dataArray\": [[]]}]",
    ] {
        for path in ["/sta/v1.1/Observations", "/sta/v1.1/CreateObservations"] {
            let r = send(&app, "POST", path, Some("op"), "application/json", Some(body.into())).await;
            assert!(
                r.status.is_client_error() || r.status == StatusCode::CREATED,
                "{path} {body}: {} {}",
                r.status,
                r.body
            );
        }
    }
}
