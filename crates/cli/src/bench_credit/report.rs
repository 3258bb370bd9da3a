//! What the bench reports: the seeding, each phase as a ratio to its limit, and the name
//! search per query kind; as JSON and as a table.

use std::fmt::Write;

use super::load::{Phase, TaskLog};
use super::queries::{Query, QueryKind};
use super::round;
use super::seed::{Records, SeedOutcome};
use super::{CHECK_MIN_PER_S, LOOKUP_P99_LIMIT_MS, SEARCH_COMMON_GRAM, SEARCH_P99_LIMIT_MS};
use crate::bench_kit::latency::Latency;

#[derive(serde::Serialize)]
pub(super) struct Report {
    pub(super) store: &'static str,
    pub(super) subjects: usize,
    pub(super) concurrency: usize,
    pub(super) seconds_per_phase: u64,
    pub(super) warmup_seconds: u64,
    pub(super) seeding: SeedReport,
    pub(super) phases: Vec<PhaseReport>,
    pub(super) search_by_query_kind: Vec<QueryKindReport>,
    /// Peak resident memory of this process (client and server together), MiB.
    pub(super) process_peak_rss_mb: Option<f64>,
    pub(super) client_build: &'static str,
}

#[derive(serde::Serialize)]
pub(super) struct SeedReport {
    seconds: f64,
    subjects_per_s: f64,
    /// Rows of `credit_name_gram` (distinct bigrams per subject, former names included).
    gram_rows: u64,
    distinct_grams: usize,
    /// Grams indexing more subjects than the search's common-gram cap.
    common_grams: usize,
    /// The most common grams and their postings.
    top_grams: Vec<(String, u64)>,
    /// Median postings of a gram.
    median_postings: u64,
    /// Grams whose count in `credit_gram_count` (what the search plans with, and what the
    /// figures above are) differs from the bench's tally of what it inserted: 0 expected.
    gram_count_mismatches: usize,
    former_names: u64,
    penalties: usize,
    list_entries: usize,
    records_seconds: f64,
    #[serde(flatten)]
    settling: Settling,
}

/// What was done to the store between seeding and measuring.
#[derive(serde::Serialize)]
pub(super) struct Settling {
    /// Size of the SQLite files after seeding.
    pub(super) database_mb: Option<f64>,
    /// PostgreSQL: seconds of the ANALYZE after seeding (none: not analyzed).
    pub(super) analyze_seconds: Option<f64>,
}

impl SeedReport {
    pub(super) fn new(
        seeded: &SeedOutcome,
        subjects: usize,
        records: &Records,
        records_seconds: f64,
        settling: Settling,
        gram_count_mismatches: usize,
    ) -> Self {
        let mut postings: Vec<u64> = seeded.grams.values().map(|n| u64::from(*n)).collect();
        postings.sort_unstable();
        let mut top: Vec<(String, u64)> = seeded.grams.iter().map(|(g, n)| (g.clone(), u64::from(*n))).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(8);
        Self {
            seconds: round(seeded.seconds, 1),
            subjects_per_s: round(subjects as f64 / seeded.seconds.max(1e-9), 0),
            gram_rows: seeded.gram_rows,
            distinct_grams: seeded.grams.len(),
            common_grams: postings.iter().filter(|n| **n > SEARCH_COMMON_GRAM).count(),
            top_grams: top,
            median_postings: postings.get(postings.len() / 2).copied().unwrap_or(0),
            gram_count_mismatches,
            former_names: seeded.former_names,
            penalties: records.penalties,
            list_entries: records.list_entries,
            records_seconds: round(records_seconds, 2),
            settling,
        }
    }
}

#[derive(serde::Serialize)]
pub(super) struct PhaseReport {
    phase: &'static str,
    pub(super) requests: u64,
    pub(super) errors: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_error: Option<String>,
    seconds: f64,
    pub(super) per_s: f64,
    p50_ms: f64,
    p95_ms: f64,
    pub(super) p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
    /// e.g. "p99 <= 100 ms", "calls/s >= 500".
    limit: String,
    /// ≥ 1 means within the limit: limit / measured for latency, measured / limit for rates.
    ratio: f64,
}

impl PhaseReport {
    /// The report of `phase` from its clients' logs over a window of `seconds`.
    pub(super) fn new(phase: Phase, logs: &[TaskLog], seconds: f64) -> Self {
        let mut micros: Vec<u64> = logs.iter().flat_map(|l| l.micros.iter().copied()).collect();
        micros.sort_unstable();
        let lat = Latency::of(&micros);
        let requests = micros.len() as u64;
        let per_s = requests as f64 / seconds.max(1e-9);
        let (limit, ratio) = match phase {
            Phase::Lookup => (format!("p99 <= {LOOKUP_P99_LIMIT_MS} ms"), LOOKUP_P99_LIMIT_MS / lat.p99.max(1e-3)),
            Phase::Search => (format!("p99 <= {SEARCH_P99_LIMIT_MS} ms"), SEARCH_P99_LIMIT_MS / lat.p99.max(1e-3)),
            Phase::CheckHttp | Phase::CheckPort => (format!("calls/s >= {CHECK_MIN_PER_S}"), per_s / CHECK_MIN_PER_S),
        };
        Self {
            phase: phase.name(),
            requests,
            errors: logs.iter().map(|l| l.errors).sum(),
            first_error: logs.iter().find_map(|l| l.first_error.clone()),
            seconds: round(seconds, 3),
            per_s: round(per_s, 1),
            p50_ms: round(lat.p50, 3),
            p95_ms: round(lat.p95, 3),
            p99_ms: round(lat.p99, 3),
            max_ms: round(lat.max, 3),
            mean_ms: round(lat.mean, 3),
            limit,
            ratio: round(ratio, 3),
        }
    }
}

#[derive(serde::Serialize)]
pub(super) struct QueryKindReport {
    kind: &'static str,
    share_of_queries: f64,
    requests: u64,
    p50_ms: f64,
    p99_ms: f64,
    /// Queries whose grams (those that index anyone) are all common: the search then takes
    /// the subjects having the rarest three, not a rare gram's.
    only_common_grams: f64,
    /// Substring and exact-name queries: answers whose first hit does not contain the query
    /// although the subject it was cut from does.
    #[serde(skip_serializing_if = "Option::is_none")]
    top_hit_misses: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_missed_query: Option<String>,
}

/// The search phase per query kind.
pub(super) fn query_kinds(queries: &[Query], logs: &[TaskLog]) -> Vec<QueryKindReport> {
    QueryKind::ALL
        .iter()
        .map(|kind| {
            let label = kind.label();
            let mine = queries.iter().filter(|q| q.kind == *kind).count();
            let common = queries.iter().filter(|q| q.kind == *kind && q.only_common).count();
            let mut micros: Vec<u64> = logs
                .iter()
                .flat_map(|l| l.micros.iter().zip(&l.labels).filter(|(_, k)| **k == label).map(|(m, _)| *m))
                .collect();
            micros.sort_unstable();
            let lat = Latency::of(&micros);
            QueryKindReport {
                kind: kind.name(),
                share_of_queries: round(mine as f64 / queries.len().max(1) as f64, 3),
                requests: micros.len() as u64,
                p50_ms: round(lat.p50, 3),
                p99_ms: round(lat.p99, 3),
                only_common_grams: round(common as f64 / mine.max(1) as f64, 3),
                top_hit_misses: kind
                    .checked()
                    .then(|| logs.iter().map(|l| l.misses.get(&label).map_or(0, |m| m.0)).sum()),
                first_missed_query: logs.iter().find_map(|l| l.misses.get(&label).map(|m| m.1.clone())),
            }
        })
        .collect()
}

impl Report {
    /// The report as a table, for people.
    pub(super) fn table(&self) -> String {
        let mut t = String::new();
        let s = &self.seeding;
        let _ = writeln!(
            t,
            "\nqingyun bench credit: {} subjects on {}, {} clients, {} s per phase after {} s warm-up ({} build)",
            self.subjects, self.store, self.concurrency, self.seconds_per_phase, self.warmup_seconds, self.client_build
        );
        let _ = writeln!(
            t,
            "seeding: {:.1} s, {:.0} subjects/s; {} gram rows ({:.1} per subject), {} distinct grams, {} above the \
             common cap of {}, median postings {} (credit_gram_count; {} grams differ from the bench's tally); {} \
             former names",
            s.seconds,
            s.subjects_per_s,
            s.gram_rows,
            s.gram_rows as f64 / self.subjects.max(1) as f64,
            s.distinct_grams,
            s.common_grams,
            SEARCH_COMMON_GRAM,
            s.median_postings,
            s.gram_count_mismatches,
            s.former_names
        );
        let top: Vec<String> = s.top_grams.iter().map(|(g, n)| format!("{g} {n}")).collect();
        let _ = writeln!(t, "most common grams: {}", top.join(", "));
        let _ = writeln!(
            t,
            "records: {} penalties and {} list entries through the service in {:.2} s{}",
            s.penalties,
            s.list_entries,
            s.records_seconds,
            s.settling.database_mb.map(|m| format!("; SQLite files {m:.0} MB")).unwrap_or_default()
        );
        if self.store == "postgres" {
            let _ = match s.settling.analyze_seconds {
                Some(secs) => writeln!(t, "ANALYZE of the credit tables after seeding: {secs:.1} s"),
                None => writeln!(t, "credit tables not analyzed after seeding (--no-analyze)"),
            };
        }
        let _ = writeln!(
            t,
            "\n{:<22} {:>9} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7}  {:<18} {:>6}",
            "phase", "requests", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "limit", "ratio"
        );
        for p in &self.phases {
            let _ = writeln!(
                t,
                "{:<22} {:>9} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>8.1} {:>7}  {:<18} {:>6.2}",
                p.phase, p.requests, p.per_s, p.p50_ms, p.p95_ms, p.p99_ms, p.max_ms, p.errors, p.limit, p.ratio
            );
        }
        for p in &self.phases {
            if let Some(e) = &p.first_error {
                let _ = writeln!(t, "first error of {}: {e}", p.phase);
            }
        }
        let _ = writeln!(t, "ratio >= 1 means within the limit (limit/measured for latency, measured/limit for rates)");
        let _ = writeln!(t, "\nname search by query kind:");
        let _ = writeln!(
            t,
            "{:<10} {:>6} {:>9} {:>8} {:>8} {:>12} {:>9}",
            "kind", "share", "requests", "p50 ms", "p99 ms", "only common", "top miss"
        );
        for k in &self.search_by_query_kind {
            let miss = k.top_hit_misses.map(|m| m.to_string()).unwrap_or_else(|| "-".into());
            let _ = writeln!(
                t,
                "{:<10} {:>5.0}% {:>9} {:>8.2} {:>8.2} {:>11.1}% {:>9}",
                k.kind,
                k.share_of_queries * 100.0,
                k.requests,
                k.p50_ms,
                k.p99_ms,
                k.only_common_grams * 100.0,
                miss
            );
        }
        for k in &self.search_by_query_kind {
            if let Some(q) = &k.first_missed_query {
                let _ = writeln!(t, "first {} query whose first hit misses it: {q}", k.kind);
            }
        }
        if let Some(rss) = self.process_peak_rss_mb {
            let _ = writeln!(t, "\nprocess peak RSS (client + server): {rss:.0} MB");
        }
        t
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ratios_are_limit_over_latency_and_rate_over_limit() {
        let log = TaskLog { micros: vec![50_000; 100], labels: vec![0; 100], ..TaskLog::default() };
        let logs = [log];
        let search = PhaseReport::new(Phase::Search, &logs, 10.0);
        assert_eq!((search.requests, search.p99_ms, search.ratio), (100, 50.0, 6.0));
        let check = PhaseReport::new(Phase::CheckPort, &logs, 0.1);
        assert_eq!((check.per_s, check.ratio), (1000.0, 2.0));
    }

    #[test]
    fn table_shows_phases_kinds_and_analyze() {
        let seeded = SeedOutcome {
            sample: Vec::new(),
            grams: [("公司".to_owned(), 3_000), ("鑫盛".to_owned(), 3)].into_iter().collect(),
            gram_rows: 3_003,
            former_names: 0,
            seconds: 1.0,
        };
        let records = Records { penalties: 1, list_entries: 1, flagged: Vec::new() };
        let settling = Settling { database_mb: None, analyze_seconds: Some(0.5) };
        let logs =
            [TaskLog { micros: vec![1_000; 10], labels: vec![QueryKind::Exact.label(); 10], ..TaskLog::default() }];
        let report = Report {
            store: "postgres",
            subjects: 3_000,
            concurrency: 1,
            seconds_per_phase: 1,
            warmup_seconds: 0,
            seeding: SeedReport::new(&seeded, 3_000, &records, 0.1, settling, 0),
            phases: vec![PhaseReport::new(Phase::Search, &logs, 1.0)],
            search_by_query_kind: query_kinds(&[], &logs),
            process_peak_rss_mb: None,
            client_build: "debug",
        };
        assert_eq!(report.seeding.common_grams, 1);
        let table = report.table();
        assert!(table.contains("ANALYZE of the credit tables after seeding: 0.5 s"), "{table}");
        assert!(table.contains("only common") && table.contains("top miss") && !table.contains("gram rows/q"));
        let exact = table.lines().find(|l| l.starts_with("exact")).unwrap();
        assert!(exact.contains(" 10 ") && exact.ends_with(" 0"), "{exact}");
    }
}
