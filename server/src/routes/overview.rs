//! `GET /api/v1/overview`: the office's counts, as the staff overview shows them.

use axum::extract::State;
use axum::{Extension, Json};
use coop_api::staff::Overview;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::overview;

use crate::error::ApiError;
use crate::state::AppState;

/// The office's counts: what waits for review, and each list's total.
#[utoipa::path(
    get,
    path = "/api/v1/overview",
    operation_id = "get_overview",
    summary = "The office's counts: letters and documents waiting, and each list's total",
    description = "Who: staff. The student counts are this instance's, at most 5 seconds old \
                   (at once after a change made through it).",
    responses(
        (status = 200, description = "OK", body = Overview),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn overview(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Json<Overview>, ApiError> {
    require_staff(&principal)?;
    let office = overview::office(
        state.store.db(),
        &state.store.caches().counts,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Json(coop_store::wire::staff_pages::overview_api(&office)))
}
