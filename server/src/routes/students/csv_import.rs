//! Staff import students from CSV (design.md's header), or preview what an import would do.

use axum::extract::{Query, State};
use axum::http::header;
use axum::{Extension, Json};
use coop_api::students::ImportReport;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::Actor;
use coop_store::service::{import, import_invitations};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::state::AppState;

/// Import bodies above this are refused with 413 (100,000 students fit).
pub const IMPORT_BODY_LIMIT: usize = 20 * 1024 * 1024;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Only say what would happen.
    #[serde(default)]
    dry_run: bool,
    /// Give each new student an account and e-mail them an invitation (needs a mail server).
    #[serde(default)]
    invite: bool,
}

/// Staff import students from CSV (`text/csv` body): the report of every line; with
/// `?dry_run=true` nothing is written; with `?invite=true` new students are invited.
#[utoipa::path(
    post,
    path = "/api/v1/students/import",
    operation_id = "post_students_import",
    summary = "Import students from CSV; per-row errors, the rest in one transaction",
    description = "Who: staff. With `invite=true`, each new student gets a student account and an invitation e-mail (a one-time link to set a password, 7 days; with single sign-on only, a note to sign in with the institution's account); it needs a mail server (422 on `invite` without one, before anything is written). Students left uninvited are listed in `invitation_problems`; the import stands.",
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
    let invite = query
        .invite
        .then_some((state.mail.mailer.as_deref(), &state.auth));
    let report = if query.dry_run {
        import::preview(db, &body).await?
    } else {
        import_invitations::import_and_invite(
            db,
            &body,
            invite,
            &Actor::User(staff.id),
            chrono::Utc::now(),
        )
        .await?
    };
    Ok(Json(report))
}
