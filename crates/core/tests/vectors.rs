//! Every test vector passes, and the repository's copy of the vectors matches shared/spec/cases.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on a broken fixture"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use coop_core::contract::vectors::check_vectors;

fn own_cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn jsonl_files(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    files
}

#[test]
fn every_vector_agrees() {
    let files = jsonl_files(&own_cases());
    assert!(!files.is_empty(), "no vectors in {}", own_cases().display());
    let mut total = 0;
    for (name, text) in &files {
        match check_vectors(text) {
            Ok(n) => total += n,
            Err(problems) => panic!(
                "{name}: {} problems\n{}",
                problems.len(),
                problems.join("\n")
            ),
        }
    }
    assert!(total >= 72, "only {total} vectors checked");
}

/// shared/ lies beside the repository in this workplace and in CI; a clone elsewhere has only
/// its own copy, which the test above still checks.
#[test]
fn own_copy_matches_shared_spec() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/cases");
    if !shared.is_dir() {
        eprintln!(
            "{} not found: drift check skipped outside the workplace",
            shared.display()
        );
        return;
    }
    let theirs = jsonl_files(&shared);
    let ours = jsonl_files(&own_cases());
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "crates/core/tests/cases must hold the same files as shared/spec/cases: copy them over"
    );
    for (name, text) in &theirs {
        assert!(
            ours.get(name) == Some(text),
            "crates/core/tests/cases/{name} differs from shared/spec/cases/{name}: copy it over"
        );
    }
}

#[test]
fn a_wrong_expectation_is_caught() {
    let line = std::fs::read_to_string(own_cases().join("rules-v1.jsonl")).unwrap();
    let first = line.lines().next().unwrap();
    let broken = first.replace(r#""days_left": 790"#, r#""days_left": 789"#);
    assert_ne!(first, broken);
    let problems = check_vectors(&broken).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("study_permit"), "{}", problems[0]);
}
