//! The institution's programs catalogue (W2f's facts): `GET /api/v1/programs` (anyone: the
//! self-check reads it), `POST /api/v1/programs` and `PATCH /api/v1/programs/{code}` (staff),
//! and the catalogue as CSV, out and in (`GET /api/v1/programs.csv`,
//! `POST /api/v1/programs/import`).

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::{Extension, Json};
use coop_api::Items;
use coop_api::programs::{ProgramChange, ProgramEntry, ProgramImportReport};
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::Actor;
use coop_store::service::{program_csv, programs};
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::JsonBody;
use super::students::csv_response;
use crate::error::ApiError;
use crate::state::AppState;

/// Every program, by code.
#[utoipa::path(
    get,
    path = "/api/v1/programs",
    operation_id = "get_programs",
    summary = "The programs catalogue (W2f's facts), by code",
    description = "Who: anyone (the self-check offers these programs and keeps them for offline use).",
    responses(
        (status = 200, description = "OK", body = Items<ProgramEntry>),
        (status = 401, response = crate::routes::openapi::E401),
    ),
    security(()),
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Items<ProgramEntry>>, ApiError> {
    let items = programs::list(state.store.db()).await?;
    Ok(Json(Items {
        items: items.iter().map(ProgramEntry::from).collect(),
    }))
}

/// Staff add a program.
#[utoipa::path(
    post,
    path = "/api/v1/programs",
    operation_id = "post_programs",
    summary = "Add a program to the catalogue",
    description = "Who: staff. The code is kept in capitals; 409 on `code` when it is taken. Audited (`program.create`).",
    request_body(content = ProgramEntry, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = ProgramEntry),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(body): JsonBody<ProgramEntry>,
) -> Result<(StatusCode, Json<ProgramEntry>), ApiError> {
    let staff = require_staff(&principal)?;
    let created = programs::create(
        state.store.db(),
        body.into(),
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json((&created).into())))
}

/// Staff change a program; its students are re-evaluated.
#[utoipa::path(
    patch,
    path = "/api/v1/programs/{code}",
    operation_id = "patch_programs_code",
    summary = "Change a program; its students' standings are recomputed",
    description = "Who: staff. Absent fields stay; the code never changes. Audited (`program.update`, before and after).",
    params(("code" = String, Path, description = "The program's code.")),
    request_body(content = ProgramChange, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = ProgramEntry),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<ProgramChange>,
) -> Result<Json<ProgramEntry>, ApiError> {
    let staff = require_staff(&principal)?;
    let after = programs::update(
        state.store.db(),
        &code,
        body.into(),
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json((&after).into()))
}

/// The catalogue as CSV, the columns the import reads.
#[utoipa::path(
    get,
    path = "/api/v1/programs.csv",
    operation_id = "get_programs_csv",
    summary = "The programs catalogue as CSV (the import's columns)",
    description = "Who: staff.",
    responses(
        (status = 200, description = "CSV.", body = String, content_type = "text/csv"),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, ApiError> {
    require_staff(&principal)?;
    let rows = program_csv::rows(state.store.db()).await?;
    csv_response("programs.csv", &program_csv::HEADER, rows)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgramImportQuery {
    /// Only say what would happen.
    #[serde(default)]
    dry_run: bool,
}

/// Staff import the catalogue from CSV (`text/csv`).
#[utoipa::path(
    post,
    path = "/api/v1/programs/import",
    operation_id = "post_programs_import",
    summary = "Import programs from CSV; per-line errors, the rest in one transaction",
    description = "Who: staff. Columns: code,name,credential,months,work_months,placement_required,language_or_preparatory (the export's). A program whose code exists is changed (its students re-evaluated); a line with a problem writes nothing. With `dry_run=true` nothing is written.",
    params(ProgramImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "OK", body = ProgramImportReport),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 413, response = crate::routes::openapi::E413),
        (status = 415, response = crate::routes::openapi::E415),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn import(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ProgramImportQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<ProgramImportReport>, ApiError> {
    let staff = require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if !csv {
        return Err(ApiError::UnsupportedMediaType);
    }
    let report = program_csv::import(
        state.store.db(),
        &body,
        query.dry_run,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(report))
}
