//! The document upload's multipart reader on every input its fuzz target kept
//! (`crates/fuzz/corpus/multipart_upload`: a boundary line, then the body): CI's short run of
//! that target, without the fuzzer's long instrumented build of the server
//! (`scripts/fuzz.sh multipart_upload` is the long run).

use std::path::Path;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;

#[tokio::test]
async fn the_multipart_reader_answers_every_input_the_fuzzer_kept() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/fuzz/corpus/multipart_upload");
    let mut inputs = 0;
    let mut uploads = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        inputs += 1;
        let (boundary, body) = match data.iter().position(|b| *b == b'\n') {
            Some(at) => (&data[..at], &data[at + 1..]),
            None => (&b"X"[..], &data[..]),
        };
        let Ok(boundary) = std::str::from_utf8(boundary) else {
            continue;
        };
        let Ok(request) = Request::post("/api/v1/me/documents")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body.to_vec()))
        else {
            continue;
        };
        let Ok(multipart) = Multipart::from_request(request, &()).await else {
            continue;
        };
        if let Ok(upload) = coop_server::routes::documents::read_upload(multipart).await {
            assert!(upload.bytes.len() <= body.len());
            uploads += 1;
        }
    }
    // The seeds hold one well-formed upload, one cut short and one with an unknown field.
    assert!(
        inputs >= 3 && uploads >= 1,
        "{inputs} inputs, {uploads} uploads"
    );
}
