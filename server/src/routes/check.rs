//! `POST /api/v1/check`: one case of `check-format.md` in, its result out — the same reader and
//! rules as `permit-check` and the browser.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coop_core::contract::{self, Outcome, ResultLine};

use super::openapi::CheckCase;
use crate::error::ApiError;
use coop_api::Evaluated;

/// `POST /api/v1/check` bodies above this are refused with 413 (api.md).
pub const CHECK_BODY_LIMIT: usize = 64 * 1024;

#[utoipa::path(
    post,
    path = "/api/v1/check",
    operation_id = "post_check",
    summary = "Evaluate one case of check-format.md",
    description = "Who: anyone.",
    request_body(content = CheckCase, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = Evaluated),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 413, response = crate::routes::openapi::E413),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
        (status = 401, response = crate::routes::openapi::E401),
    ),
    security(()),
)]
pub async fn check(request: Request) -> Result<Response, ApiError> {
    // The request itself rather than a `HeaderMap` extractor (a copy of every header) and a
    // body read before its type is known.
    if !super::body::is_json(request.headers()) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge {
                    limit: CHECK_BODY_LIMIT,
                }
            } else {
                ApiError::Unreadable(rejection.body_text())
            }
        })?;
    // Neither way in nor out goes through a JSON tree: this is the hot path of a public endpoint
    // (BENCHMARKS.md "The check endpoint").
    let outcome = contract::check_bytes(&body)
        .map_err(|e| ApiError::Unreadable(format!("The body is not valid JSON: {e}.")))?;
    match outcome {
        Outcome::Evaluated { id, evaluation } => {
            let body = ResultLine {
                id: id.as_ref(),
                evaluation: &evaluation,
            }
            .to_json_bytes()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok((
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response())
        }
        Outcome::Invalid { errors, .. } => Err(ApiError::Invalid(errors)),
    }
}
