//! `GET /api/v1/overview`: the office's counts, as the staff overview shows them.

use axum::extract::State;
use axum::{Extension, Json};
use coop_api::staff::Overview;
use coop_core::letter_request::LetterRequestStatus;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::{documents, letters, student_list};

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
    let db = state.store.db();
    let counts =
        student_list::counts_kept(db, &state.store.caches().counts, chrono::Utc::now()).await?;
    let letters_waiting = letters::count(db, LetterRequestStatus::Pending).await?;
    let documents_waiting = documents::count_waiting(db).await?;
    Ok(Json(coop_store::wire::staff_pages::overview_api(
        &counts,
        letters_waiting,
        documents_waiting,
    )))
}
