//! Subject access (FIPPA s. 5): `GET /api/v1/me/export` gives a student a zip of everything the
//! office holds about them (staff notes left out); `GET /api/v1/students/{id}/export` gives staff
//! the full one. Both are audited in the student's history.

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use coop_store::service::access::{Principal, require_staff, require_student};
use coop_store::service::audit::Actor;
use coop_store::service::subject_access::{self, Audience, Export};

use crate::error::ApiError;
use crate::state::AppState;

fn zip_response(export: Export) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", export.file_name),
            ),
        ],
        Body::from(export.zip),
    )
        .into_response()
}

#[utoipa::path(
    get,
    path = "/api/v1/me/export",
    operation_id = "get_me_export",
    summary = "Everything the office holds about the signed-in student (FIPPA s. 5)",
    description = "Who: student. A zip: `data.json` (record, program, documents with their review history, letter requests and issued letters, applications, work terms, reminders and messages, consents, the history of changes to the record; staff notes left out) and `files/` with the stored documents and letters.",
    responses(
        (status = 200, description = "The zip.", content((Vec<u8> = "application/zip"))),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn my_export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, ApiError> {
    let (user, student_id) = require_student(&principal)?;
    let export = subject_access::export(
        state.store.db(),
        &state.vault,
        student_id,
        Audience::Student,
        &Actor::User(user.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(zip_response(export))
}

#[utoipa::path(
    get,
    path = "/api/v1/students/{id}/export",
    operation_id = "get_students_id_export",
    summary = "Everything the office holds about one student, staff notes included",
    description = "Who: staff. The zip of `GET /api/v1/me/export` with staff notes and the notices staff received about the student; recorded in the student's history.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "The zip.", content((Vec<u8> = "application/zip"))),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn staff_export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let staff = require_staff(&principal)?;
    let export = subject_access::export(
        state.store.db(),
        &state.vault,
        id,
        Audience::Staff,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(zip_response(export))
}
