//! A traceability service on a fresh database with a movable clock, the demo registers, and
//! the GS1 example documents (kept with the qy-epcis crate's test data).

use std::sync::Arc;

use qy_kernel::{FixedClock, Principal, PrincipalKind, RegionScope};
use qy_storage::testing::TestDb;
use qy_trace::service::capture::{Document, ErrorBehaviour, Outcome};
use qy_trace::{Trace, TraceConfig};

pub struct H {
    pub trace: Trace,
    pub bus: Arc<qy_bus::InProcessBus>,
    _db: TestDb,
}

/// 2026-11-29 10:00 Beijing time.
pub const NOW: i64 = 1_795_917_600_000;

impl H {
    pub async fn new() -> H {
        let t = TestDb::new().await.unwrap();
        qy_storage::migrate(&t.db, &[qy_trace::MIGRATIONS], 0).await.unwrap();
        let clock = Arc::new(FixedClock::new(NOW));
        let bus = Arc::new(qy_bus::InProcessBus::new(clock.clone()));
        let trace = Trace::new(t.db.clone(), clock.clone(), bus.clone(), Arc::new(TraceConfig::default()));
        H { trace, bus, _db: t }
    }

    /// Captures a document's text; panics on a malformed document.
    pub async fn capture(&self, text: &str, behaviour: ErrorBehaviour) -> Outcome {
        let doc = Document::parse(text).unwrap();
        self.trace.capture(&doc, behaviour, "test").await.unwrap()
    }

    /// Runs an EPCIS query given as URL parameters; returns the eventIDs in order.
    pub async fn ids(&self, params: &[(&str, &str)]) -> Vec<String> {
        let pairs: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let page = self.trace.query_params(&pairs, "").await.unwrap();
        page.events.into_iter().map(|e| e.event_id).collect()
    }
}

pub fn principal(perms: &[&str], uscc: Option<&str>) -> Principal {
    Principal {
        account_id: "acct".into(),
        username: "u".into(),
        display_name: "U".into(),
        kind: if uscc.is_some() { PrincipalKind::Enterprise } else { PrincipalKind::Staff },
        permissions: perms.iter().map(|p| p.to_string()).collect(),
        scope: RegionScope::province(),
        department_id: None,
        uscc: uscc.map(str::to_owned),
        token_scopes: None,
    }
}

/// A file of the GS1 and hash-generator test data.
pub fn data(path: &str) -> String {
    let full = format!("{}/../../std/epcis/tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Every GS1 example document (relative paths under the test data).
pub fn example_files() -> Vec<String> {
    let root = format!("{}/../../std/epcis/tests/data/", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![format!("{root}examples")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.display().to_string());
            } else if p.extension().is_some_and(|x| x == "jsonld") {
                out.push(p.display().to_string().trim_start_matches(&root).to_owned());
            }
        }
    }
    out.sort();
    out
}
