//! S7's structural PDF inspection (`coop_core::pdf_structure`) on any bytes, seeded with every
//! trick of the 2026-12-03 review (`cargo run -p coop-core --features pdf --example pdf_tricks`).
//! Beyond "no panic": the same bytes get the same verdict twice (the callback's findings are
//! reset between inspections), and what is not a PDF by its first bytes is never accepted.
#![no_main]

use coop_core::pdf_structure::inspect;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let first = inspect(data);
    assert_eq!(first, inspect(data), "the same file judged twice differently");
    if first.is_ok() {
        assert!(
            data.windows(5).any(|w| w == b"%PDF-"),
            "accepted without a PDF header"
        );
    }
});
