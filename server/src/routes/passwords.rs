//! "Forgot your password?" and setting a password from an e-mailed link:
//! `POST /api/v1/password-reset` (`{"email"}`: always 202, whether or not the address is known)
//! and `POST /api/v1/password-reset/confirm` (`{"token","password"}`: 204; every session of the
//! account ends). The same services as the app's server functions.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use coop_api::accounts::{PasswordResetConfirm, PasswordResetRequest};
use coop_store::service::client_limit::ClientAddr;
use coop_store::service::password_links;
use coop_store::service::password_reset::{self, Requested};
use coop_store::service::passwords::Password;

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/password-reset",
    operation_id = "post_password_reset",
    summary = "Ask for a password reset link by e-mail",
    description = "Who: anyone. Always 202: an address the office does not know gets the same answer (and no e-mail). The link works once, for an hour. Limited per client and per address (429 with Retry-After).",
    request_body(content = PasswordResetRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Accepted: an e-mail follows if the address has an account."),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
        (status = 429, response = crate::routes::openapi::E429),
    ),
    security(()),
)]
pub async fn request(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    JsonBody(body): JsonBody<PasswordResetRequest>,
) -> Result<Response, ApiError> {
    let asked = password_reset::request(
        state.store.db(),
        state.mail.mailer.as_ref(),
        &state.auth,
        &body.email,
        client,
        chrono::Utc::now(),
    )
    .await?;
    match asked {
        Ok(Requested::Sent | Requested::Nothing) => Ok(StatusCode::ACCEPTED.into_response()),
        Err(too_many) => Err(ApiError::Answer(too_many.answer())),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/password-reset/confirm",
    operation_id = "post_password_reset_confirm",
    summary = "Set a password from an e-mailed link (a reset or an invitation)",
    description = "Who: anyone with the link's token. The password follows the same rules as every password; every session of the account ends. A used or expired link: 422 on `token`.",
    request_body(content = PasswordResetConfirm, content_type = "application/json"),
    responses(
        (status = 204, description = "Set."),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(()),
)]
pub async fn confirm(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<PasswordResetConfirm>,
) -> Result<StatusCode, ApiError> {
    password_links::set_password(
        state.store.db(),
        &state.auth,
        &body.token,
        &Password::new(body.password),
        chrono::Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
