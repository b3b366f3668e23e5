//! The document upload's multipart reader on every input its fuzz target kept
//! (`crates/fuzz/corpus/multipart_upload`: a boundary line, then the body): CI's short run of
//! that target, without the fuzzer's long instrumented build of the server
//! (`scripts/fuzz.sh multipart_upload` is the long run).

use std::path::Path;

use coop_server::routes::documents::read_upload_body;

#[tokio::test]
async fn the_multipart_reader_answers_every_input_the_fuzzer_kept() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/fuzz/corpus/multipart_upload");
    let mut inputs = 0;
    let mut uploads = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        inputs += 1;
        let (boundary, body) = data.split_at(data.iter().position(|b| *b == b'\n').unwrap_or(0));
        let body = body.strip_prefix(b"\n").unwrap_or(body).to_vec();
        let Ok(boundary) = std::str::from_utf8(boundary) else {
            continue;
        };
        let size = body.len();
        if let Ok(upload) = read_upload_body(boundary, body).await {
            assert!(upload.bytes.len() <= size);
            uploads += 1;
        }
    }
    // The seeds hold one well-formed upload, one cut short and one with an unknown field.
    assert!(
        inputs >= 3 && uploads >= 1,
        "{inputs} inputs, {uploads} uploads"
    );
}
