//! The permit-check case reader (check-format.md), as `permit-check` and `POST /api/v1/check`
//! read it: any bytes, split into lines, each line JSON, each value a case or a test vector.
//! Beyond "no panic": a case's answer is the same when asked twice (the rules are pure) and is
//! always JSON the contract can write; and the endpoint's way in (`check_bytes`, which reads a
//! well-formed case without a JSON tree) answers every line exactly as the full reader does.
#![no_main]

use coop_core::contract::{self, vectors};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    for (index, line) in data.split(|b| *b == b'\n').enumerate() {
        let parsed = serde_json::from_slice::<Value>(line);
        match (&parsed, contract::check_bytes(line)) {
            (Ok(value), Ok(outcome)) => assert_eq!(
                outcome,
                contract::check_value(value),
                "read from the bytes and through the tree differently"
            ),
            (Err(_), Err(_)) => {}
            (Ok(_), Err(_)) => panic!("JSON the endpoint's reader calls unreadable"),
            (Err(_), Ok(_)) => panic!("the endpoint's reader took what is not JSON"),
        }
        let Ok(value) = parsed else {
            continue;
        };
        let case = vectors::as_vector(&value).map_or(&value, |(case, _)| case);
        let first = contract::check_value(case).to_json(index + 1);
        let again = contract::check_value(case).to_json(index + 1);
        assert_eq!(first, again, "the same case answered twice differently");
        assert!(serde_json::to_vec(&first).is_ok());
    }
});
