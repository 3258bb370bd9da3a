//! Repair and objection applications with deadlines in working days.

use qy_credit::service::cases::RepairApplication;
use qy_credit_rules::Severity;

use crate::harness::{enterprise, officer, penalty, staff, uscc, H};

fn application() -> RepairApplication {
    RepairApplication {
        obligations: "罚款已缴纳，问题已整改".into(),
        commitment: "本单位承诺材料真实".into(),
        obligations_fulfilled: true,
        commitment_signed: true,
    }
}

#[tokio::test]
async fn repair_is_refused_before_the_minimum_period_and_ends_publication_when_approved() {
    let h = H::on("2026-05-12").await;
    let code = uscc("632521", "MA0REP01");
    let s = h
        .credit
        .submit_penalty(
            &officer(),
            penalty("共和县青湖商贸有限公司", &code, "共市监罚〔2026〕31号", "2026-05-10", Severity::General),
            None,
        )
        .await
        .unwrap();
    let me = enterprise(&code);
    // 2026 rules: general penalties are repairable after 3 months (2026-08-10).
    h.set_date("2026-08-09");
    let e = h.credit.apply_for_repair(&me, &s.record.id, application()).await.unwrap_err();
    assert_eq!(e.code, "credit.repair_not_eligible");
    assert!(e.args.iter().any(|(k, v)| k == "reason" && v == "credit.repair_too_early"), "{:?}", e.args);
    // Another enterprise cannot apply for it.
    let e = h
        .credit
        .apply_for_repair(&enterprise(&uscc("632521", "MA0QTHER")), &s.record.id, application())
        .await
        .unwrap_err();
    assert_eq!(e.code, "credit.not_your_record");
    // Unsigned commitment.
    h.set_date("2026-09-28");
    let mut unsigned = application();
    unsigned.commitment_signed = false;
    assert_eq!(
        h.credit.apply_for_repair(&me, &s.record.id, unsigned).await.unwrap_err().code,
        "credit.repair_not_eligible"
    );
    let repair = h.credit.apply_for_repair(&me, &s.record.id, application()).await.unwrap();
    // 15 working days from Monday 2026-09-28 across the National Day holiday.
    assert_eq!(repair.due_on, "2026-10-23");
    assert!(!repair.due_provisional);
    let e = h.credit.apply_for_repair(&me, &s.record.id, application()).await.unwrap_err();
    assert_eq!(e.code, "credit.repair_pending");
    // Decisions: accept, then approve; a refusal would need a reason.
    assert_eq!(
        h.credit.decide_repair(&officer(), &repair.id, "not_accept", "").await.unwrap_err().code,
        "credit.reason_required"
    );
    assert_eq!(
        h.credit.decide_repair(&officer(), &repair.id, "approve", "").await.unwrap_err().code,
        "credit.invalid_transition"
    );
    let other_dept = staff("o", "dept-ecology", &[qy_credit::domain::perm::REPAIRS_REVIEW]);
    assert_eq!(
        h.credit.decide_repair(&other_dept, &repair.id, "accept", "").await.unwrap_err().code,
        "credit.other_department"
    );
    h.credit.decide_repair(&officer(), &repair.id, "accept", "").await.unwrap();
    assert_eq!(h.credit.public_view(&code).await.unwrap().penalties.len(), 1);
    let approved = h.credit.decide_repair(&officer(), &repair.id, "approve", "").await.unwrap();
    assert_eq!(approved.status, "approved");
    assert!(h.credit.public_view(&code).await.unwrap().penalties.is_empty());
    let e = h.credit.apply_for_repair(&me, &s.record.id, application()).await.unwrap_err();
    assert_eq!(e.code, "credit.already_repaired");
}

#[tokio::test]
async fn specially_serious_penalties_cannot_be_repaired() {
    let h = H::on("2026-05-12").await;
    let code = uscc("632521", "MA0REP02");
    let mut p = penalty("共和县某矿业有限公司", &code, "共应急罚〔2026〕2号", "2026-05-10", Severity::SpecialSerious);
    p.categories.push(qy_credit_rules::PenaltyCategory::OrderSuspension);
    let s = h.credit.submit_penalty(&officer(), p, None).await.unwrap();
    h.set_date("2029-06-01");
    let e = h.credit.apply_for_repair(&enterprise(&code), &s.record.id, application()).await.unwrap_err();
    assert_eq!(e.code, "credit.repair_not_eligible");
}

#[tokio::test]
async fn an_upheld_objection_withdraws_the_record_and_a_correction_republishes_it() {
    let h = H::on("2026-11-02").await;
    let code = uscc("632521", "MA0QBJ01");
    let p = penalty("共和县河湟商贸有限公司", &code, "共市监罚〔2026〕41号", "2026-10-30", Severity::General);
    let s = h.credit.submit_penalty(&officer(), p.clone(), None).await.unwrap();
    let me = enterprise(&code);
    let o = h.credit.raise_objection(&me, &s.record.id, "当事人名称登记错误").await.unwrap();
    // 10 working days from Monday 2026-11-02.
    assert_eq!(o.due_on, "2026-11-16");
    let view = h.credit.public_view(&code).await.unwrap();
    assert!(view.penalties[0].disputed);
    assert!(view.evaluation.factors.iter().any(|f| f.code == "penalty_disputed"));
    assert_eq!(h.credit.raise_objection(&me, &s.record.id, "再次").await.unwrap_err().code, "credit.objection_pending");
    assert_eq!(
        h.credit.answer_objection(&officer(), &o.id, "upheld", " ").await.unwrap_err().code,
        "credit.field_required"
    );
    h.credit.answer_objection(&officer(), &o.id, "upheld", "经核实，名称有误，撤下更正").await.unwrap();
    assert!(h.credit.public_view(&code).await.unwrap().penalties.is_empty());
    let mut corrected = p;
    corrected.subject_name = "共和县河湟商贸有限责任公司".into();
    h.credit.submit_penalty(&officer(), corrected, None).await.unwrap();
    assert_eq!(h.credit.public_view(&code).await.unwrap().penalties.len(), 1);
}

#[tokio::test]
async fn deadlines_running_into_an_unpublished_year_are_marked_provisional() {
    let h = H::on("2026-12-21").await;
    let code = uscc("632521", "MA0QBJ02");
    let s = h
        .credit
        .submit_penalty(
            &officer(),
            penalty("共和县某公司", &code, "共市监罚〔2026〕51号", "2026-12-18", Severity::General),
            None,
        )
        .await
        .unwrap();
    let o = h.credit.raise_objection(&enterprise(&code), &s.record.id, "事实不清").await.unwrap();
    assert!(o.due_provisional);
}
