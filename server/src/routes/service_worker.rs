//! `GET /sw.js`: the service worker with this build's precache list (see service_worker.rs).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub async fn script(State(state): State<AppState>) -> Response {
    match &state.service_worker {
        Some(script) => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                // The browser must always ask: a new build means a new list.
                (header::CACHE_CONTROL, "no-cache"),
                // A worker's CSP governs its own fetches: this origin only.
                (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
            ],
            script.to_string(),
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "no service worker: the site is not built",
        )
            .into_response(),
    }
}
