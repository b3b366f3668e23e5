//! `PUT /api/v1/students/{id}/leaving`: staff record that a student left (F2, FIPPA s. 31); the
//! retention job removes their personal data a year after the later of leaving and the last
//! decision about them.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use coop_api::students::{Leaving, LeavingStatus};
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::Actor;
use coop_store::service::leavers;

use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(
    put,
    path = "/api/v1/students/{id}/leaving",
    operation_id = "put_students_id_leaving",
    summary = "Record that a student left the institution (F2)",
    description = "Who: staff. `left_on` is the day they left (not after today), or null when they did not; audited. The answer says from when the retention job may remove their personal data.",
    params(("id" = i64, Path, description = "The record's id.")),
    request_body(content = Leaving, content_type = "application/json"),
    responses(
        (status = 200, description = "OK", body = LeavingStatus),
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
pub async fn leaving(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
    crate::routes::body::JsonBody(body): crate::routes::body::JsonBody<Leaving>,
) -> Result<Json<LeavingStatus>, ApiError> {
    let staff = require_staff(&principal)?;
    let after = leavers::record_leaving(
        state.store.db(),
        id,
        body.left_on,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(LeavingStatus {
        left_on: after.left_on,
        removable_from: leavers::removable_from(state.store.db(), &after).await?,
        removed_at: after.personal_data_removed_at,
        version: after.version,
    }))
}
