//! Middleware that appends every state-changing request to the audit log before the
//! response leaves: a change is acknowledged only once its audit record is committed.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use qy_kernel::audit::AuditEntry;

use crate::extract::ActorSlot;
use crate::{ApiError, AppState};

pub async fn audit_writes(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let slot = ActorSlot::default();
    req.extensions_mut().insert(slot.clone());
    // The path without its query string: paths name entities by id or code, never by
    // personal data (routes must not put ID numbers or phones in paths).
    let target: String = req.uri().path().chars().take(200).collect();
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.run(req).await;
    let entry = AuditEntry {
        actor: slot.get().unwrap_or_else(|| "anonymous".to_owned()),
        action: format!("http.{}", method.as_str().to_ascii_lowercase()),
        target,
        outcome: response.status().as_u16().to_string(),
        reason: None,
        request_id,
    };
    match state.audit(entry).await {
        Ok(()) => response,
        Err(e) => {
            // Without its audit record the change must not be acknowledged as done.
            tracing::error!(code = %e.code, detail = %e.detail, "audit append failed");
            ApiError(qy_kernel::Error::new(
                qy_kernel::ErrorKind::Unavailable,
                "audit.unavailable",
                "the audit log could not record this request; retry later",
            ))
            .into_response()
        }
    }
}
