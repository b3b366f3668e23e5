//! A student's applications to IRCC: `POST /api/v1/me/applications` (report one) and
//! `PATCH /api/v1/me/applications/{id}` (record IRCC's decision). Each answer carries the
//! student's evaluation after the change.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::applications::{
    ApplicationDecision, DecidedApplication, ReportApplication, ReportedApplication,
};
use coop_core::case::{Decision, DocumentFor};
use coop_core::contract::{FieldError, parse_instant};
use coop_store::service::access::{Principal, require_student};
use coop_store::service::applications::{self, ApplicationReport};
use coop_store::service::audit::Actor;
use coop_store::service::students;

use super::body::JsonBody;
use super::openapi::IdempotencyKey;
use super::students::evaluation_of;
use crate::error::ApiError;
use crate::state::AppState;

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::InvalidInput(vec![FieldError {
        field: Some(field.to_owned()),
        code: "invalid",
        message: message.into(),
    }])
}

#[utoipa::path(
    post,
    path = "/api/v1/me/applications",
    operation_id = "post_me_applications",
    summary = "Report an application made to IRCC",
    description = "Who: student.",
    params(IdempotencyKey),
    request_body(content = ReportApplication, content_type = "application/json"),
    responses(
        (status = 201, description = "Reported.", body = ReportedApplication),
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
pub async fn report(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ReportApplication>,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let client_key = super::body::idempotency_key(&headers)?;
    let for_document = match body.for_document.as_str() {
        "study_permit" => DocumentFor::StudyPermit,
        "coop_work_permit" => DocumentFor::CoopWorkPermit,
        _ => return Err(invalid("for", "expected study_permit or coop_work_permit")),
    };
    let submitted_at =
        parse_instant(&body.submitted_at).map_err(|why| invalid("submitted_at", why))?;
    let now = chrono::Utc::now();
    let reported = applications::report(
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
        Json(ReportedApplication {
            id: reported.application.id,
            timely: reported.timely,
            status: evaluation_of(&state, &model).await?,
        }),
    )
        .into_response())
}

#[utoipa::path(
    patch,
    path = "/api/v1/me/applications/{id}",
    operation_id = "patch_me_applications_id",
    summary = "Record IRCC's decision",
    description = "Who: student.",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = ApplicationDecision, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = DecidedApplication),
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
    JsonBody(body): JsonBody<ApplicationDecision>,
) -> Result<Json<DecidedApplication>, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let decision = match body.decision.as_str() {
        "approved" => Decision::Approved,
        "refused" => Decision::Refused,
        _ => return Err(invalid("decision", "expected approved or refused")),
    };
    let after = applications::record_decision(
        state.store.db(),
        student_id,
        id,
        decision,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    let model = students::get(state.store.db(), student_id).await?;
    Ok(Json(DecidedApplication {
        id: after.id,
        decision,
        status: evaluation_of(&state, &model).await?,
    }))
}
