//! Static assets, embedded in the binary. Names carry a content hash so browsers may cache
//! them for a year; a weak link downloads each file once.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    logical: &'static str,
    mime: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        logical: "qingyun.css",
        mime: "text/css; charset=utf-8",
        bytes: include_bytes!("../../../web/static/qingyun.css"),
    },
    Asset {
        logical: "qingyun.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../../web/static/qingyun.js"),
    },
    Asset { logical: "favicon.svg", mime: "image/svg+xml", bytes: include_bytes!("../../../web/static/favicon.svg") },
    // Third-party front-end code comes from npm (web/package-lock.json); build.rs copies it
    // into OUT_DIR, or leaves an empty file when `npm ci` has not run: pages work without it.
    Asset {
        logical: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js")),
    },
    Asset {
        logical: "leaflet.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/leaflet.js")),
    },
    Asset {
        logical: "leaflet.css",
        mime: "text/css; charset=utf-8",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/leaflet.css")),
    },
    // Apache ECharts (Apache-2.0), fetched by eco-chart.js only when a chart scrolls into view.
    Asset {
        logical: "echarts.min.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/echarts.min.js")),
    },
    // Our own map script (eco module pages); plain JavaScript, no build step.
    Asset {
        logical: "eco-map.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../../web/static/eco-map.js"),
    },
    // Interactive station charts over the server-rendered SVG ones (eco station page).
    Asset {
        logical: "eco-chart.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../../web/static/eco-chart.js"),
    },
    // The farm-of-origin map of the traceability consumer page.
    Asset {
        logical: "trace-map.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../../web/static/trace-map.js"),
    },
];

struct Index {
    /// logical name → hashed name
    hashed: HashMap<&'static str, String>,
    /// hashed name → asset
    by_hashed: HashMap<String, &'static Asset>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut hashed = HashMap::new();
        let mut by_hashed = HashMap::new();
        for a in ASSETS {
            let digest = hex::encode(Sha256::digest(a.bytes));
            let (stem, ext) = a.logical.rsplit_once('.').unwrap_or((a.logical, ""));
            let name = format!("{stem}.{}.{ext}", &digest[..10]);
            hashed.insert(a.logical, name.clone());
            by_hashed.insert(name, a);
        }
        Index { hashed, by_hashed }
    })
}

/// The URL of an asset by its logical name (`qingyun.css` → `/assets/qingyun.3f2a….css`).
/// `None` for an unknown or empty (not built) asset.
pub fn url(logical: &str) -> Option<String> {
    let a = ASSETS.iter().find(|a| a.logical == logical)?;
    if a.bytes.is_empty() {
        return None;
    }
    index().hashed.get(logical).map(|h| format!("/assets/{h}"))
}

/// `GET /assets/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    match index().by_hashed.get(&name) {
        Some(a) if !a.bytes.is_empty() => {
            ([(header::CONTENT_TYPE, a.mime), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], a.bytes)
                .into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
