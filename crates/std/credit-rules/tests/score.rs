//! Credit evaluation: explanations, arithmetic, and the sum property.

use jiff::civil::{date, Date};
use proptest::prelude::*;
use qy_credit_rules::{Evaluation, PenaltyPoints, RecencyBand, ScoreInput, ScoreModel, ScoredPenalty, Severity};

const TODAY: Date = date(2026, 11, 1);

fn input(penalties: Vec<ScoredPenalty>) -> ScoreInput {
    ScoreInput {
        today: TODAY,
        penalties,
        valid_licences: 0,
        on_serious_dishonest: false,
        on_key_attention: false,
        on_red_list: false,
    }
}

fn pen(no: &str, severity: Severity, d: Date) -> ScoredPenalty {
    ScoredPenalty { decision_no: no.into(), severity, decision_date: d, repaired: false, disputed: false }
}

fn sum(e: &Evaluation) -> i64 {
    e.factors.iter().map(|f| i64::from(f.points)).sum()
}

#[test]
fn clean_subject_gets_the_base() {
    let e = ScoreModel::default().evaluate(&input(vec![]));
    assert_eq!((e.score, e.grade), (80, 'B'));
    assert_eq!(e.factors.len(), 1);
    assert_eq!(e.factors[0].code, "base");
    assert_eq!(e.factors[0].detail, "base score 80");
}

#[test]
fn penalty_explanation_names_the_numbers() {
    let e = ScoreModel::default().evaluate(&input(vec![pen("青罚〔2025〕1号", Severity::Serious, date(2025, 3, 1))]));
    let f = &e.factors[1];
    assert_eq!(f.code, "penalty");
    assert_eq!(f.points, -12, "−25 × 50% rounds toward zero");
    assert_eq!(f.subject.as_deref(), Some("青罚〔2025〕1号"));
    assert_eq!(f.detail, "serious penalty of 2025-03-01, 20 months old: −25 × 50% = −12");
    assert_eq!(e.score, 68);
    assert_eq!(e.grade, 'C');
    assert_eq!(sum(&e), i64::from(e.score));
}

#[test]
fn recency_bands_switch_on_the_anniversary() {
    let m = ScoreModel::default();
    let pts = |d| m.evaluate(&input(vec![pen("x", Severity::General, d)])).factors[1].points;
    assert_eq!(pts(date(2025, 11, 2)), -10); // 11 months old: 100%
    assert_eq!(pts(date(2025, 11, 1)), -5); // exactly 12 months: 50%
    assert_eq!(pts(date(2023, 11, 2)), -5); // just under 36 months
    assert_eq!(pts(date(2023, 11, 1)), 0); // 36 months: older than every band
    assert_eq!(pts(date(2027, 1, 1)), -10); // future-dated: treated as new
}

#[test]
fn repaired_counts_zero_but_is_listed() {
    let mut p = pen("A-1", Severity::SpecialSerious, date(2026, 10, 1));
    p.repaired = true;
    p.disputed = true;
    let e = ScoreModel::default().evaluate(&input(vec![p]));
    let f = &e.factors[1];
    assert_eq!((f.code, f.points), ("penalty_repaired", 0));
    assert_eq!(f.detail, "special-serious penalty of 2026-10-01, 1 months old, repaired: counts 0");
    assert_eq!(e.score, 80);
}

#[test]
fn disputed_penalty_counts_its_share() {
    let mut p = pen("D-1", Severity::Serious, date(2026, 10, 15));
    p.disputed = true;
    let e = ScoreModel::default().evaluate(&input(vec![p]));
    let f = &e.factors[1];
    assert_eq!((f.code, f.points), ("penalty_disputed", -12));
    assert_eq!(
        f.detail,
        "serious penalty of 2026-10-15, 0 months old, under unresolved objection: −25 × 100% × 50% = −12"
    );
}

#[test]
fn lists_licences_and_grade_cap() {
    let m = ScoreModel::default();
    let mut i = input(vec![]);
    i.valid_licences = 25;
    i.on_red_list = true;
    let e = m.evaluate(&i);
    // 80 + 10 (red) + 10 (licences, capped) = 100.
    assert_eq!((e.score, e.grade), (100, 'A'));
    let lic = e.factors.iter().find(|f| f.code == "licences");
    assert_eq!(lic.map(|f| f.detail.as_str()), Some("25 valid licences × +1 = +10 (cap 10)"));

    i.on_serious_dishonest = true;
    i.on_key_attention = true;
    let e = m.evaluate(&i);
    // 80 − 30 − 10 + 0 (red list suspended) + 10 = 50 → D anyway, no cap factor needed.
    assert_eq!((e.score, e.grade), (50, 'D'));
    assert!(e.factors.iter().any(|f| f.code == "list_red" && f.points == 0));
    assert!(!e.factors.iter().any(|f| f.code == "grade_capped"));

    // A generous model: the serious-dishonesty list alone would leave grade A, so it is capped.
    let generous = ScoreModel { serious_dishonest_list: 0, base: 95, ..ScoreModel::default() };
    let mut i = input(vec![]);
    i.on_serious_dishonest = true;
    let e = generous.evaluate(&i);
    assert_eq!((e.score, e.grade), (95, 'D'));
    let cap = e.factors.iter().find(|f| f.code == "grade_capped");
    assert_eq!(
        cap.map(|f| (f.points, f.detail.as_str())),
        Some((0, "grade A capped at D because the subject is on the serious-dishonesty list"))
    );
}

#[test]
fn clamp_is_a_factor() {
    let many: Vec<_> = (0..10).map(|i| pen(&format!("P{i}"), Severity::SpecialSerious, date(2026, 10, 1))).collect();
    let e = ScoreModel::default().evaluate(&input(many));
    assert_eq!(e.score, 0);
    let clamp = e.factors.last();
    assert_eq!(clamp.map(|f| (f.code, f.points)), Some(("score_clamped", 320)));
    assert_eq!(sum(&e), 0);
    assert_eq!(e.grade, 'D');

    let rich = ScoreModel { base: 150, ..ScoreModel::default() };
    let e = rich.evaluate(&input(vec![]));
    assert_eq!(e.score, 100);
    assert_eq!(e.factors.last().map(|f| f.points), Some(-50));
}

#[test]
fn model_round_trips_through_toml_and_partial_config_uses_defaults() -> Result<(), Box<dyn std::error::Error>> {
    let m = ScoreModel::default();
    m.validate()?;
    let text = toml::to_string(&m)?;
    assert_eq!(toml::from_str::<ScoreModel>(&text)?, m);
    let partial: ScoreModel = toml::from_str(
        r#"
        base = 70
        grades = [["A", 90], ["B", 60], ["C", 0]]
        serious_dishonest_caps_grade = "C"
        [penalty_points]
        minor = -1
        general = -2
        serious = -3
        special_serious = -4
        "#,
    )?;
    partial.validate()?;
    assert_eq!(partial.base, 70);
    assert_eq!(partial.penalty_points.serious, -3);
    assert_eq!(partial.disputed_percent, 50);
    Ok(())
}

#[test]
fn validate_rejects_nonsense_models() {
    let code = |m: ScoreModel| m.validate().map_err(|e| e.code());
    let d = ScoreModel::default;
    assert_eq!(code(ScoreModel { grades: vec![], ..d() }), Err("credit.score_model_invalid"));
    assert_eq!(code(ScoreModel { serious_dishonest_caps_grade: 'E', ..d() }), Err("credit.score_model_invalid"));
    assert_eq!(code(ScoreModel { disputed_percent: 150, ..d() }), Err("credit.score_model_invalid"));
    assert_eq!(code(ScoreModel { grades: vec![('A', 80), ('A', 0)], ..d() }), Err("credit.score_model_invalid"));
    assert_eq!(code(ScoreModel { licence_cap: -1, ..d() }), Err("credit.score_model_invalid"));
}

fn any_severity() -> impl Strategy<Value = Severity> {
    prop::sample::select(Severity::ALL.to_vec())
}

fn any_penalty() -> impl Strategy<Value = ScoredPenalty> {
    (any_severity(), 0i32..4000, any::<bool>(), any::<bool>()).prop_map(|(s, days, r, d)| ScoredPenalty {
        decision_no: format!("N{days}"),
        severity: s,
        decision_date: TODAY.checked_sub(jiff::Span::new().days(i64::from(days))).unwrap_or(TODAY),
        repaired: r,
        disputed: d,
    })
}

fn any_input() -> impl Strategy<Value = ScoreInput> {
    (prop::collection::vec(any_penalty(), 0..12), 0u32..40, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(penalties, lic, sd, ka, red)| ScoreInput {
            today: TODAY,
            penalties,
            valid_licences: lic,
            on_serious_dishonest: sd,
            on_key_attention: ka,
            on_red_list: red,
        },
    )
}

fn any_model() -> impl Strategy<Value = ScoreModel> {
    let weights = (any::<i32>(), any::<[i32; 4]>(), any::<[u32; 2]>());
    let rest = (any::<[i32; 5]>(), any::<u32>());
    (weights, rest).prop_map(|((base, pts, pct), (misc, disputed))| {
        let d = ScoreModel::default();
        ScoreModel {
            base,
            penalty_points: PenaltyPoints { minor: pts[0], general: pts[1], serious: pts[2], special_serious: pts[3] },
            recency_bands: vec![
                RecencyBand { within_months: 12, percent: pct[0] },
                RecencyBand { within_months: 36, percent: pct[1] },
            ],
            serious_dishonest_list: misc[0],
            key_attention_list: misc[1],
            red_list: misc[2],
            licence_point: misc[3],
            licence_cap: misc[4],
            disputed_percent: disputed,
            ..d
        }
    })
}

proptest! {
    #[test]
    fn factors_sum_to_score_default_model(i in any_input()) {
        let e = ScoreModel::default().evaluate(&i);
        prop_assert_eq!(sum(&e), i64::from(e.score));
        prop_assert!((0..=100).contains(&e.score));
        prop_assert_eq!(
            e.factors.iter().filter(|f| f.subject.is_some()).count(),
            i.penalties.len()
        );
    }

    #[test]
    fn factors_sum_to_score_any_model(m in any_model(), i in any_input()) {
        let e = m.evaluate(&i);
        prop_assert_eq!(sum(&e), i64::from(e.score));
        prop_assert!((0..=100).contains(&e.score));
    }
}
