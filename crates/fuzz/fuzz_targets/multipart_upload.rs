//! The document upload's multipart reader (`POST /api/v1/me/documents`), through axum's
//! `Multipart` extractor as the route runs it. The first line of the input is the boundary, the
//! rest the body. Beyond "no panic": the file of an upload that reads well came from the body.
#![no_main]

use std::sync::OnceLock;

use coop_server::routes::documents::read_upload_body;
use libfuzzer_sys::fuzz_target;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let (boundary, body) = data.split_at(data.iter().position(|b| *b == b'\n').unwrap_or(0));
    let body = body.strip_prefix(b"\n").unwrap_or(body).to_vec();
    let Ok(boundary) = std::str::from_utf8(boundary) else {
        return;
    };
    let size = body.len();
    if let Ok(upload) = runtime().block_on(read_upload_body(boundary, body)) {
        assert!(upload.bytes.len() <= size, "a file larger than the body");
    }
});
