//! `GET /api/v1/audit` (staff): the append-only history of every change, filtered by who
//! (`actor=user:12`), what (`action=document` or `document.verify`), to what
//! (`subject=student:42`) and when (`from`, `to`: RFC 3339 or `YYYY-MM-DD`, Vancouver days),
//! newest first, paged.

use axum::extract::{Query, State};
use axum::{Extension, Json};
use coop_api::Page;
use coop_api::audit::AuditEvent;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::{self, AuditQuery};
use serde::Deserialize;

use super::openapi::{Blank, Instant};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// `student:42`, `user:12`, …
    subject: Option<String>,
    /// `user:12`, `system`.
    actor: Option<String>,
    /// An action (`document.verify`) or its family (`document`).
    action: Option<String>,
    /// From this instant (RFC 3339) or the start of this Vancouver day.
    #[param(value_type = Option<Blank<Instant>>)]
    from: Option<String>,
    /// To this instant, or the end of this Vancouver day.
    #[param(value_type = Option<Blank<Instant>>)]
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

/// An instant, or the start of a Vancouver day (`to` as a day means the end of that day).
fn instant(
    field: &str,
    text: Option<&str>,
    end_of_day: bool,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Some(at) = coop_core::datetime_text::parse_rfc3339(text) {
        return Ok(Some(at.to_utc()));
    }
    let day = coop_core::datetime_text::parse_date(text).ok_or_else(|| {
        ApiError::Unreadable(format!(
            "{field} is a date (YYYY-MM-DD) or an RFC 3339 instant, not {text:?}"
        ))
    })?;
    let day = if end_of_day {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(coop_core::time::Zone::default().instant_at(day.and_time(chrono::NaiveTime::MIN)))
}

#[utoipa::path(
    get,
    path = "/api/v1/audit",
    operation_id = "get_audit",
    summary = "The append-only history",
    description = "Who: staff.",
    params(HistoryQuery),
    responses(
        (status = 200, description = "OK", body = Page<AuditEvent>),
        (status = 400, response = crate::routes::openapi::E400),
        (status = 401, response = crate::routes::openapi::E401),
        (status = 403, response = crate::routes::openapi::E403),
        (status = 422, response = crate::routes::openapi::E422),
    ),
    security(("session" = []), ("bearer" = [])),
)]
pub async fn history(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<AuditEvent>>, ApiError> {
    require_staff(&principal)?;
    let Query(query) = query.map_err(|e| ApiError::Unreadable(e.body_text()))?;
    if query.page == 0 || !(1..=500).contains(&query.per_page) {
        return Err(ApiError::Unreadable(
            "page starts at 1; per_page is 1 to 500.".to_owned(),
        ));
    }
    let filters = AuditQuery {
        actor: query.actor,
        action: query.action,
        subject: query.subject,
        from: instant("from", query.from.as_deref(), false)?,
        to: instant("to", query.to.as_deref(), true)?,
    };
    let (events, total) =
        audit::search(state.store.db(), &filters, query.page - 1, query.per_page).await?;
    Ok(Json(Page {
        items: events.iter().map(AuditEvent::from).collect(),
        total,
    }))
}
