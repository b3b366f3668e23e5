//! Student records: `GET /api/v1/students` (staff: search, paged by the database),
//! `GET /api/v1/students/{id}` (staff, or the student themself — another student gets 404),
//! `GET /api/v1/me/status` (a student's own evaluation, from the stored record).

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use coop_api::applications::Application;
use coop_api::audit::AuditEvent;
use coop_api::documents::Document;
use coop_api::letters::LetterRequest;
use coop_api::student_file::StudentFile;
use coop_api::students::{
    ImportReport, ListedStudent, RecordAndEvaluation, StudentRecord, StudentUpdate, WorkTerm,
};
use coop_api::{Evaluated, Page};
use coop_core::evaluate;
use coop_store::entity::student;
use coop_store::service::access::{
    Principal, require_staff, require_student, require_student_record,
};
use coop_store::service::audit::Actor;
use coop_store::service::student_facts::{self, ProgramChange};
use coop_store::service::student_list::{self, FilterText, StudentQuery};
use coop_store::service::{import, records, students};
use serde::Deserialize;
use utoipa::IntoParams;

use super::openapi::{Blank, JobAccessFilter, SortOrder};

use crate::error::ApiError;
use crate::state::AppState;

mod downloads;
pub use downloads::*;

/// The student's evaluation now, from their record and everything on file.
pub async fn evaluation_of(
    state: &AppState,
    model: &student::Model,
) -> Result<Evaluated, ApiError> {
    let case = records::case_for(state.store.db(), model, chrono::Utc::now()).await?;
    Ok(evaluate(&case).into())
}

/// The filters of a staff list (api.md), as given in the query string.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Words of a name, a student number or an e-mail address.
    #[serde(default)]
    q: String,
    /// `cleared` or `not_cleared`.
    #[param(value_type = Option<Blank<JobAccessFilter>>)]
    job_access: Option<String>,
    /// A document state code (`valid`, `expiring_soon`, `maintained`, …).
    #[param(value_type = Option<Blank<coop_core::status::DocumentState>>)]
    state: Option<String>,
    /// `coop_work_permit` or `study_permit_placement`.
    #[param(value_type = Option<Blank<coop_core::regime::Regime>>)]
    regime: Option<String>,
    /// A J reason code (e.g. `no_on_campus_work_condition`).
    reason: Option<String>,
    /// V2.
    extend_study_permit: Option<bool>,
    #[param(minimum = 0, maximum = 3650)]
    expiring_within_days: Option<u32>,
    /// `name`, `number` or `expiry`.
    #[param(value_type = Option<Blank<SortOrder>>)]
    sort: Option<String>,
    #[serde(default = "first_page")]
    #[param(minimum = 1, maximum = 2_147_483_648_u64)]
    page: u64,
    #[serde(default = "default_per_page")]
    #[param(minimum = 1, maximum = 500)]
    per_page: u64,
}

fn first_page() -> u64 {
    1
}
fn default_per_page() -> u64 {
    50
}

fn bad(field: &str, message: String) -> ApiError {
    ApiError::InvalidInput(vec![coop_core::contract::FieldError {
        field: Some(field.to_owned()),
        code: "invalid",
        message,
    }])
}

impl ListQuery {
    fn check_paging(&self) -> Result<(), ApiError> {
        if self.page == 0 || !(1..=500).contains(&self.per_page) {
            return Err(ApiError::Unreadable(
                "page starts at 1; per_page is 1 to 500.".to_owned(),
            ));
        }
        Ok(())
    }

    fn filters(&self) -> Result<StudentQuery, ApiError> {
        let extend = self
            .extend_study_permit
            .map(|v| v.to_string())
            .unwrap_or_default();
        let days = self
            .expiring_within_days
            .map(|v| v.to_string())
            .unwrap_or_default();
        Ok(StudentQuery::parse(&FilterText {
            q: &self.q,
            job_access: self.job_access.as_deref().unwrap_or(""),
            state: self.state.as_deref().unwrap_or(""),
            regime: self.regime.as_deref().unwrap_or(""),
            reason: self.reason.as_deref().unwrap_or(""),
            extend_study_permit: &extend,
            expiring_within_days: &days,
            sort: self.sort.as_deref().unwrap_or(""),
        })?)
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/students",
    operation_id = "get_students",
    summary = "Search students, paged",
    description = "Who: staff.",
    params(ListQuery),
    responses(
        (status = 200, description = "OK", body = Page<ListedStudent>),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<ListedStudent>>, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    query.check_paging()?;
    let filters = query.filters()?;
    let (items, total) = student_list::list(
        state.store.db(),
        &filters,
        query.page - 1,
        query.per_page,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(Page {
        items: items.iter().map(ListedStudent::from).collect(),
        total,
    }))
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
    super::body::JsonBody(body): super::body::JsonBody<StudentUpdate>,
) -> Result<Json<RecordAndEvaluation>, ApiError> {
    let staff = require_staff(&principal)?;
    let coop1101 = match body.coop1101.as_deref() {
        None => None,
        Some(code) => Some(coop_core::case::Coop1101::from_code(code).ok_or_else(|| {
            bad(
                "coop1101",
                format!("none, registered or completed, not {code:?}"),
            )
        })?),
    };
    let level = match body.level.as_deref() {
        None => None,
        Some(code) => Some(coop_core::case::Level::from_code(code).ok_or_else(|| {
            bad(
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

/// Import bodies above this are refused with 413 (100,000 students fit).
pub const IMPORT_BODY_LIMIT: usize = 20 * 1024 * 1024;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only say what would happen.
    #[serde(default)]
    dry_run: bool,
}

/// Staff import students from CSV (`text/csv` body): the report of every line; with
/// `?dry_run=true` nothing is written.
#[utoipa::path(
    post,
    path = "/api/v1/students/import",
    operation_id = "post_students_import",
    summary = "Import students from CSV; per-row errors, the rest in one transaction",
    description = "Who: staff.",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "OK", body = ImportReport),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 413, response = crate::routes::openapi::E413),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn import(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<ImportReport>, ApiError> {
    let staff = require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("text/csv") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let db = state.store.db();
    let report = if query.dry_run {
        import::preview(db, &body).await?
    } else {
        import::import(db, &body, &Actor::User(staff.id), chrono::Utc::now()).await?
    };
    Ok(Json(report))
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
    let model = students::get(state.store.db(), student_id).await?;
    Ok(Json(evaluation_of(&state, &model).await?))
}
