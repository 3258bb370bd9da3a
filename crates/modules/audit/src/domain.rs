//! The hash chain, pure: canonical content, row hashes, and verification.
//!
//! A row's hash is `hex(SHA-256(prev_hash || "\n" || canonical_json))`, where
//! `canonical_json` is the compact JSON object
//! `{"seq":…,"at_ms":…,"actor":…,"action":…,"target":…,"outcome":…,"reason":…,"request_id":…}`
//! (keys in exactly that order, absent values as `null`) and the first row's `prev_hash`
//! is 64 `0` characters. README.md states the same for auditors.

use qy_kernel::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// `prev_hash` of the first row: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;
/// Asia/Shanghai is UTC+8 all year.
const SHANGHAI_OFFSET_MS: i64 = 8 * 3_600_000;

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    /// Position in the log: 1, 2, 3, … without gaps.
    pub seq: i64,
    /// When it was appended, epoch milliseconds UTC.
    pub at_ms: i64,
    /// Account id of the actor, or `anonymous`.
    pub actor: String,
    /// What happened, e.g. `http.post`, `identity.personal_data.read`.
    pub action: String,
    /// What it happened to: a path or an entity reference.
    pub target: String,
    /// An HTTP status or `ok`/`denied`.
    pub outcome: String,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    /// `hash` of the row before (64 zeros for the first row).
    pub prev_hash: String,
    /// `hex(SHA-256(prev_hash || "\n" || canonical_json))`.
    pub hash: String,
}

/// The hashed content of a row. Field order is the canonical key order: do not reorder.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at_ms: i64,
    actor: &'a str,
    action: &'a str,
    target: &'a str,
    outcome: &'a str,
    reason: Option<&'a str>,
    request_id: Option<&'a str>,
}

/// The canonical JSON of a row's content (everything but the two hashes).
pub fn canonical_json(e: &Entry) -> String {
    let c = Canonical {
        seq: e.seq,
        at_ms: e.at_ms,
        actor: &e.actor,
        action: &e.action,
        target: &e.target,
        outcome: &e.outcome,
        reason: e.reason.as_deref(),
        request_id: e.request_id.as_deref(),
    };
    // Serializing strings and integers into a String cannot fail.
    serde_json::to_string(&c).unwrap_or_default()
}

/// `hex(SHA-256(prev_hash || "\n" || canonical))`, lower-case.
pub fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

impl Entry {
    /// The row that follows `prev` (`None`: the first row), hashed.
    pub fn next(prev: Option<&Head>, at_ms: i64, entry: &AuditEntry) -> Entry {
        let (seq, prev_hash) = match prev {
            Some(h) => (h.seq + 1, h.hash.clone()),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let mut row = Entry {
            seq,
            at_ms,
            actor: storable(&entry.actor),
            action: storable(&entry.action),
            target: storable(&entry.target),
            outcome: storable(&entry.outcome),
            reason: entry.reason.as_deref().map(storable),
            request_id: entry.request_id.as_deref().map(storable),
            prev_hash,
            hash: String::new(),
        };
        row.hash = row.computed_hash();
        row
    }

    /// The hash this row's content and `prev_hash` call for.
    pub fn computed_hash(&self) -> String {
        chain_hash(&self.prev_hash, &canonical_json(self))
    }
}

/// `s` as a row stores it: NUL, which PostgreSQL's text cannot hold (it would fail the whole
/// append), becomes U+FFFD. Done before hashing, so the stored row verifies.
fn storable(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

/// What `audit_head` holds: the last appended row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// The kind of the first problem found, for translation (`audit-problem-<kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A row's hash does not match its content.
    Altered,
    /// A row's `prev_hash` is not the hash of the row before it.
    BrokenLink,
    /// The first row's `prev_hash` is not 64 zeros.
    BadGenesis,
    /// `seq` skips numbers.
    Gap,
    /// `seq` does not increase.
    Order,
    /// The log does not start at seq 1.
    BadStart,
    /// `audit_head` names a later row than the log's last.
    TruncatedEnd,
    /// `audit_head` disagrees with the log's last row otherwise.
    HeadMismatch,
    /// The log has rows but `audit_head` is gone.
    HeadMissing,
}

/// The first row at which verification failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BadRow {
    /// The row where the chain breaks. For problems at the end of the log, the seq that
    /// `audit_head` names; for a missing `audit_head`, the log's last seq.
    pub seq: i64,
    pub kind: ProblemKind,
    /// The other row involved: the row before a gap or broken link, or the log's last row
    /// when `audit_head` disagrees.
    pub related_seq: Option<i64>,
    /// What is wrong, in English, e.g. `seq jumps from 4 to 6 (rows deleted)`.
    pub problem: String,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Verdict {
    pub ok: bool,
    /// Rows examined, including the bad one.
    pub rows_checked: u64,
    pub first_bad: Option<BadRow>,
}

/// Checks rows one at a time, in seq order, so that a log of any length is verified in
/// constant memory. Feed rows with `push` until it returns `false`, then call `finish`.
#[derive(Debug, Default)]
pub struct Verifier {
    last: Option<Head>,
    rows: u64,
    bad: Option<BadRow>,
}

fn bad(seq: i64, kind: ProblemKind, related_seq: Option<i64>, problem: String) -> BadRow {
    BadRow { seq, kind, related_seq, problem }
}

impl Verifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the next row. Returns `false` once a problem was found: stop feeding then.
    pub fn push(&mut self, row: &Entry) -> bool {
        if self.bad.is_some() {
            return false;
        }
        self.rows += 1;
        self.bad = self.check(row);
        self.last = Some(Head { seq: row.seq, hash: row.hash.clone() });
        self.bad.is_none()
    }

    fn check(&self, row: &Entry) -> Option<BadRow> {
        let seq = row.seq;
        match &self.last {
            None => {
                if seq != 1 {
                    let why = if seq > 1 { "rows deleted at the start" } else { "a row was inserted before it" };
                    return Some(bad(
                        seq,
                        ProblemKind::BadStart,
                        None,
                        format!("log starts at seq {seq}, not 1 ({why})"),
                    ));
                }
                if row.prev_hash != GENESIS_HASH {
                    return Some(bad(
                        seq,
                        ProblemKind::BadGenesis,
                        None,
                        format!("row seq {seq}: prev_hash is not 64 zeros as the first row's must be (rows before it were deleted, or it was replaced)"),
                    ));
                }
            }
            Some(last) => {
                if seq <= last.seq {
                    return Some(bad(
                        seq,
                        ProblemKind::Order,
                        Some(last.seq),
                        format!("seq goes from {} to {seq} (rows reordered or duplicated)", last.seq),
                    ));
                }
                if seq != last.seq + 1 {
                    return Some(bad(
                        seq,
                        ProblemKind::Gap,
                        Some(last.seq),
                        format!("seq jumps from {} to {seq} (rows deleted)", last.seq),
                    ));
                }
                if row.prev_hash != last.hash {
                    return Some(bad(
                        seq,
                        ProblemKind::BrokenLink,
                        Some(last.seq),
                        format!(
                            "row seq {seq}: prev_hash does not match row seq {} (a row before it was deleted, inserted or reordered)",
                            last.seq
                        ),
                    ));
                }
            }
        }
        if row.computed_hash() != row.hash {
            return Some(bad(
                seq,
                ProblemKind::Altered,
                None,
                format!("row seq {seq}: hash does not match its content (altered)"),
            ));
        }
        None
    }

    /// The verdict, after comparing the last row with `audit_head`.
    pub fn finish(self, head: Option<&Head>) -> Verdict {
        let first_bad = self.bad.or_else(|| end_problem(self.last.as_ref(), head));
        Verdict { ok: first_bad.is_none(), rows_checked: self.rows, first_bad }
    }
}

fn end_problem(last: Option<&Head>, head: Option<&Head>) -> Option<BadRow> {
    match (last, head) {
        (None, None) => None,
        (Some(l), None) => Some(bad(
            l.seq,
            ProblemKind::HeadMissing,
            None,
            format!("audit_head is missing, log ends at seq {} (audit_head deleted)", l.seq),
        )),
        (None, Some(h)) => Some(bad(
            h.seq,
            ProblemKind::TruncatedEnd,
            Some(0),
            format!("audit_head says last row is seq {} with hash {}, log is empty (rows deleted at the end)", h.seq, h.hash),
        )),
        (Some(l), Some(h)) if l == h => None,
        (Some(l), Some(h)) if l.seq < h.seq => Some(bad(
            h.seq,
            ProblemKind::TruncatedEnd,
            Some(l.seq),
            format!("audit_head says last row is seq {} with hash {}, log ends at seq {} (rows deleted at the end)", h.seq, h.hash, l.seq),
        )),
        (Some(l), Some(h)) if l.seq == h.seq => Some(bad(
            h.seq,
            ProblemKind::HeadMismatch,
            Some(l.seq),
            format!(
                "audit_head says last row is seq {} with hash {}, but that row's hash is {} (the last row was replaced)",
                h.seq, h.hash, l.hash
            ),
        )),
        (Some(l), Some(h)) => Some(bad(
            h.seq,
            ProblemKind::HeadMismatch,
            Some(l.seq),
            format!(
                "audit_head says last row is seq {} with hash {}, log continues to seq {} (rows added outside the audit log)",
                h.seq, h.hash, l.seq
            ),
        )),
    }
}

/// Verifies `rows` (in seq order) against `head`.
pub fn verify<'a>(rows: impl IntoIterator<Item = &'a Entry>, head: Option<&Head>) -> Verdict {
    let mut v = Verifier::new();
    for row in rows {
        if !v.push(row) {
            break;
        }
    }
    v.finish(head)
}

/// Start of the Asia/Shanghai day `YYYY-MM-DD`, epoch milliseconds UTC. `None` unless the
/// text is a real calendar date in that exact form.
pub fn day_start_ms(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = date.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let max = *month_days.get(usize::try_from(m).ok()?.checked_sub(1)?)?;
    if !(1..=max).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY_MS - SHANGHAI_OFFSET_MS)
}

/// Start of the Asia/Shanghai day after `YYYY-MM-DD`: the exclusive end of a `to` filter.
pub fn day_end_ms(date: &str) -> Option<i64> {
    day_start_ms(date).map(|ms| ms + DAY_MS)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn entry(i: i64) -> AuditEntry {
        AuditEntry {
            actor: format!("acct-{}", i % 3),
            action: if i % 2 == 0 { "http.post".into() } else { "identity.personal_data.read".into() },
            target: format!("/api/v1/things/{i}"),
            outcome: "200".into(),
            reason: (i % 2 == 1).then(|| "办理低保复核".to_owned()),
            request_id: (i % 3 == 0).then(|| format!("req-{i}")),
        }
    }

    /// A valid chain of `n` rows and its head.
    fn chain(n: i64) -> (Vec<Entry>, Head) {
        let mut rows: Vec<Entry> = Vec::new();
        for i in 1..=n {
            let prev = rows.last().map(|r: &Entry| Head { seq: r.seq, hash: r.hash.clone() });
            rows.push(Entry::next(prev.as_ref(), 1_700_000_000_000 + i * 1000, &entry(i)));
        }
        let last = rows.last().unwrap();
        let head = Head { seq: last.seq, hash: last.hash.clone() };
        (rows, head)
    }

    fn first_bad(rows: &[Entry], head: &Head) -> BadRow {
        let v = verify(rows, Some(head));
        assert!(!v.ok, "verify passed: {v:?}");
        v.first_bad.unwrap()
    }

    #[test]
    fn canonical_json_has_fixed_key_order_and_nulls() {
        let e = Entry {
            seq: 7,
            at_ms: 1_700_000_000_123,
            actor: "a\"b".into(),
            action: "http.post".into(),
            target: "/x".into(),
            outcome: "201".into(),
            reason: None,
            request_id: Some("r1".into()),
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        };
        assert_eq!(
            canonical_json(&e),
            r#"{"seq":7,"at_ms":1700000000123,"actor":"a\"b","action":"http.post","target":"/x","outcome":"201","reason":null,"request_id":"r1"}"#
        );
    }

    #[test]
    fn hash_is_sha256_of_prev_newline_canonical() {
        // sha256("0"*64 + "\n" + "{}") computed independently (Python hashlib).
        assert_eq!(chain_hash(GENESIS_HASH, "{}"), "5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e");
        let h = chain_hash("ab", "cd");
        let mut direct = Sha256::new();
        direct.update(b"ab\ncd");
        assert_eq!(h, hex::encode(direct.finalize()));
        assert_eq!(h.len(), 64);
    }

    #[test]
    fn a_fresh_chain_verifies() {
        let (rows, head) = chain(10);
        let v = verify(&rows, Some(&head));
        assert_eq!(v, Verdict { ok: true, rows_checked: 10, first_bad: None });
        assert_eq!(rows[0].seq, 1);
        assert_eq!(rows[0].prev_hash, GENESIS_HASH);
        assert_eq!(rows[1].prev_hash, rows[0].hash);
    }

    #[test]
    fn an_empty_log_without_head_verifies() {
        assert!(verify(&[], None).ok);
    }

    #[test]
    fn altering_a_field_is_found_at_that_row() {
        let (mut rows, head) = chain(10);
        rows[4].outcome = "403".into();
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind), (5, ProblemKind::Altered));
        assert_eq!(b.problem, "row seq 5: hash does not match its content (altered)");

        let (mut rows, head) = chain(10);
        rows[6].reason = None;
        assert_eq!(first_bad(&rows, &head).seq, 7);
    }

    #[test]
    fn altering_a_row_and_rehashing_it_breaks_the_next_link() {
        let (mut rows, head) = chain(10);
        rows[4].actor = "someone-else".into();
        rows[4].hash = rows[4].computed_hash();
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (6, ProblemKind::BrokenLink, Some(5)));
        assert_eq!(
            b.problem,
            "row seq 6: prev_hash does not match row seq 5 (a row before it was deleted, inserted or reordered)"
        );
    }

    #[test]
    fn deleting_a_middle_row_is_a_gap() {
        let (mut rows, head) = chain(10);
        rows.remove(4);
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (6, ProblemKind::Gap, Some(4)));
        assert_eq!(b.problem, "seq jumps from 4 to 6 (rows deleted)");
    }

    #[test]
    fn deleting_the_first_row_is_found() {
        let (mut rows, head) = chain(10);
        rows.remove(0);
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind), (2, ProblemKind::BadStart));
        assert_eq!(b.problem, "log starts at seq 2, not 1 (rows deleted at the start)");
    }

    #[test]
    fn deleting_a_row_and_renumbering_breaks_the_link() {
        let (mut rows, head) = chain(10);
        rows.remove(4);
        for (i, r) in rows.iter_mut().enumerate() {
            r.seq = i as i64 + 1;
        }
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind), (5, ProblemKind::BrokenLink));
    }

    #[test]
    fn deleting_the_last_row_is_found_through_the_head() {
        let (mut rows, head) = chain(10);
        rows.pop();
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (10, ProblemKind::TruncatedEnd, Some(9)));
        assert_eq!(
            b.problem,
            format!(
                "audit_head says last row is seq 10 with hash {}, log ends at seq 9 (rows deleted at the end)",
                head.hash
            )
        );
    }

    #[test]
    fn deleting_the_only_row_is_found() {
        let (mut rows, head) = chain(1);
        rows.pop();
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind), (1, ProblemKind::TruncatedEnd));
    }

    #[test]
    fn deleting_any_single_row_fails_verification() {
        for i in 0..10 {
            let (mut rows, head) = chain(10);
            rows.remove(i);
            assert!(!verify(&rows, Some(&head)).ok, "deleting row {} went unnoticed", i + 1);
        }
    }

    #[test]
    fn deleting_the_head_is_found() {
        let (rows, _) = chain(3);
        let v = verify(&rows, None);
        assert_eq!(v.first_bad.map(|b| (b.seq, b.kind)), Some((3, ProblemKind::HeadMissing)));
    }

    #[test]
    fn replacing_the_last_row_is_found_through_the_head() {
        let (mut rows, head) = chain(5);
        rows[4].target = "/elsewhere".into();
        rows[4].hash = rows[4].computed_hash();
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind), (5, ProblemKind::HeadMismatch));
    }

    #[test]
    fn rows_appended_behind_the_logs_back_are_found() {
        let (mut rows, head) = chain(5);
        let extra = Entry::next(Some(&head), 1, &entry(6));
        rows.push(extra);
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (5, ProblemKind::HeadMismatch, Some(6)));
    }

    #[test]
    fn swapping_two_rows_contents_is_found() {
        // Content only (the hashes stay): the first swapped row no longer matches its hash.
        let (mut rows, head) = chain(10);
        let (a, b) = (rows[3].clone(), rows[4].clone());
        for (dst, src) in [(3, &b), (4, &a)] {
            rows[dst].actor = src.actor.clone();
            rows[dst].action = src.action.clone();
            rows[dst].target = src.target.clone();
            rows[dst].at_ms = src.at_ms;
            rows[dst].reason = src.reason.clone();
            rows[dst].request_id = src.request_id.clone();
        }
        let bad = first_bad(&rows, &head);
        assert_eq!((bad.seq, bad.kind), (4, ProblemKind::Altered));

        // Everything but seq, hashes included: the link into the first swapped row breaks.
        let (mut rows, head) = chain(10);
        let (a, b) = (rows[3].clone(), rows[4].clone());
        rows[3] = Entry { seq: 4, ..b };
        rows[4] = Entry { seq: 5, ..a };
        let bad = first_bad(&rows, &head);
        assert_eq!((bad.seq, bad.kind, bad.related_seq), (4, ProblemKind::BrokenLink, Some(3)));
    }

    #[test]
    fn reordering_seq_is_found() {
        // Rows 4 and 5 exchange their seq numbers; read back in seq order.
        let (mut rows, head) = chain(10);
        rows[3].seq = 5;
        rows[4].seq = 4;
        rows.sort_by_key(|r| r.seq);
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (4, ProblemKind::BrokenLink, Some(3)));

        // Fed out of order, the seq itself goes backwards.
        let (mut rows, head) = chain(10);
        rows.swap(3, 4);
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (5, ProblemKind::Gap, Some(3)));
        let (mut rows, head) = chain(10);
        let dup = rows[2].clone();
        rows.insert(3, dup);
        let b = first_bad(&rows, &head);
        assert_eq!((b.seq, b.kind, b.related_seq), (3, ProblemKind::Order, Some(3)));
    }

    #[test]
    fn a_wrong_first_prev_hash_is_found() {
        let (mut rows, head) = chain(3);
        rows[0].prev_hash = "1".repeat(64);
        rows[0].hash = rows[0].computed_hash();
        assert_eq!(first_bad(&rows, &head).kind, ProblemKind::BadGenesis);
    }

    #[test]
    fn the_verifier_stops_at_the_first_problem() {
        let (mut rows, head) = chain(10);
        rows[2].outcome = "x".into();
        rows[6].outcome = "x".into();
        let v = verify(&rows, Some(&head));
        assert_eq!(v.rows_checked, 3);
        assert_eq!(v.first_bad.map(|b| b.seq), Some(3));
    }

    #[test]
    fn dates_are_shanghai_days() {
        // 2026-03-01 00:00 in Xining is 2026-02-28 16:00 UTC.
        assert_eq!(day_start_ms("2026-03-01"), Some(1_772_294_400_000));
        assert_eq!(day_end_ms("2026-03-01"), Some(1_772_294_400_000 + DAY_MS));
        assert_eq!(day_start_ms("1970-01-01"), Some(-SHANGHAI_OFFSET_MS));
        assert_eq!(day_start_ms("2024-02-29").map(|ms| ms + SHANGHAI_OFFSET_MS), Some(1_709_164_800_000));
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-32",
            "",
            "２０２６-01-01",
        ] {
            assert_eq!(day_start_ms(bad), None, "{bad}");
        }
    }
}
