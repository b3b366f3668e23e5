//! The co-op letter (L) from the student's side: `GET /api/v1/privacy-notice` (F1, what a
//! request acknowledges), `POST`/`GET /api/v1/me/letter-requests` and
//! `POST /api/v1/me/letter-requests/{id}/withdraw`, `GET /api/v1/me/letter-requests/{id}/letter.pdf`.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::Items;
use coop_api::letters::{self as api, LetterRequest, QueuedLetterRequest};
use coop_core::contract::{FieldError, parse_date};
use coop_store::service::access::{Principal, require_student};
use coop_store::service::audit::Actor;
use coop_store::service::letters::{self, NewLetterRequest};
use coop_store::wire;
use serde::Deserialize;

use super::body::JsonBody;
use super::openapi::IdempotencyKey;
use crate::error::ApiError;
use crate::state::AppState;

/// The collection notice in force: its version is what a request sends as `privacy_notice`.
#[utoipa::path(
    get,
    path = "/api/v1/privacy-notice",
    operation_id = "get_privacy_notice",
    summary = "The FIPPA notice a letter request acknowledges",
    description = "Who: anyone.",
    responses(
        (status = 200, description = "OK", body = api::PrivacyNotice),
        (status = 401, response = crate::routes::openapi::E401),
    ),
    security(()),
)]
pub async fn notice(State(state): State<AppState>) -> Json<api::PrivacyNotice> {
    Json((&state.privacy).into())
}

#[utoipa::path(
    post,
    path = "/api/v1/me/letter-requests",
    operation_id = "post_me_letter_requests",
    summary = "Request a co-op letter (L1, L2)",
    description = "Who: student.",
    params(IdempotencyKey),
    request_body(content = api::NewLetterRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Pending review.", body = LetterRequest),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<api::NewLetterRequest>,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let client_key = super::body::idempotency_key(&headers)?;
    let first_term_start = parse_date(body.first_term_start.trim()).ok_or_else(|| {
        ApiError::InvalidInput(vec![FieldError {
            field: Some("first_term_start".to_owned()),
            code: "invalid",
            message: "expected a date YYYY-MM-DD".to_owned(),
        }])
    })?;
    let created = letters::request(
        state.store.db(),
        &state.privacy,
        user.id,
        student_id,
        NewLetterRequest {
            first_term_start,
            extending_study_permit: body.extending_study_permit,
            notice_version: body.privacy_notice,
            client_key,
        },
        chrono::Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(LetterRequest::from(&created))).into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/me/letter-requests",
    operation_id = "get_me_letter_requests",
    summary = "The student's letter requests",
    description = "Who: student.",
    responses(
        (status = 200, description = "OK", body = Items<LetterRequest>),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Items<LetterRequest>>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    let requests = letters::list(state.store.db(), student_id).await?;
    Ok(Json(Items {
        items: requests.iter().map(LetterRequest::from).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/me/letter-requests/{id}/withdraw",
    operation_id = "post_me_letter_requests_id_withdraw",
    summary = "Withdraw a pending request",
    description = "Who: student.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = LetterRequest),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<LetterRequest>, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let after = letters::withdraw(
        state.store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(LetterRequest::from(&after)))
}

/// The issued letter of one of the student's requests (or, for staff, of any request), once
/// approved.
#[utoipa::path(
    get,
    path = "/api/v1/me/letter-requests/{id}/letter.pdf",
    operation_id = "get_me_letter_requests_id_letter_pdf",
    summary = "The issued letter",
    description = "Who: student.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "The letter.", body = Vec<u8>, content_type = "application/pdf"),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn letter_pdf(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let student = coop_store::service::access::readable_students(&principal)?;
    let pdf = letters::letter_of(state.store.db(), &state.vault, student, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"coop-letter-{id}.pdf\""),
            ),
        ],
        Body::from(pdf),
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// `pending` (the default), `approved`, `rejected` or `withdrawn`.
    #[param(value_type = Option<coop_core::letter_request::LetterRequestStatus>)]
    status: Option<String>,
}

/// Staff: requests in a status (default `pending`), oldest first, each with its waiting time and
/// the student's evaluation now.
#[utoipa::path(
    get,
    path = "/api/v1/letter-requests",
    operation_id = "get_letter_requests",
    summary = "The letter review queue",
    description = "Who: staff.",
    params(QueueQuery),
    responses(
        (status = 200, description = "OK", body = Items<QueuedLetterRequest>),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn queue(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<axum::extract::Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<QueuedLetterRequest>>, ApiError> {
    coop_store::service::access::require_staff(&principal)?;
    let axum::extract::Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let code = query.status.as_deref().unwrap_or("pending");
    let status =
        coop_core::letter_request::LetterRequestStatus::from_code(code).ok_or_else(|| {
            ApiError::Unreadable(format!(
                "status is one of pending, approved, rejected, withdrawn, revoked, not {code:?}"
            ))
        })?;
    let now = chrono::Utc::now();
    let queued = letters::queue(state.store.db(), status, now).await?;
    Ok(Json(Items {
        items: queued
            .iter()
            .map(|q| wire::queued_letter_request(q, now))
            .collect(),
    }))
}

/// Staff approve (issuing the PDF letter) or reject (with a reason) a pending request.
#[utoipa::path(
    post,
    path = "/api/v1/letter-requests/{id}/decision",
    operation_id = "post_letter_requests_id_decision",
    summary = "Approve (issuing the PDF) or reject a request",
    description = "Who: staff.",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = api::LetterDecision, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = LetterRequest),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn decide(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<api::LetterDecision>,
) -> Result<Json<LetterRequest>, ApiError> {
    let staff = coop_store::service::access::require_staff(&principal)?;
    let actor = Actor::User(staff.id);
    let now = chrono::Utc::now();
    let db = state.store.db();
    let after = match body.decision.as_str() {
        "approve" => letters::approve(db, &state.letter_issuing(), id, &actor, now).await?,
        "reject" => {
            letters::reject(db, id, body.reason.as_deref().unwrap_or(""), &actor, now).await?
        }
        _ => {
            return Err(ApiError::InvalidInput(vec![FieldError {
                field: Some("decision".to_owned()),
                code: "invalid",
                message: "expected approve or reject".to_owned(),
            }]));
        }
    };
    Ok(Json(LetterRequest::from(&after)))
}

/// Staff revoke an issued letter.
#[utoipa::path(
    post,
    path = "/api/v1/letter-requests/{id}/revoke",
    operation_id = "post_letter_requests_id_revoke",
    summary = "Revoke an issued letter; its verification page says so",
    description = "Who: staff. Only an approved letter; the reason (1 to 1000 characters) is shown to the student. The placement letter (W2d) comes off the student's record unless another issued letter stands, and the standing is recomputed at once. Audited (`letter_request.revoke`).",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = api::RevokeLetter, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = LetterRequest),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<api::RevokeLetter>,
) -> Result<Json<LetterRequest>, ApiError> {
    let staff = coop_store::service::access::require_staff(&principal)?;
    let after = letters::revoke(
        state.store.db(),
        id,
        &body.reason,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(LetterRequest::from(&after)))
}
