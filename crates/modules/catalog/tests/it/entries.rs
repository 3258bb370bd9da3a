//! The catalog lifecycle and who may do what.

use qy_catalog::domain::{DataType, OpenType, ShareType, Status};

use crate::harness::{ecology_officer, input, item, reviewer, scenic_areas, tourism_officer, H};

#[tokio::test]
async fn an_entry_goes_from_draft_through_review_to_published_and_keeps_its_versions() {
    let h = H::on("2026-11-20").await;
    let items = vec![item(1, "监测站点", "station", DataType::C), item(2, "监测值", "value", DataType::N)];
    let e = h
        .catalog
        .create_entry(
            &ecology_officer(),
            input("地表水水质月报", "201002", ShareType::Unconditional, OpenType::Unconditional, items.clone()),
        )
        .await
        .unwrap();
    assert_eq!(e.code, "201002/000001");
    assert_eq!(e.slug, "qh-201002-000001");
    assert_eq!(e.status, Status::Draft);
    assert_eq!(e.org_id, h.ecology.id);
    // The next in the same category gets the next 顺序码.
    let second = h
        .catalog
        .create_entry(
            &ecology_officer(),
            input("地表水断面名录", "201002", ShareType::Unconditional, OpenType::None, items.clone()),
        )
        .await
        .unwrap();
    assert_eq!(second.code, "201002/000002");
    // Publishing needs review by the data authority.
    assert_eq!(
        h.catalog.review_entry(&reviewer(), &e.id, true, "").await.unwrap_err().code,
        "catalog.invalid_transition"
    );
    h.catalog.submit_entry(&ecology_officer(), &e.id).await.unwrap();
    assert_eq!(
        h.catalog.review_entry(&ecology_officer(), &e.id, true, "").await.unwrap_err().code,
        "catalog.forbidden"
    );
    let back = h.catalog.review_entry(&reviewer(), &e.id, false, "摘要请补充监测频次").await.unwrap();
    assert_eq!(back.status, Status::Draft);
    assert_eq!(back.review_note.as_deref(), Some("摘要请补充监测频次"));
    h.catalog.submit_entry(&ecology_officer(), &e.id).await.unwrap();
    let published = h.catalog.review_entry(&reviewer(), &e.id, true, "").await.unwrap();
    assert_eq!((published.status, published.version), (Status::Published, 1));
    assert_eq!(published.published_on.as_deref(), Some("2026-11-20"));
    // A revision is a draft of version 2; version 1 stays what the public sees.
    let mut edit = input("地表水水质月报（修订）", "201002", ShareType::Unconditional, OpenType::Unconditional, items);
    edit.summary = "新的摘要".into();
    let draft = h.catalog.update_entry(&ecology_officer(), &e.id, edit).await.unwrap();
    assert_eq!(draft.status, Status::Draft);
    let public = h.catalog.published_view(draft).await.unwrap().unwrap();
    assert_eq!(public.name, "地表水水质月报");
    h.catalog.submit_entry(&ecology_officer(), &e.id).await.unwrap();
    let v2 = h.catalog.review_entry(&reviewer(), &e.id, true, "").await.unwrap();
    assert_eq!((v2.version, v2.name.as_str()), (2, "地表水水质月报（修订）"));
    assert_eq!(qy_catalog::store::entries::versions(&h.catalog.db, &e.id).await.unwrap().len(), 2);
    // Withdrawal needs a reason.
    assert_eq!(h.catalog.withdraw_entry(&reviewer(), &e.id, " ").await.unwrap_err().code, "catalog.field_required");
    assert_eq!(h.catalog.withdraw_entry(&reviewer(), &e.id, "数据停止采集").await.unwrap().status, Status::Withdrawn);
}

#[tokio::test]
async fn a_department_cannot_edit_another_departments_entries() {
    let h = H::on("2026-11-20").await;
    let e = scenic_areas(&h, ShareType::Unconditional, OpenType::Unconditional).await;
    let edit = input("篡改", "203001", ShareType::None, OpenType::None, e.items.clone());
    assert_eq!(
        h.catalog.update_entry(&ecology_officer(), &e.id, edit).await.unwrap_err().code,
        "catalog.other_department"
    );
    assert_eq!(h.catalog.submit_entry(&ecology_officer(), &e.id).await.unwrap_err().code, "catalog.other_department");
    let csv = "name,grade,region,visitors,rated_on\n假景区,5A,630100,1,2020-01-01\n";
    assert_eq!(
        h.catalog.upload(&ecology_officer(), &e.id, "text/csv", csv.as_bytes()).await.unwrap_err().code,
        "catalog.other_department"
    );
    // Nor catalogue in another department's name.
    let mut other = input("冒名条目", "203001", ShareType::Unconditional, OpenType::None, e.items.clone());
    other.org_id = Some(h.tourism.id.clone());
    assert_eq!(h.catalog.create_entry(&ecology_officer(), other).await.unwrap_err().code, "catalog.other_department");
    let _ = tourism_officer();
}

#[tokio::test]
async fn metadata_follows_the_compilation_guide() {
    let h = H::on("2026-11-20").await;
    let items = vec![item(1, "名称", "name", DataType::C)];
    let cases = [
        (
            input("有条件但无条件说明", "203001", ShareType::Conditional, OpenType::None, items.clone()),
            "share_condition",
        ),
        (
            {
                let mut i = input("不予共享无依据", "203001", ShareType::None, OpenType::None, items.clone());
                i.share_basis.clear();
                i
            },
            "share_basis",
        ),
        (input("类别不是目级", "203", ShareType::Unconditional, OpenType::None, items.clone()), "category_code"),
        (input("没有信息项", "203001", ShareType::Unconditional, OpenType::None, Vec::new()), "items"),
        (
            input(
                "列名非法",
                "203001",
                ShareType::Unconditional,
                OpenType::None,
                vec![item(1, "名称", "Name", DataType::C)],
            ),
            "items",
        ),
        (
            {
                let mut i = input("区划不在青海", "203001", ShareType::Unconditional, OpenType::None, items.clone());
                i.region_code = "110000".into();
                i
            },
            "region_code",
        ),
    ];
    for (mut bad, field) in cases {
        if field == "share_condition" {
            bad.share_condition.clear();
        }
        let e = h.catalog.create_entry(&tourism_officer(), bad).await.unwrap_err();
        assert!(e.args.iter().any(|(k, v)| k == "field" && v == field), "{field}: {e:?}");
    }
}

#[tokio::test]
async fn the_catalog_goes_out_and_comes_back_as_the_guides_template() {
    let h = H::on("2026-11-20").await;
    scenic_areas(&h, ShareType::Unconditional, OpenType::Unconditional).await;
    let csv = h.catalog.export_csv(&tourism_officer()).await.unwrap();
    assert!(csv.starts_with('\u{FEFF}'));
    let mut lines = csv.trim_start_matches('\u{FEFF}').lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("信息资源分类,信息资源名称,信息资源代码,信息资源提供方,信息资源提供方代码"));
    let row = lines.next().unwrap();
    assert!(
        row.contains("203001/000001") && row.contains("景区名称(name:C,key)") && row.contains("无条件共享"),
        "{row}"
    );
    let xlsx = h.catalog.export_xlsx(&tourism_officer()).await.unwrap();
    assert!(xlsx.starts_with(b"PK"));
    // A filled template: one good row, one with a wrong cycle and a bad 信息项 cell.
    let header = qy_catalog::service::sheet::COLUMNS.join(",");
    let good = "203002,乡村旅游接待统计,,,,分县乡村旅游接待人次,电子表格,CSV,\"县(region:C,key)；人次(visitors:I)\",无条件共享,,,接口,无条件开放,,每月,,,630000,乡村旅游";
    let bad =
        "203002,民宿名录,,,,全省民宿,电子表格,CSV,名称(name),有条件共享,需申请,依据,接口,不予开放,,偶尔,,,630000,";
    let report = h
        .catalog
        .import_sheet(&tourism_officer(), "text/csv", format!("{header}\n{good}\n{bad}\n").as_bytes())
        .await
        .unwrap();
    assert!(report.created.is_empty());
    let columns: Vec<(usize, &str)> = report.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert!(columns.contains(&(3, "更新周期")) && columns.contains(&(3, "信息项")), "{columns:?}");
    let report =
        h.catalog.import_sheet(&tourism_officer(), "text/csv", format!("{header}\n{good}\n").as_bytes()).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.created, vec!["203002/000001"]);
    let e = h.catalog.entry("203002/000001").await.unwrap();
    assert_eq!((e.org_id.as_str(), e.items.len()), (h.tourism.id.as_str(), 2));
}
