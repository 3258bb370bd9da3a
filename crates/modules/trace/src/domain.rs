//! The traceability module's records.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod perm {
    /// Submit EPCIS documents and events through the EPCIS API (partners' systems).
    pub const CAPTURE: &str = "trace.capture";
    /// Read every event through the EPCIS query API (the consumer page needs no permission).
    pub const QUERY: &str = "trace.query";
    /// Record a producer's own lots and steps through the forms (herders, cooperatives).
    pub const RECORD: &str = "trace.record";
    /// Register producers, products and certificates; recall lots; see the dashboard.
    pub const REGULATE: &str = "trace.regulate";
}

/// Bus subject a recall is announced on; every affected holder gets one message.
pub const RECALL_SUBJECT: &str = "trace.recall.notice";

/// A producer or trader: enterprise, cooperative (合作社), family farm, slaughterhouse,
/// processor, logistics company or shop.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Party {
    pub uscc: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    /// GS1 GLN of its main site, when it has one: events use it as read point.
    pub gln: Option<String>,
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

pub const PARTY_KINDS: &[&str] =
    &["cooperative", "farm", "enterprise", "slaughterhouse", "processor", "logistics", "retailer"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Product {
    pub gtin: String,
    pub owner_uscc: String,
    pub name: String,
    pub name_en: String,
    pub name_bo: String,
    /// yak, sheep, goji, seabuckthorn, barley, rapeseed, quinoa, herbs
    pub category: String,
    pub origin_region: String,
    pub description: String,
}

pub const CATEGORIES: &[&str] = &["yak", "sheep", "goji", "seabuckthorn", "barley", "rapeseed", "quinoa", "herbs"];

/// A certificate: green food (绿色食品), organic (有机), geographical indication (地理标志),
/// or a quarantine certificate (检疫合格证明) issued for an inspection.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Cert {
    pub id: String,
    pub kind: String,
    pub code: String,
    pub holder_uscc: String,
    pub gtin: Option<String>,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
}

pub const CERT_KINDS: &[&str] = &["green", "organic", "gi", "quarantine"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Lot {
    pub gtin: String,
    pub lot: String,
    pub owner_uscc: String,
    pub origin_region: String,
    pub quantity: Option<f64>,
    pub uom: Option<String>,
    pub produced_on: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct Animal {
    pub ear_tag: String,
    pub species: String,
    pub breed: String,
    pub birth_date: String,
    pub owner_uscc: String,
    pub region_code: String,
}

/// An event as stored: the captured JSON and what the repository adds.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEvent {
    pub seq: i64,
    pub event_id: String,
    pub id_assigned: bool,
    pub event_type: String,
    pub biz_step: Option<String>,
    pub disposition: Option<String>,
    pub event_time: i64,
    pub record_time: i64,
    pub error_declared: bool,
    pub context_hash: String,
    /// The event exactly as captured.
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recall {
    pub id: String,
    pub reason: String,
    pub roots: Vec<String>,
    pub affected: Vec<String>,
    pub holders: Vec<String>,
    pub status: String,
    pub created_by: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

/// A capture job (`GET /epcis/capture/{id}`).
#[derive(Debug, Clone, Serialize)]
pub struct CaptureJob {
    pub id: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    pub running: bool,
    pub success: bool,
    pub behaviour: String,
    pub event_count: i64,
    pub captured: i64,
    pub duplicates: i64,
    pub errors: serde_json::Value,
}
