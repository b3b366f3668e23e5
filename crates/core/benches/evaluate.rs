//! Evaluations per second, natively: 1,000,000 generated cases, parsed before timing starts.
//!
//! Run: `cargo bench -p coop-core --bench evaluate` (results and machine in BENCHMARKS.md).
//! The wasm twin is crates/core-wasm-tests/benches/evaluate_wasm.rs, with the same loop.

use std::hint::black_box;

use chrono::DateTime;
use coop_core::{evaluate, generate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CASES: usize = 1_000_000;

fn evaluate_generated(c: &mut Criterion) {
    let Ok(now) = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z") else {
        return;
    };
    let cases = generate::cases(1, CASES, now.to_utc());
    let mut group = c.benchmark_group("evaluate");

    group.throughput(Throughput::Elements(1));
    let mut next = 0usize;
    group.bench_function("one case (cycling over 1,000,000)", |b| {
        b.iter(|| {
            let case = cases.get(next);
            next = (next + 1) % CASES;
            case.map(|case| evaluate(black_box(case)))
        })
    });

    group.throughput(Throughput::Elements(CASES as u64));
    group.sample_size(10);
    group.bench_function("all 1,000,000 cases", |b| {
        b.iter(|| {
            cases
                .iter()
                .map(|case| evaluate(black_box(case)).reminders.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, evaluate_generated);
criterion_main!(benches);
