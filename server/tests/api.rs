//! The router, called in-process (`tower::ServiceExt::oneshot`) on a real SQLite database.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use coop_core::contract::vectors;
use coop_server::{AppState, routes};
use coop_store::Store;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use serde_json::{Value, json};
use tower::ServiceExt;

mod support;

async fn app() -> (Router, std::path::PathBuf) {
    app_in(std::env::temp_dir().join(format!("coop-server-{}", uuid::Uuid::new_v4()))).await
}

/// The router over a site folder (which may already hold built files).
async fn app_in(dir: std::path::PathBuf) -> (Router, std::path::PathBuf) {
    let store = Store::open_and_migrate(&format!("sqlite://{}/coop.db", dir.display()))
        .await
        .unwrap();
    let leptos = LeptosOptions::builder()
        .output_name("coop-permits")
        .site_root(dir.display().to_string())
        .build();
    let state = AppState::new(coop_server::state::Shared {
        store,
        auth: support::auth_settings(),
        leptos,
        privacy: Default::default(),
        institution: Some(support::institution()),
        vault: coop_store::vault::Vault::new(
            dir.join("files"),
            &coop_store::vault::FileKey::generate().unwrap(),
        ),
        mail: Default::default(),
        service_worker: None,
        sso: None,
    });
    (routes::router(state), dir)
}

async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, body, headers)
}

fn post_json(body: impl Into<Body>) -> Request<Body> {
    Request::post("/api/v1/check")
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let (app, dir) = app().await;
    let (status, body, headers) =
        send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({"status": "ok"})
    );
    let id = |headers: &axum::http::HeaderMap| {
        headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .expect("every response carries its request id")
    };
    let first = id(&headers);
    let parsed = uuid::Uuid::try_parse(&first).unwrap();
    assert_eq!(parsed.get_version_num(), 4, "{first}");
    assert_eq!(
        first,
        parsed.hyphenated().to_string(),
        "lower case, hyphenated"
    );
    let (_, _, again) = send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_ne!(id(&again), first, "each request has an id of its own");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Every shared test vector, sent over HTTP, gets the answer its `expect` names.
#[tokio::test]
async fn check_answers_every_vector_like_permit_check() {
    let (app, dir) = app().await;
    let text = include_str!("../../crates/core/tests/cases/rules-v1.jsonl");
    let mut checked = 0;
    for (index, line) in text.lines().enumerate() {
        let vector: Value = serde_json::from_str(line).unwrap();
        let (status, body, _) = send(&app, post_json(vector["case"].to_string())).await;
        assert_eq!(status, StatusCode::OK, "line {}", index + 1);
        let result: Value = serde_json::from_slice(&body).unwrap();
        let mismatches = vectors::compare(
            vector["case"]["id"].as_str().unwrap(),
            &vector["expect"],
            &result,
        );
        assert!(
            mismatches.is_empty(),
            "{}",
            mismatches
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        checked += 1;
    }
    assert_eq!(checked, text.lines().count());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn bad_cases_get_422_with_fields() {
    let (app, dir) = app().await;
    let case = json!({"now": "2026-11-27T12:00:00", "student": {"coop_program": true, "coop1101": "registered", "continuance_met": true}, "study_permit": {"expiry": "2027-01-01"}});
    let (status, body, _) = send(&app, post_json(case.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"], "invalid_case");
    let fields: Vec<(&str, &str)> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("now", "invalid"),
            ("study_permit.expiry", "unknown_field"),
            ("study_permit.expires", "required")
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn unreadable_oversized_and_non_json_bodies() {
    let (app, dir) = app().await;
    let (status, body, _) = send(&app, post_json("{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["error"],
        "unreadable_body"
    );

    let big = format!("{{\"id\": \"{}\"}}", "x".repeat(routes::CHECK_BODY_LIMIT));
    let (status, body, _) = send(&app, post_json(big)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["error"],
        "too_large"
    );

    let request = Request::post("/api/v1/check")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let (status, _, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn the_self_check_page_renders_on_the_server() {
    let (app, dir) = app().await;
    let (status, body, _) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    for text in [
        "May I work in my co-op placement?",
        "Study permit expiry date",
        "I am in the Co-op program",
        "aria-live=\"polite\"",
    ] {
        assert!(html.contains(text), "page lacks {text:?}");
    }
    let (status, _, _) = send(
        &app,
        Request::get("/no/such/page").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn the_self_check_loads_its_own_bundle_and_other_pages_the_app() {
    let dir = std::env::temp_dir().join(format!("coop-server-{}", uuid::Uuid::new_v4()));
    let pkg = dir.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let digest = "00112233445566778899";
    std::fs::write(pkg.join("coop-self-check.txt"), format!("{digest}\n")).unwrap();
    std::fs::write(pkg.join(format!("coop-self-check.{digest}.js")), b"").unwrap();
    std::fs::write(pkg.join(format!("coop-self-check.{digest}.wasm")), b"").unwrap();
    let (app, dir) = app_in(dir).await;
    let (status, body, headers) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(body).unwrap();
    let start = format!(
        "import init from \"/pkg/coop-self-check.{digest}.js\";init({{module_or_path:\"/pkg/coop-self-check.{digest}.wasm\"}});"
    );
    assert!(html.contains(&start), "{html}");
    assert!(
        !html.contains("mod.hydrate()"),
        "the app is not loaded at /"
    );
    // The page is the self-check's own markup, waiting for its rules, under a clean title.
    assert!(html.contains("id=\"self-check\""));
    assert!(html.contains("Loading the rules"));
    assert!(html.contains("<title>Co-op work authorization self-check · coop-permits</title>"));
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(html.contains(&format!(
        "<script type=\"module\" nonce=\"{nonce}\">{start}"
    )));
    // Any other page loads the app, which hydrates it.
    let (_, body, _) = send(&app, Request::get("/sign-in").body(Body::empty()).unwrap()).await;
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("mod.hydrate()"));
    assert!(!html.contains("coop-self-check."));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn security_headers_on_pages_and_api() {
    let (app, dir) = app().await;
    let (status, body, headers) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page's CSP names a nonce")
        .to_owned();
    assert_eq!(csp, coop_app::content_security_policy(&nonce));
    assert!(csp.contains("frame-ancestors 'none'"));
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the same nonce"
    );
    // Every page load gets a fresh nonce.
    let (_, _, again) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_ne!(
        again
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap(),
        csp
    );
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(headers.get(name).unwrap(), value, "{name} on the page");
    }
    let (_, _, api) = send(&app, post_json("{}")).await;
    assert_eq!(
        api.get(header::CONTENT_SECURITY_POLICY).unwrap(),
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    );
    assert_eq!(api.get("x-content-type-options").unwrap(), "nosniff");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Hashed build files are kept a year without asking again; the page, the manifest and a file
/// without a hash are asked about on every load; the API is never stored.
#[tokio::test]
async fn hashed_assets_are_cached_for_good_and_nothing_else_goes_stale() {
    let (app, dir) = app().await;
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(
        dir.join("pkg/coop-permits.igZXJZmPdQ4x2vzlbnZjNA.wasm"),
        b"\0asm",
    )
    .unwrap();
    std::fs::write(dir.join("pkg/plain.js"), b"1").unwrap();
    std::fs::write(dir.join("manifest.webmanifest"), b"{}").unwrap();
    let cache_of = |path: &'static str| {
        let app = app.clone();
        async move {
            let (status, _, headers) =
                send(&app, Request::get(path).body(Body::empty()).unwrap()).await;
            (
                status,
                headers
                    .get(header::CACHE_CONTROL)
                    .map(|v| v.to_str().unwrap().to_owned()),
            )
        }
    };
    assert_eq!(
        cache_of("/pkg/coop-permits.igZXJZmPdQ4x2vzlbnZjNA.wasm").await,
        (
            StatusCode::OK,
            Some("public, max-age=31536000, immutable".to_owned())
        )
    );
    assert_eq!(
        cache_of("/pkg/plain.js").await,
        (StatusCode::OK, Some("no-cache".to_owned()))
    );
    assert_eq!(
        cache_of("/manifest.webmanifest").await,
        (StatusCode::OK, Some("no-cache".to_owned()))
    );
    assert_eq!(
        cache_of("/").await,
        (StatusCode::OK, Some("no-cache".to_owned()))
    );
    // A hashed name that is not there is not kept.
    let (status, missing) = cache_of("/pkg/coop-permits.AAAAAAAAAAAAAAAAAAAAAA.wasm").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_ne!(
        missing.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let (_, _, api) = send(&app, post_json("{}")).await;
    assert_eq!(api.get(header::CACHE_CONTROL).unwrap(), "no-store");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The browser's coop-core registers a student's zone from `/tz/`: the bytes must be the bundled
/// release's, and decide like the server's own zone.
#[tokio::test]
async fn time_zone_rules_are_served_for_the_browser() {
    let (app, dir) = app().await;
    let release = coop_core::time::tzdb_version();
    let get = |path: String| Request::get(path).body(Body::empty()).unwrap();
    let (status, body, headers) = send(&app, get(format!("/tz/{release}/asia/kolkata"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers.get(header::CONTENT_TYPE).unwrap(),
        "application/tzif"
    );
    assert!(
        headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let zone = coop_core::time::register_zone("Asia/Kolkata", &body).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-26T20:00:00Z")
        .unwrap()
        .to_utc();
    assert_eq!(
        zone.local(at),
        coop_core::time::Zone::named("Asia/Kolkata")
            .unwrap()
            .local(at)
    );
    // Zones below a region (three path segments) too.
    let (status, _, _) = send(
        &app,
        get(format!("/tz/{release}/America/Argentina/Buenos_Aires")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        format!("/tz/{release}/Mars/Olympus_Mons"),
        format!("/tz/{release}/..%2F..%2Fetc%2Fpasswd"),
        "/tz/1999a/America/Vancouver".to_owned(),
    ] {
        let (status, body, _) = send(&app, get(path.clone())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"], "not_found", "{path}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}
