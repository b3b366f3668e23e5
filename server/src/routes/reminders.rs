//! Staff and the reminders (R1, R2): `GET /api/v1/reminders` lists what was sent to whom and
//! when (by `student` id and by due date, `from`/`to` as `YYYY-MM-DD`, inclusive), latest due
//! first, paged; `POST /api/v1/reminders/{id}/resend` sends one again by hand (recorded).

use axum::extract::{Path, Query, State};
use axum::{Extension, Json};
use coop_store::entity::{reminder, student};
use coop_store::service::access::{Principal, require_staff};
use coop_store::service::audit::Actor;
use coop_store::service::reminders::{self, ReminderQuery};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    student: Option<i64>,
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

/// One reminder as the API shows it.
fn reminder_json(r: &reminder::Model, s: Option<&student::Model>) -> Value {
    let delivered = r.sent_at.is_some() && r.channels != "superseded";
    json!({
        "id": r.id,
        "student": s.map(|s| json!({
            "id": s.id,
            "student_number": s.student_number,
            "name": s.name,
        })),
        "for": r.for_document,
        "due_on": r.due_on.to_string(),
        "days_before": r.days_before,
        "expires": r.expires.to_string(),
        "state": if delivered { "sent" } else if r.sent_at.is_some() { "superseded" } else { "pending" },
        "sent_at": r.sent_at.filter(|_| delivered).map(|at| at.to_rfc3339()),
        "channels": if delivered { r.channels.split(',').collect::<Vec<_>>() } else { Vec::new() },
        "sent_to": r.sent_to,
        "attempts": r.attempts,
        "last_error": r.last_error,
        "resends": r.resends,
        "resent_at": r.resent_at.map(|at| at.to_rfc3339()),
        "resent_by": r.resent_by,
    })
}

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({
        "items": rows.iter().map(|(r, s)| reminder_json(r, s.as_ref())).collect::<Vec<_>>(),
        "total": total,
    })))
}

pub async fn resend(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(reminder_json(&row, Some(&student))))
}
