//! The Turtle output parses with an independent parser (oxttl) into the DCAT-AP graph we meant.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use oxrdf::{Literal, Subject, Term};
use qy_dcat::{dataset_to_turtle, to_turtle, AccessRights, Agent, Dataset, Distribution, Frequency, Text};

fn lit(t: &Term) -> &Literal {
    match t {
        Term::Literal(l) => l,
        other => panic!("not a literal: {other}"),
    }
}

#[test]
fn catalog_parses_with_expected_counts() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let catalogs = instances(&triples, &format!("{DCAT}Catalog"));
    let datasets = instances(&triples, &format!("{DCAT}Dataset"));
    let distributions = instances(&triples, &format!("{DCAT}Distribution"));
    assert_eq!(catalogs.len(), 1);
    assert_eq!(datasets.len(), 3);
    assert_eq!(distributions.len(), 4);
    for d in &distributions {
        assert_eq!(objects(&triples, d, &format!("{DCAT}accessURL")).len(), 1, "accessURL of {d}");
    }
    // The catalog links every dataset, and each dataset its distributions.
    let linked = objects(&triples, &catalogs[0], &format!("{DCAT}dataset"));
    assert_eq!(linked.len(), 3);
    let linked_dists: usize = datasets.iter().map(|d| objects(&triples, d, &format!("{DCAT}distribution")).len()).sum();
    assert_eq!(linked_dists, 4);
}

#[test]
fn identifiers_are_the_resource_codes() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let mut ids: Vec<String> = instances(&triples, &format!("{DCAT}Dataset"))
        .iter()
        .flat_map(|d| objects(&triples, d, &format!("{DCT}identifier")))
        .map(|t| lit(&t).value().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids, ["101002/000003", "201001/000012", "302003/000045"]);
}

#[test]
fn vocabulary_iris() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let ds = |slug: &str| Subject::NamedNode(iri(&format!("{BASE}/dataset/{slug}")));
    let one = |s: &Subject, p: &str| {
        let o = objects(&triples, s, p);
        assert_eq!(o.len(), 1, "{s} {p}: {o:?}");
        o[0].to_string()
    };
    let rights = "http://publications.europa.eu/resource/authority/access-right/";
    let freq = "http://publications.europa.eu/resource/authority/frequency/";
    assert_eq!(one(&ds("201001-000012"), &format!("{DCT}accessRights")), format!("<{rights}PUBLIC>"));
    assert_eq!(one(&ds("302003-000045"), &format!("{DCT}accessRights")), format!("<{rights}RESTRICTED>"));
    assert_eq!(one(&ds("101002-000003"), &format!("{DCT}accessRights")), format!("<{rights}NON_PUBLIC>"));
    assert_eq!(one(&ds("201001-000012"), &format!("{DCT}accrualPeriodicity")), format!("<{freq}MONTHLY>"));
    assert_eq!(one(&ds("302003-000045"), &format!("{DCT}accrualPeriodicity")), format!("<{freq}UPDATE_CONT>"));
    assert!(objects(&triples, &ds("101002-000003"), &format!("{DCT}accrualPeriodicity")).is_empty());
    // Vocabulary values are typed for SHACL class checks.
    let public = Subject::NamedNode(iri(&format!("{rights}PUBLIC")));
    assert_eq!(one(&public, RDF_TYPE), format!("<{DCT}RightsStatement>"));

    let csv = Subject::NamedNode(iri(&format!("{BASE}/dataset/201001-000012/resource/csv")));
    assert_eq!(one(&csv, &format!("{DCT}format")), "<http://publications.europa.eu/resource/authority/file-type/CSV>");
    assert_eq!(one(&csv, &format!("{DCAT}mediaType")), "<https://www.iana.org/assignments/media-types/text/csv>");
    assert_eq!(one(&csv, &format!("{DCAT}byteSize")), format!("\"48213\"^^<{XSD}nonNegativeInteger>"));
    let api = Subject::NamedNode(iri(&format!("{BASE}/dataset/201001-000012/resource/api")));
    assert_eq!(one(&api, &format!("{DCT}format")), "\"API\"");

    let catalog = Subject::NamedNode(iri(&format!("{BASE}/catalog")));
    let mut langs: Vec<String> =
        objects(&triples, &catalog, &format!("{DCT}language")).iter().map(ToString::to_string).collect();
    langs.sort();
    let eu = "http://publications.europa.eu/resource/authority/language/";
    assert_eq!(langs, [format!("<{eu}BOD>"), format!("<{eu}ENG>"), format!("<{eu}ZHO>")]);
}

#[test]
fn dates_are_typed() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let ds = |slug: &str| Subject::NamedNode(iri(&format!("{BASE}/dataset/{slug}")));
    let get = |s: &Subject, p: &str| lit(&objects(&triples, s, &format!("{DCT}{p}"))[0]).clone();
    let issued = get(&ds("201001-000012"), "issued");
    assert_eq!((issued.value(), issued.datatype().as_str()), ("2024-03-01", format!("{XSD}date").as_str()));
    let modified = get(&ds("201001-000012"), "modified");
    assert_eq!(modified.value(), "2024-05-01T08:30:00+08:00");
    assert_eq!(modified.datatype().as_str(), format!("{XSD}dateTime"));
    let normalised = get(&ds("302003-000045"), "modified");
    assert_eq!(normalised.value(), "2024-05-01T08:30:00");
    assert_eq!(normalised.datatype().as_str(), format!("{XSD}dateTime"));
    // Not a date: kept, untyped.
    let odd = get(&ds("101002-000003"), "issued");
    assert_eq!((odd.value(), odd.datatype().as_str()), ("2024/01/02", format!("{XSD}string").as_str()));
}

#[test]
fn literals_round_trip_with_languages() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let air = Subject::NamedNode(iri(&format!("{BASE}/dataset/302003-000045")));
    let desc = lit(&objects(&triples, &air, &format!("{DCT}description"))[0]).clone();
    assert_eq!(desc.value(), TRICKY);
    assert_eq!(desc.language(), Some("zh"));

    let poverty = Subject::NamedNode(iri(&format!("{BASE}/dataset/101002-000003")));
    let titles: Vec<Literal> =
        objects(&triples, &poverty, &format!("{DCT}title")).iter().map(|t| lit(t).clone()).collect();
    assert_eq!(titles[0].value(), "脱贫人口监测名录");
    assert_eq!(titles[0].language(), Some("zh"));
    // A malformed tag is dropped, the text kept.
    assert_eq!(titles[1].value(), "Poverty monitoring");
    assert_eq!(titles[1].language(), None);
}

#[test]
fn publishers_are_agents_written_once() {
    let ttl = to_turtle(&sample_catalog());
    let triples = parse_turtle(&ttl);
    let agents = instances(&triples, &format!("{FOAF}Agent"));
    assert_eq!(agents.len(), 2);
    for a in &agents {
        assert!(!objects(&triples, a, &format!("{FOAF}name")).is_empty());
        assert_eq!(objects(&triples, a, &format!("{DCT}identifier")).len(), 1);
    }
    assert_eq!(ttl.matches("<https://data.qinghai.gov.cn/org/sthjt> a foaf:Agent").count(), 1);
    for d in instances(&triples, &format!("{DCAT}Dataset")) {
        let p = objects(&triples, &d, &format!("{DCT}publisher"));
        assert_eq!(p.len(), 1);
        assert!(agents.iter().any(|a| Term::from(a.clone()) == p[0]));
    }
}

#[test]
fn access_url_falls_back_and_iris_are_escaped() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let json = Subject::NamedNode(iri(&format!("{BASE}/dataset/302003-000045/resource/json")));
    assert_eq!(
        objects(&triples, &json, &format!("{DCAT}accessURL"))[0].to_string(),
        format!("<{BASE}/files/302003-000045.json>")
    );
    let escaped = format!("<{BASE}/申请/101002%20000003>");
    assert!(triples
        .iter()
        .any(|t| t.predicate.as_str() == format!("{DCAT}accessURL") && t.object.to_string() == escaped));
}

#[test]
fn paging_is_hydra() {
    let triples = parse_turtle(&to_turtle(&sample_catalog()));
    let pages = instances(&triples, "http://www.w3.org/ns/hydra/core#PagedCollection");
    assert_eq!(pages.len(), 1);
    let h = |p: &str| objects(&triples, &pages[0], &format!("http://www.w3.org/ns/hydra/core#{p}"));
    assert_eq!(lit(&h("totalItems")[0]).value(), "5");
    assert_eq!(lit(&h("itemsPerPage")[0]).value(), "3");
    assert_eq!(h("nextPage")[0].to_string(), format!("<{BASE}/catalog.ttl?page=2>"));
    assert_eq!(h("next")[0].to_string(), format!("<{BASE}/catalog.ttl?page=2>"));
    assert_eq!(h("firstPage")[0].to_string(), format!("<{BASE}/catalog.ttl?page=1>"));
    assert!(h("previousPage").is_empty());
}

#[test]
fn output_is_deterministic() {
    let c = sample_catalog();
    assert_eq!(to_turtle(&c), to_turtle(&c));
    assert_eq!(dataset_to_turtle(&c.datasets[0]), dataset_to_turtle(&c.datasets[0]));
}

#[test]
fn single_dataset_document() {
    let c = sample_catalog();
    let triples = parse_turtle(&dataset_to_turtle(&c.datasets[0]));
    assert!(instances(&triples, &format!("{DCAT}Catalog")).is_empty());
    assert_eq!(instances(&triples, &format!("{DCAT}Dataset")).len(), 1);
    assert_eq!(instances(&triples, &format!("{DCAT}Distribution")).len(), 2);
    assert_eq!(instances(&triples, &format!("{FOAF}Agent")).len(), 1);
}

#[test]
fn exact_text_of_a_small_dataset() {
    let d = Dataset {
        uri: "https://x.cn/d/1".into(),
        identifier: "201001/000001".into(),
        title: vec![Text::zh("测试\"数据\""), Text::en("Test")],
        publisher: Agent { uri: String::new(), name: vec![Text::zh("某厅")], identifier: None },
        issued: Some("2024-01-02".into()),
        frequency: Some(Frequency::Biannual),
        access_rights: AccessRights::Public,
        distributions: vec![Distribution { access_url: "https://x.cn/d/1/a b".into(), ..Default::default() }],
        ..Default::default()
    };
    let ttl = dataset_to_turtle(&d);
    let body = ttl.split_once("\n\n").unwrap().1;
    assert_eq!(
        body,
        r#"<https://x.cn/d/1> a dcat:Dataset ;
    dct:identifier "201001/000001" ;
    dct:title "测试\"数据\""@zh,
        "Test"@en ;
    dct:publisher _:b1 ;
    dct:issued "2024-01-02"^^xsd:date ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL_2> ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dcat:distribution _:b2 .

_:b2 a dcat:Distribution ;
    dcat:accessURL <https://x.cn/d/1/a%20b> .

_:b1 a foaf:Agent ;
    foaf:name "某厅"@zh .

<http://publications.europa.eu/resource/authority/frequency/ANNUAL_2> a dct:Frequency .

<http://publications.europa.eu/resource/authority/access-right/PUBLIC> a dct:RightsStatement .
"#
    );
    assert!(
        ttl.starts_with("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n")
    );
    parse_turtle(&ttl);
}
