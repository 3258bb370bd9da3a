//! Which stations are connected right now, to which peer, since when (this instance).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use qy_kernel::Clock;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConnectionInfo {
    pub mn: String,
    pub peer: String,
    pub connected_at: i64,
    pub last_frame_at: i64,
}

pub struct Connections {
    clock: Arc<dyn Clock>,
    by_mn: Mutex<HashMap<String, ConnectionInfo>>,
}

impl Connections {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock, by_mn: Mutex::new(HashMap::new()) }
    }

    pub fn connected(&self, mn: &str, peer: &str) {
        let now = self.clock.now_ms();
        if let Ok(mut m) = self.by_mn.lock() {
            m.insert(
                mn.to_owned(),
                ConnectionInfo { mn: mn.to_owned(), peer: peer.to_owned(), connected_at: now, last_frame_at: now },
            );
        }
    }

    pub fn seen(&self, mn: &str) {
        let now = self.clock.now_ms();
        if let Ok(mut m) = self.by_mn.lock() {
            if let Some(c) = m.get_mut(mn) {
                c.last_frame_at = now;
            }
        }
    }

    /// Forgets the connection unless the station has reconnected from elsewhere meanwhile.
    pub fn disconnected(&self, mn: &str, peer: &str) {
        if let Ok(mut m) = self.by_mn.lock() {
            if m.get(mn).is_some_and(|c| c.peer == peer) {
                m.remove(mn);
            }
        }
    }

    pub fn get(&self, mn: &str) -> Option<ConnectionInfo> {
        self.by_mn.lock().ok().and_then(|m| m.get(mn).cloned())
    }

    pub fn all(&self) -> Vec<ConnectionInfo> {
        let mut v: Vec<ConnectionInfo> = self.by_mn.lock().map(|m| m.values().cloned().collect()).unwrap_or_default();
        v.sort_by(|a, b| a.mn.cmp(&b.mn));
        v
    }
}
