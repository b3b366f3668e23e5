//! Staff and the reminders (R1, R2): `GET /api/v1/reminders` lists what was sent to whom and
//! when (by `student` id and by due date, `from`/`to` as `YYYY-MM-DD`, inclusive), latest due
//! first, paged; `POST /api/v1/reminders/{id}/resend` sends one again by hand (recorded).

use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use coop_api::Page;
use coop_api::reminders::Reminder;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::Actor;
use coop_store::service::reminders::{self, ReminderQuery};
use coop_store::wire;
use serde::Deserialize;

use super::openapi::{Blank, Day};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A student record's id.
    student: Option<i64>,
    /// Due on or after this day.
    #[param(value_type = Option<Blank<Day>>)]
    from: Option<String>,
    /// Due on or before this day.
    #[param(value_type = Option<Blank<Day>>)]
    to: Option<String>,
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
    100
}

fn day(field: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    coop_core::datetime_text::parse_date(text)
        .map(Some)
        .ok_or_else(|| {
            ApiError::Unreadable(format!("{field} is a date (YYYY-MM-DD), not {text:?}"))
        })
}

#[utoipa::path(
    get,
    path = "/api/v1/reminders",
    operation_id = "get_reminders",
    summary = "Reminders office-wide: who, when, how",
    description = "Who: staff.",
    params(ListQuery),
    responses(
        (status = 200, description = "OK", body = Page<Reminder>),
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
) -> Result<Json<Page<Reminder>>, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    if query.page == 0 || !(1..=500).contains(&query.per_page) {
        return Err(ApiError::Unreadable(
            "page starts at 1; per_page is 1 to 500.".to_owned(),
        ));
    }
    let filters = ReminderQuery {
        student_id: query.student,
        from: day("from", query.from.as_deref())?,
        to: day("to", query.to.as_deref())?,
    };
    let (rows, total) =
        reminders::search(state.store.db(), &filters, query.page - 1, query.per_page).await?;
    Ok(Json(Page {
        items: rows
            .iter()
            .map(|(r, s)| wire::reminder(r, s.as_ref()))
            .collect(),
        total,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/reminders/{id}/resend",
    operation_id = "post_reminders_id_resend",
    summary = "Send a delivered reminder again",
    description = "Who: staff.",
    params(("id" = i64, Path, description = "The record's id.")),
    responses(
        (status = 200, description = "OK", body = Reminder),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 404, response = crate::routes::openapi::E404),
        (status = 409, response = crate::routes::openapi::E409),
        (status = 503, response = crate::routes::openapi::E503),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn resend(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Reminder>, ApiError> {
    let staff = require_staff(&principal)?;
    let row = reminders::resend(
        state.store.db(),
        state.mail.mailer.as_deref(),
        id,
        &Actor::User(staff.id),
        chrono::Utc::now(),
    )
    .await?;
    let student = coop_store::service::students::get(state.store.db(), row.student_id).await?;
    Ok(Json(wire::reminder(&row, Some(&student))))
}
