//! API errors: stable codes out (`{"error", "message", "fields"}`), causes logged once, never a
//! database's text in a response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use coop_api::{ErrorBody, FieldProblem};
use coop_core::contract::FieldError;
use coop_store::wire::errors::{self, Answer};

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
    /// 422: a request body that breaks a rule, field by field.
    InvalidInput(Vec<FieldError>),
    /// 401: not signed in.
    Unauthenticated,
    /// 401: an `Authorization` header whose token is not valid.
    InvalidToken,
    /// 403: signed in, but the role may not.
    Forbidden,
    /// 403: a state-changing request with the cookie from another origin.
    Csrf,
    /// 421: the request names another host than this deployment's public URL.
    WrongHost,
    /// 404: nothing here, or nothing of yours (api.md never tells the two apart).
    NotFound(String),
    /// A service's refusal or failure, worded as every door words it (`coop_store::wire::errors`).
    Answer(Answer),
    /// 500: our fault; the cause is logged here and not shown.
    Internal(String),
}

impl ApiError {
    /// 422: one field's value breaks a rule, said in `message`.
    pub fn invalid(field: &str, message: String) -> ApiError {
        ApiError::InvalidInput(vec![FieldError {
            field: Some(field.to_owned()),
            code: "invalid",
            message,
        }])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            ApiError::Unreadable(why) => (
                StatusCode::BAD_REQUEST,
                ErrorBody {
                    error: "unreadable_body".to_owned(),
                    message: why.clone(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::TooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorBody {
                    error: "too_large".to_owned(),
                    message: format!("The request body is over {} KiB.", limit / 1024),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorBody {
                    error: "unsupported_media_type".to_owned(),
                    message: "Send the body as JSON with Content-Type: application/json."
                        .to_owned(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody {
                    error: "invalid_case".to_owned(),
                    message: format!(
                        "The case has {} problem{}; see fields.",
                        fields.len(),
                        if fields.len() == 1 { "" } else { "s" }
                    ),
                    fields: Some(fields.iter().map(FieldProblem::from).collect()),
                    reasons: None,
                },
            ),
            ApiError::InvalidInput(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody {
                    error: "invalid".to_owned(),
                    message: fields
                        .iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    fields: Some(fields.iter().map(FieldProblem::from).collect()),
                    reasons: None,
                },
            ),
            ApiError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                ErrorBody {
                    error: "unauthenticated".to_owned(),
                    message: "Sign in first.".to_owned(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                ErrorBody {
                    error: "invalid_token".to_owned(),
                    message: "The Authorization header must be `Bearer <token>` with a valid API token that is neither revoked nor expired."
                        .to_owned(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                ErrorBody {
                    error: "forbidden".to_owned(),
                    message: "Your role may not do this.".to_owned(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::Csrf => (
                StatusCode::FORBIDDEN,
                ErrorBody {
                    error: "csrf".to_owned(),
                    message: "This request must come from the app's own pages (Origin or Referer of this site)."
                        .to_owned(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::WrongHost => (
                StatusCode::MISDIRECTED_REQUEST,
                ErrorBody {
                    error: "wrong_host".to_owned(),
                    message: "This server answers only at its public URL (--public-url); the Host of this request names another."
                        .to_owned(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::Answer(answer) => {
                let status = StatusCode::from_u16(answer.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut response = (status, Json(answer.body.clone())).into_response();
                if let Some(seconds) = answer.retry_after_seconds
                    && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
                {
                    response
                        .headers_mut()
                        .insert(axum::http::header::RETRY_AFTER, value);
                }
                return response;
            }
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                ErrorBody {
                    error: "not_found".to_owned(),
                    message: what.clone(),
                    fields: None,
                    reasons: None,
                },
            ),
            ApiError::Internal(cause) => {
                tracing::error!(error.cause = %cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody {
                        error: "internal".to_owned(),
                        message: "Something went wrong on our side.".to_owned(),
                        fields: None,
                        reasons: None,
                    },
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// The API answers every error as JSON (api.md), also the rejections axum makes itself before a
/// handler runs — a path id that is not a number, a body over a route's limit, a multipart body
/// that cannot be read — which come as plain text.
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let (error, fallback) = match status {
        StatusCode::BAD_REQUEST => ("unreadable_body", "The request cannot be read."),
        StatusCode::NOT_FOUND => ("not_found", "Not found."),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "This method is not allowed here.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            "The request body is too large for this endpoint.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "This endpoint does not take this content type.",
        ),
        _ => ("invalid", "The request was refused."),
    };
    let message = match text.as_str() {
        "" => fallback.to_owned(),
        text if text.contains("length limit exceeded") => {
            "The request body is over this endpoint's limit (a document 10 MiB, a student import 20 MiB, a check 64 KiB).".to_owned()
        }
        text if text.ends_with('.') => text.to_owned(),
        text => format!("{text}."),
    };
    (
        status,
        Json(ErrorBody {
            error: error.to_owned(),
            message,
            fields: None,
            reasons: None,
        }),
    )
        .into_response()
}

/// A server function (`/api/app/…`) whose arguments cannot be read answers 400, not Leptos's
/// 500: the client sent something wrong, and nothing failed here. (Its body is already the API's
/// error body, `unreadable_body`: `coop_app::api::AppError`.)
pub async fn server_fn_errors(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let unreadable = serde_json::from_slice::<ErrorBody>(&bytes)
        .is_ok_and(|body| body.error == "unreadable_body");
    if unreadable {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

impl From<coop_store::service::ServiceError> for ApiError {
    fn from(error: coop_store::service::ServiceError) -> ApiError {
        ApiError::Answer(errors::service(error))
    }
}

impl From<coop_store::service::sign_in::SignInError> for ApiError {
    fn from(error: coop_store::service::sign_in::SignInError) -> ApiError {
        ApiError::Answer(errors::sign_in(error))
    }
}
