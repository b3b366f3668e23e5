//! The permit-check case reader (check-format.md), as `permit-check` and `POST /api/v1/check`
//! read it: any bytes, split into lines, each line JSON, each value a case or a test vector.
//! Beyond "no panic": a case's answer is the same when asked twice (the rules are pure) and is
//! always JSON the contract can write.
#![no_main]

use coop_core::contract::{self, vectors};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    for (index, line) in data.split(|b| *b == b'\n').enumerate() {
        let Ok(value) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let case = vectors::as_vector(&value).map_or(&value, |(case, _)| case);
        let first = contract::check_value(case).to_json(index + 1);
        let again = contract::check_value(case).to_json(index + 1);
        assert_eq!(first, again, "the same case answered twice differently");
        assert!(serde_json::to_vec(&first).is_ok());
    }
});
