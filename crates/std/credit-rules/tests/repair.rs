//! Repair eligibility (reference §4.3, §7.2 rule 8).

use jiff::civil::date;
use qy_credit_rules::{repair_blockers, PublicationPolicy, RepairBlocker, RuleError, Severity};

#[test]
fn eligible_from_min_end() -> Result<(), RuleError> {
    let w = PublicationPolicy::default().window(date(2026, 5, 10), Severity::General)?;
    assert_eq!(repair_blockers(&w, date(2026, 8, 10), true, true), vec![]);
    assert_eq!(
        repair_blockers(&w, date(2026, 8, 9), true, true),
        vec![RepairBlocker::MinimumPeriodNotServed { until: date(2026, 8, 10) }]
    );
    Ok(())
}

#[test]
fn every_unmet_condition_is_listed() -> Result<(), RuleError> {
    let w = PublicationPolicy::default().window(date(2024, 3, 15), Severity::SpecialSerious)?;
    let b = repair_blockers(&w, date(2024, 4, 1), false, false);
    let codes: Vec<_> = b.iter().map(RepairBlocker::code).collect();
    assert_eq!(
        codes,
        [
            "credit.repair_not_repairable",
            "credit.repair_too_early",
            "credit.repair_obligations_unfulfilled",
            "credit.repair_commitment_missing",
        ]
    );
    Ok(())
}

#[test]
fn obligations_and_commitment_each_block() -> Result<(), RuleError> {
    let w = PublicationPolicy::default().window(date(2024, 3, 15), Severity::Serious)?;
    let day = date(2025, 1, 1);
    assert_eq!(repair_blockers(&w, day, true, true), vec![]);
    assert_eq!(repair_blockers(&w, day, false, true), vec![RepairBlocker::ObligationsNotFulfilled]);
    assert_eq!(repair_blockers(&w, day, true, false), vec![RepairBlocker::CommitmentMissing]);
    Ok(())
}

#[test]
fn unpublished_or_expired_records_have_nothing_to_repair() -> Result<(), RuleError> {
    let policy = PublicationPolicy::default();
    let minor = policy.window(date(2026, 5, 10), Severity::Minor)?;
    assert_eq!(repair_blockers(&minor, date(2026, 9, 1), true, true), vec![RepairBlocker::NotPublished]);
    let old = policy.window(date(2020, 2, 10), Severity::Serious)?;
    assert_eq!(repair_blockers(&old, date(2023, 2, 10), true, true), vec![RepairBlocker::NotPublished]);
    Ok(())
}

#[test]
fn blockers_serialise_with_a_kind_tag() -> Result<(), serde_json::Error> {
    let b = RepairBlocker::MinimumPeriodNotServed { until: date(2026, 8, 10) };
    let json = serde_json::to_value(&b)?;
    assert_eq!(json, serde_json::json!({"kind": "minimum_period_not_served", "until": "2026-08-10"}));
    assert_eq!(serde_json::from_value::<RepairBlocker>(json)?, b);
    assert_eq!(serde_json::to_value(RepairBlocker::NotRepairable)?, serde_json::json!({"kind": "not_repairable"}));
    Ok(())
}
