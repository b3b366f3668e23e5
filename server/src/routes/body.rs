//! A JSON request body with api.md's errors: 415 when it is not JSON, 400 when it cannot be
//! read (unknown fields included), never axum's plain-text rejections.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Bodies of the account and admin endpoints are small.
const LIMIT: usize = 16 * 1024;

/// Whether a request says its body is JSON (`application/json`, any parameters, any case).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// `Json<T>` with this API's errors.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::Unreadable(e.body_text()))?;
        if bytes.len() > LIMIT {
            return Err(ApiError::TooLarge { limit: LIMIT });
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::Unreadable(format!("The body cannot be read: {e}.")))
    }
}

/// The `Idempotency-Key` header of a student's submission (letter request, application report,
/// document): the same key twice finds the first submission instead of adding one.
pub fn idempotency_key(
    headers: &axum::http::HeaderMap,
) -> Result<Option<String>, crate::error::ApiError> {
    let value = match headers.get("idempotency-key") {
        None => None,
        Some(value) => Some(value.to_str().map_err(|_| {
            crate::error::ApiError::from(coop_store::service::ServiceError::Invalid {
                field: "idempotency_key",
                message: "the Idempotency-Key header must be plain text".to_owned(),
            })
        })?),
    };
    Ok(coop_store::service::idempotency::parse(value)?)
}
