//! A snapshot of the evaluations of 5,000 generated cases, shared with the WebAssembly tests
//! (crates/core-wasm-tests), which must reach the same digest.
//!
//! When a rule changes on purpose, update `tests/generated-fingerprint.txt` with the value this
//! test prints, in the same commit as the change.

use chrono::DateTime;
use coop_core::generate;

#[test]
fn generated_cases_match_the_recorded_fingerprint() {
    let recorded = include_str!("generated-fingerprint.txt").trim();
    let now = DateTime::parse_from_rfc3339("2026-11-27T12:00:00Z")
        .unwrap()
        .to_utc();
    let cases = generate::cases(20_261_127, 5_000, now);
    let actual = format!("{:016x}", generate::fingerprint(&cases));
    assert_eq!(
        actual, recorded,
        "the rules' answers changed on generated cases"
    );
}
