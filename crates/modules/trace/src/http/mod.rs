//! HTTP: the EPCIS 2.0 REST bindings (`/epcis`), the Digital Link resolver and consumer
//! page, the producers' forms, the regulator's dashboard, and the native JSON API.

pub mod api;
mod chart;
pub mod dashboard;
pub mod epcis;
mod epcis_error;
mod epcis_queries;
pub mod forms;
mod labels;
pub mod resolver;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("trace/consumer.html", include_str!("../../templates/consumer.html")),
    ("trace/record.html", include_str!("../../templates/record.html")),
    ("trace/labels.html", include_str!("../../templates/labels.html")),
    ("trace/regulator.html", include_str!("../../templates/regulator.html")),
    ("trace/recall.html", include_str!("../../templates/recall.html")),
];

/// `https://host` of the request, or the configured public address: what QR codes carry.
pub(crate) fn public_base(state: &qy_web::AppState, headers: &axum::http::HeaderMap) -> String {
    match &state.config.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
            format!("{}://{host}", if https { "https" } else { "http" })
        }
    }
}
