//! One student's record: staff read and change it (J re-evaluated at once), the student reads
//! their own status.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use coop_api::Evaluated;
use coop_api::applications::Application;
use coop_api::audit::AuditEvent;
use coop_api::documents::Document;
use coop_api::letters::LetterRequest;
use coop_api::student_file::StudentFile;
use coop_api::students::{RecordAndEvaluation, StudentRecord, StudentUpdate, WorkTerm};
use coop_core::evaluate;
use coop_store::entity::student;
use coop_store::service::access::{
    Principal, require_staff, require_student, require_student_record,
};
use coop_store::service::audit::Actor;
use coop_store::service::student_facts::{self, ProgramChange};
use coop_store::service::{records, students};

use crate::error::ApiError;
use crate::state::AppState;

/// The student's evaluation now, from their record and everything on file.
pub async fn evaluation_of(
    state: &AppState,
    model: &student::Model,
) -> Result<Evaluated, ApiError> {
    let case = records::case_for(state.store.db(), model, chrono::Utc::now()).await?;
    Ok(evaluate(&case).into())
}

/// A student's whole file: the record, the evaluation now, documents, letter requests,
/// applications, work terms and the history of every change.
#[utoipa::path(
    get,
    path = "/api/v1/students/{id}",
    operation_id = "get_students_id",
    summary = "A student's file: record, evaluation, documents, requests, applications, history",
    description = "Who: staff, or the student themself.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = StudentFile),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<StudentFile>, ApiError> {
    require_student_record(&principal, id)?;
    // Staff notes and the office's history (which names staff) are for staff; a student reading
    // their own file gets the rest.
    let staff = require_staff(&principal).is_ok();
    let db = state.store.db();
    let model = students::get(db, id).await?;
    let on_file = records::load(db, id).await?;
    let requests = coop_store::service::letters::list(db, id).await?;
    let history = if staff {
        let events = coop_store::service::audit::history(db, &format!("student:{id}"))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Some(events.iter().map(AuditEvent::from).collect())
    } else {
        None
    };
    let mut record = StudentRecord::from(&model);
    if !staff {
        record.fields.notes = None;
    }
    Ok(Json(StudentFile {
        record,
        evaluation: evaluation_of(&state, &model).await?,
        documents: on_file.documents.iter().map(Document::from).collect(),
        letter_requests: requests.iter().map(LetterRequest::from).collect(),
        applications: on_file.applications.iter().map(Application::from).collect(),
        work_terms: on_file.work_terms.iter().map(WorkTerm::from).collect(),
        history,
    }))
}

/// Staff change the program record; the answer is the record and the evaluation after it.
#[utoipa::path(
    patch,
    path = "/api/v1/students/{id}",
    operation_id = "patch_students_id",
    summary = "Change the program record; re-evaluates (J)",
    description = "Who: staff.",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = StudentUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = RecordAndEvaluation),
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
pub async fn update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    crate::routes::body::JsonBody(body): crate::routes::body::JsonBody<StudentUpdate>,
) -> Result<Json<RecordAndEvaluation>, ApiError> {
    let staff = require_staff(&principal)?;
    let coop1101 = match body.coop1101.as_deref() {
        None => None,
        Some(code) => Some(coop_core::case::Coop1101::from_code(code).ok_or_else(|| {
            ApiError::invalid(
                "coop1101",
                format!("none, registered or completed, not {code:?}"),
            )
        })?),
    };
    let level = match body.level.as_deref() {
        None => None,
        Some(code) => Some(coop_core::case::Level::from_code(code).ok_or_else(|| {
            ApiError::invalid(
                "level",
                format!("post_secondary or secondary, not {code:?}"),
            )
        })?),
    };
    let after = student_facts::update_program(
        state.store.db(),
        id,
        ProgramChange {
            program: body.program,
            program_code: body.program_code,
            coop_program: body.coop_program,
            coop1101,
            continuance_met: body.continuance_met,
            full_time: body.full_time,
            level,
            notes: body.notes,
            expected_version: body.version,
        },
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(RecordAndEvaluation {
        record: StudentRecord::from(&after),
        evaluation: evaluation_of(&state, &after).await?,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/me/status",
    operation_id = "get_me_status",
    summary = "The student's own evaluation",
    description = "Who: student.",
    responses(
        (status = 200, description = "OK", body = Evaluated),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn my_status(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Evaluated>, ApiError> {
    let (_, student_id) = require_student(&principal)?;
    // Students look at their status far more often than it changes: what is on file is kept
    // by this instance, checked against the record's version at least every second (at once
    // after a change through this instance), and read again when the version moved. The rules
    // are applied afresh every time.
    let caches = state.store.caches();
    let kept = records::kept_for(
        state.store.db(),
        &caches.records,
        &caches.checked_records,
        student_id,
    )
    .await?;
    let case = records::case_of(&kept.model, &kept.records, chrono::Utc::now());
    Ok(Json(evaluate(&case).into()))
}
