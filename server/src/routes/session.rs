//! `POST /api/v1/session` (sign in), `DELETE /api/v1/session` (sign out), `GET /api/v1/me`.
//! The same services as the app's server functions (`coop_app::api::session`).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::accounts::{Me, SessionUser, SignIn, SignedIn};
use coop_api::students::StudentRecord;
use coop_store::service::access::{Principal, require_signed_in};
use coop_store::service::client_limit::ClientAddr;
use coop_store::service::passwords::Password;
use coop_store::service::sign_in::sign_in_from;
use coop_store::service::{sessions, students};

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/session",
    operation_id = "post_session",
    summary = "Sign in",
    description = "Who: anyone.",
    request_body(content = SignIn, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = SignedIn),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 429, response = crate::routes::openapi::E429),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(()),
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(previous): Extension<Principal>,
    Extension(client): Extension<ClientAddr>,
    JsonBody(credentials): JsonBody<SignIn>,
) -> Result<Response, ApiError> {
    // A new session id at every sign-in; this client's earlier session ends with it.
    let replacing = previous.session_id();
    let signed_in = sign_in_from(
        state.store.db(),
        &state.auth,
        client,
        &credentials.email,
        &Password::new(credentials.password),
        replacing,
    )
    .await?;
    let cookie = state
        .auth
        .session_cookie(&signed_in.token)
        .ok_or_else(|| ApiError::Internal("session cookie is not a header value".to_owned()))?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(SignedIn {
            user: SessionUser::from(&signed_in.user),
        }),
    )
        .into_response())
}

#[utoipa::path(
    delete,
    path = "/api/v1/session",
    operation_id = "delete_session",
    summary = "Sign out (the session is revoked on the server)",
    description = "Who: signed in.",
    responses(
        (status = 204, description = "Signed out."),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
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

#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "get_me",
    summary = "The user and, for a student, the student record",
    description = "Who: signed in.",
    responses(
        (status = 200, description = "OK", body = Me),
        (status = 401, response = crate::routes::openapi::E401),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn me(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Me>, ApiError> {
    let user = require_signed_in(&principal)?;
    let student = match user.student_id {
        Some(id) => Some(StudentRecord::from(
            &students::get(state.store.db(), id).await?,
        )),
        None => None,
    };
    Ok(Json(Me {
        user: SessionUser::from(user),
        student,
    }))
}
