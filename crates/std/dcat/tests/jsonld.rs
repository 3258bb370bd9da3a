//! The JSON-LD output: compact shape, and the same graph as the Turtle output once parsed
//! (oxjsonld), so both endpoints say the same thing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qy_dcat::{dataset_to_jsonld, dataset_to_turtle, to_jsonld, to_turtle};
use serde_json::{json, Value};

fn node<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["@graph"].as_array().unwrap().iter().find(|n| n["@id"] == id).unwrap_or_else(|| panic!("no node {id}"))
}

fn of_type<'a>(doc: &'a Value, ty: &str) -> Vec<&'a Value> {
    doc["@graph"].as_array().unwrap().iter().filter(|n| n["@type"] == ty).collect()
}

#[test]
fn context_maps_the_prefixes() {
    let doc = to_jsonld(&sample_catalog());
    let ctx = &doc["@context"];
    assert_eq!(ctx["dcat"], "http://www.w3.org/ns/dcat#");
    assert_eq!(ctx["dct"], "http://purl.org/dc/terms/");
    assert_eq!(ctx["foaf"], "http://xmlns.com/foaf/0.1/");
    assert_eq!(ctx["vcard"], "http://www.w3.org/2006/vcard/ns#");
    assert_eq!(ctx["xsd"], "http://www.w3.org/2001/XMLSchema#");
    assert_eq!(ctx["rdf"], "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
    assert_eq!(ctx["rdfs"], "http://www.w3.org/2000/01/rdf-schema#");
    assert_eq!(ctx["skos"], "http://www.w3.org/2004/02/skos/core#");
    assert_eq!(ctx["adms"], "http://www.w3.org/ns/adms#");
    assert_eq!(ctx["dcatap"], "http://data.europa.eu/r5r/");
    assert_eq!(ctx["hydra"], "http://www.w3.org/ns/hydra/core#");
    assert!(doc["@graph"].is_array());
}

#[test]
fn node_shapes() {
    let doc = to_jsonld(&sample_catalog());
    assert_eq!(of_type(&doc, "dcat:Catalog").len(), 1);
    assert_eq!(of_type(&doc, "dcat:Dataset").len(), 3);
    assert_eq!(of_type(&doc, "dcat:Distribution").len(), 4);
    for d in of_type(&doc, "dcat:Distribution") {
        assert!(d["dcat:accessURL"]["@id"].is_string(), "{d}");
    }

    let catalog = node(&doc, &format!("{BASE}/catalog"));
    assert_eq!(catalog["dcat:dataset"].as_array().unwrap().len(), 3);
    assert_eq!(catalog["dcat:dataset"][0], json!({ "@id": format!("{BASE}/dataset/201001-000012") }));
    assert_eq!(catalog["dct:title"][0], json!({ "@value": "青海省公共数据开放平台", "@language": "zh" }));
    assert_eq!(catalog["dct:modified"], json!({ "@value": "2024-05-02T00:00:00Z", "@type": "xsd:dateTime" }));

    let lake = node(&doc, &format!("{BASE}/dataset/201001-000012"));
    assert_eq!(lake["dct:identifier"], "201001/000012");
    assert_eq!(lake["dct:issued"], json!({ "@value": "2024-03-01", "@type": "xsd:date" }));
    assert_eq!(
        lake["dct:accessRights"],
        json!({ "@id": "http://publications.europa.eu/resource/authority/access-right/PUBLIC" })
    );
    assert_eq!(
        lake["dct:accrualPeriodicity"],
        json!({ "@id": "http://publications.europa.eu/resource/authority/frequency/MONTHLY" })
    );
    assert_eq!(lake["dct:publisher"], json!({ "@id": format!("{BASE}/org/sthjt") }));
    assert_eq!(lake["dcat:keyword"].as_array().unwrap().len(), 3);

    let agent = node(&doc, &format!("{BASE}/org/sthjt"));
    assert_eq!(agent["@type"], "foaf:Agent");
    assert_eq!(agent["dct:identifier"], "11630000015170539L");

    let csv = node(&doc, &format!("{BASE}/dataset/201001-000012/resource/csv"));
    assert_eq!(csv["dcat:byteSize"], json!({ "@value": "48213", "@type": "xsd:nonNegativeInteger" }));
    assert_eq!(csv["dcat:mediaType"], json!({ "@id": "https://www.iana.org/assignments/media-types/text/csv" }));

    let paging = of_type(&doc, "hydra:PagedCollection");
    assert_eq!(paging.len(), 1);
    assert_eq!(paging[0]["hydra:totalItems"], 5);
    assert_eq!(paging[0]["hydra:next"], json!({ "@id": format!("{BASE}/catalog.ttl?page=2") }));
}

#[test]
fn same_graph_as_turtle() {
    let c = sample_catalog();
    let from_ttl = parse_turtle(&to_turtle(&c));
    let from_jsonld = parse_jsonld(&to_jsonld(&c));
    assert_eq!(from_ttl.len(), from_jsonld.len());
    assert_eq!(canonical(&from_ttl), canonical(&from_jsonld));

    let d = &c.datasets[1];
    assert_eq!(canonical(&parse_turtle(&dataset_to_turtle(d))), canonical(&parse_jsonld(&dataset_to_jsonld(d))));
}

#[test]
fn deterministic() {
    let c = sample_catalog();
    assert_eq!(serde_json::to_string(&to_jsonld(&c)).unwrap(), serde_json::to_string(&to_jsonld(&c)).unwrap());
}
