//! Publication periods across the three regimes: a penalty is public until the day its
//! period ends, and stays in the internal record afterwards.

use qy_credit_rules::Severity;

use crate::harness::{officer, penalty, uscc, H};

async fn public_penalties(h: &H, code: &str) -> Vec<String> {
    h.credit.public_view(code).await.unwrap().penalties.into_iter().map(|p| p.decision_no).collect()
}

/// (decided, severity, entered on, last public day, first hidden day)
const CASES: &[(&str, Severity, &str, &str, &str)] = &[
    // 发改办财金〔2019〕527号: serious, 6 months to 3 years.
    ("2020-02-10", Severity::Serious, "2020-02-12", "2023-02-09", "2023-02-10"),
    // NDRC Order 58: 3 months to 3 years.
    ("2024-03-15", Severity::General, "2024-03-18", "2027-03-14", "2027-03-15"),
    // 2026 measure: general 3 months to 1 year; serious 1 to 3 years.
    ("2026-05-10", Severity::General, "2026-05-12", "2027-05-09", "2027-05-10"),
    ("2026-05-10", Severity::Serious, "2026-05-12", "2029-05-09", "2029-05-10"),
];

#[tokio::test]
async fn penalties_leave_the_public_view_when_their_period_ends() {
    for (i, (decided, severity, entered, last, hidden)) in CASES.iter().enumerate() {
        let h = H::on(entered).await;
        let code = uscc("632521", "MA0PUB01");
        let no = format!("共市监罚〔{}〕{i}号", &decided[..4]);
        let s = h
            .credit
            .submit_penalty(&officer(), penalty("共和县雪域商贸有限公司", &code, &no, decided, *severity), None)
            .await
            .unwrap();
        assert_eq!(s.record.max_end.as_deref(), Some(*hidden), "{decided} {severity:?}");
        h.set_date(last);
        assert_eq!(public_penalties(&h, &code).await, vec![no.clone()], "public on {last}");
        h.set_date(hidden);
        assert!(public_penalties(&h, &code).await.is_empty(), "hidden on {hidden}");
        // Still in the internal record.
        let view = h.credit.staff_view(&officer(), &s.record.subject_id).await.unwrap();
        assert_eq!(view.records.len(), 1);
    }
}

#[tokio::test]
async fn minor_penalties_under_the_2026_rules_are_never_published() {
    let h = H::on("2026-06-02").await;
    let code = uscc("632521", "MA0PUB02");
    let s = h
        .credit
        .submit_penalty(
            &officer(),
            penalty("共和县小商店有限公司", &code, "共市监罚〔2026〕77号", "2026-06-01", Severity::Minor),
            None,
        )
        .await
        .unwrap();
    assert!(!s.record.published);
    assert!(public_penalties(&h, &code).await.is_empty());
}

#[tokio::test]
async fn publication_later_than_seven_working_days_is_flagged() {
    // Decided Friday 2026-09-25. The National Day holiday (10-01..10-07) does not count and
    // Saturday 10-10 is a make-up working day: 28, 29, 30 Sept, 8, 9, 10, 12 Oct, so the
    // 7th working day after is 2026-10-12.
    let h = H::on("2026-10-12").await;
    let code = uscc("632521", "MA0PUB03");
    let on_time = h
        .credit
        .submit_penalty(
            &officer(),
            penalty("共和县甲有限公司", &code, "共市监罚〔2026〕81号", "2026-09-25", Severity::General),
            None,
        )
        .await
        .unwrap();
    assert!(!on_time.record.late_publication, "{:?}", on_time.record);
    h.set_date("2026-10-13");
    let late = h
        .credit
        .submit_penalty(
            &officer(),
            penalty("共和县甲有限公司", &code, "共市监罚〔2026〕82号", "2026-09-25", Severity::General),
            None,
        )
        .await
        .unwrap();
    assert!(late.record.late_publication);
}
