//! One `POST /api/v1/check` body through the contract as the server runs it: the case read from
//! the bytes, evaluated, the result line written. The part of the endpoint's time that is
//! the rules' own (BENCHMARKS.md "The check endpoint"); the rest is HTTP, middleware and logging.
//!
//! Run: `cargo bench -p coop-core --bench contract`.

use std::hint::black_box;

use coop_core::contract::{self, Outcome, ResultLine};
use criterion::{Criterion, criterion_group, criterion_main};

/// `scripts/load.sh`'s body.
const BODY: &[u8] = br#"{"now":"2026-12-15T23:30:00Z","student":{"coop_program":true,"coop1101":"registered","continuance_met":true},"study_permit":{"expires":"2026-12-15"}}"#;

/// What the handler does between the body's bytes and the answer's.
fn answer(body: &[u8]) -> Option<Vec<u8>> {
    match contract::check_bytes(body).ok()? {
        Outcome::Evaluated { id, evaluation } => ResultLine {
            id: id.as_ref(),
            evaluation: &evaluation,
        }
        .to_json_bytes()
        .ok(),
        Outcome::Invalid { .. } => None,
    }
}

fn check_body(c: &mut Criterion) {
    let mut group = c.benchmark_group("check endpoint body");
    group.bench_function("read the case from the bytes", |b| {
        b.iter(|| contract::read_case_bytes(black_box(BODY)))
    });
    // The way a body the direct reader leaves goes (and every body went before).
    group.bench_function("read the case through a JSON tree", |b| {
        b.iter(|| {
            let value = serde_json::from_slice::<serde_json::Value>(black_box(BODY)).ok()?;
            contract::read_case(&value).ok()
        })
    });
    let Some((_, case)) = contract::read_case_bytes(BODY) else {
        return;
    };
    group.bench_function("evaluate", |b| {
        b.iter(|| coop_core::evaluate(black_box(&case)))
    });
    let Ok(Outcome::Evaluated { id, evaluation }) = contract::check_bytes(BODY) else {
        return;
    };
    group.bench_function("write the result line", |b| {
        b.iter(|| {
            ResultLine {
                id: id.as_ref(),
                evaluation: black_box(&evaluation),
            }
            .to_json_bytes()
            .ok()
        })
    });
    group.bench_function("all three", |b| b.iter(|| answer(black_box(BODY))));
    group.finish();
}

criterion_group!(benches, check_body);
criterion_main!(benches);
