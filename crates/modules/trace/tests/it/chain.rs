//! The Qinghai chains end to end through the forms: genealogy across slaughter and packing,
//! the consumer view, recall propagation through a transformation and its notices.

use futures_util::StreamExt;
use qy_trace::demo::{DemoParty, GOJI, YAK_MEAT};
use qy_trace::domain::perm;
use qy_trace::service::forms::{lot_uri, Actor};

use crate::harness::{principal, H};

fn usccs() -> Vec<String> {
    parties().into_iter().map(|p| p.uscc).collect()
}

pub fn parties() -> Vec<DemoParty> {
    qy_trace::demo::example_parties()
}

async fn seeded() -> H {
    let h = H::new().await;
    assert!(qy_trace::demo::seed(&h.trace, &parties()).await.unwrap());
    assert!(!qy_trace::demo::seed(&h.trace, &parties()).await.unwrap(), "idempotent");
    h
}

#[tokio::test]
async fn the_yak_chain_is_traced_from_ear_tag_to_shop() {
    let h = seeded().await;
    let meat = lot_uri(YAK_MEAT, "YK20261015A");
    let g = h.trace.genealogy(&meat).await.unwrap();
    assert_eq!(g.ancestors, vec![h.trace.config().animal_uri("263280100012345")]);
    assert_eq!(g.descendants, vec!["https://id.gs1.org/00/095212340000000013".to_owned()]);
    let view = h
        .trace
        .consumer_view(&format!("https://qingyun.example/01/{YAK_MEAT}/10/YK20261015A?17=270101"))
        .await
        .unwrap();
    let stages: Vec<&str> = view.steps.iter().map(|s| s.stage).collect();
    assert_eq!(stages, ["farm", "inspection", "processing", "packing", "transport", "receiving", "shop"]);
    assert_eq!(view.origin.as_ref().unwrap().gln.as_deref(), Some("9521234000105"));
    assert_eq!(view.readings.len(), 5, "the cold chain's five readings");
    assert!(view.certs.iter().any(|c| c.kind == "quarantine"), "{:?}", view.certs);
    assert!(view.recalls.is_empty());
}

#[tokio::test]
async fn a_recall_upstream_reaches_every_lot_made_from_it_and_tells_the_holders() {
    let h = seeded().await;
    let mut notices = qy_kernel::bus::EventBus::subscribe(&*h.bus, "trace.recall.>", "t").await.unwrap();
    let regulator = principal(&[perm::REGULATE], None);
    let animal = h.trace.config().animal_uri("263280100012345");
    let r = h.trace.recall(&regulator, std::slice::from_ref(&animal), "布鲁氏菌病阳性").await.unwrap();
    let meat = lot_uri(YAK_MEAT, "YK20261015A");
    assert!(r.affected.contains(&meat), "through the slaughter: {:?}", r.affected);
    assert!(
        r.affected.contains(&"https://id.gs1.org/00/095212340000000013".to_owned()),
        "and the box it was packed in"
    );
    assert!(r.holders.contains(&"https://id.gs1.org/414/9521234000143".to_owned()), "the shop: {:?}", r.holders);
    let view = h.trace.consumer_view(&meat).await.unwrap();
    assert_eq!(view.recalls.len(), 1, "the banner shows at once");
    assert_eq!(view.steps.last().unwrap().stage, "recall");
    let recalled = h.ids(&[("EQ_disposition", "recalled")]).await;
    assert_eq!(recalled.len(), 1, "one recall event");
    // The goji lot is untouched.
    assert!(h.trace.consumer_view(&lot_uri(GOJI, "GJ20260820")).await.unwrap().recalls.is_empty());
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), notices.next()).await.unwrap().unwrap();
    assert_eq!(first.event.payload["recall_id"], r.id.as_str());
    let forbidden = h.trace.recall(&principal(&[], None), &[meat], "x").await.unwrap_err();
    assert_eq!(forbidden.code, "trace.forbidden");
}

#[tokio::test]
async fn forms_refuse_bad_input_with_specific_errors() {
    let h = seeded().await;
    let u = usccs();
    let p = principal(&[perm::RECORD], Some(&u[0]));
    let a: Actor = h.trace.actor(&p).await.unwrap();
    let e = h.trace.register_animal(&a, "26328010001234", "牦牛", "2024-01-01", None).await.unwrap_err();
    assert_eq!(e.code, "trace.invalid_ear_tag");
    let e = h.trace.register_animal(&a, "263280100012345", "牦牛", "2024-01-01", None).await.unwrap_err();
    assert_eq!(e.code, "trace.animal_exists");
    let e = h.trace.register_lot(&a, "09521234000014", "L1", 10.0, "2026-11-01").await.unwrap_err();
    assert_eq!(e.code, "trace.invalid_gtin");
    let e = h.trace.register_lot(&a, YAK_MEAT, "with space", 10.0, "2026-11-01").await.unwrap_err();
    assert_eq!(e.code, "trace.invalid_lot");
    let e = h.trace.register_lot(&a, YAK_MEAT, "L1", -1.0, "2026-11-01").await.unwrap_err();
    assert_eq!(e.code, "trace.invalid_quantity");
    let e = h.trace.register_lot(&a, YAK_MEAT, "L1", 1.0, "2026-02-30").await.unwrap_err();
    assert_eq!(e.code, "trace.invalid_date");
    let e = h.trace.pack(&a, "12345", &[lot_uri(YAK_MEAT, "YK20261015A")], None).await.unwrap_err();
    assert_eq!(e.code, "trace.invalid_sscc");
    let e = qy_trace::service::forms::parse_readings("2026-11-01", "08:00 cold").unwrap_err();
    assert_eq!(e.code, "trace.invalid_reading");
    let outsider = principal(&[perm::RECORD], Some("91632801MA0UNKN0WN"));
    assert!(h.trace.actor(&outsider).await.is_err());
    assert_eq!(h.trace.actor(&principal(&[], Some(&u[0]))).await.err().unwrap().code, "trace.forbidden");
}

#[tokio::test]
async fn a_lot_recorded_through_the_form_has_a_consumer_view() {
    let h = seeded().await;
    let u = usccs();
    let a = h.trace.actor(&principal(&[perm::RECORD], Some(&u[0]))).await.unwrap();
    let lot = h.trace.register_lot(&a, YAK_MEAT, "YK-2026-1129", 95.5, "2026-11-29").await.unwrap();
    let view = h.trace.consumer_view(&lot_uri(&lot.gtin, &lot.lot)).await.unwrap();
    assert_eq!(view.steps.len(), 1);
    assert_eq!(view.steps[0].stage, "farm");
    assert_eq!(view.lot_record.unwrap().quantity, Some(95.5));
    let dup = h.trace.register_lot(&a, YAK_MEAT, "YK-2026-1129", 1.0, "2026-11-29").await.unwrap_err();
    assert_eq!(dup.code, "trace.lot_exists");
}
