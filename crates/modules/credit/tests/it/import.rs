//! Bulk import: national codes or Chinese headers, UTF-8 or GBK CSV, XLSX; nothing
//! half-imported.

use qy_credit::import::{run, Format, ImportKind};

use crate::harness::{authority_uscc, officer, uscc, H};

fn penalty_csv(rows: &[(&str, &str, &str)]) -> String {
    let a = authority_uscc();
    let mut s = String::from("行政相对人名称,行政相对人类别,统一社会信用代码,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,处罚机关,处罚机关统一社会信用代码,数据来源单位,数据来源单位统一社会信用代码,失信程度\n");
    for (name, code, no) in rows {
        s.push_str(&format!(
            "{name},法人及非法人组织,{code},{no},虚假宣传,虚构有机认证,《反不正当竞争法》第二十条,警告；罚款,罚款5万元,5,2026/11/3,共和县市场监督管理局,{a},共和县市场监督管理局,{a},一般\n"
        ));
    }
    s
}

#[tokio::test]
async fn a_gbk_csv_with_chinese_headers_imports_every_row() {
    let h = H::on("2026-11-20").await;
    let csv = penalty_csv(&[
        ("共和县甲商贸有限公司", &uscc("632521", "MA0JMP01"), "共市监罚〔2026〕101号"),
        ("共和县乙商贸有限公司", &uscc("632521", "MA0JMP02"), "共市监罚〔2026〕102号"),
    ]);
    let gbk = to_gbk(&csv);
    let report = run(&h.credit, &officer(), ImportKind::Penalties, Format::Csv, &gbk).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.created, report.unchanged), (2, 0));
    let view = h.credit.public_view(&uscc("632521", "MA0JMP01")).await.unwrap();
    assert_eq!(view.penalties[0].fields["fine_fen"], 5_000_000);
    // The same file again changes nothing.
    let again = run(&h.credit, &officer(), ImportKind::Penalties, Format::Csv, csv.as_bytes()).await.unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2));
}

/// The file as a Windows spreadsheet program in Chinese saves it.
fn to_gbk(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

#[tokio::test]
async fn one_bad_row_means_nothing_is_imported_and_every_problem_is_listed() {
    let h = H::on("2026-11-20").await;
    let mut csv = penalty_csv(&[
        ("共和县丙商贸有限公司", &uscc("632521", "MA0JMP03"), "共市监罚〔2026〕103号"),
        ("共和县丁商贸有限公司", "91632521MA0JMP04XX", "共市监罚〔2026〕104号"),
        ("共和县戊商贸有限公司", &uscc("632521", "MA0JMP05"), "共市监罚〔2026〕103号"),
    ]);
    csv = csv.replacen("罚款5万元,5,", "罚款5万元,abc,", 1);
    let report = run(&h.credit, &officer(), ImportKind::Penalties, Format::Csv, csv.as_bytes()).await.unwrap();
    assert_eq!(report.created, 0);
    let found: Vec<(usize, &str, &str)> =
        report.errors.iter().map(|e| (e.row, e.field.as_str(), e.code.as_str())).collect();
    assert!(found.contains(&(2, "CF_NR_FK", "credit.invalid_amount")), "{found:?}");
    assert!(found.iter().any(|(row, field, _)| *row == 3 && *field == "CF_XDR_SHXYM"), "{found:?}");
    assert!(found.contains(&(4, "-", "credit.duplicate_in_file")), "{found:?}");
    assert!(h.credit.search(&uscc("632521", "MA0JMP05"), 5).await.unwrap().is_empty());
    assert_eq!(qy_credit::store::subjects::count(&h.credit.db).await.unwrap(), 0);
}

#[tokio::test]
async fn unknown_columns_and_unreadable_files_are_reported() {
    let h = H::on("2026-11-20").await;
    let report =
        run(&h.credit, &officer(), ImportKind::Licences, Format::Csv, "名称,颜色\n甲,红\n".as_bytes()).await.unwrap();
    assert!(report.errors.iter().any(|e| e.code == "credit.unknown_column" && e.row == 1));
    let e = run(&h.credit, &officer(), ImportKind::Licences, Format::Xlsx, b"PK\x03\x04garbage").await.unwrap_err();
    assert_eq!(e.code, "credit.unreadable_file");
    let e = run(&h.credit, &officer(), ImportKind::Licences, Format::Csv, b"").await.unwrap_err();
    assert_eq!(e.code, "credit.empty_file");
}

#[tokio::test]
async fn an_xlsx_with_national_codes_and_excel_dates_imports() {
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
    let h = H::on("2026-11-20").await;
    let a = authority_uscc();
    let code = uscc("632521", "MA0JMP06");
    let headers = [
        "XK_XDR_MC",
        "XK_XDR_LB",
        "XK_XDR_SHXYM",
        "XK_XKWS",
        "XK_WSH",
        "XK_XKLB",
        "XK_XKZS",
        "XK_XKBH",
        "XK_NR",
        "XK_JDRQ",
        "XK_YXQZ",
        "XK_YXQZI",
        "XK_XKJG",
        "XK_XKJGDM",
        "XK_ZT",
        "XK_LYDW",
        "XK_LYDWDM",
    ];
    let values = [
        "共和县青稞酒业有限公司",
        "法人及非法人组织",
        code.as_str(),
        "准予行政许可决定书",
        "共市监许〔2026〕7号",
        "普通",
        "食品生产许可证",
        "SC11563252100071",
        "白酒生产",
        "",
        "",
        "2099-12-31",
        "共和县市场监督管理局",
        a.as_str(),
        "1",
        "共和县市场监督管理局",
        a.as_str(),
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = XFormat::new().set_num_format("yyyy-mm-dd");
    for (c, (hd, v)) in headers.iter().zip(values).enumerate() {
        sheet.write_string(0, c as u16, *hd).unwrap();
        if *hd == "XK_JDRQ" || *hd == "XK_YXQZ" {
            let d = ExcelDateTime::from_ymd(2026, 3, 5).unwrap();
            sheet.write_datetime_with_format(1, c as u16, &d, &date_format).unwrap();
        } else {
            sheet.write_string(1, c as u16, v).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let report = run(&h.credit, &officer(), ImportKind::Licences, Format::detect("", &bytes), &bytes).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.created, 1);
    let view = h.credit.public_view(&code).await.unwrap();
    assert_eq!(view.licences[0].decision_date, "2026-03-05");
}
