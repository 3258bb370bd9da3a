//! Seeding: subjects through the store's bulk path, then penalties and list entries through
//! the credit service like real submissions.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use qy_credit::domain::{perm, ListKind, SubjectKind};
use qy_credit::service::NewListEntry;
use qy_credit::store::subjects;
use qy_credit_rules::{Penalty, PenaltyCategory, Severity, SubjectCategory};
use qy_kernel::{Clock, Principal, PrincipalKind, RegionScope, SystemClock};
use qy_storage::sqlx::query;
use qy_storage::{Db, Row};
use qy_workcal::Date;
use tokio::task::JoinSet;

use super::names::NameGen;
use super::rng::Rng;
use super::{days_ago, kerr, CreditArgs};

/// Seeded subjects kept in memory to pick lookups, queries and checks from.
const SAMPLE_MAX: usize = 50_000;
/// Service calls of the seeding: penalties on 1 % of the subjects (at most this many) …
const PENALTIES_MAX: usize = 1_000;
/// … and list entries on 0.5 % (at most this many; each is a proposal and an approval).
const LIST_ENTRIES_MAX: usize = 400;
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// A seeded subject kept for the load phases.
#[derive(Clone)]
pub(super) struct Seeded {
    pub(super) uscc: String,
    pub(super) name: String,
    pub(super) kind: SubjectKind,
}

pub(super) struct SeedOutcome {
    pub(super) sample: Vec<Seeded>,
    /// Postings per gram, counted by the bench from the names it generated (what
    /// `insert_many` indexes).
    pub(super) grams: HashMap<String, u32>,
    pub(super) gram_rows: u64,
    pub(super) former_names: u64,
    pub(super) seconds: f64,
}

/// What the service calls of the seeding made.
pub(super) struct Records {
    pub(super) penalties: usize,
    pub(super) list_entries: usize,
    /// USCCs of the subjects that got a penalty or a list entry.
    pub(super) flagged: Vec<String>,
}

/// Township names by county code, from the shipped regions (cooperatives and shops name them).
pub(super) async fn townships(db: &Db) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let rows = query("SELECT name, parent_code FROM regions_region WHERE level = 'township'")
        .fetch_all(db.pool())
        .await
        .context("reading townships")?;
    let mut by_county: HashMap<String, Vec<String>> = HashMap::new();
    for r in rows {
        let name: String = r.try_get("name").context("reading townships")?;
        let parent: Option<String> = r.try_get("parent_code").context("reading townships")?;
        if let Some(p) = parent {
            by_county.entry(p).or_default().push(name);
        }
    }
    Ok(by_county)
}

/// `args.subjects` subjects in `insert_many` transactions of `args.batch`, `writers` at a time.
pub(super) async fn subjects(
    db: &Db,
    args: &CreditArgs,
    townships: &HashMap<String, Vec<String>>,
    writers: usize,
    today: Date,
) -> anyhow::Result<SeedOutcome> {
    let n = args.subjects;
    let mut names = NameGen::new(args.seed, townships, today);
    let stride = (n / SAMPLE_MAX).max(1);
    let mut sample = Vec::with_capacity(n.min(SAMPLE_MAX));
    let mut grams: HashMap<String, u32> = HashMap::new();
    let (mut gram_rows, mut former_names) = (0u64, 0u64);
    let now = SystemClock.now_ms();
    eprintln!("bench: seeding {n} subjects, {} per transaction, {writers} writer(s)", args.batch);
    let t0 = Instant::now();
    let mut last_progress = t0;
    let mut inflight: JoinSet<qy_kernel::Result<()>> = JoinSet::new();
    let mut done = 0usize;
    let mut start = 0usize;
    while start < n {
        let end = (start + args.batch).min(n);
        let mut batch = Vec::with_capacity(end - start);
        for i in start..end {
            let s = names.subject(i as u64)?;
            // The gram postings, as `insert_many` indexes them (for the report).
            let mut subject_grams: Vec<String> = Vec::new();
            for name in std::iter::once(&s.name).chain(s.former_names.iter().map(|(n, _)| n)) {
                subject_grams.extend(qy_textsearch::bigrams(&qy_textsearch::normalise(name)));
            }
            subject_grams.sort();
            subject_grams.dedup();
            gram_rows += subject_grams.len() as u64;
            for g in subject_grams {
                *grams.entry(g).or_default() += 1;
            }
            former_names += s.former_names.len() as u64;
            if i % stride == 0 && sample.len() < SAMPLE_MAX {
                sample.push(Seeded { uscc: s.uscc.clone().unwrap_or_default(), name: s.name.clone(), kind: s.kind });
            }
            batch.push(s);
        }
        while inflight.len() >= writers {
            if let Some(joined) = inflight.join_next().await {
                joined.map_err(|e| anyhow!("seeding task failed: {e}"))?.map_err(kerr)?;
                done += args.batch;
            }
        }
        let db = db.clone();
        inflight.spawn(async move { subjects::insert_many(&db, &batch, now).await });
        start = end;
        if last_progress.elapsed() >= PROGRESS_EVERY {
            last_progress = Instant::now();
            let secs = t0.elapsed().as_secs_f64();
            eprintln!(
                "bench: {} of {n} subjects stored in {secs:.0} s ({:.0}/s)",
                done.min(n),
                done.min(n) as f64 / secs.max(1e-9)
            );
        }
    }
    while let Some(joined) = inflight.join_next().await {
        joined.map_err(|e| anyhow!("seeding task failed: {e}"))?.map_err(kerr)?;
    }
    let seconds = t0.elapsed().as_secs_f64();
    eprintln!(
        "bench: seeded {n} subjects in {seconds:.1} s ({:.0}/s), {gram_rows} gram rows, {} distinct grams",
        n as f64 / seconds.max(1e-9),
        grams.len()
    );
    Ok(SeedOutcome { sample, grams, gram_rows, former_names, seconds })
}

/// Subjects per gram as the name search reads them: `credit_gram_count`, which the store
/// keeps with the index (`insert_many`, `add_name`).
pub(super) async fn gram_counts(db: &Db) -> anyhow::Result<HashMap<String, u32>> {
    let rows =
        query("SELECT gram, n FROM credit_gram_count").fetch_all(db.pool()).await.context("reading gram counts")?;
    let mut counts = HashMap::with_capacity(rows.len());
    for r in rows {
        let gram: String = r.try_get("gram").context("reading gram counts")?;
        let n: i64 = r.try_get("n").context("reading gram counts")?;
        counts.insert(gram, u32::try_from(n.max(0)).unwrap_or(u32::MAX));
    }
    Ok(counts)
}

/// Grams whose count differs between the bench's own tally and the store's table (a gram
/// missing on one side counts as 0 there).
pub(super) fn count_mismatches(bench: &HashMap<String, u32>, table: &HashMap<String, u32>) -> usize {
    let differs = |a: &HashMap<String, u32>, b: &HashMap<String, u32>| {
        a.iter().filter(|(g, n)| b.get(*g).copied().unwrap_or(0) != **n).count()
    };
    differs(bench, table) + table.iter().filter(|(g, n)| **n != 0 && !bench.contains_key(*g)).count()
}

fn bench_principal(id: &str, permissions: &[&str]) -> Principal {
    Principal {
        account_id: id.into(),
        username: id.into(),
        display_name: "青海省市场监督管理局（基准测试）".into(),
        kind: PrincipalKind::Staff,
        permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        scope: RegionScope::province(),
        department_id: Some("bench-credit".into()),
        uscc: None,
        token_scopes: None,
    }
}

/// Penalties on 1 % of the subjects and list entries on 0.5 % (bounded), through the service.
pub(super) async fn records(
    credit: &qy_credit::Credit,
    sample: &[Seeded],
    subjects: usize,
    rng: &mut Rng,
) -> anyhow::Result<Records> {
    let officer = bench_principal("bench-officer", &[perm::RECORDS_WRITE, perm::LISTS_PROPOSE]);
    let reviewer = bench_principal("bench-reviewer", &[perm::LISTS_APPROVE]);
    let authority = "青海省市场监督管理局";
    let authority_uscc =
        qy_cnid::Uscc::build("11", "630000", "MB1234A5").map_err(|e| anyhow!("{e}"))?.as_str().to_owned();
    let today = credit.today();
    let n_penalties = (subjects / 100).clamp(1, PENALTIES_MAX).min(sample.len());
    let n_entries = (subjects / 200).clamp(1, LIST_ENTRIES_MAX).min(sample.len());
    // Distinct sampled subjects, spread over the sample.
    let mut chosen: Vec<usize> = Vec::new();
    let mut seen = HashSet::new();
    let wanted = (n_penalties + n_entries).min(sample.len());
    while chosen.len() < wanted {
        let i = rng.below(sample.len());
        if seen.insert(i) {
            chosen.push(i);
        }
    }
    let violations: [(&str, &str, Severity, i64); 4] = [
        ("销售过期食品", "在经营场所销售超过保质期的预包装食品", Severity::General, 20_000),
        ("超标排放大气污染物", "在线监测数据显示颗粒物排放浓度超过排放标准", Severity::Serious, 150_000),
        ("计量器具未检定", "使用未经检定的电子计价秤", Severity::Minor, 1_000),
        ("虚假宣传", "在产品包装上虚构“有机”认证信息", Severity::General, 50_000),
    ];
    let mut out = Records { penalties: 0, list_entries: 0, flagged: Vec::new() };
    for (k, i) in chosen.iter().take(n_penalties).enumerate() {
        let Some(s) = sample.get(*i) else { continue };
        let (violation, facts, severity, yuan) = violations[k % violations.len()];
        let decided = days_ago(today, 20 + rng.below(700) as i64);
        let p = Penalty {
            subject_name: s.name.clone(),
            subject_category: if s.kind == SubjectKind::IndividualBusiness {
                SubjectCategory::IndividualBusiness
            } else {
                SubjectCategory::LegalEntity
            },
            uscc: Some(s.uscc.clone()),
            legal_rep: Some("王建国".into()),
            person_id_type: None,
            person_id: None,
            decision_no: format!("青市监基准罚〔{}〕{:06}号", decided.year(), k + 1),
            violation_type: violation.into(),
            facts: facts.into(),
            basis: "《中华人民共和国食品安全法》第一百二十四条".into(),
            categories: vec![PenaltyCategory::Fine],
            content: format!("罚款人民币{yuan}元"),
            fine_fen: yuan * 100,
            confiscated_fen: 0,
            suspended_licence: None,
            decision_date: decided,
            valid_until: None,
            authority: authority.into(),
            authority_uscc: authority_uscc.clone(),
            source: authority.into(),
            source_uscc: authority_uscc.clone(),
            severity,
            note: None,
        };
        credit.submit_penalty(&officer, p, None).await.map_err(kerr).context("submitting a penalty")?;
        out.penalties += 1;
        out.flagged.push(s.uscc.clone());
    }
    for (k, i) in chosen.iter().skip(n_penalties).enumerate() {
        let Some(s) = sample.get(*i) else { continue };
        let (list, basis, reason) = match k % 4 {
            0 | 1 => (ListKind::SeriousDishonest, "国办发〔2020〕49号", "因食品安全违法行为受到吊销许可证的行政处罚"),
            2 => (ListKind::KeyAttention, "发改财金规〔2017〕1798号", "一年内两次因虚假宣传受到行政处罚"),
            _ => (ListKind::Red, "《青海省守信联合激励对象名单管理办法》", "连续三年纳税信用A级且无不良记录"),
        };
        let decided = days_ago(today, 30 + rng.below(600) as i64).to_string();
        let new = NewListEntry {
            uscc: s.uscc.clone(),
            list,
            legal_basis: basis.into(),
            reason: reason.into(),
            authority: authority.into(),
            authority_uscc: authority_uscc.clone(),
            decided_on: decided.clone(),
            valid_from: decided,
            valid_to: (list != ListKind::Red).then(|| days_ago(today, -(365 + rng.below(700) as i64)).to_string()),
        };
        let entry = credit.propose_list_entry(&officer, new).await.map_err(kerr).context("proposing a list entry")?;
        credit.approve_list_entry(&reviewer, &entry.id).await.map_err(kerr).context("approving a list entry")?;
        out.list_entries += 1;
        out.flagged.push(s.uscc.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatches_count_each_differing_gram_once() {
        let map = |pairs: &[(&str, u32)]| -> HashMap<String, u32> {
            pairs.iter().map(|(g, n)| ((*g).to_owned(), *n)).collect()
        };
        let bench = map(&[("公司", 5), ("鑫盛", 1), ("牦牛", 2)]);
        assert_eq!(count_mismatches(&bench, &bench), 0);
        let table = map(&[("公司", 5), ("鑫盛", 2), ("枸杞", 1), ("青稞", 0)]);
        // 鑫盛 differs, 牦牛 is missing from the table, 枸杞 from the bench; 青稞 0 = absent.
        assert_eq!(count_mismatches(&bench, &table), 3);
    }
}
