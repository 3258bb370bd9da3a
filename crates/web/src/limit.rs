//! A small fixed-window rate limiter keyed by strings (e.g. `login:<ip>`), in memory.
//! Each instance limits on its own; account lockout (in the database) is what holds across
//! instances.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// Counts one hit on `key` at `now_ms`; `false` when more than `max` hits fell in the
    /// current window of `window_ms`.
    pub fn hit(&self, key: &str, max: u32, window_ms: i64, now_ms: i64) -> bool {
        let Ok(mut map) = self.windows.lock() else { return true };
        if map.len() > 100_000 {
            // Bound memory under a flood of distinct keys: drop expired windows.
            map.retain(|_, (start, _)| now_ms - *start < window_ms);
        }
        let entry = map.entry(key.to_owned()).or_insert((now_ms, 0));
        if now_ms - entry.0 >= window_ms {
            *entry = (now_ms, 0);
        }
        entry.1 += 1;
        entry.1 <= max
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_within_a_window_and_resets_after() {
        let l = super::RateLimiter::default();
        assert!((0..3).all(|_| l.hit("k", 3, 1000, 0)));
        assert!(!l.hit("k", 3, 1000, 10));
        assert!(l.hit("k", 3, 1000, 1000));
        assert!(l.hit("other", 3, 1000, 10));
    }
}
