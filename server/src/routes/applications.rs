//! A student's applications to IRCC: `POST /api/v1/me/applications` (report one) and
//! `PATCH /api/v1/me/applications/{id}` (record IRCC's decision). Each answer carries the
//! student's evaluation after the change.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_core::case::{Decision, DocumentFor};
use coop_core::contract::{FieldError, parse_instant};
use coop_store::service::access::{Principal, require_student};
use coop_store::service::audit::Actor;
use coop_store::service::records::{self, ApplicationReport};
use coop_store::service::students;
use serde::Deserialize;
use serde_json::json;

use super::body::JsonBody;
use super::students::evaluation_json;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    #[serde(rename = "for")]
    for_document: String,
    /// RFC 3339 with an offset, e.g. `2026-12-15T16:30:00-07:00`.
    submitted_at: String,
    application_number: String,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::InvalidInput(vec![FieldError {
        field: Some(field.to_owned()),
        code: "invalid",
        message: message.into(),
    }])
}

pub async fn report(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ReportBody>,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let client_key = super::idempotency_key(&headers)?;
    let for_document = match body.for_document.as_str() {
        "study_permit" => DocumentFor::StudyPermit,
        "coop_work_permit" => DocumentFor::CoopWorkPermit,
        _ => return Err(invalid("for", "expected study_permit or coop_work_permit")),
    };
    let submitted_at =
        parse_instant(&body.submitted_at).map_err(|why| invalid("submitted_at", why))?;
    let now = chrono::Utc::now();
    let reported = records::report_application(
        state.store.db(),
        student_id,
        ApplicationReport {
            for_document,
            submitted_at,
            application_number: body.application_number,
            client_key,
        },
        &Actor::User(user.id),
        now,
    )
    .await?;
    let model = students::get(state.store.db(), student_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": reported.application.id,
            "timely": reported.timely,
            "status": evaluation_json(&state, &model).await?,
        })),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    decision: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let decision = match body.decision.as_str() {
        "approved" => Decision::Approved,
        "refused" => Decision::Refused,
        _ => return Err(invalid("decision", "expected approved or refused")),
    };
    let after = records::record_decision(
        state.store.db(),
        student_id,
        id,
        decision,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    let model = students::get(state.store.db(), student_id).await?;
    Ok(Json(json!({
        "id": after.id,
        "decision": after.decision,
        "status": evaluation_json(&state, &model).await?,
    })))
}
