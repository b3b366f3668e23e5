//! Single sign-on's two addresses (not under `/api/v1`: the browser, not a client, goes there):
//! `GET /auth/oidc/login[?next=/path]` sends the browser to the institution's provider;
//! `GET /auth/oidc/callback` is where the provider sends it back, and opens a session exactly as
//! a password sign-in does (303 to `/home`, or `next`). A callback whose `state` is unknown,
//! used, too old, or not the one this browser was sent off with (a short-lived cookie) — a
//! replay, a forgery, or someone else's sign-on pushed on a victim — signs nobody in; a person
//! the office has not registered gets no session, and the sign-in page tells them to contact
//! the co-op office.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coop_store::service::access::Principal;
use coop_store::service::sso::{self, Pending, Refusal};
use serde::Deserialize;

use crate::state::AppState;

/// `/auth/oidc/login`'s query.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    /// A path on this site to land on after signing in.
    next: Option<String>,
}

/// `next` when it is a path on this site (never another site: an open redirect).
fn own_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.len() <= 512
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/home",
    }
}

/// A redirect no cache keeps.
fn see_other(location: &str) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (StatusCode::SEE_OTHER, headers).into_response()
}

/// Back to the sign-in page, saying why (`unregistered`, `expired`, `failed`, `cancelled`).
fn to_sign_in(why: &str) -> Response {
    see_other(&format!("/sign-in?sso={why}"))
}

/// `GET /auth/oidc/login`.
pub async fn login(State(state): State<AppState>, Query(query): Query<LoginQuery>) -> Response {
    let Some(sso_client) = state.sso.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let started = match sso_client.start().await {
        Ok(started) => started,
        Err(e) => {
            tracing::error!(error = %e, "single sign-on could not start");
            return to_sign_in("unavailable");
        }
    };
    let pending = Pending {
        state: &started.state,
        nonce: &started.nonce,
        pkce_verifier: &started.pkce_verifier,
        next: Some(own_path(query.next.as_deref())),
    };
    if let Err(e) = sso::begin(state.store.db(), pending, chrono::Utc::now()).await {
        tracing::error!(error = %e, "single sign-on could not be recorded");
        return to_sign_in("unavailable");
    }
    let mut response = see_other(&started.url);
    *response.status_mut() = StatusCode::FOUND;
    if let Some(cookie) = state.auth.sso_cookie(Some(&started.state)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `/auth/oidc/callback`'s query: the provider's answer.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    /// The provider's refusal (`access_denied` when the person cancelled).
    error: Option<String>,
}

/// `GET /auth/oidc/callback`.
pub async fn callback(
    State(state): State<AppState>,
    Extension(previous): Extension<Principal>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(sso_client) = state.sso.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = finish(&state, sso_client, &previous, &headers, &query).await;
    // The sign-on is over, whichever way it went.
    if let Some(cookie) = state.auth.sso_cookie(None) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The callback's work: the state checked and used up, the code exchanged, the session opened.
async fn finish(
    state: &AppState,
    sso_client: &crate::sso::Sso,
    previous: &Principal,
    headers: &HeaderMap,
    query: &CallbackQuery,
) -> Response {
    let now = chrono::Utc::now();
    let db = state.store.db();
    // The state first: a replayed or forged callback stops here, whatever else it carries. It
    // must be the one this browser was sent off with (its cookie) and one this office issued,
    // not yet used and recent.
    let own = query
        .state
        .as_deref()
        .filter(|given| state.auth.sso_state_in(headers) == Some(*given));
    let pending = match own {
        Some(given) => match sso::take(db, given, now).await {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "single sign-on: the sign-on could not be read");
                return to_sign_in("unavailable");
            }
        },
        None => None,
    };
    let Some(pending) = pending else {
        tracing::warn!(
            "single sign-on: a callback with an unknown, used or expired state was refused"
        );
        return to_sign_in("expired");
    };
    if let Some(error) = query.error.as_deref() {
        tracing::info!(
            provider.error = error,
            "single sign-on: the provider did not sign the person in"
        );
        return to_sign_in("cancelled");
    }
    let Some(code) = query.code.as_deref() else {
        return to_sign_in("failed");
    };
    let verified = match sso_client
        .finish(code, &pending.nonce, &pending.pkce_verifier)
        .await
    {
        Ok(verified) => verified,
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on: the provider's answer was refused");
            return to_sign_in("failed");
        }
    };
    let opened = sso::sign_in(
        db,
        &verified.identity,
        verified.id_token,
        state.auth.policy,
        previous.session_id(),
        now,
    )
    .await;
    match opened {
        Ok(Ok(signed_in)) => {
            let mut response = see_other(own_path(pending.next.as_deref()));
            if let Some(cookie) = state.auth.session_cookie(&signed_in.token) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Ok(Err(Refusal::Disabled)) => to_sign_in("disabled"),
        Ok(Err(Refusal::Unregistered | Refusal::Unverified)) => to_sign_in("unregistered"),
        Err(e) => {
            tracing::error!(error = %e, "single sign-on: the session could not be opened");
            to_sign_in("unavailable")
        }
    }
}
