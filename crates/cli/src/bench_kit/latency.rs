//! Latency percentiles of a bench phase, nearest rank, from sorted microseconds.

/// Milliseconds.
pub(crate) struct Latency {
    pub(crate) p50: f64,
    pub(crate) p95: f64,
    pub(crate) p99: f64,
    pub(crate) max: f64,
    pub(crate) mean: f64,
}

impl Latency {
    /// From microseconds sorted ascending; all 0 when there are none.
    pub(crate) fn of(sorted: &[u64]) -> Self {
        let at = |p: f64| -> f64 {
            if sorted.is_empty() {
                return 0.0;
            }
            let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
            sorted.get(rank.clamp(1, sorted.len()) - 1).copied().unwrap_or(0) as f64 / 1000.0
        };
        let mean =
            if sorted.is_empty() { 0.0 } else { sorted.iter().sum::<u64>() as f64 / sorted.len() as f64 / 1000.0 };
        Self { p50: at(50.0), p95: at(95.0), p99: at(99.0), max: at(100.0), mean }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_percentiles_use_nearest_rank() {
        let sorted: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        let l = Latency::of(&sorted);
        assert_eq!((l.p50, l.p95, l.p99, l.max, l.mean), (50.0, 95.0, 99.0, 100.0, 50.5));
        assert_eq!(Latency::of(&[]).p99, 0.0);
    }
}
