//! The factor catalogue (HJ 212-2017 Appendix B, HJ 524/525 codes), from `qy-hj212`.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Factor {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Unit as ambient stations send it; stations may differ (see the reference's warning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'static str>,
}

pub fn catalogue() -> Vec<Factor> {
    qy_hj212::FACTOR_CODES
        .iter()
        .map(|f| Factor { code: f.code, name_zh: f.name_zh, name_en: f.name_en, unit: f.unit })
        .collect()
}

/// The factors shown first for a kind of station: the six AQI pollutants, or the water
/// quality indicators of GB 3838 that stations measure automatically.
pub fn headline(kind: super::station::StationKind) -> &'static [&'static str] {
    match kind {
        super::station::StationKind::Air => &["a34004", "a34002", "a05024", "a21004", "a21026", "a21005"],
        _ => &["w01001", "w01009", "w01019", "w21003", "w21011", "w01010"],
    }
}
