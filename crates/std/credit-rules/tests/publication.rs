//! Publication windows: the vectors of reference §7.2 rule 4 and the regime boundaries of §4.3.

use jiff::civil::{date, Date};
use qy_credit_rules::{is_public, PublicationPolicy, RuleError, Severity, Window};

fn window(d: Date, s: Severity) -> Result<Window, RuleError> {
    PublicationPolicy::default().window(d, s)
}

#[test]
fn default_policy_is_valid() {
    assert_eq!(PublicationPolicy::default().validate(), Ok(()));
}

#[test]
fn order_58_vector() -> Result<(), RuleError> {
    for s in [Severity::Minor, Severity::General, Severity::Serious] {
        let w = window(date(2024, 3, 15), s)?;
        assert_eq!(w.regime, "ndrc-order-58");
        assert!(w.published && w.repairable);
        assert_eq!((w.min_end, w.max_end), (date(2024, 6, 15), date(2027, 3, 15)));
    }
    let w = window(date(2024, 3, 15), Severity::SpecialSerious)?;
    assert!(!w.repairable);
    Ok(())
}

#[test]
fn regime_2026_vectors() -> Result<(), RuleError> {
    let g = window(date(2026, 5, 10), Severity::General)?;
    assert_eq!(g.regime, "ndrc-2026-repair");
    assert_eq!((g.min_end, g.max_end), (date(2026, 8, 10), date(2027, 5, 10)));
    let s = window(date(2026, 5, 10), Severity::Serious)?;
    assert_eq!((s.min_end, s.max_end), (date(2027, 5, 10), date(2029, 5, 10)));
    let m = window(date(2026, 5, 10), Severity::Minor)?;
    assert!(!m.published);
    assert!(!is_public(&m, date(2026, 5, 10)));
    let x = window(date(2026, 5, 10), Severity::SpecialSerious)?;
    assert!(x.published && !x.repairable);
    assert_eq!((x.min_end, x.max_end), (date(2029, 5, 10), date(2029, 5, 10)));
    Ok(())
}

#[test]
fn regime_527_vectors() -> Result<(), RuleError> {
    let s = window(date(2020, 2, 10), Severity::Serious)?;
    assert_eq!(s.regime, "ndrc-2019-527");
    assert_eq!((s.min_end, s.max_end), (date(2020, 8, 10), date(2023, 2, 10)));
    // Minor is treated as General under 527号 (our choice).
    for sev in [Severity::Minor, Severity::General] {
        let w = window(date(2020, 2, 10), sev)?;
        assert_eq!((w.min_end, w.max_end), (date(2020, 5, 10), date(2021, 2, 10)));
    }
    let x = window(date(2020, 2, 10), Severity::SpecialSerious)?;
    assert!(!x.repairable);
    assert_eq!(x.max_end, date(2023, 2, 10));
    Ok(())
}

#[test]
fn regime_boundaries_and_before_first() {
    let p = PublicationPolicy::default();
    let id = |d| p.regime_for(d).map(|r| r.id.as_str());
    assert_eq!(id(date(2015, 1, 1)), Some("ndrc-2019-527"));
    assert_eq!(id(date(2019, 6, 30)), Some("ndrc-2019-527"));
    assert_eq!(id(date(2023, 4, 30)), Some("ndrc-2019-527"));
    assert_eq!(id(date(2023, 5, 1)), Some("ndrc-order-58"));
    assert_eq!(id(date(2026, 3, 31)), Some("ndrc-order-58"));
    assert_eq!(id(date(2026, 4, 1)), Some("ndrc-2026-repair"));
    assert_eq!(id(date(9999, 12, 31)), Some("ndrc-2026-repair"));
}

#[test]
fn month_end_clamping() -> Result<(), RuleError> {
    // Order 58: 2024-11-30 + 3 months clamps to 2025-02-28.
    let w = window(date(2024, 11, 30), Severity::General)?;
    assert_eq!(w.min_end, date(2025, 2, 28));
    assert_eq!(w.max_end, date(2027, 11, 30));
    Ok(())
}

/// A record leaves the public view on its max_end date: check the day before and the day itself
/// under each regime.
#[test]
fn leaves_public_view_on_max_end() -> Result<(), RuleError> {
    let cases = [
        (date(2020, 2, 10), Severity::Serious),
        (date(2024, 3, 15), Severity::General),
        (date(2026, 5, 10), Severity::General),
    ];
    for (d, s) in cases {
        let w = window(d, s)?;
        let before = w.max_end.yesterday().map_err(|_| RuleError::DateOutOfRange)?;
        assert!(is_public(&w, d), "{w:?}");
        assert!(is_public(&w, before), "{w:?}");
        assert!(!is_public(&w, w.max_end), "{w:?}");
        let after = w.max_end.tomorrow().map_err(|_| RuleError::DateOutOfRange)?;
        assert!(!is_public(&w, after), "{w:?}");
    }
    Ok(())
}

#[test]
fn validate_rejects_broken_policies() {
    let code = |p: &PublicationPolicy| p.validate().map_err(|e| e.code());

    assert_eq!(code(&PublicationPolicy { regimes: vec![] }), Err("credit.policy_empty"));

    let mut p = PublicationPolicy::default();
    p.regimes[1].from = date(2023, 4, 1);
    assert_eq!(code(&p), Err("credit.policy_overlap"));

    let mut p = PublicationPolicy::default();
    p.regimes[0].until = None;
    assert_eq!(code(&p), Err("credit.policy_overlap"));

    let mut p = PublicationPolicy::default();
    p.regimes[1].from = date(2023, 5, 2);
    assert_eq!(code(&p), Err("credit.policy_gap"));

    let mut p = PublicationPolicy::default();
    p.regimes[2].periods.retain(|x| x.severity != Severity::Minor);
    assert_eq!(code(&p), Err("credit.policy_severity_missing"));

    let mut p = PublicationPolicy::default();
    let dup = p.regimes[2].periods[1].clone();
    p.regimes[2].periods.push(dup);
    assert_eq!(code(&p), Err("credit.policy_severity_duplicate"));

    let mut p = PublicationPolicy::default();
    p.regimes[0].periods[2].min_months = 40;
    assert_eq!(code(&p), Err("credit.policy_period_inverted"));

    let mut p = PublicationPolicy::default();
    p.regimes[1].id = "ndrc-2019-527".into();
    assert_eq!(code(&p), Err("credit.policy_duplicate_id"));

    let mut p = PublicationPolicy::default();
    p.regimes[0].until = Some(date(2019, 1, 1));
    assert_eq!(code(&p), Err("credit.policy_regime_inverted"));
}

#[test]
fn window_errors_do_not_panic() {
    let empty = PublicationPolicy { regimes: vec![] };
    assert_eq!(empty.window(date(2024, 1, 1), Severity::General), Err(RuleError::NoRegime(date(2024, 1, 1))));
    assert_eq!(window(date(9999, 1, 1), Severity::Serious).map_err(|e| e.code()), Err("credit.date_out_of_range"));
}

#[test]
fn policy_config_round_trips_through_toml_and_json() -> Result<(), Box<dyn std::error::Error>> {
    let p = PublicationPolicy::default();
    let toml_text = toml::to_string(&p)?;
    assert!(toml_text.contains("from = \"2019-07-01\""), "{toml_text}");
    assert_eq!(toml::from_str::<PublicationPolicy>(&toml_text)?, p);
    let json = serde_json::to_string(&p)?;
    assert_eq!(serde_json::from_str::<PublicationPolicy>(&json)?, p);

    let hand_written = r#"
        [[regimes]]
        id = "local-test"
        title = "测试"
        from = "2020-01-01"
        periods = [
          { severity = "minor", published = false, min_months = 0, max_months = 0, repairable = true },
          { severity = "general", published = true, min_months = 3, max_months = 12, repairable = true },
          { severity = "serious", published = true, min_months = 12, max_months = 36, repairable = true },
          { severity = "special_serious", published = true, min_months = 36, max_months = 36, repairable = false },
        ]
    "#;
    let p: PublicationPolicy = toml::from_str(hand_written)?;
    p.validate()?;
    assert_eq!(p.regimes[0].until, None);
    assert_eq!(p.window(date(2021, 1, 31), Severity::General)?.min_end, date(2021, 4, 30));
    Ok(())
}
