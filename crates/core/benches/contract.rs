//! One `POST /api/v1/check` body through the contract as the server runs it: the bytes parsed,
//! the case read and evaluated, the result line written. The part of the endpoint's time that is
//! the rules' own (BENCHMARKS.md "The check endpoint"); the rest is HTTP, middleware and logging.
//!
//! Run: `cargo bench -p coop-core --bench contract`.

use std::hint::black_box;

use coop_core::contract::{self, Outcome, ResultLine};
use criterion::{Criterion, criterion_group, criterion_main};

/// `scripts/load.sh`'s body.
const BODY: &[u8] = br#"{"now":"2026-12-15T23:30:00Z","student":{"coop_program":true,"coop1101":"registered","continuance_met":true},"study_permit":{"expires":"2026-12-15"}}"#;

fn answer(body: &[u8]) -> Option<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match contract::check_value(&value) {
        Outcome::Evaluated { id, evaluation } => serde_json::to_vec(&ResultLine {
            id: id.as_ref(),
            evaluation: &evaluation,
        })
        .ok(),
        Outcome::Invalid { .. } => None,
    }
}

fn check_body(c: &mut Criterion) {
    let mut group = c.benchmark_group("check endpoint body");
    group.bench_function("parse to a value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(BODY)).ok())
    });
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(BODY) else {
        return;
    };
    group.bench_function("read and evaluate", |b| {
        b.iter(|| contract::check_value(black_box(&value)))
    });
    let Outcome::Evaluated { id, evaluation } = contract::check_value(&value) else {
        return;
    };
    group.bench_function("write the result line", |b| {
        b.iter(|| {
            serde_json::to_vec(&ResultLine {
                id: id.as_ref(),
                evaluation: black_box(&evaluation),
            })
            .ok()
        })
    });
    group.bench_function("all three", |b| b.iter(|| answer(black_box(BODY))));
    group.finish();
}

criterion_group!(benches, check_body);
criterion_main!(benches);
