//! Capture cost per event on the yak chain: schema + semantic validation and the event hash,
//! which `POST /capture` does for every event (target: ≥ 5,000 events/s on 2 cores).
//!
//! `cargo bench -p qy-epcis --bench hash_validate`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qy_epcis::{event_hash, events, validate_event_in, Context, ValidationOptions};
use serde_json::Value;

const YAK_CHAIN: &str = include_str!("../tests/data/local/qinghai-yak-chain.jsonld");

fn bench(c: &mut Criterion) {
    let Ok(doc) = serde_json::from_str::<Value>(YAK_CHAIN) else { return };
    let Ok(list) = events(&doc) else { return };
    let ctx = Context::from_document(&doc);
    let n = u64::try_from(list.len()).unwrap_or(1);

    let mut group = c.benchmark_group("yak_chain_per_event");
    group.throughput(Throughput::Elements(n));
    group.bench_function("validate+hash", |b| {
        b.iter(|| {
            for ev in list {
                let ok = validate_event_in(ev, &ctx, ValidationOptions::STRICT).is_ok();
                std::hint::black_box((ok, event_hash(ev, &ctx)));
            }
        });
    });
    group.bench_function("validate", |b| {
        b.iter(|| list.iter().all(|ev| validate_event_in(ev, &ctx, ValidationOptions::STRICT).is_ok()));
    });
    group.bench_function("hash", |b| b.iter(|| list.iter().map(|ev| event_hash(ev, &ctx).len()).sum::<usize>()));
    group.finish();

    c.bench_function("yak_chain_validate_document", |b| b.iter(|| qy_epcis::validate_document(&doc).is_ok()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
