//! List workflows: four eyes on entry and exit, red list suspended by serious dishonesty.

use qy_credit::domain::ListKind;
use qy_credit::service::NewListEntry;
use qy_credit_rules::Severity;

use crate::harness::{authority_uscc, officer, penalty, reviewer, uscc, H};

fn entry(code: &str, list: ListKind, from: &str) -> NewListEntry {
    NewListEntry {
        uscc: code.into(),
        list,
        legal_basis: "国办发〔2020〕49号".into(),
        reason: "依法认定".into(),
        authority: "共和县市场监督管理局".into(),
        authority_uscc: authority_uscc(),
        decided_on: from.into(),
        valid_from: from.into(),
        valid_to: None,
    }
}

async fn subject_with_record(h: &H, body: &str) -> String {
    let code = uscc("632521", body);
    h.credit
        .submit_penalty(
            &officer(),
            penalty("共和县昆仑商贸有限公司", &code, &format!("罚〔2026〕{body}号"), "2026-01-05", Severity::General),
            None,
        )
        .await
        .unwrap();
    code
}

#[tokio::test]
async fn an_entry_is_in_force_only_after_a_second_person_approves() {
    let h = H::on("2026-11-20").await;
    let code = subject_with_record(&h, "MA0LXT01").await;
    let proposed =
        h.credit.propose_list_entry(&officer(), entry(&code, ListKind::KeyAttention, "2026-11-20")).await.unwrap();
    assert_eq!(proposed.status, "proposed");
    assert!(h.credit.public_view(&code).await.unwrap().lists.is_empty());
    // The proposer cannot approve; neither can someone without the permission.
    let mut self_approver = reviewer();
    self_approver.account_id = officer().account_id;
    assert_eq!(h.credit.approve_list_entry(&self_approver, &proposed.id).await.unwrap_err().code, "credit.four_eyes");
    assert_eq!(h.credit.approve_list_entry(&officer(), &proposed.id).await.unwrap_err().code, "credit.forbidden");
    let active = h.credit.approve_list_entry(&reviewer(), &proposed.id).await.unwrap();
    assert_eq!(active.status, "active");
    assert_eq!(h.credit.public_view(&code).await.unwrap().lists.len(), 1);
    // Approving twice is a conflict, not a second approval.
    assert_eq!(
        h.credit.approve_list_entry(&reviewer(), &proposed.id).await.unwrap_err().code,
        "credit.invalid_transition"
    );
}

#[tokio::test]
async fn serious_dishonesty_suspends_the_red_list_until_it_is_left() {
    let h = H::on("2026-11-20").await;
    let code = subject_with_record(&h, "MA0LXT02").await;
    let red = h.credit.propose_list_entry(&officer(), entry(&code, ListKind::Red, "2026-06-01")).await.unwrap();
    h.credit.approve_list_entry(&reviewer(), &red.id).await.unwrap();
    let black =
        h.credit.propose_list_entry(&officer(), entry(&code, ListKind::SeriousDishonest, "2026-11-20")).await.unwrap();
    h.credit.approve_list_entry(&reviewer(), &black.id).await.unwrap();
    assert_eq!(h.credit.list_entry(&red.id).await.unwrap().status, "suspended");
    let lists: Vec<ListKind> = h.credit.public_view(&code).await.unwrap().lists.iter().map(|l| l.list).collect();
    assert_eq!(lists, vec![ListKind::SeriousDishonest]);
    // Leaving needs a reason and a second person.
    assert_eq!(h.credit.request_list_exit(&officer(), &black.id, " ").await.unwrap_err().code, "credit.field_required");
    h.credit.request_list_exit(&officer(), &black.id, "已履行全部法定义务，信用修复完成").await.unwrap();
    let mut requester = reviewer();
    requester.account_id = officer().account_id;
    assert_eq!(h.credit.approve_list_exit(&requester, &black.id).await.unwrap_err().code, "credit.four_eyes");
    let removed = h.credit.approve_list_exit(&reviewer(), &black.id).await.unwrap();
    assert_eq!(removed.status, "removed");
    assert_eq!(removed.removed_on.as_deref(), Some("2026-11-20"));
    assert_eq!(h.credit.list_entry(&red.id).await.unwrap().status, "active");
    let history = h.credit.staff_view(&officer(), &removed.subject_id).await.unwrap().history;
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "list.red.suspended",
        "list.red.resumed",
        "list.serious_dishonest.removed",
        "list.serious_dishonest.exit_requested",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn entries_are_checked_before_they_are_proposed() {
    let h = H::on("2026-11-20").await;
    let code = subject_with_record(&h, "MA0LXT03").await;
    let mut e = entry(&code, ListKind::KeyAttention, "2026-11-20");
    e.legal_basis = "".into();
    assert_eq!(h.credit.propose_list_entry(&officer(), e).await.unwrap_err().code, "credit.field_required");
    let mut e = entry(&code, ListKind::KeyAttention, "2026-11-20");
    e.valid_to = Some("2026-11-19".into());
    assert_eq!(h.credit.propose_list_entry(&officer(), e).await.unwrap_err().code, "credit.invalid_period");
    let e = entry(&uscc("632521", "MA0NQBDY"), ListKind::Red, "2026-11-20");
    assert_eq!(h.credit.propose_list_entry(&officer(), e).await.unwrap_err().code, "credit.subject_not_found");
}
