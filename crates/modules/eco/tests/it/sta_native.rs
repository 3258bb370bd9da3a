//! SensorThings entities of a partner sensor network, created through the API beside the
//! registry's stations: deep insert, links, navigation, mixed collections, filters through
//! their properties and links, PATCH/PUT/JSON Patch, cascading deletes, permissions, errors.

use axum::http::{header, StatusCode};
use axum::Router;
use serde_json::{json, Value};

use crate::sta::{fed, get, post, send, Reply};

async fn patch(app: &Router, path: &str, token: &str, ctype: &str, body: Value) -> Reply {
    send(app, "PATCH", &format!("/sta/v1.1{path}"), Some(token), ctype, Some(body.to_string())).await
}

async fn delete(app: &Router, path: &str, token: &str) -> Reply {
    send(app, "DELETE", &format!("/sta/v1.1{path}"), Some(token), "", None).await
}

fn created(r: &Reply) -> i64 {
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["@iot.id"].as_i64().expect("a numeric id");
    let location = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.ends_with(&format!("({id})")), "{location}");
    id
}

fn names(v: &Value) -> Vec<String> {
    v["value"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap_or("").to_owned()).collect()
}

async fn count(app: &Router, path: &str) -> i64 {
    let sep = if path.contains('?') { '&' } else { '?' };
    let r = get(app, &format!("{path}{sep}$count=true&$top=0")).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    r.json()["@iot.count"].as_i64().unwrap()
}

#[tokio::test]
async fn a_partner_network_is_created_queried_changed_and_deleted() {
    let (_gw, app, a, _b) = fed().await;
    let registry_over_30 = count(&app, "/Observations?$filter=result gt 30").await;
    let sensor = created(
        &post(
            &app,
            "/Sensors",
            Some("writer"),
            json!({"name": "SM-300", "description": "soil moisture probe", "encodingType": "application/pdf",
                   "metadata": "https://example.org/sm300.pdf"}),
        )
        .await,
    );
    let moisture = created(
        &post(
            &app,
            "/ObservedProperties",
            Some("writer"),
            json!({"name": "Soil moisture", "definition": "http://vocab.nerc.ac.uk/collection/P07/current/CFSN0009/",
                   "description": "volumetric water content of the topsoil"}),
        )
        .await,
    );
    // Deep insert: a Thing with its Location and two Datastreams linking the Sensor and property.
    let thing_body = json!({
        "name": "Maduo grassland node 7", "description": "wireless node, Sanjiangyuan",
        "properties": {"owner": "sjy-park", "depth_cm": 10},
        "Locations": [{"name": "Maduo plot 7", "description": "fenced plot", "encodingType": "application/geo+json",
                       "location": {"type": "Point", "coordinates": [98.21, 34.91]}}],
        "Datastreams": [
            {"name": "moisture 10 cm", "description": "hourly", "observationType":
                "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
             "unitOfMeasurement": {"name": "percent", "symbol": "%", "definition": "http://unitsofmeasure.org/ucum.html#%25"},
             "Sensor": {"@iot.id": sensor}, "ObservedProperty": {"@iot.id": moisture}},
            {"name": "moisture 30 cm", "description": "hourly", "observationType":
                "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
             "unitOfMeasurement": {"name": "percent", "symbol": "%", "definition": null},
             "Sensor@iot.id": sensor, "ObservedProperty": {"@iot.id": moisture}}
        ]
    });
    let thing = created(&post(&app, "/Things", Some("writer"), thing_body).await);
    let t =
        get(&app, &format!("/Things({thing})?$expand=Locations,Datastreams($orderby=name),HistoricalLocations")).await;
    let tv = t.json();
    assert_eq!(tv["@iot.selfLink"], format!("http://sta.test/sta/v1.1/Things({thing})"));
    assert_eq!(tv["properties"]["depth_cm"], 10);
    assert_eq!(tv["Locations"][0]["location"]["coordinates"], json!([98.21, 34.91]));
    assert_eq!(tv["HistoricalLocations"].as_array().unwrap().len(), 1, "the first Location is history too");
    let ds: Vec<i64> = tv["Datastreams"].as_array().unwrap().iter().map(|d| d["@iot.id"].as_i64().unwrap()).collect();
    assert_eq!(tv["Datastreams"][0]["unitOfMeasurement"]["symbol"], "%");
    assert_eq!(ds.len(), 2);

    // Observations: into a Datastream by path and by link; the FeatureOfInterest is generated
    // once from the Thing's Location.
    for (i, v) in [31.5, 29.0, 35.25].iter().enumerate() {
        let body = json!({"phenomenonTime": format!("2026-01-15T0{i}:00:00Z"), "result": v,
                          "resultQuality": {"flag": "ok"}, "parameters": {"battery": 3.6 - i as f64 / 10.0}});
        created(&post(&app, &format!("/Datastreams({})/Observations", ds[0]), Some("writer"), body).await);
    }
    let r = post(
        &app,
        "/Observations",
        Some("writer"),
        json!({"result": 12.345678901234567, "Datastream@iot.id": ds[0],
        "phenomenonTime": "2026-01-14T23:00:00Z"}),
    )
    .await;
    let early = created(&r);
    assert_eq!(r.json(), get(&app, &format!("/Observations({early})")).await.json(), "the answer is what a GET reads");
    assert_eq!(delete(&app, &format!("/Observations({early})"), "writer").await.status, StatusCode::OK);
    let text_obs = created(
        &post(
            &app,
            "/Observations",
            Some("writer"),
            json!({"phenomenonTime": "2026-01-15T00:00:00Z/2026-01-15T01:00:00Z", "result": "frozen",
                   "Datastream": {"@iot.id": ds[1]}}),
        )
        .await,
    );
    let feats = get(&app, &format!("/Datastreams({})/Observations?$expand=FeatureOfInterest", ds[0])).await.json();
    let foi = feats["value"][0]["FeatureOfInterest"]["@iot.id"].as_i64().unwrap();
    assert!(feats["value"].as_array().unwrap().iter().all(|o| o["FeatureOfInterest"]["@iot.id"] == foi));
    assert_eq!(feats["value"][0]["FeatureOfInterest"]["feature"]["coordinates"], json!([98.21, 34.91]));
    assert_eq!(count(&app, &format!("/FeaturesOfInterest({foi})/Observations")).await, 4);
    let d0 = get(&app, &format!("/Datastreams({})", ds[0])).await.json();
    assert_eq!(d0["phenomenonTime"], "2026-01-15T00:00:00Z/2026-01-15T02:00:00Z", "computed from its observations");
    let latest = get(&app, &format!("/Datastreams({})/Observations?$orderby=phenomenonTime desc&$top=1", ds[0])).await;
    assert_eq!(latest.json()["value"][0]["result"], 35.25);
    assert_eq!(latest.json()["value"][0]["resultQuality"], json!({"flag": "ok"}));
    // The latest Observation of every Datastream of a page, as the latest-value query asks.
    let page = get(
        &app,
        "/Datastreams?$filter=Thing/name eq 'Maduo grassland node 7'&$orderby=name\
         &$expand=Observations($top=1;$orderby=phenomenonTime desc)",
    )
    .await;
    let latest: Vec<Value> =
        page.json()["value"].as_array().unwrap().iter().map(|d| d["Observations"][0]["result"].clone()).collect();
    assert_eq!(latest, [json!(35.25), json!("frozen")]);
    let text = get(&app, &format!("/Observations({text_obs})")).await.json();
    assert_eq!(text["result"], "frozen");
    assert_eq!(text["phenomenonTime"], "2026-01-15T00:00:00Z/2026-01-15T01:00:00Z");

    // Top-level collections hold the registry's stations and the partner's entities together.
    assert_eq!(count(&app, "/Things").await, 3);
    assert_eq!(
        names(&get(&app, "/Things?$filter=properties/owner eq 'sjy-park'").await.json()),
        ["Maduo grassland node 7"]
    );
    assert_eq!(count(&app, "/Things?$filter=properties/depth_cm gt 5").await, 1);
    let ordered = names(&get(&app, "/Things?$orderby=name desc&$top=2").await.json());
    assert_eq!(ordered[0], "测试站 QH632801S002", "ordered across both kinds: {ordered:?}");
    let page = get(&app, "/Things?$top=2").await.json();
    assert!(page["@iot.nextLink"].as_str().unwrap().contains("$skip=2"));
    assert_eq!(count(&app, "/Observations?$filter=result gt 30").await, registry_over_30 + 2);
    assert_eq!(count(&app, "/Observations?$filter=result eq 'frozen'").await, 1);
    assert_eq!(count(&app, "/Sensors").await, 3 + 1, "three station kinds and the probe");

    // Filters through links and JSON members of the partner's entities.
    let by_thing = get(&app, "/Datastreams?$filter=Thing/name eq 'Maduo grassland node 7'&$orderby=name").await;
    assert_eq!(names(&by_thing.json()), ["moisture 10 cm", "moisture 30 cm"]);
    let deep =
        "/Observations?$filter=Datastream/ObservedProperty/name eq 'Soil moisture' and parameters/battery lt 3.55";
    assert_eq!(count(&app, deep).await, 2);
    let r = get(&app, "/Observations?$filter=Datastream/Sensor/metadata eq 'https://example.org/sm300.pdf'").await;
    assert_eq!(r.json()["value"].as_array().unwrap().len(), 4, "{}", r.body);
    let near = "/Locations?$filter=geo.intersects(location, geography'POLYGON((98 34, 99 34, 99 35, 98 35, 98 34))')";
    assert_eq!(names(&get(&app, near).await.json()), ["Maduo plot 7"]);
    assert_eq!(count(&app, &format!("/Sensors({sensor})/Datastreams")).await, 2);
    assert_eq!(count(&app, &format!("/ObservedProperties({moisture})/Datastreams")).await, 2);
    let via = get(&app, &format!("/Things({thing})/Datastreams({})/Sensor", ds[1])).await;
    assert_eq!(via.json()["name"], "SM-300");
    // An id in a navigation path must belong to it.
    assert_eq!(get(&app, &format!("/Things({thing})/Datastreams(999)")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &format!("/Things('{a}')/Datastreams({})", ds[0])).await.status, StatusCode::NOT_FOUND);

    // Changes: JSON merge, JSON Patch, PUT, moving the Thing (a new HistoricalLocation).
    let r =
        patch(&app, &format!("/Things({thing})"), "writer", "application/json", json!({"name": "Maduo node 7"})).await;
    assert_eq!((r.status, r.json()["name"].as_str()), (StatusCode::OK, Some("Maduo node 7")));
    assert_eq!(r.json()["properties"]["owner"], "sjy-park", "a merge keeps what it does not name");
    let ops = json!([{"op": "replace", "path": "/properties/depth_cm", "value": 15},
                     {"op": "add", "path": "/properties/firmware", "value": "2.1"}]);
    let r = patch(&app, &format!("/Things({thing})"), "writer", "application/json-patch+json", ops).await;
    assert_eq!(r.json()["properties"], json!({"owner": "sjy-park", "depth_cm": 15, "firmware": "2.1"}), "{}", r.body);
    let moved = json!({"Locations": [{"name": "Maduo plot 7b", "description": "moved uphill",
        "encodingType": "application/geo+json", "location": {"type": "Point", "coordinates": [98.25, 34.93]}}]});
    assert_eq!(
        patch(&app, &format!("/Things({thing})"), "writer", "application/json", moved).await.status,
        StatusCode::OK
    );
    assert_eq!(count(&app, &format!("/Things({thing})/HistoricalLocations")).await, 2);
    assert_eq!(names(&get(&app, &format!("/Things({thing})/Locations")).await.json()), ["Maduo plot 7b"]);
    let obs0 = get(&app, &format!("/Datastreams({})/Observations?$orderby=phenomenonTime&$top=1", ds[0])).await.json();
    let obs0 = obs0["value"][0]["@iot.id"].as_i64().unwrap();
    let r = patch(&app, &format!("/Observations({obs0})"), "writer", "application/json", json!({"result": 30.5})).await;
    assert_eq!(
        (r.json()["result"].as_f64(), r.json()["phenomenonTime"].as_str()),
        (Some(30.5), Some("2026-01-15T00:00:00Z"))
    );
    let put = json!({"name": "SM-300 v2", "description": "probe", "encodingType": "application/pdf", "metadata": "m"});
    let r = send(
        &app,
        "PUT",
        &format!("/sta/v1.1/Sensors({sensor})"),
        Some("writer"),
        "application/json",
        Some(put.to_string()),
    )
    .await;
    assert_eq!((r.status, r.json()["name"].as_str()), (StatusCode::OK, Some("SM-300 v2")));
    assert!(r.json().get("properties").is_none(), "PUT replaces: {}", r.body);

    // Who may: the creator's region; others are refused, and so are callers without the permission.
    let r = patch(&app, &format!("/Things({thing})"), "elsewhere", "application/json", json!({"name": "x"})).await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::FORBIDDEN, "sta.forbidden"));
    let r = post(&app, &format!("/Datastreams({})/Observations", ds[0]), Some("elsewhere"), json!({"result": 1})).await;
    assert_eq!(r.code(), "sta.forbidden");
    assert_eq!(post(&app, "/Sensors", Some("reader"), json!({})).await.code(), "sta.forbidden");
    assert_eq!(post(&app, "/Sensors", None, json!({})).await.status, StatusCode::UNAUTHORIZED);
    // Linking is writing to what is linked: another region may not attach its Things to this
    // region's Location or Sensor (their deletes would cascade into it), nor add under them.
    let loc = get(&app, &format!("/Things({thing})/Locations")).await.json()["value"][0]["@iot.id"].as_i64().unwrap();
    let r = post(
        &app,
        "/Things",
        Some("elsewhere"),
        json!({"name": "x", "description": "y", "Locations": [{"@iot.id": loc}]}),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::FORBIDDEN, "sta.forbidden"), "{}", r.body);
    let r =
        post(&app, &format!("/Locations({loc})/Things"), Some("elsewhere"), json!({"name": "x", "description": "y"}))
            .await;
    assert_eq!(r.code(), "sta.forbidden");
    let r = post(&app, &format!("/Sensors({sensor})/Datastreams"), Some("elsewhere"), json!({})).await;
    assert_eq!(r.code(), "sta.forbidden");
    // Posted under a Location, a Thing is at that Location.
    let at = created(
        &post(&app, &format!("/Locations({loc})/Things"), Some("writer"), json!({"name": "twin", "description": "d"}))
            .await,
    );
    assert_eq!(get(&app, &format!("/Things({at})/Locations")).await.json()["value"][0]["@iot.id"], loc);
    assert_eq!(count(&app, &format!("/Things({at})/HistoricalLocations")).await, 1);
    assert_eq!(delete(&app, &format!("/Things({at})"), "writer").await.status, StatusCode::OK);
    let by_id = get(&app, "/Things?$orderby=id desc&$top=1").await.json();
    assert_eq!(by_id["value"][0]["@iot.id"], thing, "API-created ids after registry ids, by number");

    // Bad input: specific 400s, nothing half-written.
    let things_before = count(&app, "/Things").await;
    for (body, code) in [
        (json!({"name": "x"}), "sta.invalid_entity"),
        (json!({"name": "x", "description": "y", "colour": "red"}), "sta.invalid_entity"),
        (json!({"name": "x", "description": "y", "@iot.id": 5}), "sta.invalid_entity"),
        (
            json!({"name": "x", "description": "y", "Locations": [{"name": "l", "description": "d",
            "encodingType": "application/geo+json", "location": {"type": "Point", "coordinates": [500, 1]}}]}),
            "sta.invalid_entity",
        ),
        (
            json!({"name": "x", "description": "y", "Datastreams": [{"name": "d", "description": "d",
            "observationType": "o", "unitOfMeasurement": {}, "Sensor": {"@iot.id": 999999}, "ObservedProperty": {"@iot.id": moisture}}]}),
            "sta.unknown_link",
        ),
        (
            json!({"name": "x", "description": "y", "Datastreams": [{"name": "d", "description": "d",
            "observationType": "o", "unitOfMeasurement": {}, "Sensor": {"@iot.id": "air"}, "ObservedProperty": {"@iot.id": moisture}}]}),
            "sta.unknown_link",
        ),
    ] {
        let r = post(&app, "/Things", Some("writer"), body.clone()).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, code), "{body}: {}", r.body);
    }
    assert_eq!(count(&app, "/Things").await, things_before, "a refused deep insert leaves nothing behind");
    let r = post(&app, "/Observations", Some("writer"), json!({"result": 1, "Datastream": {"@iot.id": 424242}})).await;
    assert_eq!(r.code(), "sta.unknown_link");
    let r = post(&app, "/Datastreams", Some("writer"), json!({"name": "d", "description": "d", "observationType": "o",
        "unitOfMeasurement": {}, "Thing": {"@iot.id": a}, "Sensor": {"@iot.id": sensor}, "ObservedProperty": {"@iot.id": moisture}})).await;
    assert_eq!(r.code(), "sta.unknown_link", "registry stations are not linked from partner entities: {}", r.body);
    let r = post(
        &app,
        "/Observations",
        Some("writer"),
        json!({"result": 1, "phenomenonTime": "yesterday", "Datastream": {"@iot.id": ds[0]}}),
    )
    .await;
    assert_eq!(r.code(), "sta.invalid_entity");
    let r = patch(
        &app,
        &format!("/Things({thing})"),
        "writer",
        "application/json-patch+json",
        json!([{"op": "test", "path": "/name", "value": "other"}]),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::CONFLICT, "sta.patch_test_failed"));

    // A request with a bad partner group stores nothing, not even its good registry group.
    let registry_ds = format!("/Datastreams('{a}~a34004~hour')/Observations");
    let before = count(&app, &registry_ds).await;
    let r = post(
        &app,
        "/CreateObservations",
        Some("writer"),
        json!([
            {"Datastream": {"@iot.id": format!("{a}~a34004~hour")}, "components": ["phenomenonTime", "result"],
             "dataArray": [["2026-01-15T07:00:00Z", 71]]},
            {"Datastream": {"@iot.id": ds[0]}, "components": ["bogus"], "dataArray": []}
        ]),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "sta.invalid_entity"), "{}", r.body);
    assert_eq!(count(&app, &registry_ds).await, before);

    // CreateObservations mixes the partner's Datastreams and the registry's, answering in order.
    let r = post(
        &app,
        "/CreateObservations",
        Some("writer"),
        json!([
            {"Datastream": {"@iot.id": ds[0]}, "components": ["phenomenonTime", "result"],
             "dataArray": [["2026-01-15T05:00:00Z", 33.0], ["yesterday", 1]]},
            {"Datastream": {"@iot.id": format!("{a}~a34004~hour")}, "components": ["phenomenonTime", "result"],
             "dataArray": [["2026-01-15T06:00:00Z", 70]]}
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let links = r.json();
    let links: Vec<&str> = links.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(links[0].starts_with("http://sta.test/sta/v1.1/Observations(") && !links[0].contains('\''), "{links:?}");
    assert!(links[1].starts_with("error"), "{links:?}");
    assert!(links[2].ends_with("~a34004~hour~1768456800000')"), "{links:?}");
    assert_eq!(count(&app, &format!("/Datastreams({})/Observations", ds[0])).await, 4);
    // The Datastream's phenomenonTime follows its Observations, both ways.
    let span = |v: Value| v["phenomenonTime"].as_str().unwrap_or("").to_owned();
    let d0 = format!("/Datastreams({})", ds[0]);
    assert_eq!(span(get(&app, &d0).await.json()), "2026-01-15T00:00:00Z/2026-01-15T05:00:00Z");
    let newest = links[0].rsplit_once("/sta/v1.1").unwrap().1.to_owned();
    assert_eq!(delete(&app, &newest, "writer").await.status, StatusCode::OK);
    assert_eq!(span(get(&app, &d0).await.json()), "2026-01-15T00:00:00Z/2026-01-15T02:00:00Z");
    let filtered = format!("/Datastreams?$filter=phenomenonTime le 2026-01-15T03:00:00Z and id eq {}", ds[0]);
    assert_eq!(count(&app, &filtered).await, 1);

    // Deletes cascade as the standard says: a Thing takes its Datastreams and their Observations.
    assert_eq!(delete(&app, &format!("/Things({thing})"), "elsewhere").await.status, StatusCode::FORBIDDEN);
    assert_eq!(delete(&app, &format!("/Things({thing})"), "writer").await.status, StatusCode::OK);
    assert_eq!(get(&app, &format!("/Things({thing})")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &format!("/Datastreams({})", ds[0])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &format!("/Observations({text_obs})")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(&app, "/Observations?$filter=result gt 30").await,
        registry_over_30 + 1,
        "the registry's are untouched (70 was added to them above)"
    );
    assert_eq!(
        get(&app, &format!("/Sensors({sensor})")).await.status,
        StatusCode::OK,
        "a Sensor outlives its Datastreams"
    );
    assert_eq!(delete(&app, &format!("/Sensors({sensor})"), "writer").await.status, StatusCode::OK);
    assert_eq!(delete(&app, &format!("/Sensors({sensor})"), "writer").await.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "/Things").await, 2);
}

#[tokio::test]
async fn hostile_writes_and_queries_of_partner_entities_are_4xx() {
    let (_gw, app, _a, _b) = fed().await;
    let thing = created(&post(&app, "/Things", Some("writer"), json!({"name": "t", "description": "d"})).await);
    // Locations → Things → Locations … as deep as JSON allows.
    let mut nested = json!({"name": "t", "description": "d"});
    for i in 0..40 {
        nested = if i % 2 == 0 {
            json!({"name": "l", "description": "d", "encodingType": "application/geo+json",
                   "location": {"type": "Point", "coordinates": [1, 1]}, "Things": [nested]})
        } else {
            json!({"name": "t", "description": "d", "Locations": [nested]})
        };
    }
    let bodies = [
        json!(null),
        json!([]),
        json!({"name": 5, "description": []}),
        json!({"name": "x", "description": "y", "properties": "not an object"}),
        json!({"name": "x", "description": "y", "Locations": {"name": "not an array"}}),
        json!({"name": "x", "description": "y", "Locations": [5]}),
        json!({"name": "x", "description": "y", "Locations": [{"@iot.id": 1.5}]}),
        json!({"name": "x", "description": "y", "Locations": [{"@iot.id": -3}]}),
        json!({"name": "x", "description": "y", "Locations": [{"@iot.id": "99999999999999999999999"}]}),
        json!({"name": "x", "description": "y", "Datastreams": [{"Observations": [{"result": 1}]}]}),
        json!({"name": "x".repeat(20_000), "description": "y"}),
        nested,
    ];
    for body in &bodies {
        for path in ["/Things".to_owned(), "/Locations".into(), format!("/Things({thing})/Datastreams")] {
            let r = post(&app, &path, Some("writer"), body.clone()).await;
            assert!(r.status.is_client_error() || r.status == StatusCode::CREATED, "{path}: {} {}", r.status, r.body);
        }
    }
    for ops in [
        json!({}),
        json!([{"op": "move"}]),
        json!([{"op": "add", "path": "", "value": 1}]),
        json!([{"op": "replace", "path": "/name", "value": 5}]),
        json!([{"op": "remove", "path": "/nope/deeper"}]),
    ] {
        let r = patch(&app, &format!("/Things({thing})"), "writer", "application/json-patch+json", ops.clone()).await;
        assert!(r.status.is_client_error(), "{ops}: {} {}", r.status, r.body);
    }
    for p in [
        "/Things(99999999999999999999)",
        "/Things(-1)",
        "/Things(0)/Datastreams",
        "/Things?$filter=properties eq 1",
        "/Things?$filter=properties/a/b/c/d/e/f/g eq 1",
        "/Things?$filter=properties/a gt 'x' and properties/b mul 1e308 mul 1e308 gt 1",
        "/Observations?$filter=parameters/x mul 1e308 mul 1e308 gt 1",
        "/Observations?$filter=Datastream/Thing eq 1",
        "/Observations?$filter=Datastream/Thing/Locations/name eq 'x'",
        "/Datastreams?$orderby=properties/x,unitOfMeasurement/symbol desc,Thing/name",
        "/Things?$orderby=properties/mn,location",
    ] {
        let r = get(&app, p).await;
        assert!(r.status.is_success() || r.status.is_client_error(), "{p}: {} {}", r.status, r.body);
    }
}
