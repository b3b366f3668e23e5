//! What every request passes through before its route, in order: the edge (`auth::edge_in`: this
//! deployment's host, the client's address), who is asking (`auth::authenticate`), the CSRF rule
//! (`auth::csrf`); and on the way out, innermost first: an `/api/v1` route's errors as JSON
//! (`error::json_errors`), a server function's unreadable arguments as 400
//! (`error::server_fn_errors`), `no-store` for private answers (`auth::Privacy`), the cache policy
//! (`caching::apply`) and HSTS (`auth::edge_out`).
//!
//! One middleware, not one per rule: each `from_fn` layer clones the service beneath it and boxes
//! a future on every request. With it (and request ids without a system call, and no per-route
//! extension) `POST /api/v1/check` takes about a fifth less CPU per request (BENCHMARKS.md
//! "Issue 21").

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{self, Privacy};
use crate::caching;
use crate::error;
use crate::state::AppState;

pub async fn every_request(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Err(refused) = auth::edge_in(&state, &mut request) {
        return refused.into_response();
    }
    let mut response = inside_the_edge(&state, request, next).await;
    auth::edge_out(&state, &mut response);
    response
}

async fn inside_the_edge(state: &AppState, mut request: Request, next: Next) -> Response {
    if let Err(refused) = auth::authenticate(state, &mut request).await {
        return refused.into_response();
    }
    if let Err(refused) = auth::csrf(state, &request) {
        return refused.into_response();
    }
    let hashed_file = caching::is_hashed_file(request.uri().path());
    let privacy = Privacy::of(&request);
    let server_fn = request.uri().path().starts_with("/api/app/");
    // A route of `/api/v1` (matched: an unknown path under it is the pages' 404, as before).
    let api = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|path| path.as_str().starts_with("/api/v1/"));
    let mut response = next.run(request).await;
    if api {
        response = error::json_errors(response).await;
    }
    if server_fn {
        response = error::server_fn_errors(response).await;
    }
    privacy.apply(&mut response);
    caching::apply(hashed_file, &mut response);
    response
}
