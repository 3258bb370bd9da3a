//! Shared fixture: a catalog page of three datasets that exercises every mapping rule, and an
//! independent reading of the output with the oxigraph parsers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use oxrdf::{NamedNode, Subject, Term, Triple};
use qy_dcat::{AccessRights, Agent, Catalog, Dataset, Distribution, Frequency, Paging, Text};

pub const BASE: &str = "https://data.qinghai.gov.cn";
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Description with everything Turtle must escape.
pub const TRICKY: &str = "含\"引号\"、反斜杠 C:\\数据\\ 与换行\n第二行\r\n\t制表符";

pub fn provincial_office() -> Agent {
    Agent {
        uri: format!("{BASE}/org/zwfwj"),
        name: vec![Text::zh("青海省政务服务监督管理局"), Text::en("Qinghai Government Services Administration")],
        identifier: Some("11630000MB1879456K".into()),
    }
}

pub fn ecology_dept() -> Agent {
    Agent {
        uri: format!("{BASE}/org/sthjt"),
        name: vec![Text::zh("青海省生态环境厅"), Text::bo("མཚོ་སྔོན་ཞིང་ཆེན་སྐྱེ་ཁམས་ཁོར་ཡུག་ཐིང་།")],
        identifier: Some("11630000015170539L".into()),
    }
}

pub fn sample_catalog() -> Catalog {
    let lake = Dataset {
        uri: format!("{BASE}/dataset/201001-000012"),
        identifier: "201001/000012".into(),
        title: vec![Text::zh("青海湖水质监测数据"), Text::en("Qinghai Lake water quality")],
        description: vec![Text::zh("青海湖各监测点位的月度水质指标。")],
        publisher: ecology_dept(),
        themes: vec![format!("{BASE}/theme/2/01")],
        keywords: vec![Text::zh("水质"), Text::zh("青海湖"), Text::en("water quality")],
        issued: Some("2024-03-01".into()),
        modified: Some("2024-05-01T08:30:00+08:00".into()),
        frequency: Some(Frequency::Monthly),
        access_rights: AccessRights::Public,
        relations: vec![format!("{BASE}/dataset/302003-000045")],
        landing_page: Some(format!("{BASE}/dataset/201001-000012")),
        spatial: Some("http://sws.geonames.org/1280239/".into()),
        conforms_to: Some(format!("{BASE}/dataset/201001-000012/schema")),
        distributions: vec![
            Distribution {
                uri: format!("{BASE}/dataset/201001-000012/resource/csv"),
                title: vec![Text::zh("水质月报（CSV）")],
                access_url: format!("{BASE}/dataset/201001-000012/resource/csv"),
                download_url: Some(format!("{BASE}/files/201001-000012.csv")),
                format: Some("CSV".into()),
                media_type: Some("text/csv".into()),
                license: Some("https://creativecommons.org/licenses/by/4.0/".into()),
                byte_size: Some(48_213),
                modified: Some("2024-05-01".into()),
            },
            Distribution {
                uri: format!("{BASE}/dataset/201001-000012/resource/api"),
                title: vec![Text::zh("水质查询接口")],
                access_url: format!("{BASE}/api/3/action/datastore_search?resource_id=201001-000012"),
                format: Some("API".into()),
                ..Default::default()
            },
        ],
    };
    let air = Dataset {
        uri: format!("{BASE}/dataset/302003-000045"),
        identifier: "302003/000045".into(),
        title: vec![Text::zh("西宁市空气质量实时数据")],
        description: vec![Text::zh(TRICKY)],
        publisher: ecology_dept(),
        keywords: vec![Text::zh("空气质量"), Text::plain("AQI")],
        issued: Some("2023-12-31".into()),
        modified: Some("2024-05-01 08:30:00".into()),
        frequency: Some(Frequency::Continuous),
        access_rights: AccessRights::Restricted,
        distributions: vec![Distribution {
            // No access URL: the download URL stands in for it.
            uri: format!("{BASE}/dataset/302003-000045/resource/json"),
            download_url: Some(format!("{BASE}/files/302003-000045.json")),
            format: Some("json".into()),
            media_type: Some("application/json; charset=utf-8".into()),
            byte_size: Some(1_024),
            ..Default::default()
        }],
        ..Default::default()
    };
    let poverty = Dataset {
        uri: format!("{BASE}/dataset/101002-000003"),
        identifier: "101002/000003".into(),
        title: vec![Text::zh("脱贫人口监测名录"), Text::new("Poverty monitoring", Some("not a tag!"))],
        description: vec![Text::zh("含个人信息，不予开放。")],
        publisher: provincial_office(),
        issued: Some("2024/01/02".into()),
        access_rights: AccessRights::NonPublic,
        landing_page: Some(format!("{BASE}/dataset/101002-000003")),
        distributions: vec![Distribution {
            // Blank IRI → blank node; access URL with a space and Chinese to escape.
            access_url: format!("{BASE}/申请/101002 000003"),
            format: Some("XLSX".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    Catalog {
        uri: format!("{BASE}/catalog"),
        title: vec![Text::zh("青海省公共数据开放平台"), Text::en("Qinghai Open Data"), Text::bo("མཚོ་སྔོན་གསལ་བཤད།")],
        description: vec![Text::zh("青海省政务数据开放目录")],
        publisher: provincial_office(),
        homepage: Some(format!("{BASE}/")),
        language: vec!["zh".into(), "en".into(), "bo".into()],
        modified: Some("2024-05-02T00:00:00Z".into()),
        themes_scheme: Some(format!("{BASE}/theme")),
        datasets: vec![lake, air, poverty],
        paging: Some(Paging {
            page: 1,
            per_page: 3,
            total: 5,
            first: format!("{BASE}/catalog.ttl?page=1"),
            next: Some(format!("{BASE}/catalog.ttl?page=2")),
            prev: None,
            last: format!("{BASE}/catalog.ttl?page=2"),
        }),
    }
}

pub fn parse_turtle(ttl: &str) -> Vec<Triple> {
    oxttl::TurtleParser::new().for_slice(ttl.as_bytes()).collect::<Result<Vec<_>, _>>().expect("Turtle parses")
}

pub fn parse_jsonld(doc: &serde_json::Value) -> Vec<Triple> {
    let text = serde_json::to_string(doc).unwrap();
    oxjsonld::JsonLdParser::new()
        .for_slice(text.as_bytes())
        .map(|q| q.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()
        .expect("JSON-LD parses")
}

pub fn iri(s: &str) -> NamedNode {
    NamedNode::new(s).unwrap()
}

/// Subjects with `rdf:type <class>`.
pub fn instances(triples: &[Triple], class: &str) -> Vec<Subject> {
    triples
        .iter()
        .filter(|t| t.predicate.as_str() == RDF_TYPE && t.object == Term::NamedNode(iri(class)))
        .map(|t| t.subject.clone())
        .collect()
}

pub fn objects(triples: &[Triple], subject: &Subject, predicate: &str) -> Vec<Term> {
    triples
        .iter()
        .filter(|t| &t.subject == subject && t.predicate.as_str() == predicate)
        .map(|t| t.object.clone())
        .collect()
}

/// The triples as N-Triples lines with every blank node written `_:b`, so two parses of the
/// same graph compare equal whatever labels the parsers chose.
pub fn canonical(triples: &[Triple]) -> BTreeSet<String> {
    let blank = |s: String| if s.starts_with("_:") { "_:b".to_owned() } else { s };
    triples
        .iter()
        .map(|t| format!("{} {} {}", blank(t.subject.to_string()), t.predicate, blank(t.object.to_string())))
        .collect()
}
