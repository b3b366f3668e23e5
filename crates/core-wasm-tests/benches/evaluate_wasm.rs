//! Evaluations per second in WebAssembly under Node.js: the same 1,000,000 generated cases and
//! the same loop as the native criterion benchmark (crates/core/benches/evaluate.rs).
//!
//! Run: `cargo bench -p coop-core-wasm-tests --target wasm32-unknown-unknown` (see BENCHMARKS.md).

#[cfg(target_arch = "wasm32")]
mod wasm {
    use chrono::DateTime;
    use coop_core::{evaluate, generate};
    use std::hint::black_box;
    use wasm_bindgen_test::{Criterion, Instant, wasm_bindgen_bench};

    #[wasm_bindgen_bench]
    fn evaluate_generated(c: &mut Criterion) {
        let Ok(now) = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z") else {
            return;
        };
        let cases = generate::cases(1, 1_000_000, now.to_utc());
        let mut next = 0usize;
        c.bench_function("evaluate one case (cycling over 1,000,000)", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                for _ in 0..iters {
                    if let Some(case) = cases.get(next) {
                        black_box(evaluate(black_box(case)));
                    }
                    next = (next + 1) % cases.len();
                }
                start.elapsed()
            })
        });
    }
}
