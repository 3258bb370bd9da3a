//! The query language, one test per parameter family (EPCIS 2.0 SimpleEventQuery), URL and body forms.

use qy_epcis::query::{
    body_to_params, parse_query_body, parse_query_params, Action, Comparison, OrderBy, OrderDirection, Query,
    QueryParamError, SensorField,
};
use serde_json::json;

fn q(pairs: &[(&str, &str)]) -> Result<Query, QueryParamError> {
    let owned: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    parse_query_params(&owned)
}

fn rejected(pairs: &[(&str, &str)], parameter: &str) -> Result<(), String> {
    match q(pairs) {
        Ok(query) => Err(format!("{pairs:?} accepted: {query:?}")),
        Err(e) if e.parameter == parameter => Ok(()),
        Err(e) => Err(format!("{pairs:?}: wrong parameter named: {e}")),
    }
}

type R = Result<(), Box<dyn std::error::Error>>;

#[test]
fn event_types_are_a_pipe_list() -> R {
    let query = q(&[("eventType", "ObjectEvent|TransformationEvent")])?;
    assert_eq!(query.event_types, ["ObjectEvent", "TransformationEvent"]);
    rejected(&[("eventType", "Objectevent")], "eventType")?;
    Ok(())
}

#[test]
fn time_windows() -> R {
    let query = q(&[("GE_eventTime", "2024-10-16T00:00:00+08:00"), ("LT_recordTime", "2024-10-17T00:00:00Z")])?;
    assert_eq!(query.ge_event_time.map(|t| t.to_string()).as_deref(), Some("2024-10-15T16:00:00Z"));
    assert!(query.lt_record_time.is_some() && query.lt_event_time.is_none());
    rejected(&[("GE_eventTime", "2024-10-16T00:00:00")], "GE_eventTime")?;
    rejected(&[("LT_eventTime", "2024-10-16T00:00:00Z|2024-10-17T00:00:00Z")], "LT_eventTime")?;
    Ok(())
}

#[test]
fn actions() -> R {
    assert_eq!(q(&[("EQ_action", "ADD|DELETE")])?.actions, [Action::Add, Action::Delete]);
    rejected(&[("EQ_action", "add")], "EQ_action")?;
    Ok(())
}

#[test]
fn vocabulary_values_are_stored_as_full_uris_with_the_bare_word() -> R {
    let query = q(&[
        ("EQ_bizStep", "receiving|urn:epcglobal:cbv:bizstep:shipping|qh:grazing"),
        ("EQ_disposition", "https://ref.gs1.org/cbv/Disp-recalled"),
        ("EQ_persistentDisposition_set", "recalled"),
        ("EQ_errorReason", "incorrect_data"),
    ])?;
    let steps: Vec<(&str, Option<&str>)> =
        query.biz_steps.iter().map(|v| (v.uri.as_str(), v.bare.as_deref())).collect();
    assert_eq!(
        steps,
        [
            ("https://ref.gs1.org/cbv/BizStep-receiving", Some("receiving")),
            ("https://ref.gs1.org/cbv/BizStep-shipping", Some("shipping")),
            ("qh:grazing", None),
        ]
    );
    assert_eq!(query.dispositions[0].bare.as_deref(), Some("recalled"));
    assert_eq!(query.persistent_disposition_set[0].uri, "https://ref.gs1.org/cbv/Disp-recalled");
    assert_eq!(query.error_reasons[0].uri, "https://ref.gs1.org/cbv/ER-incorrect_data");
    rejected(&[("EQ_bizStep", "shiping")], "EQ_bizStep")?;
    Ok(())
}

#[test]
fn locations_and_ids_are_canonical() -> R {
    let query = q(&[
        ("EQ_readPoint", "urn:epc:id:sgln:0614141.07346.1234"),
        ("EQ_bizLocation", "https://id.gs1.org/414/9521234000112"),
        ("EQ_transformationID", "urn:uuid:1"),
        ("EQ_eventID", "ni:///sha-256;abc?ver=CBV2.0"),
    ])?;
    assert_eq!(query.read_points, ["https://id.gs1.org/414/0614141073467/254/1234"]);
    assert_eq!(query.biz_locations, ["https://id.gs1.org/414/9521234000112"]);
    assert_eq!(query.transformation_ids, ["urn:uuid:1"]);
    assert_eq!(query.event_ids, ["ni:///sha-256;abc?ver=CBV2.0"]);
    Ok(())
}

#[test]
fn match_parameters_canonicalise_and_flag_gtin_patterns() -> R {
    let query = q(&[
        ("MATCH_epc", "urn:epc:id:sgtin:0614141.107346.2018"),
        ("MATCH_anyEPC", "urn:epc:idpat:sgtin:4012345.012345.*"),
        ("MATCH_parentID", "urn:epc:id:sscc:0614141.1234567890"),
        ("MATCH_inputEPC", "https://trace.example.org/qh/animal/263262100012345"),
        ("MATCH_outputEPC", "https://id.gs1.org/01/09521234000013"),
        ("MATCH_epcClass", "urn:epc:class:lgtin:4012345.012345.Lot987"),
        ("MATCH_inputEPCClass", "https://id.gs1.org/01/09521234000013"),
        ("MATCH_outputEPCClass", "https://id.gs1.org/01/09521234000013/10/YK20241015A"),
        ("MATCH_anyEPCClass", "urn:epc:idpat:sgtin:9521234.000001.*"),
    ])?;
    assert_eq!(query.match_epc[0].uri, "https://id.gs1.org/01/10614141073464/21/2018");
    assert!(!query.match_epc[0].prefix);
    assert!(
        query.match_any_epc[0].prefix && query.match_any_epc[0].matches("https://id.gs1.org/01/04012345123456/21/1")
    );
    assert_eq!(query.match_parent_id[0].uri, "https://id.gs1.org/00/106141412345678908");
    assert!(!query.match_input_epc[0].prefix);
    assert!(query.match_output_epc[0].prefix);
    assert_eq!(query.match_epc_class[0].uri, "https://id.gs1.org/01/04012345123456/10/Lot987");
    assert!(query.match_input_epc_class[0].matches("https://id.gs1.org/01/09521234000013/10/YK20241015A"));
    assert!(!query.match_output_epc_class[0].prefix);
    assert!(query.match_any_epc_class[0].matches("https://id.gs1.org/01/09521234000013/10/YK20241015A"));
    rejected(&[("MATCH_epc", "urn:epc:id:sgtin:1.2")], "MATCH_epc")?;
    rejected(&[("MATCH_epc", "urn:epc:idpat:sgtin:4012345.*.*")], "MATCH_epc")?;
    Ok(())
}

#[test]
fn typed_transaction_source_destination_filters() -> R {
    let query = q(&[
        ("EQ_bizTransaction_po", "http://transaction.acme.com/po/12345678"),
        ("EQ_source_owning_party", "urn:epc:id:pgln:4012345.00225"),
        ("EQ_destination_ex:carrier", "https://carrier.example/1"),
    ])?;
    assert_eq!(query.biz_transactions[0].type_uri, "https://ref.gs1.org/cbv/BTT-po");
    assert_eq!(query.sources[0].type_uri, "https://ref.gs1.org/cbv/SDT-owning_party");
    assert_eq!(query.sources[0].values, ["https://id.gs1.org/417/4012345002256"]);
    assert_eq!(query.destinations[0].type_uri, "ex:carrier");
    rejected(&[("EQ_bizTransaction_purchase", "x:1")], "EQ_bizTransaction_purchase")?;
    Ok(())
}

#[test]
fn error_declaration_filters() -> R {
    assert!(q(&[("EXISTS_errorDeclaration", "")])?.exists_error_declaration);
    assert!(!q(&[])?.exists_error_declaration);
    rejected(&[("EXISTS_errorDeclaration", "maybe")], "EXISTS_errorDeclaration")?;
    Ok(())
}

#[test]
fn sensor_value_filters_carry_operator_field_and_unit() -> R {
    let query = q(&[("GT_maxValue_CEL", "-17"), ("EQ_value_KGM", "1|2.5"), ("EQ_type", "Temperature|ex:Odour")])?;
    let f = &query.sensor_filters[0];
    assert_eq!(
        (f.op, f.field, f.uom.as_str(), f.values.as_slice()),
        (Comparison::Gt, SensorField::MaxValue, "CEL", &[-17.0][..])
    );
    assert!(f.op.holds(-16.0, -17.0));
    assert_eq!(query.sensor_filters[1].values, [1.0, 2.5]);
    assert_eq!(query.measurement_types, ["https://gs1.org/voc/Temperature", "ex:Odour"]);
    rejected(&[("GT_maxValue_CEL", "-17|-15")], "GT_maxValue_CEL")?;
    rejected(&[("LT_minValue_cel", "1")], "LT_minValue_cel")?;
    rejected(&[("GE_meanValue_CEL", "cold")], "GE_meanValue_CEL")?;
    rejected(&[("EQ_type", "Temp")], "EQ_type")?;
    Ok(())
}

#[test]
fn extension_filters() -> R {
    let query = q(&[("EQ_qh:greenFoodCode", "GF630100240001|GF630100240002"), ("EQ_ILMD_qh:breed", "Datong")])?;
    let f = &query.extension_filters;
    assert_eq!((f[0].ilmd, f[0].field.as_str(), f[0].values.len()), (false, "qh:greenFoodCode", 2));
    assert_eq!((f[1].ilmd, f[1].field.as_str()), (true, "qh:breed"));
    rejected(&[("EQ_readPoint_qh:x", "1")], "EQ_readPoint_qh:x")?;
    rejected(&[("EQ_INNER_qh:x", "1")], "EQ_INNER_qh:x")?;
    Ok(())
}

#[test]
fn ordering_limits_and_paging() -> R {
    let query = q(&[
        ("orderBy", "recordTime"),
        ("orderDirection", "ASC"),
        ("eventCountLimit", "10"),
        ("perPage", "50"),
        ("nextPageToken", "abc"),
    ])?;
    assert_eq!(query.order_by, Some(OrderBy::RecordTime));
    assert_eq!(query.order_direction, Some(OrderDirection::Asc));
    assert_eq!((query.event_count_limit, query.per_page), (Some(10), Some(50)));
    assert_eq!(query.next_page_token.as_deref(), Some("abc"));
    assert_eq!(q(&[("maxEventCount", "5")])?.max_event_count, Some(5));
    rejected(&[("orderBy", "ex:weight")], "orderBy")?;
    rejected(&[("orderDirection", "asc")], "orderDirection")?;
    rejected(&[("perPage", "0")], "perPage")?;
    rejected(&[("eventCountLimit", "1"), ("maxEventCount", "2")], "maxEventCount")?;
    Ok(())
}

#[test]
fn unknown_repeated_and_empty_parameters_are_errors() -> R {
    rejected(&[("EQ_quantity", "5")], "EQ_quantity")?;
    rejected(&[("WD_readPoint", "urn:epc:id:sgln:0614141.07346.1234")], "WD_readPoint")?;
    rejected(&[("bizStep", "shipping")], "bizStep")?;
    rejected(&[("EQ_bizStep", "shipping"), ("EQ_bizStep", "receiving")], "EQ_bizStep")?;
    rejected(&[("EQ_bizStep", "")], "EQ_bizStep")?;
    rejected(&[("EQ_bizStep", "shipping||receiving")], "EQ_bizStep")?;
    let e = q(&[("EQ_foo", "1")]).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.starts_with("EQ_foo: "), "{e}");
    Ok(())
}

#[test]
fn named_query_body_gives_the_same_query() -> R {
    let body = json!({
        "name": "recalled-yak",
        "query": {
            "@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            "eventType": ["ObjectEvent"],
            "EQ_disposition": ["recalled"],
            "MATCH_anyEPCClass": ["https://id.gs1.org/01/09521234000013"],
            "GT_maxValue_CEL": -17,
            "GE_eventTime": "2024-10-16T00:00:00+08:00",
            "eventCountLimit": 10,
            "EQ_ILMD_qh:breed": ["Datong"]
        }
    });
    let from_body = parse_query_body(&body)?;
    let from_url = q(&[
        ("eventType", "ObjectEvent"),
        ("EQ_disposition", "recalled"),
        ("MATCH_anyEPCClass", "https://id.gs1.org/01/09521234000013"),
        ("GT_maxValue_CEL", "-17"),
        ("GE_eventTime", "2024-10-16T00:00:00+08:00"),
        ("eventCountLimit", "10"),
        ("EQ_ILMD_qh:breed", "Datong"),
    ])?;
    assert_eq!(from_body, from_url);
    assert_eq!(parse_query_body(&body["query"])?, from_url);
    let mut pairs = body_to_params(&body)?;
    pairs.push(("perPage".into(), "20".into()));
    let merged = parse_query_params(&pairs)?;
    assert_eq!((merged.per_page, merged.event_types.len()), (Some(20), 1));
    assert!(body_to_params(&json!({"query": {"EQ_bizStep": ["a|b"]}})).is_err());
    let bad = parse_query_body(&json!({"query": {"EQ_bizStep": [{"x": 1}]}}));
    assert_eq!(bad.err().map(|e| e.parameter).as_deref(), Some("EQ_bizStep"));
    assert!(parse_query_body(&json!({"query": []})).is_err());
    Ok(())
}
