//! API errors: stable codes out (`{"error", "message", "fields"}`), causes logged once, never a
//! database's text in a response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use coop_core::contract::FieldError;
use serde::Serialize;

/// An error answered to an API client.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the body cannot be read.
    Unreadable(String),
    /// 413: the body is over the route's limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 415: not JSON.
    UnsupportedMediaType,
    /// 422: a case (or form) that fails the contract, field by field.
    Invalid(Vec<FieldError>),
    /// 500: our fault; the cause is logged here and not shown.
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a [FieldError]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            ApiError::Unreadable(why) => (
                StatusCode::BAD_REQUEST,
                Body {
                    error: "unreadable_body",
                    message: why.clone(),
                    fields: None,
                },
            ),
            ApiError::TooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                Body {
                    error: "too_large",
                    message: format!("The request body is over {} KiB.", limit / 1024),
                    fields: None,
                },
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Body {
                    error: "unsupported_media_type",
                    message: "Send the body as JSON with Content-Type: application/json."
                        .to_owned(),
                    fields: None,
                },
            ),
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Body {
                    error: "invalid_case",
                    message: format!(
                        "The case has {} problem{}; see fields.",
                        fields.len(),
                        if fields.len() == 1 { "" } else { "s" }
                    ),
                    fields: Some(fields),
                },
            ),
            ApiError::Internal(cause) => {
                tracing::error!(error.cause = %cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Body {
                        error: "internal",
                        message: "Something went wrong on our side.".to_owned(),
                        fields: None,
                    },
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
