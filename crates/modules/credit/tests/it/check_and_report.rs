//! Joint rewards and punishments through the kernel port; reports and their verification;
//! the explained evaluation.

use qy_credit::domain::ListKind;
use qy_credit::service::NewListEntry;
use qy_credit::Checker;
use qy_credit_rules::Severity;
use qy_kernel::credit::{CreditCheck, CreditCheckRequest, MeasureKind};

use crate::harness::{authority_uscc, licence, officer, penalty, reviewer, uscc, H};

async fn listed(h: &H, code: &str, list: ListKind) {
    let e = h
        .credit
        .propose_list_entry(
            &officer(),
            NewListEntry {
                uscc: code.into(),
                list,
                legal_basis: "国办发〔2020〕49号".into(),
                reason: "依法认定".into(),
                authority: "共和县市场监督管理局".into(),
                authority_uscc: authority_uscc(),
                decided_on: "2026-11-01".into(),
                valid_from: "2026-11-01".into(),
                valid_to: None,
            },
        )
        .await
        .unwrap();
    h.credit.approve_list_entry(&reviewer(), &e.id).await.unwrap();
}

fn request(code: &str, scenario: &str) -> CreditCheckRequest {
    CreditCheckRequest {
        uscc: code.into(),
        scenario: scenario.into(),
        checker: "procurement".into(),
        reference: Some("QH-2026-0012".into()),
    }
}

#[tokio::test]
async fn the_port_returns_the_catalogue_measures_for_the_scenario_and_records_every_check() {
    let h = H::on("2026-11-20").await;
    let bad = uscc("632521", "MA0CHK01");
    let good = uscc("632521", "MA0CHK02");
    h.credit
        .submit_licence(&officer(), licence("共和县失信商贸有限公司", &bad, "青许〔2026〕1号", "2026-01-05"), None)
        .await
        .unwrap();
    h.credit
        .submit_licence(&officer(), licence("共和县守信农牧专业合作社", &good, "青许〔2026〕2号", "2026-01-05"), None)
        .await
        .unwrap();
    listed(&h, &bad, ListKind::SeriousDishonest).await;
    listed(&h, &good, ListKind::Red).await;
    // Any module holds only the kernel trait.
    let port: Box<dyn CreditCheck> = Box::new(Checker(h.credit.clone()));
    let out = port.check(&request(&bad, "government_procurement")).await.unwrap();
    assert!(out.subject_found);
    let codes: Vec<&str> = out.measures.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes, vec!["restrict_procurement"]);
    assert_eq!(out.grade.as_deref(), Some("D"));
    let out = port.check(&request(&good, "administrative_licensing")).await.unwrap();
    assert_eq!(out.measures.len(), 1);
    assert_eq!(out.measures[0].kind, MeasureKind::Reward);
    assert_eq!(out.measures[0].code, "green_channel");
    let unknown = port.check(&request(&uscc("632521", "MA0CHK03"), "subsidy")).await.unwrap();
    assert!(!unknown.subject_found && unknown.measures.is_empty());
    assert_eq!(port.check(&request("not-a-code", "subsidy")).await.unwrap_err().code, "credit.uscc_invalid");
    let stats = qy_credit::store::checks::check_stats(&h.credit.db, 0).await.unwrap();
    let total: i64 = stats.iter().map(|s| s.2).sum();
    let hits: i64 = stats.iter().map(|s| s.3).sum();
    assert_eq!((total, hits), (3, 2));
}

#[tokio::test]
async fn a_report_verifies_as_authentic_and_current_until_the_record_changes() {
    let h = H::on("2026-11-20").await;
    let code = uscc("632521", "MA0RPT01");
    h.credit
        .submit_licence(
            &officer(),
            licence("共和县金银滩旅游开发有限公司", &code, "青许〔2026〕9号", "2026-03-05"),
            None,
        )
        .await
        .unwrap();
    let report = h.credit.issue_report(&code).await.unwrap();
    assert!(report.report_no.starts_with("QHXY20261120"));
    let v = h.credit.verify_report(&report.report_no, &report.verify_code.to_lowercase()).await.unwrap();
    assert!(v.authentic && v.current, "{v:?}");
    let wrong = h.credit.verify_report(&report.report_no, "AAAA-BBBB-CCCC-DDDD").await.unwrap();
    assert!(!wrong.authentic);
    assert!(!h.credit.verify_report("QHXY0000", &report.verify_code).await.unwrap().authentic);
    h.credit
        .submit_penalty(
            &officer(),
            penalty("共和县金银滩旅游开发有限公司", &code, "共市监罚〔2026〕90号", "2026-11-18", Severity::General),
            None,
        )
        .await
        .unwrap();
    let v = h.credit.verify_report(&report.report_no, &report.verify_code).await.unwrap();
    assert!(v.authentic && !v.current);
    // The report itself is what was issued, not the current state.
    assert_eq!(h.credit.report(&report.report_no).await.unwrap().view["penalties"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_evaluation_explains_every_point() {
    let h = H::on("2026-11-20").await;
    let code = uscc("632521", "MA0EWA01");
    h.credit
        .submit_licence(&officer(), licence("共和县评价测试有限公司", &code, "青许〔2026〕11号", "2026-03-05"), None)
        .await
        .unwrap();
    h.credit
        .submit_penalty(
            &officer(),
            penalty("共和县评价测试有限公司", &code, "共市监罚〔2026〕91号", "2026-10-02", Severity::Serious),
            None,
        )
        .await
        .unwrap();
    h.credit
        .submit_penalty(
            &officer(),
            penalty("共和县评价测试有限公司", &code, "共市监罚〔2024〕92号", "2024-10-02", Severity::General),
            None,
        )
        .await
        .unwrap();
    let e = h.credit.public_view(&code).await.unwrap().evaluation;
    assert_eq!(e.factors.iter().map(|f| f.points).sum::<i32>(), e.score);
    let about: Vec<Option<&str>> =
        e.factors.iter().filter(|f| f.code == "penalty").map(|f| f.subject.as_deref()).collect();
    assert_eq!(about.len(), 2, "{:?}", e.factors);
    // 80 base + 1 licence − 25 (serious, recent) − 5 (general, 25 months old at 50 %).
    assert_eq!(e.score, 80 + 1 - 25 - 5, "{:?}", e.factors);
    assert_eq!(e.grade, 'D');
}
