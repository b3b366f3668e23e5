//! The co-op letter (L) from the student's side: `GET /api/v1/privacy-notice` (F1, what a
//! request acknowledges), `POST`/`GET /api/v1/me/letter-requests` and
//! `POST /api/v1/me/letter-requests/{id}/withdraw`, `GET /api/v1/me/letter-requests/{id}/letter.pdf`.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_core::contract::{FieldError, parse_date};
use coop_store::entity::letter_request;
use coop_store::service::access::{Principal, require_student};
use coop_store::service::audit::Actor;
use coop_store::service::letters::{self, NewLetterRequest};
use coop_store::service::privacy::PrivacyNotice;
use serde::Deserialize;
use serde_json::{Value, json};

use super::body::JsonBody;
use crate::error::ApiError;
use crate::state::AppState;

/// The collection notice in force: its version is what a request sends as `privacy_notice`.
pub async fn notice(State(state): State<AppState>) -> Json<Value> {
    Json(notice_json(&state.privacy))
}

fn notice_json(notice: &PrivacyNotice) -> Value {
    json!({
        "version": notice.version(),
        "purpose": PrivacyNotice::PURPOSE,
        "authority": PrivacyNotice::AUTHORITY,
        "contact": {
            "title": notice.contact.title,
            "address": notice.contact.address,
            "phone": notice.contact.phone,
        },
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    /// `YYYY-MM-DD`.
    first_term_start: String,
    extending_study_permit: bool,
    /// The `version` of the notice the student read and acknowledged.
    privacy_notice: String,
}

pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<RequestBody>,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let client_key = super::idempotency_key(&headers)?;
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
    Ok((StatusCode::CREATED, Json(request_json(&created))).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Value>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    let requests = letters::list(state.store.db(), student_id).await?;
    Ok(Json(json!({
        "items": requests.iter().map(request_json).collect::<Vec<_>>(),
    })))
}

pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let after = letters::withdraw(
        state.store.db(),
        student_id,
        id,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(request_json(&after)))
}

/// The issued letter of one of the student's requests (or, for staff, of any request), once
/// approved.
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

/// A request as the API shows it; `letter` is the issued letter's address once approved.
pub fn request_json(model: &letter_request::Model) -> Value {
    json!({
        "id": model.id,
        "status": model.status,
        "first_term_start": model.first_term_start,
        "extending_study_permit": model.extending_study_permit,
        "privacy_notice": model.notice_version,
        "requested_at": model.requested_at,
        "decided_at": model.decided_at,
        "reason": model.reason,
        "letter": model
            .letter_file_id
            .map(|_| format!("/api/v1/me/letter-requests/{}/letter.pdf", model.id)),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    status: Option<String>,
}

/// Staff: requests in a status (default `pending`), oldest first, each with its waiting time and
/// the student's evaluation now.
pub async fn queue(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<axum::extract::Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    coop_store::service::access::require_staff(&principal)?;
    let axum::extract::Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let code = query.status.as_deref().unwrap_or("pending");
    let status =
        coop_core::letter_request::LetterRequestStatus::from_code(code).ok_or_else(|| {
            ApiError::Unreadable(format!(
                "status is one of pending, approved, rejected, withdrawn, not {code:?}"
            ))
        })?;
    let now = chrono::Utc::now();
    let queued = letters::queue(state.store.db(), status, now).await?;
    let items: Vec<Value> = queued
        .iter()
        .map(|q| {
            let mut item = request_json(&q.request);
            if let Value::Object(fields) = &mut item {
                fields.insert(
                    "waiting_hours".to_owned(),
                    json!((now - q.request.requested_at).num_hours()),
                );
                fields.insert(
                    "student".to_owned(),
                    super::students::record_json(&q.student),
                );
                fields.insert(
                    "evaluation".to_owned(),
                    serde_json::to_value(coop_core::contract::ResultLine {
                        id: None,
                        evaluation: &q.evaluation,
                    })
                    .unwrap_or(Value::Null),
                );
            }
            item
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    decision: String,
    reason: Option<String>,
}

/// Staff approve (issuing the PDF letter) or reject (with a reason) a pending request.
pub async fn decide(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<Value>, ApiError> {
    let staff = coop_store::service::access::require_staff(&principal)?;
    let actor = Actor::User(staff.id);
    let now = chrono::Utc::now();
    let db = state.store.db();
    let after = match body.decision.as_str() {
        "approve" => {
            letters::approve(
                db,
                &state.vault,
                state.institution.as_ref(),
                id,
                &actor,
                now,
            )
            .await?
        }
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
    Ok(Json(request_json(&after)))
}
