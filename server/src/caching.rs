//! How long browsers keep what the server sends. Files under `/pkg/` are named by their content's
//! hash (cargo-leptos `hash-files`), so one name never has other bytes: kept a year, never
//! revalidated. Everything else that says nothing of its own — the pages, the web manifest, the
//! icon, an unhashed file — is `no-cache` (kept, but asked about again each time), so a new build
//! is seen at the next load; private pages and the API are `no-store` already
//! (`auth::Privacy`), and `/sw.js` and `/tz/` set their own.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

/// For a file whose name holds its content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Whether a `/pkg/` file name carries a content hash: a middle segment of 16 or more
/// base64url characters (`coop-permits.igZXJZmPdQ4x2vzlbnZjNA.wasm`).
pub fn is_hashed(file_name: &str) -> bool {
    let segments: Vec<&str> = file_name.split('.').collect();
    segments.len() >= 3
        && segments
            .get(1..segments.len() - 1)
            .unwrap_or_default()
            .iter()
            .any(|s| {
                s.len() >= 16
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
}

/// Whether a request asks for a hashed file under `/pkg/`.
pub fn is_hashed_file(path: &str) -> bool {
    path.strip_prefix("/pkg/")
        .is_some_and(|name| !name.contains('/') && is_hashed(name))
}

/// Sets `Cache-Control` where the response has none: a year for a hashed file found, `no-cache`
/// for everything else.
pub fn apply(hashed_file: bool, response: &mut Response) {
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return;
    }
    let policy = if hashed_file && response.status() == StatusCode::OK {
        IMMUTABLE
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        for name in [
            "coop-permits.igZXJZmPdQ4x2vzlbnZjNA.wasm",
            "chunk_8.70QZTFOlxtb9R1fut_3AQw.wasm",
            "__wasm_split.Fd5Pg_kH48BlKaKjph0noQ.js",
            "coop-permits.d.TpQyiGvYCbcf3uNhLDMgWg.ts",
        ] {
            assert!(is_hashed(name), "{name}");
        }
        for name in [
            "coop-permits.wasm",
            "coop-permits.js",
            "igZXJZmPdQ4x2vzlbnZjNA.wasm",
            "chunk.short.wasm",
            "coop-permits.igZXJZmPdQ4x2vzl!nZjNA.wasm",
            "",
        ] {
            assert!(!is_hashed(name), "{name}");
        }
    }
}
