//! What the bench reports: the seeding, the exchange setup, each phase as a ratio to its
//! limit, package_search per query kind and per word; as JSON and as a table.

use std::fmt::Write;

use super::load::{Phase, TaskLog};
use super::queries::{Kind, SearchQuery};
use super::{EXCHANGE_MIN_ROWS_PER_S, SEARCH_COMMON_GRAM, SEARCH_P99_LIMIT_MS};
use crate::bench::round;
use crate::bench_kit::latency::Latency;

#[derive(serde::Serialize)]
pub(super) struct Report {
    pub(super) store: &'static str,
    pub(super) datasets: usize,
    pub(super) departments: usize,
    pub(super) concurrency: usize,
    pub(super) seconds_per_phase: u64,
    pub(super) warmup_seconds: u64,
    pub(super) page_rows: usize,
    pub(super) seeding: SeedReport,
    pub(super) exchange: ExchangeReport,
    pub(super) phases: Vec<PhaseReport>,
    pub(super) search_by_query_kind: Vec<KindReport>,
    /// One untimed package_search per word: how many entries contain it, how many it counts.
    pub(super) words: Vec<WordReport>,
    /// Peak resident memory of this process (client and server together), MiB.
    pub(super) process_peak_rss_mb: Option<f64>,
    pub(super) client_build: &'static str,
}

#[derive(serde::Serialize)]
pub(super) struct SeedReport {
    pub(super) entries: usize,
    pub(super) seconds: f64,
    pub(super) entries_per_s: f64,
    /// Mean service time per entry of `create_entry`, `submit_entry`, `review_entry` (publish).
    pub(super) create_ms: f64,
    pub(super) submit_ms: f64,
    pub(super) publish_ms: f64,
    /// Mean `create_entry` time of the first and the last tenth of entries: how creating slows
    /// as the catalog grows.
    pub(super) create_first_tenth_ms: f64,
    pub(super) create_last_tenth_ms: f64,
    pub(super) writers: usize,
    /// Rows of `catalog_gram` and distinct grams; grams indexing more entries than the
    /// search's common-gram cap.
    pub(super) gram_rows: u64,
    pub(super) distinct_grams: u64,
    pub(super) common_grams: u64,
    /// PostgreSQL: seconds of the ANALYZE after seeding (none: not analyzed).
    pub(super) analyze_seconds: Option<f64>,
}

#[derive(serde::Serialize)]
pub(super) struct ExchangeReport {
    pub(super) table_rows: usize,
    pub(super) table_columns: usize,
    pub(super) granted_columns: Vec<String>,
    pub(super) granted_region: &'static str,
    pub(super) granted_rows: usize,
    /// Share of the table's rows the grant's region filters out.
    pub(super) filtered_share: f64,
    pub(super) csv_mb: f64,
    pub(super) upload_seconds: f64,
    /// Account, token, registration, request and approval.
    pub(super) consumer_setup_seconds: f64,
}

#[derive(serde::Serialize)]
pub(super) struct PhaseReport {
    phase: &'static str,
    /// Pages (exchange) or searches.
    pub(super) requests: u64,
    pub(super) errors: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_error: Option<String>,
    seconds: f64,
    pub(super) per_s: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) rows_per_s: Option<f64>,
    /// Rows of the table the walks passed over (granted or filtered out), per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    table_rows_per_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    walks: Option<u64>,
    p50_ms: f64,
    p95_ms: f64,
    pub(super) p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
    limit: String,
    /// ≥ 1 means within the limit: limit / measured for latency, measured / limit for rates.
    pub(super) ratio: f64,
}

impl PhaseReport {
    /// `filtered`: the share of the table's rows the grant filters out.
    pub(super) fn new(phase: Phase, logs: &[TaskLog], seconds: f64, filtered: f64) -> Self {
        let mut micros: Vec<u64> = logs.iter().flat_map(|l| l.micros.iter().copied()).collect();
        micros.sort_unstable();
        let lat = Latency::of(&micros);
        let requests = micros.len() as u64;
        let seconds = seconds.max(1e-9);
        let rows: u64 = logs.iter().map(|l| l.rows).sum();
        let rows_per_s = rows as f64 / seconds;
        let exchange = phase != Phase::Search;
        let (limit, ratio) = if exchange {
            (format!("rows/s >= {EXCHANGE_MIN_ROWS_PER_S}"), rows_per_s / EXCHANGE_MIN_ROWS_PER_S)
        } else {
            (format!("p99 <= {SEARCH_P99_LIMIT_MS} ms"), SEARCH_P99_LIMIT_MS / lat.p99.max(1e-3))
        };
        Self {
            phase: phase.name(),
            requests,
            errors: logs.iter().map(|l| l.errors).sum(),
            first_error: logs.iter().find_map(|l| l.first_error.clone()),
            seconds: round(seconds, 3),
            per_s: round(requests as f64 / seconds, 1),
            rows: exchange.then_some(rows),
            rows_per_s: exchange.then_some(round(rows_per_s, 0)),
            table_rows_per_s: exchange.then(|| round(rows_per_s / (1.0 - filtered).max(1e-9), 0)),
            walks: exchange.then(|| logs.iter().map(|l| l.walks).sum()),
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
pub(super) struct KindReport {
    kind: &'static str,
    share_of_queries: f64,
    requests: u64,
    p50_ms: f64,
    p99_ms: f64,
    mean_count: f64,
    /// Answers counting fewer matches than entries contain the words, or (whole names) whose
    /// first result does not bear the name.
    short_answers: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_short: Option<String>,
}

/// package_search per query kind.
pub(super) fn query_kinds(queries: &[SearchQuery], logs: &[TaskLog]) -> Vec<KindReport> {
    Kind::ALL
        .iter()
        .map(|kind| {
            let label = kind.label();
            let mine = queries.iter().filter(|q| q.kind == *kind).count();
            let mut micros = Vec::new();
            let (mut counted, mut answers) = (0usize, 0usize);
            for l in logs {
                for ((m, k), c) in l.micros.iter().zip(&l.labels).zip(&l.counts) {
                    if *k == label {
                        micros.push(*m);
                        counted += c;
                        answers += 1;
                    }
                }
            }
            micros.sort_unstable();
            let lat = Latency::of(&micros);
            let short = logs.iter().flat_map(|l| l.short.iter()).filter(|(k, _)| *k == label);
            KindReport {
                kind: kind.name(),
                share_of_queries: round(mine as f64 / queries.len().max(1) as f64, 3),
                requests: micros.len() as u64,
                p50_ms: round(lat.p50, 3),
                p99_ms: round(lat.p99, 3),
                mean_count: round(counted as f64 / answers.max(1) as f64, 1),
                short_answers: short.clone().count() as u64,
                first_short: short.map(|(_, why)| why.clone()).next(),
            }
        })
        .collect()
}

#[derive(serde::Serialize)]
pub(super) struct WordReport {
    pub(super) word: String,
    /// Entries with the word in their name, abstract or a keyword.
    pub(super) containing: usize,
    /// What package_search counted.
    pub(super) count: usize,
}

impl Report {
    /// The report as a table, for people.
    pub(super) fn table(&self) -> String {
        let mut t = String::new();
        let s = &self.seeding;
        let x = &self.exchange;
        let _ = writeln!(
            t,
            "\nqingyun bench catalog: {} datasets of {} departments on {}, {} clients, {} s per phase after {} s \
             warm-up, pages of {} rows ({} build)",
            self.datasets,
            self.departments,
            self.store,
            self.concurrency,
            self.seconds_per_phase,
            self.warmup_seconds,
            self.page_rows,
            self.client_build
        );
        let _ = writeln!(
            t,
            "seeding: {} entries created, submitted and published through the service in {:.1} s ({:.0}/s, {} \
             writer(s); per entry {:.1} + {:.1} + {:.1} ms, create {:.1} ms in the first tenth, {:.1} ms in the last); \
             {} gram rows, {} distinct grams, {} above the common cap of {}",
            s.entries,
            s.seconds,
            s.entries_per_s,
            s.writers,
            s.create_ms,
            s.submit_ms,
            s.publish_ms,
            s.create_first_tenth_ms,
            s.create_last_tenth_ms,
            s.gram_rows,
            s.distinct_grams,
            s.common_grams,
            SEARCH_COMMON_GRAM
        );
        if let Some(secs) = s.analyze_seconds {
            let _ = writeln!(t, "ANALYZE of the catalog tables after seeding: {secs:.1} s");
        }
        let _ = writeln!(
            t,
            "exchange: {} rows x {} columns ({:.1} MB CSV) uploaded through the service in {:.1} s; grant: {} in \
             region {}: {} rows, {:.1} % filtered out; consumer set up in {:.2} s",
            x.table_rows,
            x.table_columns,
            x.csv_mb,
            x.upload_seconds,
            x.granted_columns.join(", "),
            x.granted_region,
            x.granted_rows,
            x.filtered_share * 100.0,
            x.consumer_setup_seconds
        );
        let _ = writeln!(
            t,
            "\n{:<27} {:>8} {:>8} {:>9} {:>10} {:>6} {:>8} {:>8} {:>8} {:>8} {:>6}  {:<17} {:>6}",
            "phase",
            "requests",
            "per s",
            "rows/s",
            "table r/s",
            "walks",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "limit",
            "ratio"
        );
        let opt = |v: Option<f64>| v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "-".into());
        for p in &self.phases {
            let _ = writeln!(
                t,
                "{:<27} {:>8} {:>8.1} {:>9} {:>10} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8.1} {:>6}  {:<17} {:>6.2}",
                p.phase,
                p.requests,
                p.per_s,
                opt(p.rows_per_s),
                opt(p.table_rows_per_s),
                p.walks.map(|w| w.to_string()).unwrap_or_else(|| "-".into()),
                p.p50_ms,
                p.p95_ms,
                p.p99_ms,
                p.max_ms,
                p.errors,
                p.limit,
                p.ratio
            );
        }
        for p in &self.phases {
            if let Some(e) = &p.first_error {
                let _ = writeln!(t, "first error of {}: {e}", p.phase);
            }
        }
        let _ = writeln!(t, "ratio >= 1 means within the limit (limit/measured for latency, measured/limit for rates)");
        if !self.search_by_query_kind.is_empty() {
            let _ = writeln!(t, "\npackage_search by query kind:");
            let _ = writeln!(
                t,
                "{:<18} {:>6} {:>9} {:>8} {:>8} {:>10} {:>6}",
                "kind", "share", "requests", "p50 ms", "p99 ms", "mean count", "short"
            );
            for k in &self.search_by_query_kind {
                let _ = writeln!(
                    t,
                    "{:<18} {:>5.0}% {:>9} {:>8.2} {:>8.2} {:>10.1} {:>6}",
                    k.kind,
                    k.share_of_queries * 100.0,
                    k.requests,
                    k.p50_ms,
                    k.p99_ms,
                    k.mean_count,
                    k.short_answers
                );
            }
            for k in &self.search_by_query_kind {
                if let Some(why) = &k.first_short {
                    let _ = writeln!(t, "first short answer ({}): {why}", k.kind);
                }
            }
        }
        if !self.words.is_empty() {
            let _ = writeln!(t, "\nwords (one untimed package_search each): entries containing it / count answered");
            let cells: Vec<String> = self
                .words
                .iter()
                .map(|w| {
                    let mark = if w.count < w.containing { " SHORT" } else { "" };
                    format!("{} {}/{}{mark}", w.word, w.containing, w.count)
                })
                .collect();
            for line in cells.chunks(6) {
                let _ = writeln!(t, "  {}", line.join("   "));
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
    use super::*;

    fn log(micros: u64, n: usize, rows: u64) -> TaskLog {
        TaskLog {
            micros: vec![micros; n],
            labels: vec![Kind::Word.label(); n],
            counts: vec![7; n],
            rows,
            walks: 1,
            ..TaskLog::default()
        }
    }

    #[test]
    fn ratios_are_rate_over_limit_and_limit_over_latency() {
        let logs = [log(20_000, 100, 100_000)];
        let pull = PhaseReport::new(Phase::ExchangeHttp, &logs, 1.0, 0.75);
        assert_eq!((pull.rows_per_s, pull.table_rows_per_s, pull.ratio), (Some(100_000.0), Some(400_000.0), 2.0));
        let search = PhaseReport::new(Phase::Search, &logs, 10.0, 0.0);
        assert_eq!((search.per_s, search.p99_ms, search.ratio, search.rows_per_s), (10.0, 20.0, 15.0, None));
    }

    #[test]
    fn kinds_count_short_answers_and_mean_counts() {
        let mut l = log(1_000, 4, 0);
        l.short = vec![(Kind::Word.label(), "数据: count 1000, but 9000 entries contain it".into())];
        let queries = [super::super::queries::word("数据", 9_000)];
        let kinds = query_kinds(&queries, &[l]);
        let word = &kinds[0];
        assert_eq!((word.requests, word.mean_count, word.short_answers, word.share_of_queries), (4, 7.0, 1, 1.0));
        assert!(word.first_short.as_deref().is_some_and(|s| s.starts_with("数据")));
        assert_eq!(kinds[1].requests, 0);
    }
}
