//! `GET /api/v1/audit` (staff): the append-only history of every change, filtered by who
//! (`actor=user:12`), what (`action=document` or `document.verify`), to what
//! (`subject=student:42`) and when (`from`, `to`: RFC 3339 or `YYYY-MM-DD`, Vancouver days),
//! newest first, paged.

use axum::extract::{Query, State};
use axum::{Extension, Json};
use coop_store::entity::audit_event;
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::{self, AuditQuery};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    subject: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(default = "first_page")]
    page: u64,
    #[serde(default = "default_per_page")]
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

/// One row as the API shows it.
pub fn event_json(e: &audit_event::Model) -> Value {
    json!({
        "id": e.id,
        "at": e.at.to_rfc3339(),
        "actor": e.actor,
        "action": e.action,
        "subject": e.subject,
        "before": e.before,
        "after": e.after,
    })
}

pub async fn history(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({
        "items": events.iter().map(event_json).collect::<Vec<_>>(),
        "total": total,
    })))
}
