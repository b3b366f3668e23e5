//! An employer (or anyone holding a letter) checks that it stands, by the code printed on the
//! letter under its QR code: `GET /verify/{code}` (the page) and
//! `GET /api/v1/letters/verify/{code}` (JSON).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::letters::LetterVerification;
use coop_store::service::client_limit::ClientAddr;
use coop_store::service::letters;

use crate::error::ApiError;
use crate::state::AppState;

/// What the letter states, and whether it still stands.
#[utoipa::path(
    get,
    path = "/api/v1/letters/verify/{code}",
    operation_id = "get_letters_verify_code",
    summary = "Verify a co-op letter by the code printed on it",
    description = "Who: anyone. Answers only what the letter itself states (institution, student's name, program, work-term dates, date of issue) and whether it is valid or was revoked (and when): never the student number, e-mail or permit. 404 for a code no letter printed; a client's unknown codes are limited (429 with Retry-After).",
    params(("code" = String, Path, description = "The code printed on the letter.")),
    responses(
        (status = 200, description = "OK", body = LetterVerification),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 429, response = crate::routes::openapi::E429),
    ),
    security(()),
)]
pub async fn verify(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    Path(code): Path<String>,
) -> Result<Json<LetterVerification>, ApiError> {
    match letters::verify(state.store.db(), &state.auth, client, &code).await? {
        Ok(verified) => Ok(Json((&verified).into())),
        Err(too_many) => Err(ApiError::Answer(too_many.answer())),
    }
}

/// `GET /verify/{code}`: the page the letter's QR code opens, rendered here alone (no script):
/// 200 with what the letter states, 404 for a code no letter printed, 429 past the limit.
pub async fn page(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddr>,
    Path(code): Path<String>,
) -> Response {
    use coop_app::VerificationOutcome as Outcome;
    let mut retry_after = None;
    let (status, outcome) =
        match letters::verify(state.store.db(), &state.auth, client, &code).await {
            Ok(Ok(verified)) => (StatusCode::OK, Outcome::Found((&verified).into())),
            Ok(Err(too_many)) => {
                retry_after = Some(too_many.retry_after_seconds.to_string());
                let answer = too_many.answer();
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    Outcome::Refused(answer.body.message),
                )
            }
            Err(coop_store::service::ServiceError::NotFound) => {
                (StatusCode::NOT_FOUND, Outcome::Unknown)
            }
            Err(other) => return ApiError::from(other).into_response(),
        };
    let html = coop_app::verification_document(state.leptos.clone(), outcome);
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // No script on this page; its own stylesheet and icon only.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response();
    if let Some(seconds) = retry_after.and_then(|s| header::HeaderValue::from_str(&s).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
    }
    response
}
