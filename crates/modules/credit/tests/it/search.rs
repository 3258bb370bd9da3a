//! Chinese name search: partial names, former names, a wrong character, exact USCC.

use qy_credit::domain::SubjectKind;
use qy_credit::store::subjects::{self, NewSubject};

use crate::harness::{uscc, H};

fn subject(name: &str, code: &str, former: &[&str]) -> NewSubject {
    NewSubject {
        id: qy_kernel::id::new_id(),
        kind: SubjectKind::LegalEntity,
        name: name.into(),
        uscc: Some(code.into()),
        person_id_sealed: None,
        person_id_index: None,
        person_id_masked: None,
        legal_rep: None,
        region_code: code[2..8].into(),
        industry: None,
        registered_on: None,
        former_names: former.iter().map(|n| (n.to_string(), Some("2020-01-01".into()))).collect(),
    }
}

#[tokio::test]
async fn names_are_found_by_any_part_former_names_and_with_a_wrong_character() {
    let h = H::on("2026-11-20").await;
    let yak = uscc("632801", "MA0XRC01");
    let goji = uscc("632802", "MA0XRC02");
    let mut all = vec![
        subject("格尔木市高原牦牛养殖专业合作社", &yak, &["格尔木高原畜牧商行"]),
        subject("德令哈枸杞产业有限公司", &goji, &[]),
    ];
    // Many companies share the common bigrams (有限, 公司): the search must still narrow.
    for i in 0..60 {
        all.push(subject(&format!("青海第{i}号商贸有限公司"), &uscc("630100", &format!("MA1X{i:04}")), &[]));
    }
    subjects::insert_many(&h.credit.db, &all, 0).await.unwrap();
    let names = |hits: Vec<qy_credit::service::SearchHit>| hits.into_iter().map(|h| h.name).collect::<Vec<_>>();
    assert_eq!(names(h.credit.search("牦牛", 10).await.unwrap()), vec!["格尔木市高原牦牛养殖专业合作社"]);
    assert_eq!(names(h.credit.search("枸杞产业", 10).await.unwrap()), vec!["德令哈枸杞产业有限公司"]);
    // A wrong character (殖 → 植) still finds it.
    assert_eq!(names(h.credit.search("牦牛养植专业合作社", 10).await.unwrap())[0], "格尔木市高原牦牛养殖专业合作社");
    // Former names.
    let hits = h.credit.search("高原畜牧", 10).await.unwrap();
    assert_eq!(hits[0].uscc, yak);
    assert_eq!(hits[0].matched_former_name.as_deref(), Some("格尔木高原畜牧商行"));
    // Exact USCC, any case.
    assert_eq!(h.credit.search(&goji.to_lowercase(), 10).await.unwrap()[0].score, 1000);
    // Full-width brackets and spaces are ignored.
    assert_eq!(names(h.credit.search("德令哈 枸杞", 10).await.unwrap()), vec!["德令哈枸杞产业有限公司"]);
    assert_eq!(h.credit.search("牛", 10).await.unwrap_err().code, "credit.query_too_short");
    assert!(h.credit.search("完全无关的名字", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_query_of_common_grams_finds_names_that_have_them_all() {
    let h = H::on("2026-11-20").await;
    // 2,100 subjects make 商贸 and 有限 (and 青海) common: more than the search's cap each.
    let mut all: Vec<NewSubject> = (0..2_100)
        .map(|i| {
            let trade = if i % 2 == 0 { "商贸" } else { "建材" };
            subject(&format!("青海{i}号{trade}有限公司"), &uscc("630100", &format!("MA2X{i:04}")), &[])
        })
        .collect();
    all.push(subject("青海德鑫商贸有限公司", &uscc("630100", "MA3XDX01"), &["青海德鑫建材商行"]));
    subjects::insert_many(&h.credit.db, &all, 0).await.unwrap();
    assert_eq!(subjects::count(&h.credit.db).await.unwrap(), 2_101);
    let hits = h.credit.search("商贸有限", 20).await.unwrap();
    assert_eq!(hits.len(), 20);
    assert!(hits.iter().all(|h| h.name.contains("商贸有限")), "{hits:?}");
    // A rare gram still narrows a query that also has common ones, to the one subject.
    let hits = h.credit.search("德鑫商贸", 5).await.unwrap();
    assert_eq!(hits[0].name, "青海德鑫商贸有限公司");
    // The former name was stored by the bulk insert too.
    assert_eq!(
        h.credit.search("德鑫建材", 5).await.unwrap()[0].matched_former_name.as_deref(),
        Some("青海德鑫建材商行")
    );
}

#[tokio::test]
async fn the_gram_counts_stay_equal_to_the_index() {
    let h = H::on("2026-11-20").await;
    let mut all: Vec<NewSubject> = (0..30)
        .map(|i| subject(&format!("青海{i}号商贸有限公司"), &uscc("630100", &format!("MA4X{i:04}")), &[]))
        .collect();
    all.push(subject("共和县雪域牧业有限公司", &uscc("632521", "MA4XD001"), &["共和县雪域商行"]));
    subjects::insert_many(&h.credit.db, &all, 0).await.unwrap();
    let one = subject("德令哈雪域商贸有限公司", &uscc("632802", "MA4XD002"), &[]);
    subjects::insert(&h.credit.db, &one, 0).await.unwrap();
    subjects::rename(&h.credit.db, &one.id, "德令哈雪域商贸有限公司", "德令哈高原雪域商贸有限公司", "2026-01-01", 0)
        .await
        .unwrap();
    let counted = qy_storage::sqlx::query("SELECT gram, n FROM credit_gram_count ORDER BY gram")
        .fetch_all(h.credit.db.pool())
        .await
        .unwrap();
    let actual =
        qy_storage::sqlx::query("SELECT gram, COUNT(*) AS n FROM credit_name_gram GROUP BY gram ORDER BY gram")
            .fetch_all(h.credit.db.pool())
            .await
            .unwrap();
    use qy_storage::Row;
    let pairs = |rows: &[qy_storage::sqlx::any::AnyRow]| -> Vec<(String, i64)> {
        rows.iter().map(|r| (r.try_get::<String, _>("gram").unwrap(), r.try_get::<i64, _>("n").unwrap())).collect()
    };
    assert_eq!(pairs(&counted), pairs(&actual));
}
