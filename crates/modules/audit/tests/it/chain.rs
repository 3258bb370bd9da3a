//! Appending, verifying and tampering, on the real database.

use std::sync::Arc;

use qy_audit::{service, store, Filter, ProblemKind, Verdict};
use qy_kernel::audit::AuditSink;
use qy_kernel::FixedClock;

use crate::{db, db_with, entry, raw, T0};

fn bad(v: &Verdict) -> (i64, ProblemKind) {
    assert!(!v.ok, "verify passed after tampering: {v:?}");
    let b = v.first_bad.as_ref().expect("first_bad");
    println!("verdict: {}", b.problem);
    (b.seq, b.kind)
}

#[tokio::test]
async fn appended_rows_chain_and_verify() {
    let (t, _) = db_with(12).await;
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(v, Verdict { ok: true, rows_checked: 12, first_bad: None });

    let rows = service::list(&t.db, &Filter::default(), None, 100).await.unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows.first().map(|r| r.seq), Some(12), "newest first");
    let oldest = rows.last().unwrap();
    assert_eq!((oldest.seq, oldest.at_ms), (1, T0));
    assert_eq!(oldest.prev_hash, qy_audit::domain::GENESIS_HASH);
    assert_eq!(rows[0].prev_hash, rows[1].hash);
    // Text round-trips exactly (quotes, newlines, Chinese), or the hashes would not verify.
    assert_eq!(rows.iter().find(|r| r.seq == 1).unwrap().reason.as_deref(), Some("低保复核 \"审批\"\n第二行"));
}

#[tokio::test]
async fn an_empty_log_verifies() {
    let t = db().await;
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(v, Verdict { ok: true, rows_checked: 0, first_bad: None });
}

#[tokio::test]
async fn verification_streams_across_pages() {
    let (t, _) = db_with(23).await;
    for page in [1, 5, 22, 23, 24] {
        let v = store::verify(&t.db, page).await.unwrap();
        assert!(v.ok && v.rows_checked == 23, "page {page}: {v:?}");
    }
    raw(&t, "DELETE FROM audit_log WHERE seq = 21").await;
    let v = store::verify(&t.db, 5).await.unwrap();
    assert_eq!(bad(&v), (22, ProblemKind::Gap));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_appends_all_succeed_and_chain() {
    let t = db().await;
    let sink: Arc<dyn AuditSink> = qy_audit::sink(t.db.clone(), Arc::new(FixedClock::new(T0)));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let sink = sink.clone();
            tokio::spawn(async move { sink.append(entry(i)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(v, Verdict { ok: true, rows_checked: 50, first_bad: None });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn appends_from_independent_sinks_chain_too() {
    // Two sinks share no mutex, like two processes on one database.
    let t = db().await;
    let a = qy_audit::sink(t.db.clone(), Arc::new(FixedClock::new(T0)));
    let b = qy_audit::sink(t.db.clone(), Arc::new(FixedClock::new(T0)));
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let sink = if i % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move { sink.append(entry(i)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(v, Verdict { ok: true, rows_checked: 40, first_bad: None });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callers_that_go_away_neither_break_the_chain_nor_stall_the_others() {
    // Requests whose clients hung up are dropped mid-append; their rows may or may not be
    // written, but every other caller gets its row and the chain stays whole.
    let t = db().await;
    let sink: Arc<dyn AuditSink> = qy_audit::sink(t.db.clone(), Arc::new(FixedClock::new(T0)));
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let sink = sink.clone();
            tokio::spawn(async move { sink.append(entry(i)).await })
        })
        .collect();
    for (i, task) in tasks.iter().enumerate() {
        if i % 3 == 0 {
            task.abort();
        }
    }
    let mut kept = 0;
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await {
            Ok(result) => {
                result.unwrap();
                kept += 1;
            }
            Err(e) => assert!(e.is_cancelled() && i % 3 == 0, "task {i}: {e}"),
        }
    }
    tokio::time::timeout(std::time::Duration::from_secs(10), sink.append(entry(99))).await.unwrap().unwrap();
    let v = service::verify(&t.db).await.unwrap();
    assert!(v.ok, "{v:?}");
    assert!(v.rows_checked > kept, "{} rows for {kept} kept callers and one more", v.rows_checked);
}

#[tokio::test]
async fn an_append_from_another_process_moves_the_head_under_a_remembered_one() {
    // The same database under a second URL has a head cache of its own: it stands for
    // another process. Each handle's next append must chain onto the other's rows.
    let t = db().await;
    let sep = if t.url.contains('?') { '&' } else { '?' };
    let other_url = if t.url.starts_with("sqlite") {
        t.url.replace("mode=rwc", "mode=rw")
    } else {
        format!("{}{sep}application_name=qy_other_process", t.url)
    };
    assert_ne!(other_url, t.url);
    let other = qy_storage::Db::connect(&other_url).await.unwrap();
    let clock = Arc::new(FixedClock::new(T0));
    let here = qy_audit::sink(t.db.clone(), clock.clone());
    let there = qy_audit::sink(other.clone(), clock);
    for i in 0..6 {
        let sink = if i % 3 == 1 { &there } else { &here };
        sink.append(entry(i)).await.unwrap();
    }
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(v, Verdict { ok: true, rows_checked: 6, first_bad: None });
    other.close().await;
}

#[tokio::test]
async fn an_updated_field_is_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4").await;
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(bad(&v), (4, ProblemKind::Altered));
    assert_eq!(v.first_bad.unwrap().problem, "row seq 4: hash does not match its content (altered)");
    assert_eq!(v.rows_checked, 4);
}

#[tokio::test]
async fn a_cleared_reason_is_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "UPDATE audit_log SET reason = NULL WHERE seq = 7").await;
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (7, ProblemKind::Altered));
}

#[tokio::test]
async fn a_deleted_middle_row_is_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "DELETE FROM audit_log WHERE seq = 5").await;
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(bad(&v), (6, ProblemKind::Gap));
    assert_eq!(v.first_bad.unwrap().problem, "seq jumps from 4 to 6 (rows deleted)");
}

#[tokio::test]
async fn a_deleted_last_row_is_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "DELETE FROM audit_log WHERE seq = 10").await;
    let v = service::verify(&t.db).await.unwrap();
    assert_eq!(bad(&v), (10, ProblemKind::TruncatedEnd));
    let problem = v.first_bad.unwrap().problem;
    assert!(problem.starts_with("audit_head says last row is seq 10 with hash "), "{problem}");
    assert!(problem.ends_with(", log ends at seq 9 (rows deleted at the end)"), "{problem}");
}

#[tokio::test]
async fn a_deleted_first_row_is_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "DELETE FROM audit_log WHERE seq = 1").await;
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (2, ProblemKind::BadStart));
}

#[tokio::test]
async fn deleting_any_single_row_fails_verification() {
    let (t, _) = db_with(6).await;
    for seq in 1..=6 {
        // Delete one row, check, put it back from a copy.
        raw(&t, "CREATE TABLE audit_copy AS SELECT * FROM audit_log").await;
        raw(&t, &format!("DELETE FROM audit_log WHERE seq = {seq}")).await;
        let v = service::verify(&t.db).await.unwrap();
        assert!(!v.ok, "deleting row {seq} went unnoticed");
        raw(&t, &format!("INSERT INTO audit_log SELECT * FROM audit_copy WHERE seq = {seq}")).await;
        raw(&t, "DROP TABLE audit_copy").await;
        assert!(service::verify(&t.db).await.unwrap().ok, "restoring row {seq}");
    }
}

#[tokio::test]
async fn a_deleted_head_is_named_and_stops_appends() {
    let (t, _) = db_with(3).await;
    raw(&t, "DELETE FROM audit_head").await;
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (3, ProblemKind::HeadMissing));
    let e = service::append(&t.db, T0, entry(4)).await.unwrap_err();
    assert_eq!(e.code, "audit.head_missing");
}

#[tokio::test]
async fn deleting_the_last_row_stays_visible_after_more_appends() {
    let (t, clock) = db_with(5).await;
    raw(&t, "DELETE FROM audit_log WHERE seq = 5").await;
    let log = qy_audit::AuditLog::new(t.db.clone(), clock);
    let row = log.append_entry(entry(6)).await.unwrap();
    assert_eq!(row.seq, 6, "the chain continues from audit_head, not from the last row left");
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (6, ProblemKind::Gap));
}

#[tokio::test]
async fn exchanged_seq_numbers_are_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "UPDATE audit_log SET seq = -1 WHERE seq = 4").await;
    raw(&t, "UPDATE audit_log SET seq = 4 WHERE seq = 5").await;
    raw(&t, "UPDATE audit_log SET seq = 5 WHERE seq = -1").await;
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (4, ProblemKind::BrokenLink));
}

#[tokio::test]
async fn swapped_contents_are_named() {
    let (t, _) = db_with(10).await;
    raw(&t, "UPDATE audit_log SET target = 'x' WHERE seq = 3").await;
    raw(&t, "UPDATE audit_log SET target = (SELECT target FROM audit_log WHERE seq = 4) WHERE seq = 3").await;
    raw(&t, "UPDATE audit_log SET target = '/api/v1/things/3' WHERE seq = 4").await;
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (3, ProblemKind::Altered));
}

#[tokio::test]
async fn a_forged_row_appended_by_hand_is_named() {
    let (t, _) = db_with(4).await;
    raw(
        &t,
        "INSERT INTO audit_log (seq, at_ms, actor, action, target, outcome, reason, request_id, prev_hash, hash) \
         SELECT 5, at_ms, actor, action, target, outcome, reason, request_id, hash, hash FROM audit_log WHERE seq = 4",
    )
    .await;
    // The forged row's own hash is wrong (the head followed it: the trigger moves the head
    // for every row inserted past it).
    assert_eq!(bad(&service::verify(&t.db).await.unwrap()), (5, ProblemKind::Altered));
}

#[tokio::test]
async fn list_filters_and_pages() {
    let (t, _) = db_with(30).await;
    let all = Filter::default();
    let page1 = service::list(&t.db, &all, None, 10).await.unwrap();
    let page2 = service::list(&t.db, &all, page1.last().map(|r| r.seq), 10).await.unwrap();
    assert_eq!(page1.iter().map(|r| r.seq).collect::<Vec<_>>(), (21..=30).rev().collect::<Vec<_>>());
    assert_eq!(page2.iter().map(|r| r.seq).collect::<Vec<_>>(), (11..=20).rev().collect::<Vec<_>>());

    let f = Filter { actor: Some("acct-1".into()), ..Filter::default() };
    let rows = service::list(&t.db, &f, None, 100).await.unwrap();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r.actor == "acct-1"));

    let f = Filter { action: Some("identity.".into()), ..Filter::default() };
    let rows = service::list(&t.db, &f, None, 100).await.unwrap();
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(|r| r.action.starts_with("identity.")));

    // `_` and `%` are literal, not wildcards.
    let f = Filter { action: Some("identity.personal_".into()), ..Filter::default() };
    assert_eq!(service::list(&t.db, &f, None, 100).await.unwrap().len(), 15);
    let f = Filter { action: Some("identity%".into()), ..Filter::default() };
    assert!(service::list(&t.db, &f, None, 100).await.unwrap().is_empty());

    let f = Filter { target: Some("things/2".into()), ..Filter::default() };
    let rows = service::list(&t.db, &f, None, 100).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 2]);

    // Entries are one minute apart from T0: minutes 5..10 are seq 6..10.
    let f = Filter { from_ms: Some(T0 + 5 * 60_000), to_ms: Some(T0 + 10 * 60_000), ..Filter::default() };
    let rows = service::list(&t.db, &f, None, 100).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![10, 9, 8, 7, 6]);
}

#[tokio::test]
async fn a_batch_is_consecutive_rows_and_moves_the_head_to_its_last() {
    let (t, _) = db_with(2).await;
    let (a, b, c) = (entry(7), entry(8), entry(9));
    let mut conn = t.db.pool().acquire().await.unwrap();
    let rows = store::append(&t.db, &mut conn, &[(T0 + 1, &a), (T0 + 2, &b), (T0 + 3, &c)]).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![3, 4, 5]);
    assert_eq!(rows[1].prev_hash, rows[0].hash);
    assert_eq!(rows[2].prev_hash, rows[1].hash);
    let stored = service::list(&t.db, &Filter::default(), None, 10).await.unwrap();
    assert_eq!(stored.iter().take(3).cloned().collect::<Vec<_>>(), rows.into_iter().rev().collect::<Vec<_>>());
    assert_eq!(service::verify(&t.db).await.unwrap(), Verdict { ok: true, rows_checked: 5, first_bad: None });
}

#[tokio::test]
async fn a_nul_in_an_entry_is_stored_as_a_replacement_character_and_verifies() {
    let t = db().await;
    let log = qy_audit::AuditLog::new(t.db.clone(), Arc::new(FixedClock::new(T0)));
    let mut e = entry(1);
    e.reason = Some("before\0after".into());
    let row = log.append_entry(e).await.unwrap();
    assert_eq!(row.reason.as_deref(), Some("before\u{FFFD}after"));
    let stored = service::list(&t.db, &Filter::default(), None, 1).await.unwrap();
    assert_eq!(stored.first(), Some(&row));
    assert_eq!(service::verify(&t.db).await.unwrap(), Verdict { ok: true, rows_checked: 1, first_bad: None });
}

#[tokio::test]
async fn store_count_counts() {
    let (t, _) = db_with(3).await;
    assert_eq!(store::count(&t.db).await.unwrap(), 3);
}
