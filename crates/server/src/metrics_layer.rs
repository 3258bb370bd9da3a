//! Request counts and latencies for `/metrics` (Prometheus text).

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Installs the Prometheus recorder once per process and returns its handle.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Fails only if another recorder was installed first; then ours stays unused.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub async fn record(req: Request, next: Next) -> Response {
    handle();
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    // The route pattern keeps label cardinality bounded.
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("qy_http_requests_total", "method" => method.clone(), "status" => status).increment(1);
    metrics::histogram!("qy_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}
