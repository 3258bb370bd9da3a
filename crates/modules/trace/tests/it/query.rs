//! EPCIS query parameters, one by one, over GS1's examples and the Qinghai yak chain.

use qy_trace::service::capture::ErrorBehaviour;

use crate::harness::{data, H};

/// The captured events, named: A, B (9.6.1), C (9.6.2), D (9.6.3), E (9.6.4), Y1–Y5 (yak).
struct Fx {
    h: H,
    ids: std::collections::HashMap<String, String>,
}

impl Fx {
    async fn new() -> Fx {
        let h = H::new().await;
        let mut ids = std::collections::HashMap::new();
        let mut names = ["A", "B", "C", "D", "E", "Y1", "Y2", "Y3", "Y4", "Y5"].into_iter();
        for f in [
            "examples/Example_9.6.1-ObjectEvent.jsonld",
            "examples/Example_9.6.2-ObjectEvent.jsonld",
            "examples/Example_9.6.3-AggregationEvent.jsonld",
            "examples/Example_9.6.4-TransformationEvent.jsonld",
            "local/qinghai-yak-chain.jsonld",
        ] {
            let out = h.capture(&data(f), ErrorBehaviour::Rollback).await;
            assert!(out.errors.is_empty(), "{f}: {:?}", out.errors);
            for id in out.event_ids {
                ids.insert(id, names.next().unwrap().to_owned());
            }
        }
        Fx { h, ids }
    }

    /// The named events a query returns, sorted.
    async fn q(&self, params: &[(&str, &str)]) -> Vec<String> {
        let mut names: Vec<String> = self.h.ids(params).await.iter().map(|id| self.ids[id].clone()).collect();
        names.sort();
        names
    }
}

fn v(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn event_type_biz_step_disposition_and_action() {
    let f = Fx::new().await;
    assert_eq!(f.q(&[("eventType", "AggregationEvent")]).await, v(&["D"]));
    assert_eq!(f.q(&[("eventType", "TransformationEvent")]).await, v(&["E", "Y3"]));
    assert_eq!(f.q(&[("EQ_bizStep", "receiving")]).await, v(&["B", "C", "D"]));
    assert_eq!(f.q(&[("EQ_bizStep", "shipping|killing")]).await, v(&["A", "Y3"]));
    assert_eq!(f.q(&[("EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-shipping")]).await, v(&["A"]));
    assert_eq!(f.q(&[("EQ_disposition", "in_transit")]).await, v(&["A", "Y4"]));
    assert_eq!(f.q(&[("EQ_disposition", "recalled")]).await, v(&["Y5"]));
    assert_eq!(f.q(&[("EQ_action", "ADD")]).await, v(&["Y1"]));
}

#[tokio::test]
async fn epc_matching_by_role_in_urn_and_digital_link_and_gtin_patterns() {
    let f = Fx::new().await;
    assert_eq!(f.q(&[("MATCH_epc", "urn:epc:id:sgtin:0614141.107346.2018")]).await, v(&["A", "B", "D"]));
    assert_eq!(f.q(&[("MATCH_epc", "https://id.gs1.org/01/10614141073464/21/2018")]).await, v(&["A", "B", "D"]));
    assert_eq!(f.q(&[("MATCH_epc", "urn:epc:id:sgtin:0614141.107346.2017")]).await, v(&["A", "D"]));
    assert_eq!(f.q(&[("MATCH_parentID", "urn:epc:id:sscc:0614141.1234567890")]).await, v(&["D"]));
    assert_eq!(f.q(&[("MATCH_epc", "urn:epc:id:sscc:0614141.1234567890")]).await, Vec::<String>::new());
    assert_eq!(f.q(&[("MATCH_anyEPC", "urn:epc:id:sscc:0614141.1234567890")]).await, v(&["D"]));
    assert_eq!(f.q(&[("MATCH_inputEPC", "urn:epc:id:sgtin:4012345.011122.25")]).await, v(&["E"]));
    assert_eq!(f.q(&[("MATCH_outputEPC", "urn:epc:id:sgtin:4012345.077889.26")]).await, v(&["E"]));
    assert_eq!(f.q(&[("MATCH_inputEPC", "https://trace.example.org/qh/animal/263262100012345")]).await, v(&["Y3"]));
    assert_eq!(
        f.q(&[("MATCH_anyEPC", "https://trace.example.org/qh/animal/263262100012345")]).await,
        v(&["Y1", "Y2", "Y3"])
    );
    assert_eq!(f.q(&[("MATCH_anyEPC", "urn:epc:idpat:sgtin:0614141.107346.*")]).await, v(&["A", "B", "D"]));
    // 9.6.3 aggregates the same lot as a child quantity.
    assert_eq!(f.q(&[("MATCH_epcClass", "urn:epc:class:lgtin:4012345.012345.998877")]).await, v(&["C", "D"]));
    assert_eq!(f.q(&[("MATCH_epcClass", "urn:epc:idpat:sgtin:4012345.012345.*")]).await, v(&["C", "D"]));
    assert_eq!(f.q(&[("MATCH_epcClass", "https://id.gs1.org/01/04012345123456")]).await, v(&["C", "D"]));
    let lot = "https://id.gs1.org/01/09521234000013/10/YK20241015A";
    assert_eq!(f.q(&[("MATCH_epcClass", lot)]).await, v(&["Y4", "Y5"]));
    assert_eq!(f.q(&[("MATCH_outputEPCClass", lot)]).await, v(&["Y3"]));
    assert_eq!(f.q(&[("MATCH_anyEPCClass", lot)]).await, v(&["Y3", "Y4", "Y5"]));
}

#[tokio::test]
async fn locations_times_transactions_sources_and_destinations() {
    let f = Fx::new().await;
    assert_eq!(f.q(&[("EQ_readPoint", "urn:epc:id:sgln:0614141.07346.1234")]).await, v(&["A"]));
    assert_eq!(f.q(&[("EQ_bizLocation", "urn:epc:id:sgln:0614141.00888.0")]).await, v(&["C", "D"]));
    assert_eq!(f.q(&[("EQ_readPoint", "https://id.gs1.org/414/9521234000112")]).await, v(&["Y3", "Y4", "Y5"]));
    let range = [("GE_eventTime", "2013-01-01T00:00:00Z"), ("LT_eventTime", "2014-01-01T00:00:00+00:00")];
    assert_eq!(f.q(&range).await, v(&["C", "D", "E"]));
    assert_eq!(f.q(&[("LT_eventTime", "2005-04-04T02:33:31.117Z")]).await, v(&["A"]));
    assert_eq!(f.q(&[("GE_recordTime", "2026-11-29T02:00:00Z")]).await.len(), 10);
    assert_eq!(f.q(&[("LT_recordTime", "2026-11-29T02:00:00Z")]).await.len(), 0);
    assert_eq!(f.q(&[("EQ_bizTransaction_desadv", "urn:epcglobal:cbv:bt:0614141073467:1152")]).await, v(&["B"]));
    assert_eq!(f.q(&[("EQ_bizTransaction_po", "http://transaction.acme.com/po/12345678")]).await, v(&["A", "B"]));
    assert_eq!(f.q(&[("EQ_source_possessing_party", "urn:epc:id:sgln:4012345.00001.0")]).await, v(&["C"]));
    assert_eq!(f.q(&[("EQ_destination_location", "urn:epc:id:sgln:0614141.00777.0")]).await, v(&["C"]));
}

#[tokio::test]
async fn sensor_values_with_units_and_extension_fields() {
    let f = Fx::new().await;
    assert_eq!(f.q(&[("GT_maxValue_CEL", "-17")]).await, v(&["Y4"]));
    assert_eq!(f.q(&[("GT_maxValue_CEL", "-15")]).await, Vec::<String>::new());
    assert_eq!(f.q(&[("LT_minValue_CEL", "-19")]).await, v(&["Y4"]));
    assert_eq!(f.q(&[("EQ_ILMD_qh:species", "yak")]).await, v(&["Y1"]));
    assert_eq!(f.q(&[("EQ_ILMD_cbvmda:countryOfOrigin", "CN")]).await, v(&["Y1", "Y3"]));
    assert_eq!(f.q(&[("EQ_example:myField", "Example of a vendor/user extension")]).await, v(&["B", "C", "D", "E"]));
    assert_eq!(f.q(&[("EQ_ILMD_example:batch", "XYZ")]).await, v(&["E"]));
    let undeclared = f.h.trace.query_params(&[("EQ_nope:field".into(), "x".into())], "").await.unwrap_err();
    assert_eq!(undeclared.code, "trace.query_parameter");
    let declared = f.h.trace.query_params(&[("EQ_nope:field".into(), "x".into())], "nope=https://nope.example/").await;
    assert!(declared.unwrap().events.is_empty(), "declared through GS1-Extensions");
}

#[tokio::test]
async fn ordering_limits_and_paging() {
    let f = Fx::new().await;
    let newest = f.h.ids(&[("orderBy", "eventTime"), ("orderDirection", "DESC"), ("eventCountLimit", "1")]).await;
    assert_eq!(newest.iter().map(|i| f.ids[i].as_str()).collect::<Vec<_>>(), ["Y5"]);
    let oldest = f.h.ids(&[("orderBy", "eventTime"), ("orderDirection", "ASC"), ("eventCountLimit", "2")]).await;
    assert_eq!(oldest.iter().map(|i| f.ids[i].as_str()).collect::<Vec<_>>(), ["A", "B"]);
    let e =
        f.h.trace
            .query_params(&[("EQ_bizStep".into(), "receiving".into()), ("maxEventCount".into(), "2".into())], "")
            .await
            .unwrap_err();
    assert_eq!(e.code, "trace.query_too_large");
    // Pages of 3 with a token, in order, each event once.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut params = vec![
            ("perPage".to_owned(), "3".to_owned()),
            ("orderBy".into(), "eventTime".into()),
            ("orderDirection".into(), "ASC".into()),
        ];
        if let Some(t) = &token {
            params.push(("nextPageToken".into(), t.clone()));
        }
        let page = f.h.trace.query_params(&params, "").await.unwrap();
        assert!(page.events.len() <= 3);
        seen.extend(page.events.iter().map(|e| f.ids[&e.event_id].clone()));
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(seen, ["A", "B", "C", "D", "E", "Y1", "Y2", "Y3", "Y4", "Y5"]);
}

#[tokio::test]
async fn unknown_and_malformed_parameters_are_errors_not_ignored() {
    let f = Fx::new().await;
    for (k, val) in [
        ("FOO_bar", "1"),
        ("GE_eventTime", "yesterday"),
        ("perPage", "-1"),
        ("orderDirection", "SIDEWAYS"),
        ("eventType", "CheeseEvent"),
        ("nextPageToken", "not-a-token"),
    ] {
        let e = f.h.trace.query_params(&[(k.into(), val.into())], "").await.unwrap_err();
        assert_eq!(e.code, "trace.query_parameter", "{k}={val}: {e}");
    }
}
