//! Seeding: the departments straight into the store (as an installation's operator registers
//! them once), then every entry through the catalog service as in real life — an officer of
//! the department creates it and submits it, the data authority publishes it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use qy_catalog::domain::{perm, Org};
use qy_catalog::service::entries::EntryInput;
use qy_catalog::Catalog;
use qy_kernel::{Principal, PrincipalKind, RegionScope};
use tokio::task::JoinSet;

use super::texts::{self, DEPARTMENTS};
use crate::bench::kerr;
use crate::bench_kit::rng::Rng;

const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// A published entry, as the load phases need it.
#[derive(Clone)]
pub(super) struct Seeded {
    pub(super) org: usize,
    pub(super) name: String,
    pub(super) summary: String,
    pub(super) keywords: Vec<String>,
}

/// What seeding the entries took.
pub(super) struct SeedOutcome {
    pub(super) entries: Vec<Seeded>,
    pub(super) seconds: f64,
    /// Summed over all entries, milliseconds: create, submit, publish.
    pub(super) create_ms: f64,
    pub(super) submit_ms: f64,
    pub(super) publish_ms: f64,
    /// `create_entry` times of each writer, in order, milliseconds.
    pub(super) creates: Vec<Vec<f64>>,
}

impl SeedOutcome {
    fn empty(capacity: usize) -> Self {
        Self {
            entries: Vec::with_capacity(capacity),
            seconds: 0.0,
            create_ms: 0.0,
            submit_ms: 0.0,
            publish_ms: 0.0,
            creates: Vec::new(),
        }
    }

    /// Mean `create_entry` time of each writer's first and last tenth of entries, ms: how
    /// creating an entry slows as the catalog grows.
    pub(super) fn create_early_late_ms(&self) -> (f64, f64) {
        let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
        let (mut early, mut late) = (Vec::new(), Vec::new());
        for w in &self.creates {
            let tenth = (w.len() / 10).max(1).min(w.len());
            early.extend_from_slice(w.get(..tenth).unwrap_or_default());
            late.extend_from_slice(w.get(w.len() - tenth..).unwrap_or_default());
        }
        (mean(&early), mean(&late))
    }
}

/// A principal of the bench: `id`, acting for `department` with `permissions`.
pub(super) fn principal(id: &str, department: &str, permissions: &[&str]) -> Principal {
    Principal {
        account_id: id.into(),
        username: id.into(),
        display_name: format!("{id}（基准测试）"),
        kind: PrincipalKind::Staff,
        permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        scope: RegionScope::province(),
        department_id: Some(department.into()),
        uscc: None,
        token_scopes: None,
    }
}

/// The department id an org is registered under (the consumer's is a real identity department).
pub(super) fn department_id(slug: &str) -> String {
    format!("bench-{slug}")
}

/// A department's catalog officer.
pub(super) fn officer(org: &Org) -> Principal {
    let dept = org.department_id.clone().unwrap_or_default();
    principal(
        &format!("officer-{}", org.slug),
        &dept,
        &[perm::ENTRIES_WRITE, perm::SHARING_DECIDE, perm::SHARING_REQUEST],
    )
}

/// The data authority (大数据局) that publishes.
pub(super) fn reviewer() -> Principal {
    principal("reviewer-dsj", "bench-qh-dsj", &[perm::ENTRIES_REVIEW])
}

/// The first `n` departments as catalog orgs; `identity_departments` names the identity
/// department of an org by slug, where one exists.
pub(super) async fn orgs(
    catalog: &Catalog,
    n: usize,
    identity_departments: &BTreeMap<&str, String>,
) -> anyhow::Result<Vec<Org>> {
    let mut out = Vec::new();
    for (i, d) in DEPARTMENTS.iter().take(n).enumerate() {
        let body = format!("MB3BC{:03}", i + 1);
        let uscc = qy_cnid::Uscc::build("11", "630000", &body).map_err(|e| anyhow!("{e}"))?;
        let org = Org {
            id: format!("org-{}", d.slug),
            slug: d.slug.into(),
            name: d.name.into(),
            uscc: uscc.as_str().to_owned(),
            region_code: "630000".into(),
            department_id: Some(identity_departments.get(d.slug).cloned().unwrap_or_else(|| department_id(d.slug))),
            description: format!("{}的政务信息资源", d.name),
            created_at: catalog.now_ms(),
        };
        qy_catalog::store::orgs::insert(&catalog.db, &org).await.map_err(kerr).context("registering a department")?;
        out.push(org);
    }
    Ok(out)
}

/// `n` generated entries of `orgs`, created, submitted and published through the service by
/// `writers` concurrent tasks. Each task owns whole categories: the 顺序码 is the next in
/// the category, so two writers in one category would collide.
pub(super) async fn entries(
    catalog: &Catalog,
    orgs: &[Org],
    n: usize,
    writers: usize,
    rng: &mut Rng,
) -> anyhow::Result<SeedOutcome> {
    let writers = writers.max(1);
    let mut work: Vec<Vec<(usize, EntryInput)>> = (0..writers).map(|_| Vec::new()).collect();
    let mut categories: Vec<String> = Vec::new();
    for _ in 0..n {
        let d = texts::department(rng, orgs.len());
        let Some(department) = DEPARTMENTS.get(d) else { continue };
        let input = texts::entry(department, rng);
        let category = match categories.iter().position(|c| *c == input.category_code) {
            Some(k) => k,
            None => {
                categories.push(input.category_code.clone());
                categories.len() - 1
            }
        };
        if let Some(w) = work.get_mut(category % writers) {
            w.push((d, input));
        }
    }
    eprintln!("bench: creating, submitting and publishing {n} entries through the service, {writers} writer(s)");
    let t0 = Instant::now();
    let published = Arc::new(AtomicUsize::new(0));
    let mut tasks = JoinSet::new();
    for w in work {
        let catalog = catalog.clone();
        let orgs = orgs.to_vec();
        let published = Arc::clone(&published);
        tasks.spawn(async move { publish_all(&catalog, &orgs, w, &published).await });
    }
    let mut out = SeedOutcome::empty(n);
    let mut tick = tokio::time::interval_at((t0 + PROGRESS_EVERY).into(), PROGRESS_EVERY);
    loop {
        let joined = tokio::select! {
            j = tasks.join_next() => j,
            _ = tick.tick() => {
                let (done, secs) = (published.load(Ordering::Relaxed), t0.elapsed().as_secs_f64());
                eprintln!("bench: {done} of {n} entries published in {secs:.0} s ({:.0}/s)", done as f64 / secs.max(1e-9));
                continue;
            }
        };
        let Some(joined) = joined else { break };
        let done = joined.map_err(|e| anyhow!("seeding task failed: {e}"))??;
        out.entries.extend(done.entries);
        out.create_ms += done.create_ms;
        out.submit_ms += done.submit_ms;
        out.publish_ms += done.publish_ms;
        out.creates.extend(done.creates);
    }
    out.seconds = t0.elapsed().as_secs_f64();
    eprintln!(
        "bench: {} entries published in {:.1} s ({:.0}/s)",
        out.entries.len(),
        out.seconds,
        out.entries.len() as f64 / out.seconds.max(1e-9)
    );
    Ok(out)
}

/// One writer's entries, in order.
async fn publish_all(
    catalog: &Catalog,
    orgs: &[Org],
    work: Vec<(usize, EntryInput)>,
    published: &AtomicUsize,
) -> anyhow::Result<SeedOutcome> {
    let reviewer = reviewer();
    let mut out = SeedOutcome::empty(work.len());
    let mut creates = Vec::with_capacity(work.len());
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    for (d, input) in work {
        let Some(org) = orgs.get(d) else { continue };
        let by = officer(org);
        let (name, summary, keywords) = (input.name.clone(), input.summary.clone(), input.keywords.clone());
        let t = Instant::now();
        let e = catalog.create_entry(&by, input).await.map_err(kerr).context("creating an entry")?;
        creates.push(ms(t));
        out.create_ms += ms(t);
        let t = Instant::now();
        catalog.submit_entry(&by, &e.id).await.map_err(kerr).context("submitting an entry")?;
        out.submit_ms += ms(t);
        let t = Instant::now();
        catalog.review_entry(&reviewer, &e.id, true, "").await.map_err(kerr).context("publishing an entry")?;
        out.publish_ms += ms(t);
        out.entries.push(Seeded { org: d, name, summary, keywords });
        published.fetch_add(1, Ordering::Relaxed);
    }
    out.creates.push(creates);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn early_and_late_creates_are_each_writers_first_and_last_tenth() {
        let mut s = SeedOutcome::empty(0);
        s.creates = vec![(1..=20).map(f64::from).collect(), vec![5.0]];
        // Writer 1: first tenth 1, 2 and last 19, 20; writer 2: its one entry on both sides.
        assert_eq!(s.create_early_late_ms(), (8.0 / 3.0, 44.0 / 3.0));
        assert_eq!(SeedOutcome::empty(0).create_early_late_ms(), (0.0, 0.0));
    }
}
