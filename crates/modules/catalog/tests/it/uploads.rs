//! Uploads: typed tables, all rows or none, with a report that says where and why.

use qy_catalog::domain::{DataType, Item, OpenType, ShareType, SourceKind};
use qy_catalog::service::read::RowQuery;

use crate::harness::{input, item, scenic_areas, tourism_officer, H};

fn items() -> Vec<Item> {
    vec![
        Item { is_key: true, ..item(1, "景区名称", "name", DataType::C) },
        item(2, "年接待游客（万人次）", "visitors", DataType::N),
        item(3, "评定日期", "rated_on", DataType::D),
        item(4, "是否免费", "free", DataType::L),
    ]
}

#[tokio::test]
async fn a_gbk_csv_with_chinese_headers_loads_into_a_typed_table() {
    let h = H::on("2026-11-20").await;
    let e = h
        .catalog
        .create_entry(
            &tourism_officer(),
            input("景区名录", "203001", ShareType::Unconditional, OpenType::Unconditional, items()),
        )
        .await
        .unwrap();
    let csv = "景区名称,年接待游客（万人次）,评定日期,是否免费\n青海湖,512.3,2011年9月1日,否\n孟达天池,\"1,200\",2015/05/20,是\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let report = h.catalog.upload(&tourism_officer(), &e.id, "text/csv", &gbk).await.unwrap();
    assert!(report.loaded, "{:?}", report.errors);
    assert_eq!((report.rows, report.encoding.as_str()), (2, "gb18030"));
    let e = h.catalog.entry(&e.id).await.unwrap();
    assert_eq!((e.source_kind, e.row_count), (SourceKind::Table, 2));
    let rows = h.catalog.read_rows(&e, &RowQuery { limit: 10, ..Default::default() }, None).await.unwrap();
    assert_eq!(
        rows.rows[0],
        vec![
            serde_json::json!("青海湖"),
            serde_json::json!("512.3"),
            serde_json::json!("2011-09-01"),
            serde_json::json!(0)
        ]
    );
    assert_eq!(rows.rows[1][1], "1200");
}

#[tokio::test]
async fn one_bad_cell_means_nothing_is_loaded_and_the_old_data_stays() {
    let h = H::on("2026-11-20").await;
    let e = scenic_areas(&h, ShareType::Unconditional, OpenType::Unconditional).await;
    let bad = "name,grade,region,visitors,rated_on\n新景区,4A,632500,很多,2026-02-30\n,3A,632500,1,2020-01-01\n塔尔寺,5A,630106,1,2020-01-01\n塔尔寺,5A,630106,2,2020-01-01\n";
    let report = h.catalog.upload(&tourism_officer(), &e.id, "text/csv", bad.as_bytes()).await.unwrap();
    assert!(!report.loaded);
    let found: Vec<(usize, &str, &str)> =
        report.errors.iter().map(|x| (x.row, x.column.as_str(), x.code.as_str())).collect();
    assert!(found.contains(&(2, "visitors", "catalog.not_a_number")), "{found:?}");
    assert!(found.contains(&(2, "rated_on", "catalog.not_a_date")), "{found:?}");
    assert!(found.contains(&(3, "name", "catalog.key_missing")), "{found:?}");
    assert!(found.contains(&(5, "-", "catalog.duplicate_key")), "{found:?}");
    let still = h.catalog.entry(&e.id).await.unwrap();
    assert_eq!(still.row_count, 4);
    let rows = h.catalog.read_rows(&still, &RowQuery { limit: 10, ..Default::default() }, None).await.unwrap();
    assert_eq!(rows.rows.len(), 4);
}

#[tokio::test]
async fn missing_and_unknown_columns_wrong_encodings_and_huge_files_are_refused() {
    let h = H::on("2026-11-20").await;
    let e = h
        .catalog
        .create_entry(
            &tourism_officer(),
            input("景区名录", "203001", ShareType::Unconditional, OpenType::Unconditional, items()),
        )
        .await
        .unwrap();
    let report =
        h.catalog.upload(&tourism_officer(), &e.id, "text/csv", "name,颜色\n青海湖,蓝\n".as_bytes()).await.unwrap();
    let codes: Vec<&str> = report.errors.iter().map(|x| x.code.as_str()).collect();
    assert!(codes.contains(&"catalog.unknown_column") && codes.contains(&"catalog.missing_column"), "{codes:?}");
    assert!(!report.loaded);
    // Not JSON at all although it says so.
    let e2 = h.catalog.upload(&tourism_officer(), &e.id, "application/json", b"[{\"name\": ").await.unwrap_err();
    assert_eq!(e2.code, "catalog.unreadable_file");
    // A ZIP that is not a workbook.
    assert_eq!(
        h.catalog.upload(&tourism_officer(), &e.id, "", b"PK\x03\x04broken").await.unwrap_err().code,
        "catalog.unreadable_file"
    );
    let huge = vec![b'a'; 21 * 1024 * 1024];
    assert_eq!(
        h.catalog.upload(&tourism_officer(), &e.id, "text/csv", &huge).await.unwrap_err().code,
        "catalog.file_too_large"
    );
    assert_eq!(
        h.catalog.upload(&tourism_officer(), &e.id, "text/csv", b"").await.unwrap_err().code,
        "catalog.empty_file"
    );
    assert_eq!(h.catalog.entry(&e.id).await.unwrap().source_kind, SourceKind::None);
}

#[tokio::test]
async fn json_uploads_and_live_feeds_are_sources_too() {
    let h = H::on("2026-11-20").await;
    let e = h
        .catalog
        .create_entry(
            &tourism_officer(),
            input("景区名录", "203001", ShareType::Unconditional, OpenType::Unconditional, items()),
        )
        .await
        .unwrap();
    let json = r#"[{"name": "青海湖", "visitors": 512.3, "rated_on": "2011-09-01", "free": false}, {"name": "塔尔寺", "visitors": 300, "rated_on": "2012-01-10", "free": "否"}]"#;
    let report = h.catalog.upload(&tourism_officer(), &e.id, "application/json", json.as_bytes()).await.unwrap();
    assert!(report.loaded, "{:?}", report.errors);
    // A feed: the items become the feed's columns, rows come live from the module.
    let fed = h.catalog.bind_feed(&tourism_officer(), &e.id, "eco.station_aqi_hourly").await.unwrap();
    assert_eq!(fed.source_kind, SourceKind::Feed);
    assert_eq!(
        fed.items.iter().map(|i| i.column_name.as_str()).collect::<Vec<_>>(),
        vec!["time", "station", "region", "aqi"]
    );
    let rows = h
        .catalog
        .read_rows(&fed, &RowQuery { limit: 10, region: Some("632800".into()), ..Default::default() }, None)
        .await
        .unwrap();
    assert_eq!(rows.rows.len(), 2);
    assert!(rows.rows.iter().all(|r| r[2] == "632801"));
    assert_eq!(
        h.catalog.bind_feed(&tourism_officer(), &e.id, "eco.nothing").await.unwrap_err().code,
        "catalog.unknown_feed"
    );
    assert_eq!(
        h.catalog.bind_endpoint(&tourism_officer(), &e.id, "ftp://x").await.unwrap_err().code,
        "catalog.invalid_url"
    );
}
