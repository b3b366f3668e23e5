//! `POST /api/v1/session` (sign in), `DELETE /api/v1/session` (sign out), `GET /api/v1/me`.
//! The same services as the app's server functions (coop_app::account).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_app::account::SessionUser;
use coop_app::account::client_limit::ClientAddr;
use coop_app::account::server::sign_in_from;
use coop_store::service::access::{Principal, require_signed_in};
use coop_store::service::passwords::Password;
use coop_store::service::sign_in::SignInError;
use coop_store::service::{sessions, students};
use serde::Deserialize;
use serde_json::json;

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    email: String,
    password: String,
}

pub async fn create(
    State(state): State<AppState>,
    Extension(previous): Extension<Principal>,
    Extension(client): Extension<ClientAddr>,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Result<Response, ApiError> {
    // A new session id at every sign-in; this client's earlier session ends with it.
    let replacing = previous.session_id();
    let signed_in = sign_in_from(
        &state.store,
        &state.auth,
        client,
        &credentials.email,
        &Password::new(credentials.password),
        replacing,
    )
    .await
    .map_err(|e| match e {
        SignInError::InvalidCredentials => ApiError::InvalidCredentials,
        SignInError::TooManyAttempts {
            retry_after_seconds,
        } => ApiError::TooManyAttempts {
            retry_after_seconds,
            per_client: false,
        },
        SignInError::TooManyFromClient {
            retry_after_seconds,
        } => ApiError::TooManyAttempts {
            retry_after_seconds,
            per_client: true,
        },
        SignInError::Service(e) => e.into(),
    })?;
    let cookie = state
        .auth
        .session_cookie(&signed_in.token)
        .ok_or_else(|| ApiError::Internal("session cookie is not a header value".to_owned()))?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({ "user": SessionUser::from(&signed_in.user) })),
    )
        .into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, ApiError> {
    let user = require_signed_in(&principal)?;
    let now = chrono::Utc::now();
    let db = state.store.db();
    let session_id = principal.session_id();
    sessions::sign_out(db, user.id, session_id, now).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = state.auth.clear_cookie() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

pub async fn me(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = require_signed_in(&principal)?;
    let student = match user.student_id {
        Some(id) => Some(super::students::record_json(
            &students::get(state.store.db(), id).await?,
        )),
        None => None,
    };
    Ok(Json(
        json!({ "user": SessionUser::from(user), "student": student }),
    ))
}
