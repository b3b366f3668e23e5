//! The student CSV reader on every input its fuzz target kept (`crates/fuzz/corpus/csv_import`):
//! CI's short run of that target, without the fuzzer's long instrumented build of the store
//! (`scripts/fuzz.sh csv_import` is the long run).

use std::path::Path;

use coop_store::service::import;

#[test]
fn the_csv_reader_answers_every_input_the_fuzzer_kept() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/csv_import");
    let mut read_well = 0;
    let mut inputs = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        inputs += 1;
        if let Ok((rows, errors)) = import::parse(&bytes) {
            read_well += rows.len();
            for row in &rows {
                if errors.iter().any(|e| e.line == row.line) {
                    panic!(
                        "{}: line {} both read and refused",
                        path.display(),
                        row.line
                    );
                }
            }
        }
    }
    // The hand-written seeds alone hold four files and three students that read well.
    assert!(
        inputs >= 4 && read_well >= 3,
        "{inputs} inputs, {read_well} rows"
    );
}
