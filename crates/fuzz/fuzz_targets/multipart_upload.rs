//! The document upload's multipart reader (`POST /api/v1/me/documents`), through axum's
//! `Multipart` extractor as the route runs it. The first line of the input is the boundary, the
//! rest the body. Beyond "no panic": the file of an upload that reads well came from the body.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::Request;
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
    let (boundary, body) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&b"X"[..], data),
    };
    let Ok(boundary) = std::str::from_utf8(boundary) else {
        return;
    };
    let Ok(request) = Request::post("/api/v1/me/documents")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body.to_vec()))
    else {
        return;
    };
    runtime().block_on(async {
        let Ok(multipart) = Multipart::from_request(request, &()).await else {
            return;
        };
        if let Ok(upload) = coop_server::routes::documents::read_upload(multipart).await {
            assert!(
                upload.bytes.len() <= body.len(),
                "a file larger than the body"
            );
        }
    });
});
