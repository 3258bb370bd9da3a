//! Audit records for changes made outside HTTP (first start, demo data, the CLI): the audit
//! middleware only sees requests.

use qy_kernel::audit::{AuditEntry, AuditSink};
use qy_kernel::Result;

/// Appends one record with actor `system`.
pub async fn record(audit: &dyn AuditSink, action: &str, target: String, reason: &str) -> Result<()> {
    audit
        .append(AuditEntry {
            actor: "system".into(),
            action: action.into(),
            target,
            outcome: "ok".into(),
            reason: Some(reason.into()),
            request_id: None,
        })
        .await
}
