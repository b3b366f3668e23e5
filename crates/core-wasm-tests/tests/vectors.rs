//! coop-core in WebAssembly under Node.js decides exactly as natively: every test vector, the
//! bundled time-zone data, and the fingerprint of 5,000 generated cases.

#[cfg(target_arch = "wasm32")]
#[expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on a broken fixture"
)]
mod wasm {
    use chrono::{DateTime, Utc};
    use coop_core::contract::vectors::check_vectors;
    use coop_core::time::Zone;
    use coop_core::{generate, time};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::VECTOR_FILES;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[wasm_bindgen_test]
    fn every_vector_agrees() {
        let mut total = 0;
        for (name, text) in VECTOR_FILES {
            match check_vectors(text) {
                Ok(n) => total += n,
                Err(problems) => panic!("{name}: {}", problems.join("\n")),
            }
        }
        assert!(total >= 72);
    }

    #[wasm_bindgen_test]
    fn bundled_tz_data_is_the_same_in_the_browser() {
        assert!(time::tzdb_version() >= "2026f");
        let van = Zone::vancouver();
        assert_eq!(
            van.local(at("2026-12-16T00:30:00Z")).to_rfc3339(),
            "2026-12-15T17:30:00-07:00"
        );
        assert_eq!(
            van.local(at("2026-03-08T00:30:00Z")).to_rfc3339(),
            "2026-03-07T16:30:00-08:00"
        );
        let edmonton = Zone::named("America/Edmonton").unwrap();
        assert_eq!(
            edmonton.local(at("2026-12-15T12:00:00Z")).to_rfc3339(),
            "2026-12-15T06:00:00-06:00"
        );
    }

    #[wasm_bindgen_test]
    fn generated_cases_match_the_native_fingerprint() {
        let recorded = include_str!("../../core/tests/generated-fingerprint.txt").trim();
        let cases = generate::cases(20_261_127, 5_000, at("2026-11-27T12:00:00Z"));
        assert_eq!(format!("{:016x}", generate::fingerprint(&cases)), recorded);
    }
}

/// Every vector file of crates/core/tests/cases, compiled in (wasm has no file system).
const VECTOR_FILES: &[(&str, &str)] = &[(
    "rules-v1.jsonl",
    include_str!("../../core/tests/cases/rules-v1.jsonl"),
)];

/// Natively: the list above names every vector file, so a new file is not silently skipped in wasm.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_vector_file_is_compiled_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/cases");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".jsonl"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = VECTOR_FILES
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, on_disk, "add the new vector files to VECTOR_FILES");
}
