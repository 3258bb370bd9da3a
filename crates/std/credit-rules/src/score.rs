//! A transparent, configurable credit evaluation (信用评价).
//!
//! There is no national formula for a public-credit score: the model and all its weights are our
//! own choice, kept in configuration ([`ScoreModel`], TOML/JSON) so they can be reviewed and
//! changed without code. What the evaluation guarantees is transparency: every point comes from a
//! listed [`Factor`] with an English explanation containing its numbers, and the factors always
//! sum to the score — including the clamp to 0..=100, which is itself a factor.
//!
//! Arithmetic is integer only. Percentages are applied in one step (`points × p₁ × p₂ / 100²`)
//! and the division rounds toward zero, so a deduction is never larger than its exact value:
//! −25 × 50% = −12, not −13.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::months::{add_months, whole_months_between};
use crate::severity::Severity;

/// Points of one penalty at full weight, by severity (negative = deduction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyPoints {
    /// 轻微.
    pub minor: i32,
    /// 一般.
    pub general: i32,
    /// 严重.
    pub serious: i32,
    /// 特定严重.
    pub special_serious: i32,
}

impl PenaltyPoints {
    /// The points for `severity`.
    pub fn get(&self, severity: Severity) -> i32 {
        match severity {
            Severity::Minor => self.minor,
            Severity::General => self.general,
            Severity::Serious => self.serious,
            Severity::SpecialSerious => self.special_serious,
        }
    }
}

/// A penalty counts `percent` of its points while it is less than `within_months` old
/// (the narrowest matching band applies; older than every band counts 0%).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecencyBand {
    /// Upper age bound in months (exclusive: a penalty is within 12 months until the day 12
    /// calendar months after its decision, the same convention as the publication window).
    pub within_months: u32,
    /// Share of the points that counts, in percent.
    pub percent: u32,
}

/// The weights of the evaluation. All values are our choice (see the crate README).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreModel {
    /// Starting score of every subject.
    pub base: i32,
    /// Points per penalty at full weight.
    pub penalty_points: PenaltyPoints,
    /// Age weighting of penalties.
    pub recency_bands: Vec<RecencyBand>,
    /// Points for being on the 严重失信主体名单.
    pub serious_dishonest_list: i32,
    /// Points for being on the 重点关注名单.
    pub key_attention_list: i32,
    /// Points for being on the 红名单 / 守信激励对象 list.
    pub red_list: i32,
    /// Points per valid licence.
    pub licence_point: i32,
    /// Upper bound of all licence points together.
    pub licence_cap: i32,
    /// Share (percent) a penalty under an unresolved objection counts until it is answered.
    pub disputed_percent: u32,
    /// Grade letters with their minimum score, any order.
    pub grades: Vec<(char, i32)>,
    /// Best grade a subject on the serious-dishonesty list can get.
    pub serious_dishonest_caps_grade: char,
}

impl Default for ScoreModel {
    fn default() -> Self {
        ScoreModel {
            base: 80,
            penalty_points: PenaltyPoints { minor: -5, general: -10, serious: -25, special_serious: -40 },
            recency_bands: vec![
                RecencyBand { within_months: 12, percent: 100 },
                RecencyBand { within_months: 36, percent: 50 },
            ],
            serious_dishonest_list: -30,
            key_attention_list: -10,
            red_list: 10,
            licence_point: 1,
            licence_cap: 10,
            disputed_percent: 50,
            grades: vec![('A', 85), ('B', 70), ('C', 55), ('D', 0)],
            serious_dishonest_caps_grade: 'D',
        }
    }
}

/// One penalty as the evaluation sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredPenalty {
    /// CF_WSH, shown as the factor's subject.
    pub decision_no: String,
    /// Severity of the act.
    pub severity: Severity,
    /// CF_JDRQ.
    pub decision_date: Date,
    /// Credit repair took effect: counts 0 but is still listed.
    pub repaired: bool,
    /// Under an objection (异议) not yet answered: counts `disputed_percent`.
    pub disputed: bool,
}

/// Everything the evaluation of one subject uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreInput {
    /// Evaluation date (ages are measured to it).
    pub today: Date,
    /// The subject's penalties.
    pub penalties: Vec<ScoredPenalty>,
    /// Number of licences valid today.
    pub valid_licences: u32,
    /// On the 严重失信主体名单.
    pub on_serious_dishonest: bool,
    /// On the 重点关注名单.
    pub on_key_attention: bool,
    /// On the 红名单.
    pub on_red_list: bool,
}

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Factor {
    /// Stable code: `base`, `penalty`, `penalty_repaired`, `penalty_disputed`,
    /// `list_serious_dishonest`, `list_key_attention`, `list_red`, `licences`, `score_clamped`,
    /// `grade_capped`.
    pub code: &'static str,
    /// Contribution to the score.
    pub points: i32,
    /// The decision number for penalty factors.
    pub subject: Option<String>,
    /// English explanation with the numbers.
    pub detail: String,
}

/// The result: `score` is the sum of the factors' points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// 0..=100.
    pub score: i32,
    /// Grade letter from the model's table.
    pub grade: char,
    /// The explanation, in the order applied.
    pub factors: Vec<Factor>,
}

/// Lowest and highest possible score.
pub const SCORE_RANGE: (i32, i32) = (0, 100);

impl ScoreModel {
    /// Checks the model makes sense: grades non-empty with distinct letters and minimums, the
    /// cap grade among them, percentages at most 100, distinct band bounds, a non-negative
    /// licence cap. [`ScoreModel::evaluate`] works (and never panics) on any model; this is for
    /// rejecting a mistyped configuration early.
    pub fn validate(&self) -> Result<(), RuleError> {
        let bad = |why: &str| Err(RuleError::ScoreModelInvalid(why.to_owned()));
        if self.grades.is_empty() {
            return bad("no grades");
        }
        for (i, (letter, min)) in self.grades.iter().enumerate() {
            if self.grades[..i].iter().any(|(l, m)| l == letter || m == min) {
                return bad("grade letters and minimum scores must be distinct");
            }
        }
        if !self.grades.iter().any(|(l, _)| *l == self.serious_dishonest_caps_grade) {
            return bad("serious_dishonest_caps_grade is not one of the grades");
        }
        if self.disputed_percent > 100 || self.recency_bands.iter().any(|b| b.percent > 100) {
            return bad("percentages must be at most 100");
        }
        for (i, b) in self.recency_bands.iter().enumerate() {
            if self.recency_bands[..i].iter().any(|o| o.within_months == b.within_months) {
                return bad("recency bands must have distinct within_months");
            }
        }
        if self.licence_cap < 0 {
            return bad("licence_cap must not be negative");
        }
        Ok(())
    }

    /// Evaluates one subject.
    pub fn evaluate(&self, input: &ScoreInput) -> Evaluation {
        let mut factors = vec![Factor {
            code: "base",
            points: self.base,
            subject: None,
            detail: format!("base score {}", self.base),
        }];
        for p in &input.penalties {
            factors.push(self.penalty_factor(p, input.today));
        }
        self.list_factors(input, &mut factors);
        if input.valid_licences > 0 {
            let raw = i64::from(input.valid_licences) * i64::from(self.licence_point);
            let capped = raw.min(i64::from(self.licence_cap));
            factors.push(Factor {
                code: "licences",
                points: saturate(capped),
                subject: None,
                detail: format!(
                    "{} valid licences × {} = {} (cap {})",
                    input.valid_licences,
                    signed(i64::from(self.licence_point)),
                    signed(capped),
                    self.licence_cap
                ),
            });
        }
        let score = clamp_score(&mut factors);
        let grade = self.grade_for(score, input.on_serious_dishonest, &mut factors);
        Evaluation { score, grade, factors }
    }

    fn penalty_factor(&self, p: &ScoredPenalty, today: Date) -> Factor {
        let full = self.penalty_points.get(p.severity);
        let age = whole_months_between(p.decision_date, today);
        let what =
            format!("{} penalty of {}, {} months old", p.severity.as_str().replace('_', "-"), p.decision_date, age);
        if p.repaired {
            return Factor {
                code: "penalty_repaired",
                points: 0,
                subject: Some(p.decision_no.clone()),
                detail: format!("{what}, repaired: counts 0"),
            };
        }
        let recency = self.recency_percent(p.decision_date, today);
        let (code, points, detail) = if p.disputed {
            let points = saturate(scale(full, &[recency, self.disputed_percent]));
            let detail = format!(
                "{what}, under unresolved objection: {} × {recency}% × {}% = {}",
                signed(i64::from(full)),
                self.disputed_percent,
                signed(i64::from(points))
            );
            ("penalty_disputed", points, detail)
        } else {
            let points = saturate(scale(full, &[recency]));
            let detail = format!("{what}: {} × {recency}% = {}", signed(i64::from(full)), signed(i64::from(points)));
            ("penalty", points, detail)
        };
        Factor { code, points, subject: Some(p.decision_no.clone()), detail }
    }

    /// Percent of the narrowest band the penalty is still inside; 0 when older than all bands.
    /// A decision dated after `today` is treated as brand new (validation rejects such records).
    fn recency_percent(&self, decision: Date, today: Date) -> u32 {
        let mut bands: Vec<&RecencyBand> = self.recency_bands.iter().collect();
        bands.sort_by_key(|b| b.within_months);
        bands
            .into_iter()
            // A band end beyond the calendar's range is "forever", so the band applies.
            .find(|b| add_months(decision, b.within_months).map_or(true, |end| today < end))
            .map_or(0, |b| b.percent)
    }

    fn list_factors(&self, input: &ScoreInput, factors: &mut Vec<Factor>) {
        if input.on_serious_dishonest {
            factors.push(list_factor(
                "list_serious_dishonest",
                self.serious_dishonest_list,
                "on the serious-dishonesty list (严重失信主体名单)",
            ));
        }
        if input.on_key_attention {
            factors.push(list_factor(
                "list_key_attention",
                self.key_attention_list,
                "on the key-attention list (重点关注名单)",
            ));
        }
        if input.on_red_list {
            if input.on_serious_dishonest {
                // 守信激励 presupposes no serious dishonesty (reference §7.2 rule 7), so the red
                // list earns nothing while the subject is also on the serious-dishonesty list.
                factors.push(Factor {
                    code: "list_red",
                    points: 0,
                    subject: None,
                    detail: "on the red list (红名单), suspended by the serious-dishonesty list: 0".to_owned(),
                });
            } else {
                factors.push(list_factor("list_red", self.red_list, "on the red list (红名单)"));
            }
        }
    }

    /// The grade of `score`, capped for subjects on the serious-dishonesty list.
    fn grade_for(&self, score: i32, on_serious_dishonest: bool, factors: &mut Vec<Factor>) -> char {
        let mut table: Vec<(char, i32)> = self.grades.clone();
        // Best grade first; the lowest grade also catches scores below every minimum.
        table.sort_by_key(|g| std::cmp::Reverse(g.1));
        let grade = table.iter().find(|(_, min)| score >= *min).or(table.last()).map_or('-', |(l, _)| *l);
        let cap = self.serious_dishonest_caps_grade;
        if !on_serious_dishonest || !better_than(&table, grade, cap) {
            return grade;
        }
        factors.push(Factor {
            code: "grade_capped",
            points: 0,
            subject: None,
            detail: format!("grade {grade} capped at {cap} because the subject is on the serious-dishonesty list"),
        });
        cap
    }
}

/// Whether `grade` ranks above `cap` in a best-first table; letters missing from the table
/// compare alphabetically (A is best).
fn better_than(table: &[(char, i32)], grade: char, cap: char) -> bool {
    let rank = |c: char| table.iter().position(|(l, _)| *l == c);
    match (rank(grade), rank(cap)) {
        (Some(g), Some(c)) => g < c,
        _ => grade < cap,
    }
}

fn list_factor(code: &'static str, points: i32, what: &str) -> Factor {
    Factor { code, points, subject: None, detail: format!("{what}: {}", signed(i64::from(points))) }
}

/// Appends the clamp factor(s) so the factors sum to the clamped score, and returns the score.
fn clamp_score(factors: &mut Vec<Factor>) -> i32 {
    let raw: i64 = factors.iter().map(|f| i64::from(f.points)).sum();
    let (lo, hi) = SCORE_RANGE;
    let score = raw.clamp(i64::from(lo), i64::from(hi));
    let mut remaining = score - raw;
    // One factor unless an absurd model pushes the difference past i32; then split it so the
    // sum still holds exactly.
    while remaining != 0 {
        let part = saturate(remaining);
        factors.push(Factor {
            code: "score_clamped",
            points: part,
            subject: None,
            detail: format!("score {raw} clamped to the range {lo}..={hi}: {}", signed(i64::from(part))),
        });
        remaining -= i64::from(part);
    }
    saturate(score)
}

/// `points × p₁ × p₂ … / 100ⁿ`, rounded toward zero, computed in i128 so no input overflows.
fn scale(points: i32, percents: &[u32]) -> i64 {
    let mut num = i128::from(points);
    let mut den: i128 = 1;
    for p in percents {
        num *= i128::from(*p);
        den *= 100;
    }
    // Integer division in Rust truncates toward zero, which is the rounding we state.
    let v = num / den;
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

fn saturate(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

/// A signed number with a typographic minus, e.g. `−12`, `+10`, `0`.
fn signed(v: i64) -> String {
    match v {
        0 => "0".to_owned(),
        v if v < 0 => format!("\u{2212}{}", v.unsigned_abs()),
        v => format!("+{v}"),
    }
}
