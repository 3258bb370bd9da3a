//! Entering records: validation, idempotency on the decision number, corrections as
//! versions, natural persons sealed and never public.

use qy_credit::service::SubmitOutcome;
use qy_credit_rules::{Severity, SubjectCategory};

use crate::harness::{licence, officer, penalty, reviewer, staff, uscc, H};

#[tokio::test]
async fn the_same_decision_twice_is_stored_once_and_a_change_is_a_version() {
    let h = H::on("2026-11-20").await;
    let code = uscc("632521", "MA0REC01");
    let p = penalty("共和县高原商贸有限公司", &code, "共市监罚〔2026〕12号", "2026-11-02", Severity::General);
    let first = h.credit.submit_penalty(&officer(), p.clone(), None).await.unwrap();
    assert_eq!(first.outcome, SubmitOutcome::Created);
    let again = h.credit.submit_penalty(&officer(), p.clone(), None).await.unwrap();
    assert_eq!(again.outcome, SubmitOutcome::Unchanged);
    assert_eq!(again.record.id, first.record.id);
    let mut corrected = p;
    corrected.content = "罚款人民币30000元".into();
    corrected.fine_fen = 3_000_000;
    let third = h.credit.submit_penalty(&officer(), corrected, None).await.unwrap();
    assert_eq!(third.outcome, SubmitOutcome::Corrected);
    assert_eq!(third.record.id, first.record.id);
    let versions = qy_credit::store::records::versions(&h.credit.db, &first.record.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    let view = h.credit.public_view(&code).await.unwrap();
    assert_eq!(view.penalties.len(), 1);
    assert_eq!(view.penalties[0].fields["content"], "罚款人民币30000元");
}

#[tokio::test]
async fn invalid_records_are_refused_with_the_national_field_named() {
    let h = H::on("2026-11-20").await;
    let code = uscc("632521", "MA0REC02");
    let mut p = penalty("共和县高原商贸有限公司", &code, "共市监罚〔2026〕13号", "2026-11-02", Severity::General);
    p.fine_fen = 0; // 罚款 among the categories but no amount
    let e = h.credit.submit_penalty(&officer(), p, None).await.unwrap_err();
    assert_eq!(e.code, "credit.invalid_record");
    assert!(e.detail.contains("CF_NR_FK"), "{}", e.detail);
    let mut future = penalty("共和县高原商贸有限公司", &code, "共市监罚〔2026〕14号", "2026-12-01", Severity::General);
    future.fine_fen = 100;
    let e = h.credit.submit_penalty(&officer(), future, None).await.unwrap_err();
    assert_eq!(e.code, "credit.invalid_record");
    let mut bad_uscc = licence("某公司", "91630000710406380X", "青许〔2026〕1号", "2026-11-02");
    bad_uscc.subject_name = "某公司".into();
    let e = h.credit.submit_licence(&officer(), bad_uscc, None).await.unwrap_err();
    assert_eq!(e.code, "credit.invalid_record");
    assert!(e.detail.contains("XK_XDR_SHXYM"), "{}", e.detail);
}

#[tokio::test]
async fn records_need_the_permission_and_corrections_the_same_department() {
    let h = H::on("2026-11-20").await;
    let code = uscc("632521", "MA0REC03");
    let p = penalty("共和县高原商贸有限公司", &code, "共市监罚〔2026〕15号", "2026-11-02", Severity::General);
    let e = h.credit.submit_penalty(&reviewer(), p.clone(), None).await.unwrap_err();
    assert_eq!(e.code, "credit.forbidden");
    h.credit.submit_penalty(&officer(), p.clone(), None).await.unwrap();
    let other = staff("officer-2", "dept-ecology", &[qy_credit::domain::perm::RECORDS_WRITE]);
    let mut changed = p;
    changed.facts = "另一事实".into();
    let e = h.credit.submit_penalty(&other, changed, None).await.unwrap_err();
    assert_eq!(e.code, "credit.other_department");
}

#[tokio::test]
async fn natural_persons_are_sealed_masked_and_never_public() {
    let h = H::on("2026-11-20").await;
    let id = "632521198503120317";
    let mut p = penalty("张三", "", "共市监罚〔2026〕16号", "2026-11-02", Severity::General);
    p.subject_category = SubjectCategory::NaturalPerson;
    p.uscc = None;
    p.legal_rep = None;
    p.person_id_type = Some("身份证".into());
    p.person_id = Some(qy_cnid_fix(id));
    let s = h.credit.submit_penalty(&officer(), p.clone(), None).await.unwrap();
    let stored = serde_json::to_string(&s.record).unwrap();
    assert!(!stored.contains(&p.person_id.clone().unwrap()), "{stored}");
    // The same person again is the same subject (blind index).
    p.decision_no = "共市监罚〔2026〕17号".into();
    let s2 = h.credit.submit_penalty(&officer(), p.clone(), None).await.unwrap();
    assert_eq!(s.record.subject_id, s2.record.subject_id);
    let view = h.credit.staff_view(&officer(), &s.record.subject_id).await.unwrap();
    let masked = view.subject.person_id_masked.clone().unwrap();
    assert!(masked.contains('*') && !masked.contains(&p.person_id.clone().unwrap()));
    // Public search never finds natural persons.
    assert!(h.credit.search("张三", 10).await.unwrap().is_empty());
    // Revealing needs the permission and a reason, and gives the number back.
    let e = h.credit.reveal_person_id(&officer(), &s.record.subject_id, "核查").await.unwrap_err();
    assert_eq!(e.code, "credit.forbidden");
    let e = h.credit.reveal_person_id(&reviewer(), &s.record.subject_id, "").await.unwrap_err();
    assert_eq!(e.code, "credit.reason_required");
    let plain =
        h.credit.reveal_person_id(&reviewer(), &s.record.subject_id, "联合惩戒核查，案卷 2026-88").await.unwrap();
    assert_eq!(plain, p.person_id.unwrap());
}

/// A resident ID with its check character computed (the literal above has a placeholder one).
fn qy_cnid_fix(id: &str) -> String {
    let first17 = &id[..17];
    format!("{first17}{}", qy_cnid::resident_id::compute_check_char(first17).unwrap())
}

#[tokio::test]
async fn a_department_withdraws_its_own_decision_with_a_reason() {
    let h = H::on("2026-11-20").await;
    let code = uscc("632521", "MA0REC04");
    let s = h
        .credit
        .submit_penalty(
            &officer(),
            penalty("共和县撤销测试有限公司", &code, "共市监罚〔2026〕18号", "2026-11-02", Severity::General),
            None,
        )
        .await
        .unwrap();
    let other = staff("officer-2", "dept-ecology", &[qy_credit::domain::perm::RECORDS_WRITE]);
    assert_eq!(
        h.credit.withdraw_record(&other, &s.record.id, "复议撤销").await.unwrap_err().code,
        "credit.other_department"
    );
    assert_eq!(h.credit.withdraw_record(&officer(), &s.record.id, "").await.unwrap_err().code, "credit.field_required");
    let w = h.credit.withdraw_record(&officer(), &s.record.id, "行政复议决定撤销").await.unwrap();
    assert_eq!(w.withdrawn_reason.as_deref(), Some("行政复议决定撤销"));
    assert!(h.credit.public_view(&code).await.unwrap().penalties.is_empty());
    assert_eq!(h.credit.staff_view(&officer(), &s.record.subject_id).await.unwrap().records.len(), 1);
    assert_eq!(
        h.credit.withdraw_record(&officer(), &s.record.id, "again").await.unwrap_err().code,
        "credit.invalid_transition"
    );
}
