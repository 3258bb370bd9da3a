//! Open-data search in Chinese, with facets.

use qy_catalog::domain::{DataType, OpenType, ShareType};
use qy_catalog::service::open::OpenQuery;

use crate::harness::{ecology_officer, input, item, reviewer, scenic_areas, H};

#[tokio::test]
async fn air_quality_finds_the_hourly_ambient_air_dataset() {
    let h = H::on("2026-11-20").await;
    let items = vec![item(1, "监测时间", "time", DataType::T), item(2, "空气质量指数", "aqi", DataType::I)];
    for name in ["环境空气质量小时数据", "地表水水质月报", "重点排污单位名录"] {
        let category = if name.contains("空气") { "201001" } else { "201002" };
        let e = h
            .catalog
            .create_entry(
                &ecology_officer(),
                input(name, category, ShareType::Unconditional, OpenType::Unconditional, items.clone()),
            )
            .await
            .unwrap();
        h.catalog.submit_entry(&ecology_officer(), &e.id).await.unwrap();
        h.catalog.review_entry(&reviewer(), &e.id, true, "").await.unwrap();
    }
    scenic_areas(&h, ShareType::Unconditional, OpenType::Unconditional).await;
    let found =
        h.catalog.search_open(&OpenQuery { q: "空气质量".into(), rows: 10, ..Default::default() }).await.unwrap();
    assert_eq!(found.count, 1);
    assert_eq!(found.results[0].name, "环境空气质量小时数据");
    // Facets count every match; filters narrow.
    let all = h.catalog.search_open(&OpenQuery { rows: 10, ..Default::default() }).await.unwrap();
    assert_eq!(all.count, 4);
    assert_eq!(all.facets["organization"][&h.ecology.id], 3);
    let theirs = h
        .catalog
        .search_open(&OpenQuery { org_id: Some(h.tourism.id.clone()), rows: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(theirs.count, 1);
    let water = h
        .catalog
        .search_open(&OpenQuery { q: "水质".into(), category: Some("201".into()), rows: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(water.results[0].name, "地表水水质月报");
    // A wrong character still finds it.
    let typo =
        h.catalog.search_open(&OpenQuery { q: "旅游景区明录".into(), rows: 10, ..Default::default() }).await.unwrap();
    assert_eq!(typo.results[0].name, "青海省A级旅游景区名录");
}
